"""One chaos run, from start to report: ``make run`` started, documents posted while faults
happen, the pipeline left to settle, then what became of every document checked."""

import os
import random
import secrets
import tempfile
import threading
import time
import uuid
from collections.abc import Callable, Mapping
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Final

import httpx

from docflow_events.topics import StageName, dead_letter_topic
from docflow_notify.webhook_secret import generate_webhook_secret
from docflow_testing.tansu import DEFAULT_HOST
from docflow_tools.chaos.checks import Outcome, check
from docflow_tools.chaos.client import TENANT, Api
from docflow_tools.chaos.dead_letters import DeadLetter, DeadLetterWatch
from docflow_tools.chaos.documents import ChaosDocument, make_documents
from docflow_tools.chaos.faults import EnrichFaultSettings
from docflow_tools.chaos.injector import STOP_TIMEOUT_SECONDS, Injected, Injector
from docflow_tools.chaos.launcher import (
    ChaosError,
    MakeRun,
    Ports,
    not_ready,
    probes,
    reserve_ports,
    run_environment,
    service_modules,
)
from docflow_tools.chaos.observe import Observed, observe, unsettled, wait_settled
from docflow_tools.chaos.processes import MARKER, kill_marked
from docflow_tools.chaos.receiver import Delivery, Receiver
from docflow_tools.chaos.report import Report, build_report
from docflow_tools.chaos.reviews import Reviewer
from docflow_tools.chaos.schedule import Action, FaultPlan, plan_faults
from docflow_tools.chaos.uploads import Uploader
from docflow_tools.settings import RunSettings

STARTUP_TIMEOUT_SECONDS: Final = 120.0
#: How long a fault waits for every service to answer after the one before; a service that
#: does not by then is named with the fault, which goes ahead.
READY_TIMEOUT_SECONDS: Final = 45.0
#: How long one upload is retried while the API is down (a full restart takes about 30 s).
UPLOAD_PATIENCE_SECONDS: Final = 120.0
REVIEW_INTERVAL_SECONDS: Final = 3.0
DEAD_LETTER_INTERVAL_SECONDS: Final = 2.0
#: Faults happen in this part of the time the uploads are planned to take.
FAULT_WINDOW: Final = (0.05, 0.95)
KILL_TIMEOUT_SECONDS: Final = 10.0
_POLL_SECONDS: Final = 0.5


@dataclass(frozen=True)
class Options:
    documents: int
    rate: float
    seed: int
    review_share: float
    decide_share: float
    transient_share: float
    permanent_share: float
    faults: dict[Action, int]
    settle_timeout: float


@dataclass(frozen=True)
class _Run:
    """One run's ``make run``, API and receiver, and what it is to do."""

    make_run: MakeRun
    api: Api
    receiver: Receiver
    ports: Ports
    options: Options
    say: Callable[[str], None]

    def running(self) -> bool:
        return self.make_run.exited() is None

    def not_ready(self, timeout: float = READY_TIMEOUT_SECONDS) -> list[str]:
        return not_ready(probes(DEFAULT_HOST, self.ports), timeout)


@dataclass(frozen=True)
class _Seen:
    uploader: Uploader
    reviewer: Reviewer
    decided_early: int
    injected: list[Injected]
    unexpected_exit: int | None
    observed: Observed
    dead_letters: list[DeadLetter]
    deliveries: list[Delivery]
    seconds: dict[str, float]


