"""The results store in one DynamoDB table (layout in docs/backends/dynamodb.md).

Every change of a document item is a read-modify-write on the item's ``version``: the new
item is written on the condition that the version is still the one read, and the change is
made again from a fresh read when another writer came first. Where two items must change
together (an event and its document, a result and its document, a document and its
uniqueness claims) the write is one transaction.
"""

import contextlib
import random
import time
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any, ClassVar, Final, TypeVar

from botocore.exceptions import ClientError
from mypy_boto3_dynamodb import DynamoDBClient
from mypy_boto3_dynamodb.type_defs import PutTypeDef, TransactWriteItemTypeDef

from docflow_results.cursor import encode_cursor
from docflow_results.dynamodb import changes
from docflow_results.dynamodb.client import DynamoDbOptions, make_client
from docflow_results.dynamodb.errors import (
    THROTTLED_RETRY_AFTER_SECONDS,
    ItemTooLargeError,
    StoreContentionError,
    StoreThrottledError,
    error_code,
    is_throttling,
    translated,
)
from docflow_results.dynamodb.items import (
    CHILD_PREFIX,
    EVENT_PREFIX,
    HOOK_PREFIX,
    RESULT_SK,
    Item,
    Stored,
    canonical_json,
    child_link_item,
    doc_key,
    document_item,
    event_item,
    hook_item,
    idempotency_key,
    result_item,
    result_text,
    sha_key,
    step_id,
    stored_document,
    timeline_entry,
    webhook_delivery,
)
from docflow_results.dynamodb.reads import Reader
from docflow_results.dynamodb.table import check_table
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
)
from docflow_results.sqlite import RepositoryClosedError

T = TypeVar("T")
#: Attempts of one read-modify-write against other writers of the same document.
_MAX_ATTEMPTS: Final = 50
_BACKOFF_SECONDS: Final = 0.005
_ABSENT: Final = "attribute_not_exists(pk)"


class _WriteConflictError(Exception):
    """Another writer changed the item between our read and our write: read again."""


