"""``make run``'s supervisor decides, with fake processes and a fake clock: restart what exited,
give up on configuration errors and crash loops, and halt the pipeline when it gives up."""

import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from docflow_tools.services import SERVICES, Service, log_path
from docflow_tools.supervision import (
    CONFIGURATION_ERROR,
    CRASH_WINDOW_SECONDS,
    MAX_CRASHES,
    HaltFile,
    Supervisor,
    give_up_reason,
    last_error,
    log_tail,
)

INGEST, EXTRACT = SERVICES[0], SERVICES[1]


@dataclass
class FakeProcess:
    code: int | None = None

    def poll(self) -> int | None:
        return self.code


@dataclass
class Harness:
    """A supervisor over fake processes; each start writes ``output`` to the service's log."""

    log_dir: Path
    halt: HaltFile
    now: float = 1000.0
    output: list[str] = field(default_factory=list)
    started: dict[str, list[FakeProcess]] = field(default_factory=dict)
    stopped: list[list[FakeProcess]] = field(default_factory=list)
    said: list[str] = field(default_factory=list)

    def start(self, service: Service) -> FakeProcess:
        with log_path(service, self.log_dir).open("a") as log:
            log.writelines(f"{line}\n" for line in self.output)
        process = FakeProcess()
        self.started.setdefault(service.name, []).append(process)
        return process

    def stop(self, processes: Sequence[FakeProcess]) -> None:
        self.stopped.append(list(processes))
        for process in processes:
            process.code = 0

    def start_all(self, services: Sequence[Service] = SERVICES) -> Supervisor[FakeProcess]:
        supervisor = Supervisor(
            services,
            start=self.start,
            stop_together=self.stop,
            log_dir=self.log_dir,
            halt=self.halt,
            say=self.said.append,
            clock=lambda: self.now,
        )
        supervisor.start_all()
        return supervisor

    def exit(self, name: str, code: int) -> None:
        self.started[name][-1].code = code

    def text(self) -> str:
        return "\n".join(self.said)


@pytest.fixture
def harness(tmp_path: Path) -> Harness:
    (tmp_path / "logs").mkdir()
    return Harness(tmp_path / "logs", HaltFile(tmp_path / "halted.json"))


def test_an_exit_is_worth_a_restart_until_it_is_a_crash_loop() -> None:
    assert give_up_reason(1, [], now=100.0) is None
    assert give_up_reason(-9, [10.0, 20.0], now=30.0) is None
    loop = [float(t) for t in range(MAX_CRASHES)]
    assert give_up_reason(1, loop, now=float(MAX_CRASHES)) == (
        f"{MAX_CRASHES + 1} crashes within {CRASH_WINDOW_SECONDS:g} s"
    )
    # The same number of crashes spread wider than the window is bad luck, not a loop.
    assert give_up_reason(1, loop, now=CRASH_WINDOW_SECONDS + 1) is None


def test_a_configuration_error_is_never_worth_a_restart() -> None:
    reason = give_up_reason(CONFIGURATION_ERROR, [], now=0.0)
    assert reason is not None
    assert "configuration error" in reason


def test_a_crashed_service_is_started_again(harness: Harness) -> None:
    supervisor = harness.start_all()
    assert supervisor.running("extract")
    harness.exit("extract", 1)
    assert not supervisor.running("extract")
    supervisor.check()
    assert len(harness.started["extract"]) == 2
    assert supervisor.running("extract")
    assert "extract exited with status 1; restarting it" in harness.said
    assert not harness.halt.path.exists()


def test_exit_status_2_is_given_up_at_once_and_halts_the_pipeline(harness: Harness) -> None:
    harness.output = [
        "docflow: invalid configuration:",
        "1 validation error for ExtractSettings",
        "extract_pool_size",
        "  Input should be a valid integer [type=int_parsing]",
        "    For further information visit https://errors.pydantic.dev/2.14/v/int_parsing",
    ]
    supervisor = harness.start_all()
    harness.exit("extract", CONFIGURATION_ERROR)
    supervisor.check()
    supervisor.check()

    assert len(harness.started["extract"]) == 1, "a configuration error was restarted"
    assert not supervisor.running("extract")
    text = harness.text()
    assert "extract exited with status 2: a configuration error" in text
    assert "giving up on it, NOT restarting it" in text
    assert "Input should be a valid integer" in text, "the log's last lines are not shown"
    assert str(log_path(EXTRACT, harness.log_dir)) in text
    halted = json.loads(harness.halt.path.read_text())
    assert halted == {
        "service": "extract",
        "reason": "extract exited with status 2 (a configuration error): 1 validation error for "
        "ExtractSettings | extract_pool_size | Input should be a valid integer "
        "[type=int_parsing] | For further information visit "
        "https://errors.pydantic.dev/2.14/v/int_parsing",
    }


