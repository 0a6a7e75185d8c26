"""The results store on PostgreSQL: for several replicas of each service, on several machines.

Every call borrows a connection from a pool. Connections are in autocommit mode, so a read is
one statement; a write is one transaction at READ COMMITTED that first locks the document's row
(``FOR UPDATE``), so the writes of one document happen one after the other, as in SQLite, and
writes of different documents do not wait for each other. Inserts that may race (the same
upload twice) use ``ON CONFLICT DO NOTHING`` and then read what the other transaction wrote.
"""

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from typing import Any, ClassVar, Final, NamedTuple, TypeVar

import psycopg
from psycopg import sql
from psycopg.rows import DictRow
from psycopg.types.json import Jsonb

from docflow_results.cursor import decode_cursor, page_of
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
from docflow_results.postgres import rows
from docflow_results.postgres.connection import (
    Connection,
    PoolOptions,
    check_url,
    describe_url,
    open_pool,
)
from docflow_results.postgres.errors import StoreConflictError, translated
from docflow_results.postgres.schema import check_schema
from docflow_results.repository import (
    DocumentIdConflictError,
    DocumentNotFoundError,
    DuplicateIdempotencyKeyError,
    Repository,
    check_page_limit,
)
from docflow_results.sqlite import RepositoryClosedError
from docflow_results.status import next_status

T = TypeVar("T")
#: A transaction the server rolled back for a conflict is tried this often before the caller
#: gets a StoreConflictError (transient: the stage retries later).
CONFLICT_ATTEMPTS: Final = 3
_FINAL: Final = [DocumentStatus.STORED.value, DocumentStatus.FAILED.value,
                 DocumentStatus.REJECTED.value]  # fmt: skip
#: Statuses of a document that a stage, not a person, is to move on.
_ON_THE_WAY: Final = [DocumentStatus.RECEIVED.value, DocumentStatus.EXTRACTED.value,
                      DocumentStatus.VALIDATED.value, DocumentStatus.ENRICHED.value]  # fmt: skip
_SELECT: Final = f"SELECT {rows.DOCUMENT_COLUMNS} FROM documents"  # noqa: S608 - constants
# Both orders are served by the (tenant[, status], created_at DESC, id DESC) indexes, which a
# b-tree scan walks backwards for oldest first: no index of its own is needed.
_ORDER_BY: Final[dict[ListOrder, str]] = {
    "newest": "created_at DESC, id DESC",
    "oldest": "created_at, id",
}
#: What follows a cursor's position, in each order.
_AFTER: Final[dict[ListOrder, str]] = {
    "newest": " AND (created_at, id) < (%s, %s)",
    "oldest": " AND (created_at, id) > (%s, %s)",
}


