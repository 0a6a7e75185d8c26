"""The services of a docflow deployment on one machine, and how to start and stop them.

``make run`` and the end-to-end tests start the same list, each service as its own process
(``python -m docflow_<name>``), as in a cluster.
"""

import signal
import subprocess
import sys
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Final

STOP_TIMEOUT: Final = 40.0
#: The one service that is not a stage: it takes uploads and feeds the first topic.
INGEST: Final = "ingest"
RECONCILER: Final = "reconciler"


@dataclass(frozen=True)
class Service:
    name: str
    health_port: int | None = None

    @property
    def module(self) -> str:
        return f"docflow_{self.name}"

    def argv(self) -> list[str]:
        return [sys.executable, "-m", self.module]


#: Health ports are fixed so that one machine can run every service side by side; ingest
#: serves its own health on the API port.
SERVICES: Final = (
    Service(INGEST),
    Service("extract", health_port=8091),
    Service("validate", health_port=8092),
    Service("enrich", health_port=8093),
    Service("store", health_port=8094),
    Service("tracker", health_port=8095),
    Service("notify", health_port=8096),
    Service(RECONCILER, health_port=8097),
)


def log_path(service: Service, log_dir: Path) -> Path:
    """Where ``spawn`` appends the output of ``service``."""
    return log_dir / f"{service.name}.log"


def spawn(service: Service, env: dict[str, str], log_dir: Path) -> subprocess.Popen[bytes]:
    """Start ``service`` with ``env``, its output appended to ``<log_dir>/<name>.log``."""
    log_dir.mkdir(parents=True, exist_ok=True)
    own = dict(env)
    if service.health_port is not None:
        own["DOCFLOW_HEALTH_PORT"] = str(service.health_port)
    with log_path(service, log_dir).open("ab") as log:
        # A session of its own: a terminal's Ctrl-C reaches only the supervisor, which stops
        # the services with one SIGTERM each (a second would make them give up on held events).
        return subprocess.Popen(
            service.argv(), env=own, stdout=log, stderr=subprocess.STDOUT, start_new_session=True
        )


def stop_processes(processes: Sequence[subprocess.Popen[bytes]]) -> list[int]:
    """SIGTERM each, wait for all (bounded), kill what is left; the exit codes."""
    for process in processes:
        if process.poll() is None:
            process.terminate()
    deadline = time.monotonic() + STOP_TIMEOUT
    for process in processes:
        try:
            process.wait(max(0.1, deadline - time.monotonic()))
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
    return [process.returncode for process in processes]


def describe_exit(code: int) -> str:
    """How a process ended, from its ``returncode``: ``exited with status 3``,
    ``was killed by SIGKILL``."""
    if code >= 0:
        return f"exited with status {code}"
    try:
        return f"was killed by {signal.Signals(-code).name}"
    except ValueError:
        return f"was killed by signal {-code}"
