"""The results store in one SQLite file: the embedded default.

Several processes (ingest, tracker, store, notify) share the file, and each calls from many
threads. WAL lets readers run beside the one writer; every thread has its own connection;
writes take the write lock up front (``BEGIN IMMEDIATE``) so two read-then-write transactions
cannot deadlock, and ``busy_timeout`` makes a writer wait for the lock instead of failing.
"""

import json
import sqlite3
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any, ClassVar, Final, NamedTuple

from docflow_results.cursor import Position, decode_cursor, page_of
from docflow_results.models import (
    ChildDocument,
    Document,
    DocumentOptions,
    DocumentPage,
    DocumentStatus,
    ListOrder,
    NewDocument,
    ReviewDecision,
    StageError,
    TimelineEntry,
    WebhookDelivery,
)
from docflow_results.repository import (
    DocumentIdConflictError,
    DocumentNotFoundError,
    DuplicateIdempotencyKeyError,
    Repository,
    check_page_limit,
)
from docflow_results.sqlite_schema import migrate
from docflow_results.status import next_status

_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
_FINAL: Final = (DocumentStatus.STORED, DocumentStatus.FAILED, DocumentStatus.REJECTED)
#: Statuses of a document that a stage, not a person, is to move on.
_ON_THE_WAY: Final = (
    DocumentStatus.RECEIVED, DocumentStatus.EXTRACTED, DocumentStatus.VALIDATED,
    DocumentStatus.ENRICHED,
)  # fmt: skip
_MICROSECOND = timedelta(microseconds=1)
# Both orders are served by the (tenant[, status], created_us DESC, id DESC) indexes: SQLite
# walks an index backwards for the opposite order, so oldest first needs no index of its own.
_ORDER_BY: Final[dict[ListOrder, str]] = {
    "newest": "created_us DESC, id DESC",
    "oldest": "created_us, id",
}
#: What follows a cursor's position, in each order: a row value, so the index seeks to it
#: instead of reading the pages before it again.
_AFTER: Final[dict[ListOrder, str]] = {
    "newest": " AND (created_us, id) < (?, ?)",
    "oldest": " AND (created_us, id) > (?, ?)",
}
DEFAULT_BUSY_TIMEOUT_SECONDS = 30.0

_DOCUMENT_COLUMNS = (
    "id, tenant, status, filename, media_type, content, document_type_hint, callback_url, "
    "metadata, idempotency_key, created_us, updated_us, error, result, review, run, decision,"
    " step, parent_id"
)
_INSERT_DOCUMENT = (
    "INSERT INTO documents (id, tenant, status, filename, media_type, content, content_sha256,"
    " document_type_hint, callback_url, metadata, idempotency_key, created_us, updated_us,"
    " parent_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
)


class RepositoryClosedError(RuntimeError):
    """The repository was used after ``close()``."""


def to_micros(moment: datetime) -> int:
    """Microseconds since the epoch; a naive datetime is taken as UTC."""
    aware = moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)
    return (aware - _EPOCH) // _MICROSECOND


def from_micros(micros: int) -> datetime:
    return _EPOCH + micros * _MICROSECOND


def _json(value: Any) -> str:
    # Canonical text, so that equal records compare equal as stored.
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def _loads(text: str | None) -> Any:
    return None if text is None else json.loads(text)