class PostgresRepository(Repository):
    kind: ClassVar[str] = "postgres"

    def __init__(self, url: str, options: PoolOptions | None = None) -> None:
        """Connect and check the schema: SchemaOutdatedError when ``docflow-migrate`` has not
        run; StoreUnavailableError when the database does not answer."""
        check_url(url)
        self._options = options or PoolOptions()
        self._database = describe_url(url)
        self._closed = False
        self._pool = open_pool(url, self._options)
        try:
            with self._connection() as db:
                check_schema(db)
        except BaseException:
            self._pool.close()
            raise

    def __repr__(self) -> str:
        return f"PostgresRepository(database={self._database!r})"

    # -- documents ------------------------------------------------------------------------

    def create(self, document: NewDocument) -> tuple[Document, bool]:
        return self._transact(lambda db: _create(db, document))

    def get(self, tenant: str, document_id: str) -> Document | None:
        found = self._fetch(f"{_SELECT} WHERE id = %s AND tenant = %s", (document_id, tenant))
        return rows.document(found[0]) if found else None

    def children(self, tenant: str, document_id: str) -> list[ChildDocument]:
        found = self._fetch(
            "SELECT id, filename, media_type, status, created_at FROM documents"
            " WHERE tenant = %s AND parent_id = %s ORDER BY created_at, id",
            (tenant, document_id),
        )
        return [rows.child(row) for row in found]

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
            position = decode_cursor(cursor, order)
            where += _AFTER[order]
            params += [rows.utc(position.created_at), position.id]
        found = self._fetch(
            f"{_SELECT} WHERE {where} ORDER BY {_ORDER_BY[order]} LIMIT %s",
            (*params, limit + 1),
        )
        return page_of([rows.document(row) for row in found], limit, order)

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
        event = _Event(event_id, event_type, rows.utc(at), status, detail, error, review, run, step)
        return self._transact(lambda db: _record(db, tenant, document_id, event))

    def unannounced(self, before: datetime, *, limit: int = 100) -> list[Document]:
        found = self._fetch(
            f"{_SELECT} d WHERE status = ANY(%s) AND callback_url IS NOT NULL"  # noqa: S608 - constants
            " AND step IS NOT NULL AND updated_at < %s AND NOT EXISTS (SELECT 1 FROM"
            " webhook_deliveries w WHERE w.document_id = d.id"
            " AND starts_with(w.id, (d.step->>'id') || '/'))"
            " ORDER BY updated_at, id LIMIT %s",
            (_FINAL, rows.utc(before), limit),
        )
        return [rows.document(row) for row in found]

    def stalled(self, before: datetime, *, limit: int = 100) -> list[Document]:
        found = self._fetch(
            f"{_SELECT} WHERE status = ANY(%s) AND updated_at < %s"
            " ORDER BY updated_at, id LIMIT %s",
            (_ON_THE_WAY, rows.utc(before), limit),
        )
        return [rows.document(row) for row in found]

    def timeline(self, tenant: str, document_id: str) -> list[TimelineEntry]:
        found = self._fetch(
            "SELECT e.event_id, e.event_type, e.status, e.at, e.detail, e.run FROM events e"
            " JOIN documents d ON d.id = e.document_id"
            " WHERE d.id = %s AND d.tenant = %s ORDER BY e.at, e.seq",
            (document_id, tenant),
        )
        return [rows.timeline_entry(row) for row in found]

    def save_result(
        self, tenant: str, document_id: str, result: dict[str, Any], *, run: int = 1
    ) -> bool:
        return self._transact(lambda db: _save_result(db, tenant, document_id, result, run))

    def reset_for_reprocess(
        self,
        tenant: str,
        document_id: str,
        at: datetime,
        options: DocumentOptions | None = None,
        *,
        run: int,
    ) -> Document:
        return self._transact(
            lambda db: _reset(db, tenant, document_id, rows.utc(at), options=options, run=run)
        )

    def claim_review(
        self, tenant: str, document_id: str, *, run: int, decision: ReviewDecision
    ) -> Document | None:
        return self._transact(lambda db: _claim(db, tenant, document_id, run, decision))

    def release_review(self, tenant: str, document_id: str, *, run: int) -> None:
        self._transact(lambda db: db.execute(
            "UPDATE documents SET decision = NULL WHERE id = %s AND tenant = %s AND run = %s",
            (document_id, tenant, run),
        ))  # fmt: skip

    def delete(self, tenant: str, document_id: str) -> bool:
        # The timeline and the delivery log go with the document (ON DELETE CASCADE).
        deleted = self._transact(lambda db: db.execute(
            "DELETE FROM documents WHERE id = %s AND tenant = %s", (document_id, tenant)
        ).rowcount)  # fmt: skip
        return deleted > 0

    # -- webhooks -------------------------------------------------------------------------

    def record_webhook(self, delivery: WebhookDelivery) -> None:
        self._transact(lambda db: _record_webhook(db, delivery))

    def webhook_deliveries(self, tenant: str, document_id: str) -> list[WebhookDelivery]:
        found = self._fetch(
            "SELECT w.id, w.document_id, w.url, w.attempt, w.status_code, w.error, w.delivered,"
            " w.at FROM webhook_deliveries w JOIN documents d ON d.id = w.document_id"
            " WHERE d.id = %s AND d.tenant = %s ORDER BY w.seq",
            (document_id, tenant),
        )
        return [rows.delivery(row) for row in found]

    # -- connections ----------------------------------------------------------------------

    def close(self) -> None:
        self._closed = True
        self._pool.close()

    @contextmanager
    def _connection(self) -> Iterator[Connection]:
        if self._closed:
            raise RepositoryClosedError(f"{self!r} is closed")
        with translated(self._options.pool_timeout_seconds), self._pool.connection() as db:
            yield db

    def _fetch(self, query: str, params: tuple[Any, ...]) -> list[DictRow]:
        with self._connection() as db:
            return db.execute(query, params).fetchall()

    def _transact(self, work: Callable[[Connection], T]) -> T:
        """``work`` in one transaction, tried again when the server rolled it back for a
        conflict (nothing of it was kept)."""
        for attempt in range(1, CONFLICT_ATTEMPTS + 1):
            try:
                with self._connection() as db, db.transaction():
                    return work(db)
            except StoreConflictError:
                if attempt == CONFLICT_ATTEMPTS:
                    raise
        raise AssertionError("the loop returns or raises")


