"""A periodic service: passes every interval, a failed pass reported and survived, a clean stop."""

import json
import threading
import time
import urllib.error
import urllib.request
from typing import ClassVar

from docflow_runtime.periodic import PassLoop, Periodic
from docflow_runtime.settings import HealthSettings


class Counting(Periodic):
    name: ClassVar[str] = "counting"

    def __init__(self, failing: set[int]) -> None:
        self.passes = 0
        self.failing = failing
        self.closed = False

    @property
    def interval_seconds(self) -> float:
        return 0.05

    def run_once(self) -> None:
        self.passes += 1
        if self.passes in self.failing:
            raise RuntimeError(f"pass {self.passes} broke")

    def close(self) -> None:
        self.closed = True


def readyz(port: int) -> tuple[int, str]:
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/readyz", timeout=5) as answer:
            return answer.status, json.loads(answer.read())["reason"]
    except urllib.error.HTTPError as refused:
        return refused.code, json.loads(refused.read())["reason"]


def test_a_failed_pass_is_reported_then_the_next_one_runs() -> None:
    task = Counting(failing={2, 3, 4, 5, 6, 7, 8, 9, 10})
    loop = PassLoop(task, HealthSettings(health_host="127.0.0.1", health_port=0))
    thread = threading.Thread(target=loop.run, daemon=True)
    thread.start()
    try:
        deadline = time.monotonic() + 5
        while task.passes < 3 and time.monotonic() < deadline:
            time.sleep(0.01)
        status, reason = readyz(loop.health_port)
        assert status == 503
        assert reason.startswith("the last pass failed: RuntimeError: pass ")
        while task.passes < 12 and time.monotonic() < deadline:
            time.sleep(0.01)
        assert readyz(loop.health_port) == (200, "passes succeed")
    finally:
        loop.stop()
        thread.join(5)
    assert not thread.is_alive()
    assert task.closed
