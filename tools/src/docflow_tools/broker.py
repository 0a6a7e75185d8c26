"""``make broker``: the local broker with every docflow topic, until interrupted.

    python -m docflow_tools.broker [--host HOST] [--port PORT] [--partitions N]

Defaults come from the settings ``make run`` reads (``DOCFLOW_KAFKA_BOOTSTRAP``,
``DOCFLOW_TOPIC_PARTITIONS``, ``DOCFLOW_TOPIC_PREFIX``).

A broker that already answers at the address is used as it is; otherwise a Tansu process is
started, and it forgets everything when it stops: topics are created again on every start.
``make run`` watches the Tansu process it started (:class:`BrokerWatch`) and starts it again
when it exits.
"""

import argparse
import contextlib
import logging
import signal
import sys
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from types import FrameType
from typing import Final, Protocol

from docflow_runtime.admin import (
    BrokerUnavailableError,
    TopicCreationError,
    ensure_topics,
    wait_for_broker,
)
from docflow_runtime.settings import DEFAULT_STATE_DIR
from docflow_testing.tansu import (
    BrokerStartError,
    PortInUseError,
    TansuBroker,
    accepts_connections,
)
from docflow_tools.services import describe_exit
from docflow_tools.settings import RunSettings

log = logging.getLogger(__name__)

DEFAULT_LOG_DIR: Final = DEFAULT_STATE_DIR / "logs"
#: A broker that fails to start this many times in a row will not start by trying again.
RESTART_TRIES: Final = 3
RESTART_PAUSE_SECONDS: Final = 1.0
#: Without a terminal, ``uv run`` forwards the SIGINT its process group already got, so one
#: Ctrl-C arrives twice within a fraction of a second; only a later one is a second request.
SAME_REQUEST_SECONDS: Final = 1.0
# Something holds the port without answering as a broker: most often a broker still stopping.
_PORT_HELD: Final = (
    "an earlier make run or make broker may still be stopping; wait for it to exit, or set "
    "DOCFLOW_KAFKA_BOOTSTRAP to another port"
)


def main(argv: Sequence[str] | None = None) -> int:
    """Run the development broker with every docflow topic until SIGINT or SIGTERM."""
    settings = RunSettings()
    args = _parse_args(argv, settings)
    logging.basicConfig(level=logging.INFO, format="%(levelname)s %(name)s: %(message)s")
    stop = stop_on_signals()
    try:
        with local_broker(args.host, args.port, args.log_dir) as broker:
            ensure_topics(broker.bootstrap, settings.topics(), args.partitions)
            print(f"Kafka bootstrap: {broker.bootstrap}", flush=True)
            stop.first.wait()
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


@dataclass(frozen=True)
class LocalBroker:
    """A broker for the pipeline; ``own`` is the Tansu process started for it, ``None`` when
    a broker already answered there (somebody else's to look after)."""

    bootstrap: str
    own: TansuBroker | None = None


@contextlib.contextmanager
def local_broker(host: str, port: int, log_dir: Path) -> Iterator[LocalBroker]:
    """A broker at ``host:port``: one already there, or a new one."""
    if port and accepts_connections(host, port) and _answers(f"{host}:{port}"):
        log.info("a Kafka broker already answers at %s:%d; using it", host, port)
        yield LocalBroker(f"{host}:{port}")
        return
    try:
        with TansuBroker(host, port, log_dir=log_dir) as broker:
            log.info("Tansu broker log: %s", broker.log_file)
            yield LocalBroker(broker.bootstrap, broker)
    except PortInUseError as exc:
        raise PortInUseError(f"{exc}: {_PORT_HELD}") from exc
    log.info("Tansu broker stopped")


def _answers(bootstrap: str) -> bool:
    try:
        wait_for_broker(bootstrap, timeout=3.0)
    except BrokerUnavailableError:
        return False
    return True


@dataclass(frozen=True)
class StopRequests:
    """``first`` is set by the first SIGINT or SIGTERM, ``again`` by any later one."""

    first: threading.Event = field(default_factory=threading.Event)
    again: threading.Event = field(default_factory=threading.Event)


def stop_on_signals() -> StopRequests:
    """Stop requests set by SIGINT and SIGTERM, which then no longer end the process."""
    stop = StopRequests()
    first_at = 0.0

    def handle(signum: int, _frame: FrameType | None) -> None:
        nonlocal first_at
        log.info("received %s; stopping", signal.Signals(signum).name)
        now = time.monotonic()
        if not stop.first.is_set():
            first_at = now
            stop.first.set()
        elif now - first_at >= SAME_REQUEST_SECONDS:
            stop.again.set()

    for signum in (signal.SIGINT, signal.SIGTERM):
        signal.signal(signum, handle)
    return stop


class BrokerLostError(RuntimeError):
    """The broker exited and could not be started again."""


class BrokerProcess(Protocol):
    """What watching needs of a broker process (``TansuBroker`` has it)."""

    @property
    def returncode(self) -> int | None: ...

    def start(self) -> None: ...

    def stop(self) -> None: ...


@dataclass
class BrokerWatch:
    """Starts the broker again, on the same address, when its process exits.

    ``own`` is ``None`` for a broker that was already there: it is not watched. ``prepare``
    gets the bootstrap address after each start (it creates the topics: a new Tansu has
    none). ``started_at`` is when the running broker started: anything handed to the broker
    before then is gone with the broker that held it.
    """

    own: BrokerProcess | None
    bootstrap: str
    prepare: Callable[[str], None]
    say: Callable[[str], None]
    sleep: Callable[[float], None] = field(default=time.sleep, kw_only=True)
    started_at: datetime = field(default_factory=lambda: datetime.now(UTC), init=False)

    def check(self) -> None:
        """Start the broker again if it exited; :class:`BrokerLostError` if it will not start."""
        own = self.own
        if own is None or (code := own.returncode) is None:
            return
        self.say(f"the broker at {self.bootstrap} {describe_exit(code)}; starting it again")
        own.stop()
        for attempt in range(1, RESTART_TRIES + 1):
            if attempt > 1:
                self.sleep(RESTART_PAUSE_SECONDS)
            if self._restart(own, attempt):
                return
        raise BrokerLostError(
            f"the broker at {self.bootstrap} did not start again in {RESTART_TRIES} tries"
        )

    def _restart(self, own: BrokerProcess, attempt: int) -> bool:
        # Taken before the start: the new broker may hold anything recorded from then on.
        starting = datetime.now(UTC)
        try:
            own.start()
            self.prepare(self.bootstrap)
        except (BrokerStartError, TopicCreationError) as exc:
            own.stop()
            self.say(f"starting the broker failed (try {attempt} of {RESTART_TRIES}): {exc}")
            return False
        self.started_at = starting
        self.say(
            f"the broker is back at {self.bootstrap} with every topic (the events it held are lost)"
        )
        return True


if __name__ == "__main__":
    sys.exit(main())