class DynamoDbRepository(Repository):
    kind: ClassVar[str] = "dynamodb"

    def __init__(
        self,
        table: str,
        *,
        options: DynamoDbOptions | None = None,
        client: DynamoDBClient | None = None,
    ) -> None:
        self._table = table
        self._client = client if client is not None else make_client(options or DynamoDbOptions())
        self._closed = False
        check_table(self._client, table)
        self._reads = Reader(self._client, table)

    def __repr__(self) -> str:
        return f"DynamoDbRepository({self._table!r})"

    @property
    def table(self) -> str:
        return self._table

    @property
    def client(self) -> DynamoDBClient:
        return self._client

    # -- documents ------------------------------------------------------------------------

    def create(self, document: NewDocument) -> tuple[Document, bool]:
        self._check_open()
        return _retrying(lambda: self._create_once(document))

    def get(self, tenant: str, document_id: str) -> Document | None:
        self._check_open()
        document = self._reads.document(document_id)
        return document if document is not None and document.tenant == tenant else None

    def children(self, tenant: str, document_id: str) -> list[ChildDocument]:
        self._check_open()
        if not self._owns(tenant, document_id):
            return []
        links = self._reads.children(document_id, CHILD_PREFIX)
        found = self._reads.documents([link["child_id"]["S"] for link in links], records=False)
        return [
            ChildDocument.model_validate(d.model_dump())
            for d in found
            if d.tenant == tenant and d.parent_id == document_id
        ]

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
        self._check_open()
        positions, more = self._reads.listing(
            tenant,
            status=status,
            created_after=created_after,
            created_before=created_before,
            limit=limit,
            cursor=cursor,
            order=order,
        )
        found = self._reads.documents([document_id for _, document_id in positions])
        items = [d for d in found if d.tenant == tenant and status in (None, d.status)]
        next_cursor = encode_cursor(*positions[-1], order) if more else None
        return DocumentPage(items=items, next_cursor=next_cursor)

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
        self._check_open()
        entry = TimelineEntry(
            event_id=event_id, event_type=event_type, status=status, at=at, run=run, detail=detail
        )
        facts = {"error": error, "review": review, "step": step}
        return _retrying(lambda: self._record_once(tenant, document_id, entry, facts))

    def stalled(self, before: datetime, *, limit: int = 100) -> list[Document]:
        self._check_open()
        ids = self._reads.attention("moving", before, limit)
        found = self._reads.documents(ids)
        return [d for d in found if _on_the_way(d) and d.updated_at < before][:limit]

    def unannounced(self, before: datetime, *, limit: int = 100) -> list[Document]:
        self._check_open()
        ids = self._reads.attention("unannounced", before, limit)
        found = [d for d in self._reads.documents(ids) if _announceable(d, before)]
        return [d for d in found if self._still_unannounced(d)][:limit]

    def timeline(self, tenant: str, document_id: str) -> list[TimelineEntry]:
        self._check_open()
        if not self._owns(tenant, document_id):
            return []
        entries = [timeline_entry(item) for item in self._reads.children(document_id, EVENT_PREFIX)]
        return [entry for _, entry in sorted(entries, key=lambda pair: pair[0])]

    def save_result(
        self, tenant: str, document_id: str, result: dict[str, Any], *, run: int = 1
    ) -> bool:
        self._check_open()
        text = canonical_json(result)
        return _retrying(lambda: self._save_once(tenant, document_id, text, run))

    def reset_for_reprocess(
        self,
        tenant: str,
        document_id: str,
        at: datetime,
        options: DocumentOptions | None = None,
        *,
        run: int,
    ) -> Document:
        self._check_open()
        return _retrying(lambda: self._reset_once(tenant, document_id, at, options, run))

    def claim_review(
        self, tenant: str, document_id: str, *, run: int, decision: ReviewDecision
    ) -> Document | None:
        self._check_open()
        try:
            with translated("UpdateItem"):
                answer = self._client.update_item(
                    TableName=self._table,
                    Key=doc_key(document_id),
                    # The conditional write is the claim: of two reviewers, one condition holds.
                    UpdateExpression="SET #decision = :decision, #version = #version + :one",
                    ConditionExpression="#tenant = :tenant AND #run = :run AND #status = :waiting"
                    " AND attribute_not_exists(#decision)",
                    ExpressionAttributeNames=_names(
                        "decision", "version", "tenant", "run", "status"
                    ),
                    ExpressionAttributeValues={
                        ":decision": {"S": decision.model_dump_json()},
                        ":one": {"N": "1"},
                        ":tenant": {"S": tenant},
                        ":run": {"N": str(run)},
                        ":waiting": {"S": DocumentStatus.NEEDS_REVIEW},
                    },
                    ReturnValues="ALL_NEW",
                )
        except ClientError as failure:
            if error_code(failure) != "ConditionalCheckFailedException":
                raise
            self._stored(tenant, document_id)  # DocumentNotFoundError when absent
            return None
        return self._reads.with_result(stored_document(answer["Attributes"]).document)

    def release_review(self, tenant: str, document_id: str, *, run: int) -> None:
        self._check_open()
        try:
            with translated("UpdateItem"):
                self._client.update_item(
                    TableName=self._table,
                    Key=doc_key(document_id),
                    UpdateExpression="REMOVE #decision SET #version = #version + :one",
                    ConditionExpression="#tenant = :tenant AND #run = :run"
                    " AND attribute_exists(#decision)",
                    ExpressionAttributeNames=_names("decision", "version", "tenant", "run"),
                    ExpressionAttributeValues={
                        ":one": {"N": "1"},
                        ":tenant": {"S": tenant},
                        ":run": {"N": str(run)},
                    },
                )
        except ClientError as failure:
            if error_code(failure) != "ConditionalCheckFailedException":
                raise

    def delete(self, tenant: str, document_id: str) -> bool:
        self._check_open()
        return _retrying(lambda: self._delete_once(tenant, document_id))

    # -- webhooks -------------------------------------------------------------------------

    def record_webhook(self, delivery: WebhookDelivery) -> None:
        self._check_open()
        stored = self._reads.stored(delivery.document_id)
        if stored is None:
            raise DocumentNotFoundError(None, delivery.document_id)
        self._put_once(hook_item(delivery))
        if _announces(stored, delivery):
            first = [stored]  # the first attempt uses the read above; a retry reads again
            _retrying(lambda: self._mark_announced(delivery, first.pop() if first else None))

    def webhook_deliveries(self, tenant: str, document_id: str) -> list[WebhookDelivery]:
        self._check_open()
        if not self._owns(tenant, document_id):
            return []
        items = self._reads.children(document_id, HOOK_PREFIX)
        pairs = [webhook_delivery(document_id, item) for item in items]
        return [delivery for _, delivery in sorted(pairs, key=lambda pair: pair[0])]

    def close(self) -> None:
        self._closed = True
        self._client.close()

    # -- one attempt of each write ----------------------------------------------------------

    def _create_once(self, new: NewDocument) -> tuple[Document, bool]:
        existing = self._existing_for(new)
        if existing is not None:
            return existing, False
        document = changes.received(new)
        claims = _claims(document)
        writes = [self._put(document_item(document, 1), _ABSENT)]
        writes += [self._put({**claim, "document_id": {"S": new.id}}, _ABSENT) for claim in claims]
        if new.parent_id is not None:
            writes.append(self._put(child_link_item(document)))
        if self._transact(writes) is not None:
            raise _WriteConflictError  # another upload claimed the id, content or key first
        return document, True

    def _existing_for(self, new: NewDocument) -> Document | None:
        """The document a create returns instead of inserting, if any (see Repository.create)."""
        by_id = self._reads.document(new.id)
        if by_id is not None and by_id.tenant != new.tenant:
            raise DocumentIdConflictError(f"document id {new.id!r} is taken")
        if by_id is not None:
            return by_id
        if new.idempotency_key is not None:
            by_key = self._reads.claimed(idempotency_key(new.tenant, new.idempotency_key))
            if by_key is not None and by_key.content.sha256 != new.content.sha256:
                raise DuplicateIdempotencyKeyError(by_key)
            if by_key is not None:
                return by_key
        if new.parent_id is not None:
            return None  # an attachment is a document of its own, whatever its content
        return self._reads.claimed(sha_key(new.tenant, new.content.sha256))

    def _record_once(
        self, tenant: str, document_id: str, entry: TimelineEntry, facts: dict[str, Any]
    ) -> bool:
        stored = self._stored(tenant, document_id)
        if entry.run < stored.document.run:
            return False
        updated = changes.with_event(stored.document, entry, **facts)
        seq = stored.version + 1
        reasons = self._transact([
            self._put(event_item(document_id, entry, seq), _ABSENT),
            self._replace(stored, updated),
        ])  # fmt: skip
        if reasons is None:
            return True
        if reasons[0] == "ConditionalCheckFailed":
            return False  # the event id was recorded before
        raise _WriteConflictError

    def _save_once(self, tenant: str, document_id: str, text: str, run: int) -> bool:
        stored = self._stored(tenant, document_id)
        if stored.document.run != run:
            return False
        if result_text(self._reads.item(doc_key(document_id, RESULT_SK)), run) == text:
            return True
        updated = stored.document.model_copy(update={"updated_at": datetime.now(UTC)})
        writes = [self._replace(stored, updated), self._put(result_item(document_id, run, text))]
        if self._transact(writes) is not None:
            raise _WriteConflictError
        return True

    def _reset_once(
        self,
        tenant: str,
        document_id: str,
        at: datetime,
        options: DocumentOptions | None,
        run: int,
    ) -> Document:
        stored = self._stored(tenant, document_id)
        updated = changes.reset(stored.document, at, options, run)
        if updated != stored.document:
            self._write_alone(self._replace(stored, updated))
        return self._reads.with_result(updated)

    def _delete_once(self, tenant: str, document_id: str) -> bool:
        stored = self._reads.stored(document_id)
        if stored is None or stored.document.tenant != tenant:
            return False
        # Timeline, deliveries and record first: a crash in between leaves a document that a
        # retried delete finds again, never pieces that a reused id would inherit.
        self._reads.delete_children(document_id)
        document = stored.document
        writes = [self._delete(doc_key(document_id), stored)]
        claims = _claims(document)
        writes += [self._delete_claim(claim, document_id) for claim in claims]
        if self._transact(writes) is not None:
            raise _WriteConflictError
        return True

    def _mark_announced(self, delivery: WebhookDelivery, known: Stored | None) -> None:
        stored = known if known is not None else self._reads.stored(delivery.document_id)
        if stored is None or not _announces(stored, delivery):
            return
        announced = step_id(stored.document)
        self._write_alone(self._replace(stored, stored.document, announced=announced))

    def _still_unannounced(self, document: Document) -> bool:
        """Whether no delivery of the document's step was logged. One that was (its webhook
        beat the tracker's write) takes the document out of the index for good."""
        step = step_id(document)
        if step is None or not self._reads.children(document.id, f"{HOOK_PREFIX}{step}/", 1):
            return True
        stored = self._reads.stored(document.id)
        if stored is not None and step_id(stored.document) == step:
            # A conflict means it changed meanwhile: the next pass looks again.
            with contextlib.suppress(_WriteConflictError):
                self._write_alone(self._replace(stored, stored.document, announced=step))
        return False

    # -- items and writes -----------------------------------------------------------------

    def _stored(self, tenant: str, document_id: str) -> Stored:
        stored = self._reads.stored(document_id)
        if stored is None or stored.document.tenant != tenant:
            raise DocumentNotFoundError(tenant, document_id)
        return stored

    def _owns(self, tenant: str, document_id: str) -> bool:
        stored = self._reads.stored(document_id)
        return stored is not None and stored.document.tenant == tenant

    def _put(self, item: Item, condition: str | None = None) -> TransactWriteItemTypeDef:
        put: PutTypeDef = {"TableName": self._table, "Item": item}
        if condition is not None:
            put["ConditionExpression"] = condition
        return {"Put": put}

    def _replace(
        self, stored: Stored, updated: Document, *, announced: str | None = None
    ) -> TransactWriteItemTypeDef:
        """Write ``updated`` over ``stored`` if nobody wrote since it was read."""
        keep = announced if announced is not None else stored.announced
        return {
            "Put": {
                "TableName": self._table,
                "Item": document_item(updated, stored.version + 1, keep),
                "ConditionExpression": "#version = :version",
                "ExpressionAttributeNames": {"#version": "version"},
                "ExpressionAttributeValues": {":version": {"N": str(stored.version)}},
            }
        }

    def _delete(self, key: Item, stored: Stored) -> TransactWriteItemTypeDef:
        return {
            "Delete": {
                "TableName": self._table,
                "Key": key,
                "ConditionExpression": "#version = :version",
                "ExpressionAttributeNames": {"#version": "version"},
                "ExpressionAttributeValues": {":version": {"N": str(stored.version)}},
            }
        }

    def _delete_claim(self, key: Item, document_id: str) -> TransactWriteItemTypeDef:
        # Only this document's claim: never free content another document holds.
        return {
            "Delete": {
                "TableName": self._table,
                "Key": key,
                "ConditionExpression": "attribute_not_exists(pk) OR document_id = :id",
                "ExpressionAttributeValues": {":id": {"S": document_id}},
            }
        }

    def _write_alone(self, write: TransactWriteItemTypeDef) -> None:
        """One conditional PutItem (half the price of a transaction of one)."""
        put = write["Put"]
        try:
            with translated("PutItem"):
                self._client.put_item(**put)
        except ClientError as failure:
            if error_code(failure) != "ConditionalCheckFailedException":
                raise
            raise _WriteConflictError from failure

    def _put_once(self, item: Item) -> None:
        """Put an item unless its key is taken (the same delivery logged again)."""
        try:
            with translated("PutItem"):
                self._client.put_item(TableName=self._table, Item=item, ConditionExpression=_ABSENT)
        except ClientError as failure:
            if error_code(failure) != "ConditionalCheckFailedException":
                raise

    def _transact(self, writes: list[TransactWriteItemTypeDef]) -> list[str] | None:
        """None when committed; else the reason code of each write (``None`` for those that
        were not the cause) when a condition or a concurrent transaction cancelled it."""
        try:
            with translated("TransactWriteItems"):
                self._client.transact_write_items(TransactItems=writes)
        except ClientError as failure:
            if error_code(failure) != "TransactionCanceledException":
                raise
            return _cancellation_reasons(failure)
        return None

    def _check_open(self) -> None:
        if self._closed:
            raise RepositoryClosedError(f"{self!r} is closed")


