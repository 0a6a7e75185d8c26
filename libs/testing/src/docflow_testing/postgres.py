"""A real PostgreSQL for tests: which server to use, and a fresh schema for each test.

The server is, in order of preference: the one ``DOCFLOW_TEST_POSTGRES`` names (a url), a
PostgreSQL container when a Docker engine answers, or a throwaway cluster started here from the
server binaries of this machine (Debian's ``postgresql`` package) in a temporary directory, on
a free loopback port, and removed when the session ends. A server already running on this
machine is never used unless named: a developer's may not exist, and may hold data.
"""

from __future__ import annotations

import contextlib
import os
import pwd
import re
import secrets
import shutil
import signal
import subprocess
import tempfile
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from types import TracebackType
from typing import Final, Literal, Self
from urllib.parse import parse_qsl, quote, urlencode, urlsplit, urlunsplit

import psycopg
from psycopg import sql

from docflow_testing.broker import docker_available
from docflow_testing.tansu import free_port

TEST_POSTGRES_ENV: Final = "DOCFLOW_TEST_POSTGRES"
#: How long a named or started server has to accept a connection.
START_TIMEOUT: Final = 60.0
#: A fast shutdown (SIGINT) of a test cluster takes well under a second.
STOP_TIMEOUT: Final = 30.0
INITDB_TIMEOUT: Final = 120.0
#: initdb refuses to run as root; Debian's package creates this user to run servers as.
SERVER_USER: Final = "postgres"
SUPERUSER: Final = "docflow"
CONTAINER_IMAGE: Final = "postgres:16-alpine"
DEBIAN_BINARIES: Final = Path("/usr/lib/postgresql")
_HOST: Final = "127.0.0.1"
_POLL_INTERVAL: Final = 0.1
#: Settings that make a throwaway cluster fast: its data need not survive a crash.
_FAST_SETTINGS: Final = (
    "fsync=off", "synchronous_commit=off", "full_page_writes=off", "max_connections=200",
)  # fmt: skip


class NoPostgresForTestsError(RuntimeError):
    """None of the ways to get a PostgreSQL server for the tests worked."""


@dataclass(frozen=True)
class ProvidedPostgres:
    """The server the tests use, and where it came from."""

    url: str
    kind: Literal["external", "container", "local"]
    detail: str

    def describe(self) -> str:
        # Never the url: it holds a password.
        return f"{self.kind} PostgreSQL ({self.detail})"


@contextlib.contextmanager
def provide_postgres() -> Iterator[ProvidedPostgres]:
    """A server for as long as the block lasts; stopped after it if started here.

    Raises :class:`NoPostgresForTestsError` with the reason when none can be had.
    """
    with contextlib.ExitStack() as stack:
        yield _choose(stack)


def _choose(stack: contextlib.ExitStack) -> ProvidedPostgres:
    external = os.environ.get(TEST_POSTGRES_ENV, "").strip()
    if external:
        return _external(external)
    if docker_available():
        return _container(stack)
    return _local(stack)


def _external(url: str) -> ProvidedPostgres:
    try:
        wait_until_answers(url, time.monotonic() + START_TIMEOUT)
    except TimeoutError as exc:
        raise NoPostgresForTestsError(f"{TEST_POSTGRES_ENV} is set, but {exc}") from None
    return ProvidedPostgres(url, "external", f"from {TEST_POSTGRES_ENV}")


def _container(stack: contextlib.ExitStack) -> ProvidedPostgres:
    # Imported here: it pulls in the Docker client, which runs without an engine do not need.
    from testcontainers.community.postgres import PostgresContainer  # noqa: PLC0415

    container = PostgresContainer(CONTAINER_IMAGE, driver=None)
    try:
        stack.enter_context(container)
    except Exception as exc:
        raise NoPostgresForTestsError(f"the PostgreSQL container did not start: {exc}") from exc
    return ProvidedPostgres(container.get_connection_url(), "container", CONTAINER_IMAGE)