class SqliteRepository(Repository):
    kind: ClassVar[str] = "sqlite"

    def __init__(
        self, path: Path | str, *, busy_timeout_seconds: float = DEFAULT_BUSY_TIMEOUT_SECONDS
    ) -> None:
        self._path = Path(path)
        self._busy_timeout = busy_timeout_seconds
        self._local = threading.local()
        self._lock = threading.Lock()
        self._connections: list[sqlite3.Connection] = []
        self._closed = False
        migrate(self._connection())

    def __repr__(self) -> str:
        return f"SqliteRepository({str(self._path)!r})"

    @property
    def path(self) -> Path:
        return self._path

    # -- documents ------------------------------------------------------------------------

    def create(self, document: NewDocument) -> tuple[Document, bool]:
        with self._write() as db:
            existing = self._existing_for(db, document)
            if existing is not None:
                return existing, False
            db.execute(_INSERT_DOCUMENT, _insert_values(document))
            created = _select_one(db, "id = ?", (document.id,))
        assert created is not None, "an insert is visible to its own transaction"
        return created, True

    def get(self, tenant: str, document_id: str) -> Document | None:
        return _select_one(self._connection(), "id = ? AND tenant = ?", (document_id, tenant))

    def children(self, tenant: str, document_id: str) -> list[ChildDocument]:
        rows = self._rows(
            "SELECT id, filename, media_type, status, created_us FROM documents"
            " WHERE tenant = ? AND parent_id = ? ORDER BY created_us, id",
            (tenant, document_id),
        )
        return [_child(row) for row in rows]

    def list_documents(
        self,
        tenant: str,
        *,
        status: DocumentStatus | None = None,
        created_after: datetime | None = None,
        created_before: datetime | None = None,
        limit: int = 50,
        cursor: str | None = None,
        order: ListOrder = "newest",
    ) -> DocumentPage:
        check_page_limit(limit)
        where, params = _filters(tenant, status, created_after, created_before)
        if cursor is not None:
            where += _AFTER[order]
            params += _after(decode_cursor(cursor, order))
        rows = self._rows(
            f"SELECT {_DOCUMENT_COLUMNS} FROM documents WHERE {where}"  # noqa: S608 - no input in the text
            f" ORDER BY {_ORDER_BY[order]} LIMIT ?",
            (*params, limit + 1),
        )
        return page_of([_document(row) for row in rows], limit, order)

    # -- the flow -------------------------------------------------------------------------

    def record_event(
        self,
        tenant: str,
        document_id: str,
        *,
        event_id: str,
        event_type: str,
        at: datetime,
        status: DocumentStatus | None,
        detail: dict[str, Any],
        error: StageError | None = None,
        review: dict[str, Any] | None = None,
        run: int = 1,
        step: dict[str, Any] | None = None,
    ) -> bool:
        with self._write() as db:
            state = self._state_of(db, tenant, document_id)
            if run < state.run:
                return False
            inserted = db.execute(
                "INSERT OR IGNORE INTO events (document_id, event_id, event_type, status, at_us,"
                " detail, run) VALUES (?, ?, ?, ?, ?, ?, ?)",
                (document_id, event_id, event_type, status, to_micros(at), _json(detail), run),
            ).rowcount
            if not inserted:
                return False
            changes: dict[str, Any] = {"updated_us": max(state.updated_us, to_micros(at))}
            current = state.status
            if run > state.run:
                changes |= _new_run(run)
                current = DocumentStatus.RECEIVED
            changes["status"] = next_status(current, status)
            if not current.final:
                changes |= _run_facts(error, review)
            if step is not None and status is not None and changes["status"] == status:
                changes["step"] = _json(step)
            _update(db, document_id, changes)
        return True

    def unannounced(self, before: datetime, *, limit: int = 100) -> list[Document]:
        marks = ", ".join("?" for _ in _FINAL)
        rows = self._rows(
            f"SELECT {_DOCUMENT_COLUMNS} FROM documents d WHERE status IN ({marks})"  # noqa: S608 - no input in the text
            " AND callback_url IS NOT NULL AND step IS NOT NULL AND updated_us < ?"
            " AND NOT EXISTS (SELECT 1 FROM webhook_deliveries w WHERE w.document_id = d.id"
            " AND w.id LIKE json_extract(d.step, '$.id') || '/%')"
            " ORDER BY updated_us LIMIT ?",
            (*_FINAL, to_micros(before), limit),
        )
        return [_document(row) for row in rows]

    def stalled(self, before: datetime, *, limit: int = 100) -> list[Document]:
        marks = ", ".join("?" for _ in _ON_THE_WAY)
        rows = self._rows(
            f"SELECT {_DOCUMENT_COLUMNS} FROM documents WHERE status IN ({marks})"  # noqa: S608 - no input in the text
            " AND updated_us < ? ORDER BY updated_us LIMIT ?",
            (*_ON_THE_WAY, to_micros(before), limit),
        )
        return [_document(row) for row in rows]

    def timeline(self, tenant: str, document_id: str) -> list[TimelineEntry]:
        rows = self._rows(
            "SELECT e.event_id, e.event_type, e.status, e.at_us, e.detail, e.run FROM events e"
            " JOIN documents d ON d.id = e.document_id"
            " WHERE d.id = ? AND d.tenant = ? ORDER BY e.at_us, e.seq",
            (document_id, tenant),
        )
        return [_timeline_entry(row) for row in rows]

    def save_result(
        self, tenant: str, document_id: str, result: dict[str, Any], *, run: int = 1
    ) -> bool:
        text = _json(result)
        with self._write() as db:
            row = db.execute(
                "SELECT result, run FROM documents WHERE id = ? AND tenant = ?",
                (document_id, tenant),
            ).fetchone()
            if row is None:
                raise DocumentNotFoundError(tenant, document_id)
            if row["run"] != run:
                return False
            if row["result"] != text:
                _update(db, document_id, {"result": text, "updated_us": _now_micros()})
        return True

    def reset_for_reprocess(
        self,
        tenant: str,
        document_id: str,
        at: datetime,
        options: DocumentOptions | None = None,
        *,
        run: int,
    ) -> Document:
        changes: dict[str, Any] = {}
        if options is not None:
            changes |= options.model_dump() | {"metadata": _json(options.metadata)}
        with self._write() as db:
            state = self._state_of(db, tenant, document_id)
            if run > state.run:
                changes |= _new_run(run) | {"status": DocumentStatus.RECEIVED}
                changes["updated_us"] = to_micros(at)
            if changes:
                _update(db, document_id, changes)
            document = _select_one(db, "id = ?", (document_id,))
        assert document is not None, "an update is visible to its own transaction"
        return document

    def claim_review(
        self, tenant: str, document_id: str, *, run: int, decision: ReviewDecision
    ) -> Document | None:
        with self._write() as db:
            claimed = db.execute(
                "UPDATE documents SET decision = ? WHERE id = ? AND tenant = ? AND run = ?"
                " AND status = ? AND decision IS NULL",
                (decision.model_dump_json(), document_id, tenant, run,
                 DocumentStatus.NEEDS_REVIEW),
            ).rowcount  # fmt: skip
            if not claimed:
                self._state_of(db, tenant, document_id)  # DocumentNotFoundError when absent
                return None
            return _select_one(db, "id = ?", (document_id,))

    def release_review(self, tenant: str, document_id: str, *, run: int) -> None:
        with self._write() as db:
            db.execute(
                "UPDATE documents SET decision = NULL WHERE id = ? AND tenant = ? AND run = ?",
                (document_id, tenant, run),
            )

    def delete(self, tenant: str, document_id: str) -> bool:
        with self._write() as db:
            owned = db.execute(
                "SELECT 1 FROM documents WHERE id = ? AND tenant = ?", (document_id, tenant)
            ).fetchone()
            if owned is None:
                return False
            for table in ("events", "webhook_deliveries"):
                db.execute(f"DELETE FROM {table} WHERE document_id = ?", (document_id,))  # noqa: S608 - constant names
            db.execute("DELETE FROM documents WHERE id = ?", (document_id,))
        return True

    # -- webhooks -------------------------------------------------------------------------

    def record_webhook(self, delivery: WebhookDelivery) -> None:
        with self._write() as db:
            known = db.execute(
                "SELECT 1 FROM documents WHERE id = ?", (delivery.document_id,)
            ).fetchone()
            if known is None:
                raise DocumentNotFoundError(None, delivery.document_id)
            db.execute(
                "INSERT OR IGNORE INTO webhook_deliveries (id, document_id, url, attempt,"
                " status_code, error, delivered, at_us) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                (delivery.id, delivery.document_id, delivery.url, delivery.attempt,
                 delivery.status_code, delivery.error, int(delivery.delivered),
                 to_micros(delivery.at)),
            )  # fmt: skip

    def webhook_deliveries(self, tenant: str, document_id: str) -> list[WebhookDelivery]:
        rows = self._rows(
            "SELECT w.id, w.document_id, w.url, w.attempt, w.status_code, w.error, w.delivered,"
            " w.at_us FROM webhook_deliveries w JOIN documents d ON d.id = w.document_id"
            " WHERE d.id = ? AND d.tenant = ? ORDER BY w.seq",
            (document_id, tenant),
        )
        return [_delivery(row) for row in rows]

    # -- connections ----------------------------------------------------------------------

    def close(self) -> None:
        with self._lock:
            self._closed = True
            connections, self._connections = self._connections, []
        for connection in connections:
            connection.close()

    def _connection(self) -> sqlite3.Connection:
        connection: sqlite3.Connection | None = getattr(self._local, "connection", None)
        if connection is not None and not self._closed:
            return connection
        with self._lock:
            if self._closed:
                raise RepositoryClosedError(f"{self!r} is closed")
            connection = self._connect()
            self._connections.append(connection)
        self._local.connection = connection
        return connection

    def _connect(self) -> sqlite3.Connection:
        connection = sqlite3.connect(
            self._path, timeout=self._busy_timeout, isolation_level=None, check_same_thread=False
        )
        connection.row_factory = sqlite3.Row
        connection.execute("PRAGMA journal_mode = WAL")
        # FULL: an accepted document must survive a power cut, not only a process crash.
        connection.execute("PRAGMA synchronous = FULL")
        connection.execute("PRAGMA foreign_keys = ON")
        return connection

    def _rows(self, sql: str, params: tuple[Any, ...]) -> list[sqlite3.Row]:
        return self._connection().execute(sql, params).fetchall()

    @contextmanager
    def _write(self) -> Iterator[sqlite3.Connection]:
        connection = self._connection()
        connection.execute("BEGIN IMMEDIATE")
        try:
            yield connection
        except BaseException:
            connection.execute("ROLLBACK")
            raise
        connection.execute("COMMIT")

    def _existing_for(self, db: sqlite3.Connection, document: NewDocument) -> Document | None:
        """The document a create returns instead of inserting, if any (see Repository.create)."""
        by_id = _select_one(db, "id = ?", (document.id,))
        if by_id is not None and by_id.tenant != document.tenant:
            raise DocumentIdConflictError(f"document id {document.id!r} is taken")
        if by_id is not None:
            return by_id
        if document.idempotency_key is not None:
            by_key = _select_one(
                db,
                "tenant = ? AND idempotency_key = ?",
                (document.tenant, document.idempotency_key),
            )
            if by_key is not None and by_key.content.sha256 != document.content.sha256:
                raise DuplicateIdempotencyKeyError(by_key)
            if by_key is not None:
                return by_key
        if document.parent_id is not None:
            return None  # an attachment is a document of its own, whatever its content
        return _select_one(
            db,
            "tenant = ? AND content_sha256 = ? AND parent_id IS NULL",
            (document.tenant, document.content.sha256),
        )

    @staticmethod
    def _state_of(db: sqlite3.Connection, tenant: str, document_id: str) -> "_State":
        row = db.execute(
            "SELECT status, updated_us, run FROM documents WHERE id = ? AND tenant = ?",
            (document_id, tenant),
        ).fetchone()
        if row is None:
            raise DocumentNotFoundError(tenant, document_id)
        return _State(DocumentStatus(row["status"]), int(row["updated_us"]), int(row["run"]))