def test_a_crash_loop_is_given_up_with_the_halt_file_written(harness: Harness) -> None:
    harness.output = ["Traceback (most recent call last):", "RuntimeError: pool broke"]
    supervisor = harness.start_all()
    for _ in range(MAX_CRASHES):
        harness.exit("validate", 1)
        supervisor.check()
        harness.now += 5
    assert len(harness.started["validate"]) == MAX_CRASHES + 1
    harness.exit("validate", -9)
    supervisor.check()

    assert len(harness.started["validate"]) == MAX_CRASHES + 1
    assert f"validate was killed by SIGKILL: {MAX_CRASHES + 1} crashes within 60 s" in (
        harness.text()
    )
    halted = json.loads(harness.halt.path.read_text())
    assert halted["service"] == "validate"
    assert halted["reason"].endswith("RuntimeError: pool broke")


def test_crashes_spread_over_more_than_the_window_keep_being_restarted(harness: Harness) -> None:
    supervisor = harness.start_all()
    for _ in range(3 * MAX_CRASHES):
        harness.exit("enrich", 1)
        supervisor.check()
        harness.now += CRASH_WINDOW_SECONDS / MAX_CRASHES + 1
    assert len(harness.started["enrich"]) == 3 * MAX_CRASHES + 1
    assert supervisor.running("enrich")


def test_ingest_given_up_is_said_plainly_and_halts_nothing(harness: Harness) -> None:
    supervisor = harness.start_all()
    harness.exit("ingest", CONFIGURATION_ERROR)
    supervisor.check()
    assert "ingest is down: the API accepts nothing" in harness.text()
    assert not harness.halt.path.exists()
    assert supervisor.running("extract")


def test_the_first_stage_given_up_is_the_one_the_halt_file_names(harness: Harness) -> None:
    supervisor = harness.start_all()
    harness.exit("store", CONFIGURATION_ERROR)
    supervisor.check()
    harness.exit("notify", CONFIGURATION_ERROR)
    supervisor.check()
    assert json.loads(harness.halt.path.read_text())["service"] == "store"


def test_the_log_tail_is_what_this_start_wrote(harness: Harness) -> None:
    path = log_path(EXTRACT, harness.log_dir)
    path.write_text("ValueError: from a run long ago\n")
    supervisor = harness.start_all([EXTRACT])
    harness.exit("extract", CONFIGURATION_ERROR)
    supervisor.check()
    assert "long ago" not in harness.text()
    assert json.loads(harness.halt.path.read_text())["reason"].endswith("(it wrote nothing)")


def test_stopped_services_are_not_restarted(harness: Harness) -> None:
    supervisor = harness.start_all()
    supervisor.stop(["ingest", "extract"])
    supervisor.check()
    assert len(harness.started["ingest"]) == 1
    assert not supervisor.running("ingest")
    assert supervisor.running("validate")
    assert [len(batch) for batch in harness.stopped] == [2]
    supervisor.stop_all()
    assert not any(supervisor.running(name) for name in supervisor.names)
    assert [len(batch) for batch in harness.stopped] == [2, len(SERVICES) - 2]


def test_a_stale_halt_file_is_cleared_and_a_new_one_written_whole(tmp_path: Path) -> None:
    halt = HaltFile(tmp_path / "state" / "halted.json")
    halt.clear()
    halt.write("extract", "exit status 2")
    assert json.loads(halt.path.read_text()) == {"service": "extract", "reason": "exit status 2"}
    assert [p.name for p in halt.path.parent.iterdir()] == ["halted.json"]
    halt.clear()
    assert not halt.path.exists()


def test_the_reason_is_the_last_error_with_the_lines_that_follow_it(tmp_path: Path) -> None:
    log = tmp_path / "x.log"
    log.write_text("ValueError: an older error\n")
    offset = log.stat().st_size
    with log.open("a") as output:
        output.write("loading\ndocflow: invalid configuration: x.yaml: bad\n  line 1\n\n ^\n")
    tail = log_tail(log, offset)
    assert tail == ["loading", "docflow: invalid configuration: x.yaml: bad", "  line 1", " ^"]
    assert last_error(tail) == "docflow: invalid configuration: x.yaml: bad | line 1 | ^"
    assert last_error(["starting", "worker stopped"]) == "worker stopped"
    assert last_error(["x" * 1000]) == "x" * 300
    assert last_error([]) == "(it wrote nothing)"
    assert log_tail(tmp_path / "missing.log", 0) == []
