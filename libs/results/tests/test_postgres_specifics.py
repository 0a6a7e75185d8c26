"""What only the PostgreSQL store has: migrations, a pool, and a database that can go away.

Every test runs against a real server (the ``postgres_url`` fixture), in a schema of its own.
"""

import subprocess
import sys
import threading
import time
import traceback
import uuid
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from functools import partial
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import psycopg
import pytest

from docflow_results.factory import open_repository, repository_from_url
from docflow_results.models import DocumentStatus, ListOrder
from docflow_results.postgres import (
    SCHEMA_VERSION,
    PoolOptions,
    PostgresRepository,
    SchemaOutdatedError,
    SchemaTooNewError,
    StoreBusyError,
    StoreConflictError,
    StoreUnavailableError,
    migrate_url,
)
from docflow_results.postgres.errors import translated
from docflow_results.postgres.schema import MIGRATIONS, Migration, check_schema, migrate
from docflow_results.settings import ResultsSettings
from docflow_runtime.errors import ConfigurationError, TransientError
from docflow_testing.results import T0, new_document
from docflow_testing.tansu import free_port

SECRET = "hunter2-not-for-logs"
FAST = PoolOptions(min_size=1, max_size=2, connect_timeout_seconds=1, pool_timeout_seconds=1)


@pytest.fixture
def migrated(postgres_schema_url: str) -> str:
    migrate_url(postgres_schema_url)
    return postgres_schema_url


@pytest.fixture
def repository(migrated: str) -> Iterator[PostgresRepository]:
    repo = PostgresRepository(migrated, FAST)
    yield repo
    repo.close()


def ledger(url: str) -> list[tuple[int, str]]:
    with psycopg.connect(url) as connection:
        rows = connection.execute("SELECT version, name FROM schema_migrations ORDER BY version")
        return [(int(version), str(name)) for version, name in rows.fetchall()]


def slow_extra(version: int = SCHEMA_VERSION + 1) -> Migration:
    """A migration after the packaged ones that takes a while, so that migrators overlap."""
    return Migration(
        version=version, name="slow_extra",
        sql="SELECT pg_sleep(0.5); CREATE TABLE extra_table (id INTEGER PRIMARY KEY);",
    )  # fmt: skip


def with_credentials(url: str, user: str, password: str) -> str:
    parts = urlsplit(url)
    host = parts.netloc.rsplit("@", 1)[-1]
    return urlunsplit(parts._replace(netloc=f"{user}:{password}@{host}"))


def full_text(exc: BaseException) -> str:
    """The message and everything chained to it, as a log line with a traceback shows it."""
    return "".join(traceback.format_exception(exc))


# -- migrations ---------------------------------------------------------------------------


def test_migrating_applies_every_migration_once_and_again_does_nothing(
    postgres_schema_url: str,
) -> None:
    applied = migrate_url(postgres_schema_url)
    assert [m.version for m in applied] == list(range(1, SCHEMA_VERSION + 1))
    assert migrate_url(postgres_schema_url) == []
    assert ledger(postgres_schema_url) == [(m.version, m.name) for m in MIGRATIONS]


def test_only_the_migrations_a_database_lacks_are_applied(migrated: str) -> None:
    with psycopg.connect(migrated, autocommit=True) as connection:
        applied = migrate(connection, [*MIGRATIONS, slow_extra()])
        assert [m.name for m in applied] == ["slow_extra"]
        assert connection.execute("SELECT count(*) FROM extra_table").fetchone() == (0,)


def test_concurrent_migrators_apply_each_migration_once(postgres_schema_url: str) -> None:
    wanted = [*MIGRATIONS, slow_extra()]
    start = threading.Barrier(3)

    def migrator(_: int) -> list[int]:
        with psycopg.connect(postgres_schema_url, autocommit=True) as connection:
            start.wait(timeout=10)
            return [m.version for m in migrate(connection, wanted)]

    with ThreadPoolExecutor(3) as pool:
        outcomes = list(pool.map(migrator, range(3)))
    assert sorted(outcomes) == [[], [], [m.version for m in wanted]]
    assert [version for version, _ in ledger(postgres_schema_url)] == [m.version for m in wanted]


