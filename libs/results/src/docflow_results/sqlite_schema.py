"""The SQLite schema, versioned with ``PRAGMA user_version``: one migration per version.

Several processes (ingest and the store stages) open the same file, so a migration runs inside
an immediate write transaction and checks the version again there: only one process applies it.
"""

import sqlite3
from typing import Final

#: Migrations in order; the database's user_version counts those already applied.
MIGRATIONS: Final[tuple[tuple[str, ...], ...]] = (
    (
        """CREATE TABLE documents (
            id TEXT PRIMARY KEY,
            tenant TEXT NOT NULL,
            status TEXT NOT NULL,
            filename TEXT,
            media_type TEXT NOT NULL,
            content TEXT NOT NULL,
            content_sha256 TEXT NOT NULL,
            document_type_hint TEXT,
            callback_url TEXT,
            metadata TEXT NOT NULL,
            idempotency_key TEXT,
            created_us INTEGER NOT NULL,
            updated_us INTEGER NOT NULL,
            error TEXT,
            result TEXT,
            review TEXT
        )""",
        "CREATE UNIQUE INDEX documents_tenant_sha256 ON documents (tenant, content_sha256)",
        """CREATE UNIQUE INDEX documents_tenant_idempotency_key
            ON documents (tenant, idempotency_key) WHERE idempotency_key IS NOT NULL""",
        "CREATE INDEX documents_tenant_created ON documents (tenant, created_us DESC, id DESC)",
        """CREATE INDEX documents_tenant_status_created
            ON documents (tenant, status, created_us DESC, id DESC)""",
        """CREATE TABLE events (
            seq INTEGER PRIMARY KEY AUTOINCREMENT,
            document_id TEXT NOT NULL REFERENCES documents (id),
            event_id TEXT NOT NULL,
            event_type TEXT NOT NULL,
            status TEXT,
            at_us INTEGER NOT NULL,
            detail TEXT NOT NULL,
            UNIQUE (document_id, event_id)
        )""",
        """CREATE TABLE webhook_deliveries (
            seq INTEGER PRIMARY KEY AUTOINCREMENT,
            id TEXT NOT NULL UNIQUE,
            document_id TEXT NOT NULL REFERENCES documents (id),
            url TEXT NOT NULL,
            attempt INTEGER NOT NULL,
            status_code INTEGER,
            error TEXT,
            delivered INTEGER NOT NULL,
            at_us INTEGER NOT NULL
        )""",
        "CREATE INDEX webhook_deliveries_document ON webhook_deliveries (document_id, seq)",
    ),
    (
        # Runs: 1 for the upload, one more per reprocess; events of an earlier run are ignored.
        "ALTER TABLE documents ADD COLUMN run INTEGER NOT NULL DEFAULT 1",
        "ALTER TABLE documents ADD COLUMN decision TEXT",
        # The event that brought the document to its status: what re-driving publishes again.
        "ALTER TABLE documents ADD COLUMN step TEXT",
        """CREATE INDEX documents_status_updated ON documents (status, updated_us)""",
        "ALTER TABLE events ADD COLUMN run INTEGER NOT NULL DEFAULT 1",
        # Timelines are read in event time, not in the order the tracker happened to see them.
        "CREATE INDEX events_document_at ON events (document_id, at_us, seq)",
    ),
    (
        # Attachments split off a message link to it; they are not deduplicated by content.
        "ALTER TABLE documents ADD COLUMN parent_id TEXT",
        "DROP INDEX documents_tenant_sha256",
        """CREATE UNIQUE INDEX documents_tenant_sha256 ON documents (tenant, content_sha256)
            WHERE parent_id IS NULL""",
        """CREATE INDEX documents_tenant_parent ON documents (tenant, parent_id, created_us, id)
            WHERE parent_id IS NOT NULL""",
    ),
)

SCHEMA_VERSION: Final = len(MIGRATIONS)


class SchemaTooNewError(RuntimeError):
    """The database was written by a newer docflow; this one must not touch it."""


def migrate(connection: sqlite3.Connection) -> None:
    """Bring the schema to SCHEMA_VERSION (the connection must be in autocommit mode)."""
    if _version(connection) == SCHEMA_VERSION:
        return
    connection.execute("BEGIN IMMEDIATE")
    try:
        _apply_missing(connection)
    except BaseException:
        connection.execute("ROLLBACK")
        raise
    connection.execute("COMMIT")


def _apply_missing(connection: sqlite3.Connection) -> None:
    version = _version(connection)
    if version > SCHEMA_VERSION:
        raise SchemaTooNewError(
            f"the results database has schema version {version}; this docflow knows up to "
            f"{SCHEMA_VERSION}: upgrade docflow"
        )
    for statements in MIGRATIONS[version:]:
        for statement in statements:
            connection.execute(statement)
    # PRAGMA takes no parameters; the value is an int from this module.
    connection.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")


def _version(connection: sqlite3.Connection) -> int:
    row = connection.execute("PRAGMA user_version").fetchone()
    return int(row[0])
