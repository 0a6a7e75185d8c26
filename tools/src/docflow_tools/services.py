"""The services of a docflow deployment on one machine, and how to start and stop them.

``make run`` and the end-to-end tests start the same list, each service as its own process
(``python -m docflow_<name>``), as in a cluster.
"""

import dataclasses
import signal
import subprocess
import sys
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Final

STOP_TIMEOUT: Final = 40.0
#: The first of the services' health ports (extract's) when ``make run`` is not told otherwise.
DEFAULT_HEALTH_PORT_BASE: Final = 8091
#: The one service that is not a stage: it takes uploads and feeds the first topic.
INGEST: Final = "ingest"
RECONCILER: Final = "reconciler"


@dataclass(frozen=True)
class Service:
    name: str
    health_port: int | None = None
    #: Development only: another module to run in place of the service's own package.
    main_module: str | None = None

    @property
    def module(self) -> str:
        return self.main_module or f"docflow_{self.name}"

    def argv(self) -> list[str]:
        return [sys.executable, "-m", self.module]


#: Health ports are distinct so that one machine can run every service side by side; ingest
#: serves its own health on the API port.
SERVICES: Final = (
    Service(INGEST),
    Service("extract", health_port=DEFAULT_HEALTH_PORT_BASE),
    Service("validate", health_port=DEFAULT_HEALTH_PORT_BASE + 1),
    Service("enrich", health_port=DEFAULT_HEALTH_PORT_BASE + 2),
    Service("store", health_port=DEFAULT_HEALTH_PORT_BASE + 3),
    Service("tracker", health_port=DEFAULT_HEALTH_PORT_BASE + 4),
    Service("notify", health_port=DEFAULT_HEALTH_PORT_BASE + 5),
    Service(RECONCILER, health_port=DEFAULT_HEALTH_PORT_BASE + 6),
)
HEALTH_PORTS: Final = sum(1 for service in SERVICES if service.health_port is not None)


def configured(
    services: Sequence[Service], *, health_port_base: int, modules: Mapping[str, str]
) -> list[Service]:
    """``services`` with their health ports moved to start at ``health_port_base``, and those
    named in ``modules`` running that module instead of their own (development only)."""
    shift = health_port_base - DEFAULT_HEALTH_PORT_BASE
    return [
        dataclasses.replace(
            service,
            health_port=None if service.health_port is None else service.health_port + shift,
            main_module=modules.get(service.name, service.main_module),
        )
        for service in services
    ]


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