def _cancellation_reasons(failure: ClientError) -> list[str]:
    raw = failure.response.get("CancellationReasons", [])
    reasons = [str(reason.get("Code", "None")) for reason in raw]
    if any(is_throttling(code) for code in reasons):
        raise StoreThrottledError(
            "DynamoDB TransactWriteItems throttled", retry_after=THROTTLED_RETRY_AFTER_SECONDS
        )
    if any(_too_large(reason) for reason in raw):
        raise ItemTooLargeError("DynamoDB TransactWriteItems: an item exceeds the 400 KB limit")
    return reasons


def _too_large(reason: Any) -> bool:
    return bool(
        reason.get("Code") == "ValidationError" and "size" in str(reason.get("Message", "")).lower()
    )


def _retrying(attempt: Callable[[], T]) -> T:
    """Run a read-modify-write until no other writer comes between its read and its write."""
    for tries in range(_MAX_ATTEMPTS):
        try:
            return attempt()
        except _WriteConflictError:
            # Jittered so that writers of one document stop colliding in lockstep.
            time.sleep(random.uniform(0, _BACKOFF_SECONDS * (tries + 1)))  # noqa: S311
    raise StoreContentionError("too many concurrent writes to one document; try again")


def _announces(stored: Stored, delivery: WebhookDelivery) -> bool:
    step = step_id(stored.document)
    return (
        step is not None
        and stored.announced != step
        and stored.document.status.final
        and delivery.id.startswith(f"{step}/")
    )


def _announceable(document: Document, before: datetime) -> bool:
    # Checked again on the document itself: the index may lag behind it.
    return (
        document.status.final
        and document.callback_url is not None
        and document.step is not None
        and document.updated_at < before
    )


def _on_the_way(document: Document) -> bool:
    return not document.status.final and document.status != DocumentStatus.NEEDS_REVIEW


def _names(*names: str) -> dict[str, str]:
    return {f"#{name}": name for name in names}


def _claims(document: Document) -> list[Item]:
    """The uniqueness items a document holds: its content (not for an attachment, which is
    never deduplicated) and its idempotency key."""
    claims = [sha_key(document.tenant, document.content.sha256)]
    if document.parent_id is not None:
        claims = []
    if document.idempotency_key is not None:
        claims.append(idempotency_key(document.tenant, document.idempotency_key))
    return claims