# -- rows ---------------------------------------------------------------------------------


def _insert_values(document: NewDocument) -> tuple[Any, ...]:
    created = to_micros(document.created_at)
    return (
        document.id, document.tenant, DocumentStatus.RECEIVED, document.filename,
        document.media_type, document.content.model_dump_json(), document.content.sha256,
        document.document_type_hint, document.callback_url, _json(document.metadata),
        document.idempotency_key, created, created, document.parent_id,
    )  # fmt: skip


def _select_one(db: sqlite3.Connection, where: str, params: tuple[Any, ...]) -> Document | None:
    row = db.execute(
        f"SELECT {_DOCUMENT_COLUMNS} FROM documents WHERE {where}",  # noqa: S608 - callers pass constants
        params,
    ).fetchone()
    return None if row is None else _document(row)


def _document(row: sqlite3.Row) -> Document:
    return Document.model_validate({
        **{key: row[key] for key in row.keys()},  # noqa: SIM118 - sqlite3.Row has no __iter__ of keys
        "content": json.loads(row["content"]),
        "metadata": json.loads(row["metadata"]),
        "created_at": from_micros(row["created_us"]),
        "updated_at": from_micros(row["updated_us"]),
        "error": _loads(row["error"]),
        "result": _loads(row["result"]),
        "review": _loads(row["review"]),
        "decision": _loads(row["decision"]),
        "step": _loads(row["step"]),
    })  # fmt: skip