def run_chaos(options: Options, say: Callable[[str], None]) -> Report:
    """Carry out one run; :class:`ChaosError` when ``make run`` did not even start."""
    run_id = uuid.uuid4().hex[:12]
    documents, plan = _planned(options, run_id)
    faults = EnrichFaultSettings(
        seed=options.seed, enrich_transient_share=options.transient_share,
        enrich_permanent_share=options.permanent_share,
    )  # fmt: skip
    state = Path(tempfile.mkdtemp(prefix="docflow-chaos-"))
    ports = reserve_ports(DEFAULT_HOST)
    key, secret = secrets.token_urlsafe(24), generate_webhook_secret()
    extra = {"DOCFLOW_API_KEYS": f"{TENANT}:{key}", "DOCFLOW_WEBHOOK_SECRET": secret,
             MARKER: run_id, **faults.environment()}  # fmt: skip
    env = run_environment(os.environ, DEFAULT_HOST, ports, extra)
    make_run = MakeRun(env, state, state / "make-run.log")
    say(f"state in {state} (make run's output: make-run.log, the services': .docflow/logs)")
    started = time.monotonic()
    api = Api(f"http://{DEFAULT_HOST}:{ports.ingest}", key)
    try:
        with Receiver.serving(DEFAULT_HOST, secret) as receiver:
            seen = _drive(_Run(make_run, api, receiver, ports, options, say), documents, plan)
    finally:
        api.close()
        try:
            make_run.close(STOP_TIMEOUT_SECONDS)
        finally:
            # Even when stopping was interrupted: nothing of the run outlives the tool.
            left = kill_marked(run_id, timeout=KILL_TIMEOUT_SECONDS)
    outcome = Outcome(
        uploads=seen.uploader.uploads, decided=seen.reviewer.decided(), faults=faults,
        observed=seen.observed, deliveries=seen.deliveries, dead_letters=seen.dead_letters,
        injected=seen.injected, run_exits=make_run.exits, unexpected_exit=seen.unexpected_exit,
        halted=_halted(state), left_behind=left,
    )  # fmt: skip
    settings = asdict(options) | {"faults": {a.value: n for a, n in options.faults.items()}}
    seconds = seen.seconds | {"whole run": time.monotonic() - started}
    return build_report(outcome, check(outcome), settings=settings, state_dir=str(state),
                        seconds=seconds, decided_early=seen.decided_early,
                        make_run_log=make_run.log.read_text(errors="replace"))  # fmt: skip


def _planned(options: Options, run_id: str) -> tuple[list[ChaosDocument], FaultPlan]:
    """The documents and the faults, both from the seed."""
    # Reproducible from the seed, never used for anything secret.
    rng = random.Random(options.seed)  # noqa: S311
    documents = make_documents(options.documents, options.review_share, rng, run_id)
    uploads_take = options.documents / options.rate
    start, end = (share * uploads_take for share in FAULT_WINDOW)
    return documents, plan_faults(options.faults, start, end, rng)


def _drive(run: _Run, documents: list[ChaosDocument], plan: FaultPlan) -> _Seen:
    _start(run, "posting documents and injecting faults")
    options = run.options
    uploader = Uploader(run.api, documents, run.receiver.url, rate=options.rate,
                        patience=UPLOAD_PATIENCE_SECONDS)  # fmt: skip
    reviewer = Reviewer(run.api, options.seed, uploader.accepted)
    watch = DeadLetterWatch(f"{DEFAULT_HOST}:{run.ports.broker}", _dead_letter_topics(),
                            DEAD_LETTER_INTERVAL_SECONDS)  # fmt: skip
    watch.start()
    try:
        injected, unexpected_exit = _chaos(run, uploader, reviewer, plan)
        if unexpected_exit is not None:
            # As its user would: start it again, and see what became of the documents.
            _start(run, "started again after it exited by itself; letting the documents settle")
        decided_early = len(reviewer.decided())
        seconds = _settle(run, uploader, reviewer)
        watch.read_once()
    finally:
        watch.close()
    try:
        observed = observe(run.api, uploader.accepted())
    except httpx.HTTPError as exc:
        raise ChaosError(
            f"the API did not answer while the documents were read back: {exc}"
        ) from exc
    run.say("stopping make run")
    # Stopped before the deliveries are counted: a repeated webhook would come from notify.
    run.make_run.stop(STOP_TIMEOUT_SECONDS)
    return _Seen(uploader, reviewer, decided_early, injected, unexpected_exit, observed,
                 watch.letters(), run.receiver.deliveries(), seconds)  # fmt: skip


