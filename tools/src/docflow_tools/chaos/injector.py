"""Carrying out a fault plan on a running ``make run``, from the outside."""

import signal
import threading
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Final

from docflow_tools.chaos.launcher import MakeRun
from docflow_tools.chaos.processes import broker_pid, service_pid, signal_process
from docflow_tools.chaos.schedule import Action, FaultPlan, Planned
from docflow_tools.services import describe_exit

#: How long a target may be missing (its service being restarted) before the fault is skipped.
FIND_TIMEOUT_SECONDS: Final = 20.0
#: How long stopping ``make run`` may take: drains in flow order and each service's stop.
STOP_TIMEOUT_SECONDS: Final = 180.0
_POLL_SECONDS: Final = 0.2
_SIGNALS: Final = {
    Action.STAGE_SIGKILL: signal.SIGKILL,
    Action.STAGE_SIGTERM: signal.SIGTERM,
    Action.BROKER_SIGKILL: signal.SIGKILL,
}


@dataclass(frozen=True)
class Injected:
    #: Seconds after the first upload.
    at: float
    action: Action
    target: str
    done: bool
    detail: str


@dataclass
class Injector:
    """``make run``; ``modules`` names the module each service runs as; ``not_ready`` waits
    (bounded) until every service answers, and names those that did not."""

    run: MakeRun
    modules: Mapping[str, str]
    not_ready: Callable[[], list[str]]
    stop: threading.Event
    say: Callable[[str], None]

    def carry_out(self, plan: FaultPlan, started: float) -> list[Injected]:
        """Each fault at its time, or ``plan.gap`` after the one before when that is later,
        once every service answers; until ``stop`` is set."""
        injected: list[Injected] = []
        last = float("-inf")
        for fault in plan.faults:
            due = max(started + fault.at, last + plan.gap)
            if self.stop.wait(max(0.0, due - time.monotonic())):
                break
            waiting = self.not_ready()
            last = time.monotonic()
            done, detail = self._inject(fault)
            if waiting:
                detail += f" ({', '.join(waiting)} not ready before it)"
            injected.append(Injected(last - started, fault.action, fault.target, done, detail))
            self.say(f"fault: {fault.action} {fault.target}: {detail}")
        return injected

    def _inject(self, fault: Planned) -> tuple[bool, str]:
        if fault.action is Action.RESTART:
            return self._restart()
        pid = self._find(fault)
        if pid is None:
            return False, "no such process"
        sent = signal_process(pid, _SIGNALS[fault.action])
        return sent, f"pid {pid}" if sent else f"pid {pid} was gone"

    def _find(self, fault: Planned) -> int | None:
        deadline = time.monotonic() + FIND_TIMEOUT_SECONDS
        while time.monotonic() < deadline:
            run = self.run.pid
            if run is not None:
                pid = (
                    broker_pid(run)
                    if fault.action is Action.BROKER_SIGKILL
                    else service_pid(run, self.modules[fault.target])
                )
                if pid is not None:
                    return pid
            time.sleep(_POLL_SECONDS)
        return None

    def _restart(self) -> tuple[bool, str]:
        code = self.run.stop(STOP_TIMEOUT_SECONDS)
        self.run.start()
        stopped = "was not running" if code is None else describe_exit(code)
        return code == 0, f"make run {stopped}; started again"