# -- transactions -------------------------------------------------------------------------


class _Event(NamedTuple):
    event_id: str
    event_type: str
    at: datetime
    status: DocumentStatus | None
    detail: dict[str, Any]
    error: StageError | None
    review: dict[str, Any] | None
    run: int
    step: dict[str, Any] | None


class _State(NamedTuple):
    status: DocumentStatus
    updated_at: datetime
    run: int


def _create(db: Connection, document: NewDocument) -> tuple[Document, bool]:
    existing = _existing_for(db, document)
    if existing is not None:
        return existing, False
    inserted = db.execute(
        f"{rows.INSERT_DOCUMENT} ON CONFLICT DO NOTHING RETURNING {rows.DOCUMENT_COLUMNS}",
        rows.insert_values(document),
    ).fetchone()
    if inserted is not None:
        return rows.document(inserted), True
    # A concurrent upload of the same id, content or key committed first; each statement
    # sees what was committed before it began, so looking again finds that document.
    existing = _existing_for(db, document)
    if existing is None:
        raise StoreConflictError("the document a concurrent upload created is gone again")
    return existing, False


def _existing_for(db: Connection, document: NewDocument) -> Document | None:
    """The document a create returns instead of inserting, if any (see Repository.create)."""
    by_id = _select_one(db, "id = %s", (document.id,))
    if by_id is not None and by_id.tenant != document.tenant:
        raise DocumentIdConflictError(f"document id {document.id!r} is taken")
    if by_id is not None:
        return by_id
    if document.idempotency_key is not None:
        by_key = _select_one(
            db, "tenant = %s AND idempotency_key = %s", (document.tenant, document.idempotency_key)
        )
        if by_key is not None and by_key.content.sha256 != document.content.sha256:
            raise DuplicateIdempotencyKeyError(by_key)
        if by_key is not None:
            return by_key
    if document.parent_id is not None:
        return None  # an attachment is a document of its own, whatever its content
    return _select_one(
        db,
        "tenant = %s AND content_sha256 = %s AND parent_id IS NULL",
        (document.tenant, document.content.sha256),
    )


def _record(db: Connection, tenant: str, document_id: str, event: _Event) -> bool:
    state = _lock(db, tenant, document_id)
    if event.run < state.run or not _insert_event(db, document_id, event):
        return False
    changes: dict[str, Any] = {"updated_at": max(state.updated_at, event.at)}
    current = state.status
    if event.run > state.run:
        changes |= rows.new_run(event.run)
        current = DocumentStatus.RECEIVED
    changes["status"] = next_status(current, event.status)
    if not current.final:
        changes |= rows.run_facts(event.error, event.review)
    if event.step is not None and event.status is not None and changes["status"] == event.status:
        changes["step"] = Jsonb(event.step)
    _update(db, document_id, changes)
    return True


def _insert_event(db: Connection, document_id: str, event: _Event) -> bool:
    return db.execute(
        "INSERT INTO events (document_id, event_id, event_type, status, at, detail, run)"
        " VALUES (%s, %s, %s, %s, %s, %s, %s) ON CONFLICT (document_id, event_id) DO NOTHING",
        (document_id, event.event_id, event.event_type, event.status, event.at,
         Jsonb(event.detail), event.run),
    ).rowcount > 0  # fmt: skip


def _save_result(
    db: Connection, tenant: str, document_id: str, result: dict[str, Any], run: int
) -> bool:
    if _lock(db, tenant, document_id).run != run:
        return False
    # jsonb compares by value: the same record again changes nothing, not even updated_at.
    db.execute(
        "UPDATE documents SET result = %(result)s, updated_at = %(now)s"
        " WHERE id = %(id)s AND result IS DISTINCT FROM %(result)s",
        {"result": Jsonb(result), "now": datetime.now(UTC), "id": document_id},
    )
    return True


