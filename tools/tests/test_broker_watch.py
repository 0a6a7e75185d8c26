"""``make run`` watches the broker it started: when it exits, it is started again on the same
address with every topic, or everything stops after a few failed tries. A fake broker here;
``test_broker.py`` kills a real one."""

import os
import signal
import time
from collections.abc import Iterator
from dataclasses import dataclass, field

import pytest

from docflow_runtime.admin import TopicCreationError
from docflow_testing.tansu import BrokerStartError
from docflow_tools import broker
from docflow_tools.broker import (
    RESTART_TRIES,
    BrokerLostError,
    BrokerWatch,
    stop_on_signals,
)

BOOTSTRAP = "127.0.0.1:19092"


@dataclass
class FakeBroker:
    """Exits when told; each start fails with the next of ``failures`` while any are left."""

    returncode: int | None = None
    failures: list[Exception] = field(default_factory=list)
    events: list[str] = field(default_factory=list)

    def start(self) -> None:
        self.events.append("start")
        if self.failures:
            raise self.failures.pop(0)
        self.returncode = None

    def stop(self) -> None:
        self.events.append("stop")


@dataclass
class Watched:
    broker: FakeBroker
    watch: BrokerWatch
    said: list[str]
    prepared: list[str]
    slept: list[float]


def watched(fake: FakeBroker) -> Watched:
    said: list[str] = []
    prepared: list[str] = []
    slept: list[float] = []

    def prepare(bootstrap: str) -> None:
        fake.events.append("topics")
        prepared.append(bootstrap)

    watch = BrokerWatch(fake, BOOTSTRAP, prepare, said.append, sleep=slept.append)
    return Watched(fake, watch, said, prepared, slept)


def test_a_running_broker_is_left_alone() -> None:
    w = watched(FakeBroker())
    w.watch.check()
    assert w.broker.events == []
    assert w.said == []


def test_a_broker_that_exits_is_started_again_with_its_topics() -> None:
    w = watched(FakeBroker(returncode=-signal.SIGKILL))
    first_start = w.watch.started_at
    w.watch.check()

    assert w.broker.events == ["stop", "start", "topics"]
    assert w.prepared == [BOOTSTRAP]
    assert w.said[0] == f"the broker at {BOOTSTRAP} was killed by SIGKILL; starting it again"
    assert w.said[-1].startswith(f"the broker is back at {BOOTSTRAP} with every topic")
    assert w.watch.started_at > first_start
    w.watch.check()
    assert w.broker.events == ["stop", "start", "topics"], "a running broker was restarted"


def test_a_failed_restart_is_tried_again() -> None:
    failures: list[Exception] = [BrokerStartError("127.0.0.1:19092 is already in use")]
    w = watched(FakeBroker(returncode=1, failures=failures))
    w.watch.check()
    assert w.broker.events == ["stop", "start", "stop", "start", "topics"]
    assert w.slept == [1.0]
    assert "try 1 of 3" in w.said[1]


def test_a_broker_that_will_not_start_again_stops_everything() -> None:
    failures: list[Exception] = [BrokerStartError("no")] * (RESTART_TRIES - 1)
    failures.append(TopicCreationError("t", "BROKER_NOT_AVAILABLE", "gone"))
    w = watched(FakeBroker(returncode=0, failures=failures))
    with pytest.raises(BrokerLostError, match=f"did not start again in {RESTART_TRIES} tries"):
        w.watch.check()
    assert w.broker.events.count("start") == RESTART_TRIES
    assert w.broker.events[-1] == "stop"
    assert len(w.slept) == RESTART_TRIES - 1


def test_a_broker_that_was_already_there_is_not_watched() -> None:
    said: list[str] = []
    watch = BrokerWatch(None, BOOTSTRAP, lambda _: None, said.append)
    watch.check()
    assert said == []


@pytest.fixture
def own_signal_handlers() -> Iterator[None]:
    saved = {signum: signal.getsignal(signum) for signum in (signal.SIGINT, signal.SIGTERM)}
    yield
    for signum, handler in saved.items():
        signal.signal(signum, handler)


@pytest.mark.usefixtures("own_signal_handlers")
def test_a_second_signal_asks_to_stop_at_once_an_echo_of_the_first_does_not(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(broker, "SAME_REQUEST_SECONDS", 0.2)
    stop = stop_on_signals()
    os.kill(os.getpid(), signal.SIGINT)
    os.kill(os.getpid(), signal.SIGINT)  # as `uv run` forwards it without a terminal
    assert stop.first.wait(5)
    assert not stop.again.is_set()
    time.sleep(0.3)
    os.kill(os.getpid(), signal.SIGTERM)
    assert stop.again.wait(5)
