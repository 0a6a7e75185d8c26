"""``make chaos``: ``python -m docflow_tools.chaos [--documents N] [--rate R] [--seed S] ...``

Exit status 0 when every check held, 1 when one did not or the run could not be carried out.
The report is printed as a table and, with ``--report FILE``, written as JSON. The state
directory (logs, results, blobs) is removed after a run that passed, unless ``--keep-state``.
"""

import argparse
import logging
import shutil
import signal
import sys
from collections.abc import Sequence
from pathlib import Path

from docflow_tools.chaos.launcher import ChaosError
from docflow_tools.chaos.schedule import Action
from docflow_tools.chaos.session import Options, run_chaos


def main(argv: Sequence[str] | None = None) -> int:
    args = _parse_args(argv)
    # Ctrl-C must reach the run's cleanup even when started where SIGINT is ignored (in the
    # background of a script): it stops make run and everything it started.
    signal.signal(signal.SIGINT, signal.default_int_handler)
    # The broker is down on purpose at times: reading it back then is expected to fail.
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
    logging.getLogger("docflow_testing.broker").setLevel(logging.ERROR)
    try:
        report = run_chaos(_options(args), _say)
    except ChaosError as exc:
        _say(f"the run could not be carried out: {exc}")
        return 1
    except KeyboardInterrupt:
        _say("interrupted; make run and everything it started are stopped")
        return 130
    print(report.table(), flush=True)
    if args.report is not None:
        report.write(args.report)
    if report.passed and not args.keep_state:
        shutil.rmtree(report.state_dir, ignore_errors=True)
    else:
        _say(f"state kept in {report.state_dir}")
    return 0 if report.passed else 1


def _options(args: argparse.Namespace) -> Options:
    return Options(
        documents=args.documents, rate=args.rate, seed=args.seed,
        review_share=args.review_share, decide_share=args.decide_share,
        transient_share=args.transient_share, permanent_share=args.permanent_share,
        faults={
            Action.STAGE_SIGKILL: args.stage_kills, Action.STAGE_SIGTERM: args.stage_terms,
            Action.BROKER_SIGKILL: args.broker_kills, Action.RESTART: args.restarts,
        },
        settle_timeout=args.settle_timeout,
    )  # fmt: skip


def _say(message: str) -> None:
    print(f"chaos: {message}", file=sys.stderr, flush=True)


def _share(text: str) -> float:
    value = float(text)
    if not 0 <= value <= 1:
        raise argparse.ArgumentTypeError(f"{text} is not a share between 0 and 1")
    return value


def _parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="python -m docflow_tools.chaos",
        description="Run make run under faults while documents flow, and check that every "
        "accepted document ended where it should, once.",
    )
    size = parser.add_argument_group("size and pace")
    size.add_argument("--documents", type=int, default=200)
    size.add_argument("--rate", type=float, default=1.0, help="documents posted per second")
    size.add_argument("--seed", type=int, default=1, help="documents, fault plan and reviews")
    size.add_argument("--settle-timeout", type=float, default=300.0,
                      help="seconds the pipeline may take to settle after the uploads")  # fmt: skip
    shares = parser.add_argument_group("shares of the documents")
    shares.add_argument("--review-share", type=_share, default=0.2,
                        help="invoices without a total: they wait for review")  # fmt: skip
    shares.add_argument("--decide-share", type=_share, default=0.5,
                        help="reviews decided while the faults go on (the rest after)")  # fmt: skip
    shares.add_argument("--transient-share", type=_share, default=0.1,
                        help="enrichment fails once or twice, then works")  # fmt: skip
    shares.add_argument("--permanent-share", type=_share, default=0.1,
                        help="enrichment always fails: dead-lettered")  # fmt: skip
    faults = parser.add_argument_group("faults")
    faults.add_argument("--stage-kills", type=int, default=6, help="SIGKILL a stage")
    faults.add_argument("--stage-terms", type=int, default=4, help="SIGTERM a stage")
    faults.add_argument("--broker-kills", type=int, default=2, help="SIGKILL the broker")
    faults.add_argument("--restarts", type=int, default=2, help="Ctrl-C make run, start it again")
    parser.add_argument("--report", type=Path, help="write the report as JSON here")
    parser.add_argument("--keep-state", action="store_true", help="keep the state directory")
    args = parser.parse_args(argv)
    if args.transient_share + args.permanent_share > 1:
        parser.error("--transient-share and --permanent-share add up to more than 1")
    return args


if __name__ == "__main__":
    sys.exit(main())