def _reset(
    db: Connection,
    tenant: str,
    document_id: str,
    at: datetime,
    *,
    options: DocumentOptions | None,
    run: int,
) -> Document:
    changes: dict[str, Any] = {}
    if options is not None:
        changes |= options.model_dump() | {"metadata": Jsonb(options.metadata)}
    if run > _lock(db, tenant, document_id).run:
        changes |= rows.new_run(run) | {"status": DocumentStatus.RECEIVED, "updated_at": at}
    if changes:
        _update(db, document_id, changes)
    document = _select_one(db, "id = %s", (document_id,))
    assert document is not None, "an update is visible to its own transaction"
    return document


def _claim(
    db: Connection, tenant: str, document_id: str, run: int, decision: ReviewDecision
) -> Document | None:
    claimed = db.execute(
        "UPDATE documents SET decision = %s WHERE id = %s AND tenant = %s AND run = %s"  # noqa: S608 - constants
        f" AND status = %s AND decision IS NULL RETURNING {rows.DOCUMENT_COLUMNS}",
        (Jsonb(decision.model_dump(mode="json")), document_id, tenant, run,
         DocumentStatus.NEEDS_REVIEW),
    ).fetchone()  # fmt: skip
    if claimed is None:
        _lock(db, tenant, document_id)  # DocumentNotFoundError when the tenant has none
        return None
    return rows.document(claimed)


def _record_webhook(db: Connection, delivery: WebhookDelivery) -> None:
    known = db.execute("SELECT 1 FROM documents WHERE id = %s", (delivery.document_id,))
    if known.fetchone() is None:
        raise DocumentNotFoundError(None, delivery.document_id)
    try:
        db.execute(
            "INSERT INTO webhook_deliveries (id, document_id, url, attempt, status_code, error,"
            " delivered, at) VALUES (%s, %s, %s, %s, %s, %s, %s, %s) ON CONFLICT (id) DO NOTHING",
            (delivery.id, delivery.document_id, delivery.url, delivery.attempt,
             delivery.status_code, delivery.error, delivery.delivered, rows.utc(delivery.at)),
        )  # fmt: skip
    except psycopg.errors.ForeignKeyViolation:
        # The document was deleted after it was looked up (ingest undoing an upload).
        raise DocumentNotFoundError(None, delivery.document_id) from None


# -- statements ---------------------------------------------------------------------------


def _lock(db: Connection, tenant: str, document_id: str) -> _State:
    """The document's state, its row locked until the transaction ends."""
    row = db.execute(
        "SELECT status, updated_at, run FROM documents WHERE id = %s AND tenant = %s FOR UPDATE",
        (document_id, tenant),
    ).fetchone()
    if row is None:
        raise DocumentNotFoundError(tenant, document_id)
    return _State(DocumentStatus(row["status"]), rows.utc(row["updated_at"]), int(row["run"]))


def _select_one(db: Connection, where: str, params: tuple[Any, ...]) -> Document | None:
    # ``where`` is one of this module's constants, never a caller's text.
    row = db.execute(f"{_SELECT} WHERE {where}", params).fetchone()
    return None if row is None else rows.document(row)


def _update(db: Connection, document_id: str, changes: dict[str, Any]) -> None:
    assignments = sql.SQL(", ").join(
        sql.SQL("{} = %s").format(sql.Identifier(column)) for column in changes
    )
    db.execute(
        sql.SQL("UPDATE documents SET {} WHERE id = %s").format(assignments),
        (*changes.values(), document_id),
    )


def _filters(
    tenant: str,
    status: DocumentStatus | None,
    created_after: datetime | None,
    created_before: datetime | None,
) -> tuple[str, list[Any]]:
    clauses: list[str] = ["tenant = %s"]
    params: list[Any] = [tenant]
    if status is not None:
        clauses.append("status = %s")
        params.append(status)
    if created_after is not None:
        clauses.append("created_at >= %s")
        params.append(rows.utc(created_after))
    if created_before is not None:
        clauses.append("created_at < %s")
        params.append(rows.utc(created_before))
    return " AND ".join(clauses), params
