"""``make broker``: the local broker with every docflow topic, until interrupted.

    python -m docflow_tools.broker [--host HOST] [--port PORT] [--partitions N]

Defaults come from the settings ``make run`` reads (``DOCFLOW_KAFKA_BOOTSTRAP``,
``DOCFLOW_TOPIC_PARTITIONS``, ``DOCFLOW_TOPIC_PREFIX``).

A broker that already answers at the address is used as it is; otherwise a Tansu process is
started, and it forgets everything when it stops: topics are created again on every start.
"""

import argparse
import contextlib
import logging
import signal
import sys
import threading
from collections.abc import Iterator, Sequence
from pathlib import Path
from types import FrameType
from typing import Final

from docflow_runtime.admin import (
    BrokerUnavailableError,
    TopicCreationError,
    ensure_topics,
    wait_for_broker,
)
from docflow_runtime.settings import DEFAULT_STATE_DIR
from docflow_testing.tansu import BrokerStartError, TansuBroker, accepts_connections
from docflow_tools.settings import RunSettings

log = logging.getLogger(__name__)

DEFAULT_LOG_DIR: Final = DEFAULT_STATE_DIR / "logs"


def main(argv: Sequence[str] | None = None) -> int:
    """Run the development broker with every docflow topic until SIGINT or SIGTERM."""
    settings = RunSettings()
    args = _parse_args(argv, settings)
    logging.basicConfig(level=logging.INFO, format="%(levelname)s %(name)s: %(message)s")
    stop = stop_on_signals()
    try:
        with local_broker(args.host, args.port, args.log_dir) as bootstrap:
            ensure_topics(bootstrap, settings.topics(), args.partitions)
            print(f"Kafka bootstrap: {bootstrap}", flush=True)
            stop.wait()
    except (BrokerStartError, TopicCreationError) as exc:
        log.error("%s", exc)
        return 1
    return 0


def _parse_args(argv: Sequence[str] | None, settings: RunSettings) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="python -m docflow_tools.broker",
        description="Run the local Kafka-compatible broker with every docflow topic.",
    )
    host, port = settings.broker_address()
    parser.add_argument("--host", default=host)
    parser.add_argument("--port", type=int, default=port, help="0 picks a free port")
    parser.add_argument("--partitions", type=int, default=settings.topic_partitions)
    parser.add_argument("--log-dir", type=Path, default=DEFAULT_LOG_DIR)
    return parser.parse_args(argv)


@contextlib.contextmanager
def local_broker(host: str, port: int, log_dir: Path) -> Iterator[str]:
    """The bootstrap address of a broker at ``host:port``: one already there, or a new one."""
    if port and accepts_connections(host, port) and _answers(f"{host}:{port}"):
        log.info("a Kafka broker already answers at %s:%d; using it", host, port)
        yield f"{host}:{port}"
        return
    with TansuBroker(host, port, log_dir=log_dir) as broker:
        log.info("Tansu broker log: %s", broker.log_file)
        yield broker.bootstrap
    log.info("Tansu broker stopped")


def _answers(bootstrap: str) -> bool:
    try:
        wait_for_broker(bootstrap, timeout=3.0)
    except BrokerUnavailableError:
        return False
    return True


def stop_on_signals() -> threading.Event:
    """An event set by the first SIGINT or SIGTERM, which then no longer end the process."""
    stop = threading.Event()

    def handle(signum: int, _frame: FrameType | None) -> None:
        log.info("received %s; stopping", signal.Signals(signum).name)
        stop.set()

    for signum in (signal.SIGINT, signal.SIGTERM):
        signal.signal(signum, handle)
    return stop


if __name__ == "__main__":
    sys.exit(main())