def test_a_failing_migration_leaves_nothing_half_done(migrated: str) -> None:
    broken = Migration(
        version=SCHEMA_VERSION + 1, name="broken",
        sql="CREATE TABLE half_done (id INTEGER); SELECT no_such_column FROM half_done;",
    )  # fmt: skip
    with psycopg.connect(migrated, autocommit=True) as connection:
        with pytest.raises(psycopg.errors.UndefinedColumn):
            migrate(connection, [*MIGRATIONS, broken])
        # The lock was given back: another migrator does not wait for ever.
        assert connection.execute("SELECT pg_try_advisory_lock(0)").fetchone() == (True,)
        tables = connection.execute("SELECT to_regclass('half_done') IS NULL").fetchone()
    assert tables == (True,)
    assert [version for version, _ in ledger(migrated)] == list(range(1, SCHEMA_VERSION + 1))


def test_a_store_never_migrated_is_refused_with_the_command_to_run(
    postgres_schema_url: str,
) -> None:
    with pytest.raises(SchemaOutdatedError, match="run docflow-migrate") as raised:
        repository_from_url(postgres_schema_url, pool=FAST)
    assert isinstance(raised.value, ConfigurationError)
    with psycopg.connect(postgres_schema_url) as connection:
        missing = connection.execute("SELECT to_regclass('documents') IS NULL").fetchone()
    assert missing == (True,), "opening the store does not migrate it"


def test_a_schema_older_than_the_code_is_refused(migrated: str) -> None:
    needed = [*MIGRATIONS, slow_extra(SCHEMA_VERSION + 1)]
    outdated = rf"lacks schema migration\(s\) {SCHEMA_VERSION + 1:04d}.*docflow-migrate"
    with (
        psycopg.connect(migrated) as connection,
        pytest.raises(SchemaOutdatedError, match=outdated),
    ):
        check_schema(connection, needed)


def test_a_schema_newer_than_the_code_is_refused(migrated: str) -> None:
    with psycopg.connect(migrated, autocommit=True) as connection:
        connection.execute("INSERT INTO schema_migrations (version, name) VALUES (99, 'future')")
    with pytest.raises(SchemaTooNewError, match=r"0099.*upgrade docflow"):
        PostgresRepository(migrated, FAST)
    with pytest.raises(SchemaTooNewError):
        migrate_url(migrated)


# -- the docflow-migrate command ----------------------------------------------------------


def run_migrate(store_url: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "docflow_results.migrate"],
        env={"DOCFLOW_STORE_URL": store_url, "PATH": ""},
        capture_output=True, text=True, timeout=60, check=False,
    )  # fmt: skip


def test_the_command_migrates_the_configured_store_then_finds_it_current(
    postgres_schema_url: str,
) -> None:
    first = run_migrate(postgres_schema_url)
    assert (first.returncode, first.stderr) == (0, "")
    assert "applied 0001_initial" in first.stdout
    again = run_migrate(postgres_schema_url)
    assert again.returncode == 0
    assert "already up to date" in again.stdout
    PostgresRepository(postgres_schema_url, FAST).close()


def test_the_command_migrates_a_sqlite_store(tmp_path: Any) -> None:
    path = tmp_path / "docflow.db"
    done = run_migrate(f"sqlite:///{path}")
    assert done.returncode == 0, done.stderr
    assert path.is_file()


def test_the_command_fails_without_showing_the_password(postgres_url: str) -> None:
    unknown_scheme = run_migrate("mysql://db/docflow")
    assert unknown_scheme.returncode == 2
    assert "'mysql'" in unknown_scheme.stderr
    nobody = with_credentials(postgres_url, "no_such_user", SECRET)
    refused = run_migrate(nobody)
    assert refused.returncode == 1
    assert "cannot connect to the PostgreSQL results store" in refused.stderr
    assert "authentication failed" in refused.stderr or "no such user" in refused.stderr
    assert SECRET not in refused.stderr + refused.stdout


# -- connections: the url's password, the pool, a database that goes away -----------------


@pytest.mark.parametrize("case", ["unknown user", "nothing listening", "malformed"])
def test_errors_and_reprs_never_show_the_password(postgres_url: str, case: str) -> None:
    url = {
        "unknown user": with_credentials(postgres_url, "no_such_user", SECRET),
        "nothing listening": f"postgresql://docflow:{SECRET}@127.0.0.1:{free_port()}/docflow",
        "malformed": f"postgresql://docflow:{SECRET}@127.0.0.1:port/docflow",
    }[case]
    with pytest.raises(ConfigurationError if case == "malformed" else StoreUnavailableError) as e:
        repository_from_url(url, pool=FAST)
    assert SECRET not in full_text(e.value)
    if case == "nothing listening":
        assert "connection refused" in str(e.value), "the kind of failure, without the address"
        assert "127.0.0.1" not in str(e.value)
    with pytest.raises((ConfigurationError, StoreUnavailableError)) as again:
        migrate_url(url, FAST)
    assert SECRET not in full_text(again.value)