def _local(stack: contextlib.ExitStack) -> ProvidedPostgres:
    try:
        cluster = stack.enter_context(LocalPostgres())
    except ClusterStartError as exc:
        raise NoPostgresForTestsError(
            f"no Docker engine, and no local cluster could be started: {exc}"
        ) from None
    return ProvidedPostgres(cluster.url, "local", f"{cluster.bin_dir}, port {cluster.port}")


def wait_until_answers(url: str, deadline: float) -> None:
    """Return once a connection to ``url`` succeeds; TimeoutError (without the url) after."""
    while True:
        try:
            psycopg.connect(url, connect_timeout=2).close()
            return
        except psycopg.OperationalError as exc:
            if time.monotonic() > deadline:
                raise TimeoutError(
                    f"the server did not accept a connection in time ({type(exc).__name__})"
                ) from None
        time.sleep(_POLL_INTERVAL)


# --- a throwaway cluster -------------------------------------------------------------------


class ClusterStartError(RuntimeError):
    """The local cluster could not be created or started."""


class LocalPostgres:
    """A cluster of its own in a temporary directory, served on ``127.0.0.1:<free port>`` with
    its unix socket in that directory; started on ``__enter__``, stopped and removed on
    ``__exit__``. As root the server runs as the ``postgres`` user."""

    def __init__(self, bin_dir: Path | None = None) -> None:
        self.bin_dir = bin_dir or server_binaries()
        self.port = 0
        self._password = secrets.token_urlsafe(16)
        self._owner = _server_owner()
        self._directory: Path | None = None
        self._process: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"postgresql://{SUPERUSER}:{self._password}@{_HOST}:{self.port}/postgres"

    def __enter__(self) -> Self:
        self._directory = Path(tempfile.mkdtemp(prefix="docflow-pg-"))
        try:
            self._give_to_owner(self._directory)
            self._initdb(self._directory)
            self._start(self._directory)
        except BaseException:
            self._stop()
            raise
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self._stop()

    def _initdb(self, directory: Path) -> None:
        password_file = directory / "password"
        password_file.write_text(self._password)
        self._give_to_owner(password_file)
        command = [
            str(self.bin_dir / "initdb"), "-D", str(directory / "data"), "-U", SUPERUSER,
            f"--pwfile={password_file}", "--auth-local=trust", "--auth-host=scram-sha-256",
            "--encoding=UTF8", "--locale=C", "--no-sync",
        ]  # fmt: skip
        done = subprocess.run(
            command, cwd=directory, capture_output=True, timeout=INITDB_TIMEOUT, check=False,
            user=self._uid, group=self._gid, extra_groups=self._extra_groups,
        )  # fmt: skip
        password_file.unlink()
        if done.returncode != 0:
            tail = done.stderr.decode(errors="replace").strip().splitlines()[-3:]
            raise ClusterStartError(f"initdb exited with {done.returncode}: {' / '.join(tail)}")

    def _start(self, directory: Path) -> None:
        self.port = free_port(_HOST)
        command = [str(self.bin_dir / "postgres"), "-D", str(directory / "data"),
                   "-k", str(directory), "-h", _HOST, "-p", str(self.port)]  # fmt: skip
        for setting in _FAST_SETTINGS:
            command += ["-c", setting]
        with (directory / "postgres.log").open("ab") as log:
            # A session of its own keeps a terminal's Ctrl-C away: the fixture stops it.
            self._process = subprocess.Popen(
                command, cwd=directory, stdin=subprocess.DEVNULL, stdout=log,
                stderr=subprocess.STDOUT, start_new_session=True,
                user=self._uid, group=self._gid, extra_groups=self._extra_groups,
            )  # fmt: skip
        self._await_ready(directory)

    def _await_ready(self, directory: Path) -> None:
        deadline = time.monotonic() + START_TIMEOUT
        while True:
            assert self._process is not None
            if self._process.poll() is not None:
                raise ClusterStartError(
                    f"postgres exited with {self._process.returncode}: {_tail(directory)}"
                )
            try:
                wait_until_answers(self.url, min(deadline, time.monotonic() + 1))
                return
            except TimeoutError:
                if time.monotonic() > deadline:
                    reason = f"postgres did not answer: {_tail(directory)}"
                    raise ClusterStartError(reason) from None

    def _stop(self) -> None:
        process, self._process = self._process, None
        if process is not None and process.poll() is None:
            process.send_signal(signal.SIGINT)  # fast shutdown: sessions are ended
            try:
                process.wait(timeout=STOP_TIMEOUT)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
        directory, self._directory = self._directory, None
        if directory is not None:
            shutil.rmtree(directory, ignore_errors=True)

    @property
    def _uid(self) -> int | None:
        return None if self._owner is None else self._owner.pw_uid

    @property
    def _gid(self) -> int | None:
        return None if self._owner is None else self._owner.pw_gid

    @property
    def _extra_groups(self) -> list[int] | None:
        # Dropped as well: the server keeps none of root's groups.
        return None if self._owner is None else []

    def _give_to_owner(self, path: Path) -> None:
        if self._owner is not None:
            os.chown(path, self._owner.pw_uid, self._owner.pw_gid)