def _child(row: sqlite3.Row) -> ChildDocument:
    return ChildDocument(
        id=row["id"],
        filename=row["filename"],
        media_type=row["media_type"],
        status=row["status"],
        created_at=from_micros(row["created_us"]),
    )


def _timeline_entry(row: sqlite3.Row) -> TimelineEntry:
    return TimelineEntry(
        event_id=row["event_id"],
        event_type=row["event_type"],
        status=row["status"],
        at=from_micros(row["at_us"]),
        detail=json.loads(row["detail"]),
        run=row["run"],
    )


def _delivery(row: sqlite3.Row) -> WebhookDelivery:
    return WebhookDelivery(
        id=row["id"],
        document_id=row["document_id"],
        url=row["url"],
        attempt=row["attempt"],
        status_code=row["status_code"],
        error=row["error"],
        delivered=bool(row["delivered"]),
        at=from_micros(row["at_us"]),
    )


def _filters(
    tenant: str,
    status: DocumentStatus | None,
    created_after: datetime | None,
    created_before: datetime | None,
) -> tuple[str, list[Any]]:
    clauses: list[str] = ["tenant = ?"]
    params: list[Any] = [tenant]
    if status is not None:
        clauses.append("status = ?")
        params.append(status)
    if created_after is not None:
        clauses.append("created_us >= ?")
        params.append(to_micros(created_after))
    if created_before is not None:
        clauses.append("created_us < ?")
        params.append(to_micros(created_before))
    return " AND ".join(clauses), params


def _after(position: Position) -> list[Any]:
    return [to_micros(position.created_at), position.id]


class _State(NamedTuple):
    status: DocumentStatus
    updated_us: int
    run: int


def _new_run(run: int) -> dict[str, Any]:
    """The columns a new run starts over: nothing of the earlier run's outcome is kept."""
    return {
        "run": run, "error": None, "result": None, "review": None, "decision": None, "step": None,
    }  # fmt: skip


def _run_facts(error: StageError | None, review: dict[str, Any] | None) -> dict[str, Any]:
    """What an event adds to a document still in its run, beside the status."""
    changes: dict[str, Any] = {}
    if error is not None:
        changes["error"] = error.model_dump_json()
    if review is not None:
        changes["review"] = _json(review)
    return changes


def _update(db: sqlite3.Connection, document_id: str, changes: dict[str, Any]) -> None:
    # Column names come from this module's own dict literals, never from callers.
    assignments = ", ".join(f"{column} = ?" for column in changes)
    db.execute(
        f"UPDATE documents SET {assignments} WHERE id = ?",  # noqa: S608
        (*changes.values(), document_id),
    )


def _now_micros() -> int:
    return to_micros(datetime.now(UTC))
