"""``make run`` as a chaos run starts it: a process of its own session, in a state directory
of its own, on ports of its own, with the faulty enrich service in place of the real one."""

import contextlib
import json
import os
import random
import signal
import subprocess
import sys
import time
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Final

import httpx

from docflow_testing.tansu import port_is_free
from docflow_tools.chaos import faulty_enrich
from docflow_tools.services import HEALTH_PORTS, SERVICES, configured

#: Below the kernel's ephemeral range, the lowest port a run takes.
_LOWEST_PORT: Final = 10000
_EPHEMERAL_RANGE: Final = Path("/proc/sys/net/ipv4/ip_local_port_range")
_DEFAULT_EPHEMERAL_LOW: Final = 32768
_PORT_TRIES: Final = 100
_POLL_SECONDS: Final = 0.25
_PROBE_TIMEOUT_SECONDS: Final = 2.0
#: How long an output may wait for the broker: a stage whose producer a restarted broker no
#: longer knows exits this long after its next output, and is started again.
DELIVERY_TIMEOUT_SECONDS: Final = 10
#: Short stall time and fast retries, so that re-drives and retries happen within the run;
#: short drains, so that a full restart does not take minutes.
RUN_TUNING: Final = {
    "DOCFLOW_KAFKA_DELIVERY_TIMEOUT_SECONDS": str(DELIVERY_TIMEOUT_SECONDS),
    "DOCFLOW_STALLED_AFTER_SECONDS": "20",
    "DOCFLOW_RECONCILE_INTERVAL_SECONDS": "5",
    "DOCFLOW_RETRY_INITIAL_BACKOFF_SECONDS": "0.2",
    "DOCFLOW_RETRY_MAX_BACKOFF_SECONDS": "2",
    "DOCFLOW_RUN_DRAIN_TIMEOUT_SECONDS": "15",
}
#: The module that runs in place of each service the run replaces.
REPLACED: Final = {"enrich": faulty_enrich.__name__}


class ChaosError(RuntimeError):
    """The run could not be carried out (not: it found a problem; the report says those)."""


@dataclass(frozen=True)
class Ports:
    broker: int
    ingest: int
    health_base: int


def reserve_ports(host: str) -> Ports:
    """Ports for a run, free now: consecutive, below the kernel's ephemeral range, because each
    is bound again after every restart, and a port in that range may meanwhile have become
    the local end of some outgoing connection."""
    count = 2 + HEALTH_PORTS
    top = _ephemeral_low() - count
    chooser = random.SystemRandom()
    for _ in range(_PORT_TRIES):
        first = chooser.randrange(_LOWEST_PORT, top)
        if all(port_is_free(host, port) for port in range(first, first + count)):
            return Ports(broker=first, ingest=first + 1, health_base=first + 2)
    raise ChaosError(f"found no {count} consecutive free ports on {host}")


def run_environment(
    base: Mapping[str, str], host: str, ports: Ports, extra: Mapping[str, str]
) -> dict[str, str]:
    """``base`` without any ``DOCFLOW_*`` variable (a developer's own store or broker must not
    be touched), and the run's own: where everything listens, the tuning, then ``extra``."""
    env = {key: value for key, value in base.items() if not key.startswith("DOCFLOW_")}
    return env | {
        "DOCFLOW_KAFKA_BOOTSTRAP": f"{host}:{ports.broker}",
        "DOCFLOW_INGEST_HOST": host,
        "DOCFLOW_INGEST_PORT": str(ports.ingest),
        "DOCFLOW_HEALTH_HOST": host,
        "DOCFLOW_RUN_HEALTH_PORT_BASE": str(ports.health_base),
        "DOCFLOW_RUN_SERVICE_MODULES": json.dumps(REPLACED),
        **RUN_TUNING,
        **extra,
    }


def service_modules() -> dict[str, str]:
    """The module each service of a run runs as (``python -m``)."""
    return {service.name: REPLACED.get(service.name, service.module) for service in SERVICES}


def probes(host: str, ports: Ports) -> dict[str, str]:
    """The readiness url of every service the run starts, by name (ingest's is on its API)."""
    services = configured(SERVICES, health_port_base=ports.health_base, modules=REPLACED)
    return {
        service.name: f"http://{host}:{service.health_port or ports.ingest}/readyz"
        for service in services
    }


class MakeRun:
    """``python -m docflow_tools.run`` in ``cwd`` (its ``.docflow/`` lands there), started and
    stopped as a user does: Ctrl-C (SIGINT) reaches its process group."""

    def __init__(self, env: Mapping[str, str], cwd: Path, log: Path) -> None:
        self._env = dict(env)
        self._cwd = cwd
        self.log = log
        self._process: subprocess.Popen[bytes] | None = None
        self._closed = False
        self.exits: list[int] = []

    @property
    def pid(self) -> int | None:
        return None if self._process is None else self._process.pid

    def start(self) -> None:
        """Start it, unless the run is closed (a restart racing the end of the run)."""
        if self._closed:
            return
        with self.log.open("ab") as output:
            self._process = _spawn(self._env, self._cwd, output)

    def close(self, timeout: float) -> None:
        """Stop it for good: it is not started again."""
        self._closed = True
        self.stop(timeout)

    def exited(self) -> int | None:
        """The exit status of a run that ended without being stopped."""
        return None if self._process is None else self._process.poll()

    def stop(self, timeout: float) -> int | None:
        """Ctrl-C, and wait for it to exit; killed (its group) after ``timeout`` seconds."""
        process, self._process = self._process, None
        if process is None:
            return None
        if process.poll() is None:
            _signal_group(process.pid, signal.SIGINT)
            try:
                process.wait(timeout)
            except subprocess.TimeoutExpired:
                _signal_group(process.pid, signal.SIGKILL)
                process.wait()
        self.exits.append(process.returncode)
        return process.returncode


def not_ready(probes: Mapping[str, str], timeout: float) -> list[str]:
    """The services whose probe did not answer 200 within ``timeout`` seconds."""
    deadline = time.monotonic() + timeout
    waiting = dict(probes)
    with httpx.Client(timeout=_PROBE_TIMEOUT_SECONDS) as client:
        while waiting and time.monotonic() < deadline:
            waiting = {name: url for name, url in waiting.items() if not _answers(client, url)}
            if waiting:
                time.sleep(_POLL_SECONDS)
    return list(waiting)


def _spawn(env: Mapping[str, str], cwd: Path, output: IO[bytes]) -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        [sys.executable, "-m", "docflow_tools.run"], cwd=cwd, env=dict(env),
        stdin=subprocess.DEVNULL, stdout=output, stderr=subprocess.STDOUT,
        start_new_session=True,
    )  # fmt: skip


def _signal_group(pid: int, signum: signal.Signals) -> None:
    with contextlib.suppress(ProcessLookupError):  # it exited meanwhile
        os.killpg(pid, signum)


def _answers(client: httpx.Client, url: str) -> bool:
    try:
        return client.get(url).status_code == httpx.codes.OK
    except httpx.TransportError:
        return False


def _ephemeral_low() -> int:
    try:
        return int(_EPHEMERAL_RANGE.read_text().split()[0])
    except (OSError, ValueError, IndexError):
        return _DEFAULT_EPHEMERAL_LOW