def _server_owner() -> pwd.struct_passwd | None:
    """Who runs the server: None for the current user, ``postgres`` when that is root."""
    if os.geteuid() != 0:
        return None
    try:
        return pwd.getpwnam(SERVER_USER)
    except KeyError:
        raise ClusterStartError(
            f"running as root, which initdb refuses, and there is no {SERVER_USER!r} user to "
            "run the server as (the Debian postgresql package creates it)"
        ) from None


def server_binaries() -> Path:
    """The directory holding ``initdb`` and ``postgres``: on PATH, else Debian's newest."""
    on_path = shutil.which("initdb")
    candidates = [Path(on_path).resolve().parent] if on_path else []
    versions = DEBIAN_BINARIES.glob("*/bin") if DEBIAN_BINARIES.is_dir() else []
    candidates += sorted(versions, key=_version_of, reverse=True)
    for directory in candidates:
        if (directory / "initdb").is_file() and (directory / "postgres").is_file():
            return directory
    raise ClusterStartError(
        f"no PostgreSQL server binaries (initdb, postgres) on PATH or in {DEBIAN_BINARIES}; "
        "install the postgresql package (make install does)"
    )


def _version_of(bin_dir: Path) -> tuple[int, ...]:
    return tuple(int(part) for part in re.findall(r"\d+", bin_dir.parent.name))


def _tail(directory: Path) -> str:
    log = directory / "postgres.log"
    lines = log.read_text(errors="replace").splitlines()[-3:] if log.is_file() else []
    return " / ".join(lines) or "no output"


# --- a schema of each test's own -----------------------------------------------------------


def with_search_path(url: str, schema: str) -> str:
    """``url`` whose sessions use ``schema``: every unqualified table name lands there."""
    parts = urlsplit(url)
    query = dict(parse_qsl(parts.query))
    query["options"] = f"{query.get('options', '')} -c search_path={schema}".strip()
    return urlunsplit(parts._replace(query=urlencode(query, quote_via=quote)))


@contextlib.contextmanager
def fresh_schema(url: str) -> Iterator[str]:
    """A new, empty schema for as long as the block lasts; yields a url that uses it."""
    schema = f"t_{uuid.uuid4().hex[:16]}"
    statement = sql.SQL("CREATE SCHEMA {}").format(sql.Identifier(schema))
    with psycopg.connect(url, autocommit=True) as connection:
        connection.execute(statement)
    try:
        yield with_search_path(url, schema)
    finally:
        with psycopg.connect(url, autocommit=True) as connection:
            connection.execute(sql.SQL("DROP SCHEMA {} CASCADE").format(sql.Identifier(schema)))