def _start(run: _Run, then: str) -> None:
    run.make_run.start()
    if waiting := run.not_ready(STARTUP_TIMEOUT_SECONDS):
        raise ChaosError(
            f"make run did not get ready within {STARTUP_TIMEOUT_SECONDS:g} s: "
            f"{', '.join(waiting)} did not answer"
        )
    run.say(f"make run is up; {then}")


def _chaos(
    run: _Run, uploader: Uploader, reviewer: Reviewer, plan: FaultPlan
) -> tuple[list[Injected], int | None]:
    """Uploads, faults and some reviews at once, until the uploads and the faults are done;
    the faults injected, and ``make run``'s exit status if it ended by itself."""
    stop, reviews_done = threading.Event(), threading.Event()
    injector = Injector(run.make_run, service_modules(), run.not_ready, stop, run.say)
    injected: list[Injected] = []
    started = time.monotonic()
    # Daemons: an interrupted run (Ctrl-C) must not wait for them to finish.
    workers = [
        threading.Thread(target=uploader.post_all, args=(started, stop), daemon=True),
        threading.Thread(
            target=lambda: injected.extend(injector.carry_out(plan, started)), daemon=True
        ),
    ]
    reviews = threading.Thread(
        target=_review_until, args=(reviewer, run.options.decide_share, reviews_done),
        daemon=True,
    )  # fmt: skip
    for thread in [*workers, reviews]:
        thread.start()
    unexpected_exit = None
    try:
        while any(worker.is_alive() for worker in workers):
            if unexpected_exit is None and not run.running():
                unexpected_exit = run.make_run.exited()
                run.say(f"make run exited by itself (status {unexpected_exit}); stopping")
                stop.set()
            time.sleep(_POLL_SECONDS)
    finally:
        # Also when interrupted: no fault nor decision after this.
        stop.set()
        reviews_done.set()
    reviews.join()
    run.say(f"uploads done: {len(uploader.accepted())} of {len(uploader.uploads)} accepted")
    return injected, unexpected_exit


def _review_until(reviewer: Reviewer, share: float, done: threading.Event) -> None:
    while not done.wait(REVIEW_INTERVAL_SECONDS):
        reviewer.decide_some(share)


def _settle(run: _Run, uploader: Uploader, reviewer: Reviewer) -> dict[str, float]:
    """Wait for every document to settle, decide the reviews still waiting, and wait for
    those to end; how long each took."""
    accepted_at = [u.accepted_at for u in uploader.uploads if u.accepted_at is not None]
    last_upload = max(accepted_at, default=time.monotonic())
    deadline = time.monotonic() + run.options.settle_timeout

    def pending(statuses: Mapping[str, str]) -> list[str]:
        notified = {delivery.document_id for delivery in run.receiver.deliveries()}
        return unsettled(statuses, uploader.accepted(), reviewer.decided(), notified)

    left = wait_settled(run.api, pending, deadline=deadline, running=run.running)
    drained = time.monotonic()
    if left:
        run.say(f"{len(left)} document(s) still on their way; deciding the reviews anyway")
    else:
        run.say(f"settled {drained - last_upload:.1f} s after the last upload")
    while not reviewer.decide_all() and time.monotonic() < deadline and run.running():
        time.sleep(_POLL_SECONDS)
    wait_settled(run.api, pending, deadline=deadline, running=run.running)
    return {
        "uploads": last_upload - min(accepted_at, default=last_upload),
        "drain (last upload to settled)": drained - last_upload,
        "final reviews": time.monotonic() - drained,
    }


def _dead_letter_topics() -> dict[str, str]:
    # The run's environment has no DOCFLOW_TOPIC_PREFIX: the names are the plain ones.
    return {stage.value: dead_letter_topic(stage) for stage in StageName}


def _halted(state: Path) -> str | None:
    """What the halt file of the run says, if ``make run`` gave up on a stage."""
    path = state / RunSettings.model_fields["halt_file"].default
    return path.read_text().strip() if path.exists() else None
