"""The PostgreSQL schema: numbered SQL files shipped in ``migrations/``, applied in order.

Each applied migration is a row of ``schema_migrations``. ``migrate`` holds a session advisory
lock while it works, so several pods (Jobs, init containers) running it at once apply each
migration once, and the ones that waited find nothing left to do. Services never migrate:
``check_schema`` refuses a database that is behind (or ahead of) this code.
"""

import re
from collections.abc import Sequence
from importlib import resources
from typing import Any, Final

import psycopg
from psycopg.rows import tuple_row
from pydantic import BaseModel, ConfigDict, Field

from docflow_results.postgres.connection import PoolOptions, check_url, connect
from docflow_results.postgres.errors import SchemaOutdatedError, SchemaTooNewError, translated

MIGRATIONS_PACKAGE: Final = "docflow_results.postgres"
MIGRATIONS_DIR: Final = "migrations"
#: Any connection will do, whatever its row factory.
Connection = psycopg.Connection[Any]
#: One key for every docflow migrator on a database ("docflow" in ASCII): the lock that
#: serializes them. Advisory locks are per database, so schemas of one database share it.
ADVISORY_LOCK_KEY: Final = 0x646F63666C6F77
_FILE_NAME: Final = re.compile(r"^(?P<version>\d{4})_(?P<name>[a-z0-9_]+)\.sql$")

_CREATE_LEDGER: Final = """CREATE TABLE IF NOT EXISTS schema_migrations (
    version INTEGER PRIMARY KEY,
    name TEXT NOT NULL,
    applied_at TIMESTAMPTZ NOT NULL DEFAULT now()
)"""


class Migration(BaseModel):
    """One numbered step of the schema."""

    model_config = ConfigDict(frozen=True)

    version: int = Field(ge=1)
    name: str
    sql: str = Field(repr=False)


def load_migrations() -> tuple[Migration, ...]:
    """The migrations shipped with this package, in version order."""
    found: list[Migration] = []
    for entry in resources.files(MIGRATIONS_PACKAGE).joinpath(MIGRATIONS_DIR).iterdir():
        match = _FILE_NAME.match(entry.name)
        if match is not None:
            found.append(Migration(
                version=int(match["version"]), name=match["name"], sql=entry.read_text("utf-8")
            ))  # fmt: skip
    return _in_order(found)


def _in_order(migrations: Sequence[Migration]) -> tuple[Migration, ...]:
    ordered = tuple(sorted(migrations, key=lambda m: m.version))
    if [m.version for m in ordered] != list(range(1, len(ordered) + 1)):
        raise RuntimeError("the packaged migrations are not numbered 1, 2, 3, ... without gaps")
    return ordered


MIGRATIONS: Final = load_migrations()
SCHEMA_VERSION: Final = len(MIGRATIONS)


def migrate_url(url: str, options: PoolOptions | None = None) -> list[Migration]:
    """Bring the database ``url`` names up to date (what ``docflow-migrate`` does)."""
    check_url(url)
    options = options or PoolOptions()
    with translated(options.pool_timeout_seconds), connect(url, options) as connection:
        return migrate(connection)


def migrate(
    connection: Connection, migrations: Sequence[Migration] = MIGRATIONS
) -> list[Migration]:
    """Apply the migrations the database lacks, each in its own transaction; returns them.

    ``connection`` must be in autocommit mode and is the one holding the lock throughout.
    """
    connection.execute("SELECT pg_advisory_lock(%s)", (ADVISORY_LOCK_KEY,))
    try:
        connection.execute(_CREATE_LEDGER)
        applied = applied_versions(connection)
        _refuse_newer(applied, migrations)
        missing = [m for m in migrations if m.version not in applied]
        for migration in missing:
            _apply(connection, migration)
        return missing
    finally:
        connection.execute("SELECT pg_advisory_unlock(%s)", (ADVISORY_LOCK_KEY,))


def _apply(connection: Connection, migration: Migration) -> None:
    with connection.transaction():
        # Without parameters psycopg sends the file as one simple query: several statements.
        connection.execute(migration.sql.encode())
        connection.execute(
            "INSERT INTO schema_migrations (version, name) VALUES (%s, %s)",
            (migration.version, migration.name),
        )


def applied_versions(connection: Connection) -> set[int]:
    """The versions recorded in ``schema_migrations``; empty when there is no such table."""
    cursor = connection.cursor(row_factory=tuple_row)
    try:
        with connection.transaction():
            rows = cursor.execute("SELECT version FROM schema_migrations").fetchall()
    except psycopg.errors.UndefinedTable:
        return set()
    return {int(version) for (version,) in rows}


def check_schema(connection: Connection, migrations: Sequence[Migration] = MIGRATIONS) -> None:
    """Raise unless the database has exactly the migrations this code knows."""
    applied = applied_versions(connection)
    _refuse_newer(applied, migrations)
    missing = sorted(m.version for m in migrations if m.version not in applied)
    if missing:
        raise SchemaOutdatedError(
            f"the PostgreSQL results store lacks schema migration(s) {_listed(missing)}; "
            "run docflow-migrate with the same DOCFLOW_STORE_URL first"
        )


def _refuse_newer(applied: set[int], migrations: Sequence[Migration]) -> None:
    unknown = sorted(applied - {m.version for m in migrations})
    if unknown:
        raise SchemaTooNewError(
            f"the PostgreSQL results store has schema migration(s) {_listed(unknown)} that this "
            "docflow does not know: a newer docflow migrated it; upgrade docflow"
        )


def _listed(versions: Sequence[int]) -> str:
    return ", ".join(f"{v:04d}" for v in versions)