def test_the_repr_names_the_database_only(repository: PostgresRepository) -> None:
    assert repr(repository) == "PostgresRepository(database='postgres')"


def test_settings_choose_the_pool(migrated: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DOCFLOW_STORE_URL", migrated.replace("postgresql://", "postgres://"))
    monkeypatch.setenv("DOCFLOW_STORE_POOL_MAX_SIZE", "1")
    monkeypatch.setenv("DOCFLOW_STORE_POOL_TIMEOUT_SECONDS", "0.3")
    repo = open_repository(ResultsSettings())
    try:
        assert isinstance(repo, PostgresRepository)
        with held_document_lock(migrated, repo) as document_id:
            blocked = background(lambda: repo.save_result("acme", document_id, {"a": 1}))
            with pytest.raises(StoreBusyError, match=r"within 0\.3 s"):
                repo.get("acme", document_id)
        assert blocked() is True
    finally:
        repo.close()


def test_a_pool_smaller_than_its_minimum_is_a_configuration_error(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("DOCFLOW_STORE_URL", f"postgresql://docflow:{SECRET}@127.0.0.1/docflow")
    monkeypatch.setenv("DOCFLOW_STORE_POOL_MIN_SIZE", "5")
    monkeypatch.setenv("DOCFLOW_STORE_POOL_MAX_SIZE", "2")
    with pytest.raises(ConfigurationError, match="POOL_MIN_SIZE is larger") as raised:
        open_repository(ResultsSettings())
    assert SECRET not in full_text(raised.value)


def test_a_busy_pool_gives_a_transient_error_that_says_which_setting_helps(
    migrated: str,
) -> None:
    one = PoolOptions(min_size=1, max_size=1, pool_timeout_seconds=0.5)
    repo = PostgresRepository(migrated, one)
    try:
        with held_document_lock(migrated, repo) as document_id:
            blocked = background(lambda: repo.save_result("acme", document_id, {"a": 1}))
            started = time.monotonic()
            with pytest.raises(StoreBusyError, match="DOCFLOW_STORE_POOL_MAX_SIZE") as raised:
                repo.get("acme", document_id)
            assert 0.4 < time.monotonic() - started < 5
            assert isinstance(raised.value, TransientError)
        assert blocked() is True, "the waiting write goes through once the lock is released"
    finally:
        repo.close()


def test_a_lost_connection_is_transient_and_the_pool_recovers(
    repository: PostgresRepository, migrated: str
) -> None:
    with held_document_lock(migrated, repository) as document_id:
        blocked = background(
            lambda: repository.save_result("acme", document_id, {"summary": "lost"})
        )
        terminate_other_docflow_sessions(migrated, waiting=True)
        with pytest.raises(StoreUnavailableError) as raised:
            blocked()
    assert isinstance(raised.value, TransientError)
    assert "57P01" in str(raised.value), "the server ended the session (admin shutdown)"
    terminate_other_docflow_sessions(migrated, waiting=False)  # the idle ones too
    document = repository.get("acme", document_id)
    assert document is not None, "a dropped idle connection is replaced before use"
    assert document.result is None


def test_serialization_failures_are_retried_then_transient(
    postgres_schema_url: str,
) -> None:
    serializable = postgres_schema_url + "%20-c%20default_transaction_isolation%3Dserializable"
    migrate_url(postgres_schema_url)
    repo = PostgresRepository(serializable, PoolOptions(max_size=8))
    try:
        document, _ = repo.create(new_document())
        errors: list[BaseException] = []

        def record(worker: int) -> None:
            for i in range(10):
                retried(partial(
                    repo.record_event, "acme", document.id, event_id=f"e-{worker}-{i}",
                    event_type="t", at=T0, status=DocumentStatus.EXTRACTED, detail={},
                ), errors)  # fmt: skip

        with ThreadPoolExecutor(8) as pool:
            list(pool.map(record, range(8)))
        assert len(repo.timeline("acme", document.id)) == 80, "every event landed once"
        assert all(isinstance(e, StoreConflictError) for e in errors), errors
    finally:
        repo.close()


@pytest.mark.parametrize(
    ("error", "expected"),
    [
        (psycopg.errors.SerializationFailure, StoreConflictError),
        (psycopg.errors.DeadlockDetected, StoreConflictError),
        (psycopg.errors.AdminShutdown, StoreUnavailableError),
        (psycopg.OperationalError, StoreUnavailableError),
        (psycopg.InterfaceError, StoreUnavailableError),
    ],
)
def test_driver_errors_become_transient_errors(
    error: type[psycopg.Error], expected: type[TransientError]
) -> None:
    with pytest.raises(expected) as raised, translated(1.0):
        raise error(f"server text with {SECRET}")
    assert raised.value.retry_after is not None
    assert SECRET not in str(raised.value)


# -- helpers ------------------------------------------------------------------------------


class held_document_lock:  # noqa: N801 - used as a context manager, like contextlib's
    """A document created through ``repo`` whose row another session holds locked, so that a
    write to it waits, holding its pooled connection, until the block ends."""

    def __init__(self, url: str, repo: PostgresRepository) -> None:
        self._url = url
        self._repo = repo
        self._connection: psycopg.Connection[Any] | None = None

    def __enter__(self) -> str:
        document, _ = self._repo.create(new_document(content=uuid.uuid4().bytes))
        self._connection = psycopg.connect(self._url)
        self._connection.execute("SELECT 1 FROM documents WHERE id = %s FOR UPDATE", (document.id,))
        return document.id

    def __exit__(self, *_: object) -> None:
        assert self._connection is not None
        self._connection.rollback()
        self._connection.close()


def background(call: Callable[[], Any]) -> Callable[[], Any]:
    """Start ``call`` on a thread; the returned function waits (10 s at most) for its result."""
    pool = ThreadPoolExecutor(1)
    future = pool.submit(call)
    pool.shutdown(wait=False)
    time.sleep(0.3)  # let it reach the lock
    return lambda: future.result(timeout=10)


def terminate_other_docflow_sessions(url: str, *, waiting: bool) -> None:
    """End the store's sessions (application_name docflow) from the server side; with
    ``waiting``, those waiting on a lock, once one is (5 s at most: a loaded machine may be
    slow to get the blocked call there)."""
    state = "AND wait_event_type = 'Lock'" if waiting else ""
    with psycopg.connect(url, autocommit=True) as connection:
        for _ in range(50):
            ended = connection.execute(
                "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity"
                f" WHERE application_name = 'docflow' AND pid <> pg_backend_pid() {state}"
            ).fetchone()
            assert ended is not None
            if ended[0] >= 1:
                return
            time.sleep(0.1)
    raise AssertionError("no docflow session to end")


def retried(call: Callable[[], Any], errors: list[BaseException]) -> None:
    """What a stage does with a transient error: try again, a bounded number of times."""
    for _ in range(50):
        try:
            call()
            return
        except TransientError as exc:
            errors.append(exc)
        except Exception as exc:
            errors.append(exc)
            raise
    raise AssertionError("still failing after 50 attempts")


# -- listing ------------------------------------------------------------------------------


@pytest.mark.parametrize("order", ["newest", "oldest"])
def test_a_listing_by_status_walks_its_index_in_either_order(
    repository: PostgresRepository, migrated: str, monkeypatch: pytest.MonkeyPatch,
    order: ListOrder,
) -> None:  # fmt: skip
    for _ in range(3):
        repository.create(new_document())
    cursor = repository.list_documents("acme", limit=1, order=order).next_cursor
    asked: list[tuple[str, tuple[Any, ...]]] = []
    fetch = repository._fetch

    def recorded(query: str, params: tuple[Any, ...]) -> list[Any]:
        asked.append((query, params))
        return fetch(query, params)

    monkeypatch.setattr(repository, "_fetch", recorded)
    repository.list_documents("acme", status=DocumentStatus.RECEIVED, cursor=cursor, order=order)
    [(query, params)] = asked
    with psycopg.connect(migrated) as connection:
        # A table of three rows would be read whole; forbid that, and sorting where avoidable.
        connection.execute("SET enable_seqscan = off")
        connection.execute("SET enable_sort = off")
        rows = connection.execute(f"EXPLAIN {query}", params).fetchall()
    plan = " | ".join(str(row[0]) for row in rows)
    assert "documents_tenant_status_created" in plan, plan
    assert "Sort" not in plan, plan
