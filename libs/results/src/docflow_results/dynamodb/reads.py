"""Reading the table: documents with their record, a partition's children, index queries.

Reads of the table itself are strongly consistent (a write is seen by the next read, from any
process, as with SQLite); index queries cannot be, so what an index names is read again from
the table and checked by the caller.
"""

import json
import time
from collections.abc import Iterator
from datetime import datetime
from typing import Any, Final, NamedTuple

from mypy_boto3_dynamodb import DynamoDBClient
from mypy_boto3_dynamodb.type_defs import (
    AttributeValueTypeDef,
    WriteRequestTypeDef,
)

from docflow_results.cursor import decode_cursor
from docflow_results.dynamodb.errors import StoreUnavailableError, translated
from docflow_results.dynamodb.items import (
    DOC_SK,
    RESULT_SK,
    Item,
    Stored,
    attention_partitions,
    doc_key,
    document_id,
    from_time_key,
    result_text,
    stored_document,
    tenant_key,
    tenant_status,
    time_key,
)
from docflow_results.dynamodb.table import (
    ATTENTION_INDEX,
    PK,
    SK,
    TENANT_INDEX,
    TENANT_STATUS_INDEX,
)
from docflow_results.models import Document, DocumentStatus, ListOrder
from docflow_results.repository import check_page_limit

#: DynamoDB's limits per BatchGetItem and per BatchWriteItem.
_BATCH_GET: Final = 100
_BATCH_WRITE: Final = 25
#: Rounds for the keys a batch call leaves unprocessed (it does under throttling).
_BATCH_ROUNDS: Final = 8
_BATCH_BACKOFF_SECONDS: Final = 0.05

Position = tuple[datetime, str]


class Reader:
    def __init__(self, client: DynamoDBClient, table: str) -> None:
        self._client = client
        self._table = table

    # -- one document ---------------------------------------------------------------------

    def item(self, key: Item) -> Item | None:
        with translated("GetItem"):
            answer = self._client.get_item(TableName=self._table, Key=key, ConsistentRead=True)
        return answer.get("Item")

    def stored(self, document_id: str) -> Stored | None:
        item = self.item(doc_key(document_id))
        return None if item is None else stored_document(item)

    def document(self, document_id: str) -> Document | None:
        """The document with its final record: one query over both items."""
        items = self._query(
            KeyConditionExpression="#pk = :pk AND begins_with(#sk, :doc)",
            ExpressionAttributeNames={"#pk": PK, "#sk": SK},
            ExpressionAttributeValues={":pk": doc_key(document_id)[PK], ":doc": {"S": DOC_SK}},
            ConsistentRead=True,
        )
        by_sk = {item[SK]["S"]: item for item in items}
        if DOC_SK not in by_sk:
            return None
        return _with_record(stored_document(by_sk[DOC_SK]).document, by_sk.get(RESULT_SK))

    def with_result(self, document: Document) -> Document:
        return _with_record(document, self.item(doc_key(document.id, RESULT_SK)))

    def claimed(self, claim: Item) -> Document | None:
        """The document a uniqueness claim (content or idempotency key) points at."""
        item = self.item(claim)
        return None if item is None else self.document(item["document_id"]["S"])

    def children(self, document_id: str, prefix: str, limit: int | None = None) -> list[Item]:
        """The items of a document's partition whose sort key starts with ``prefix``."""
        query: dict[str, Any] = {
            "KeyConditionExpression": "#pk = :pk AND begins_with(#sk, :prefix)",
            "ExpressionAttributeNames": {"#pk": PK, "#sk": SK},
            "ExpressionAttributeValues": {
                ":pk": doc_key(document_id)[PK],
                ":prefix": {"S": prefix},
            },
            "ConsistentRead": True,
        }
        if limit is not None:
            query["Limit"] = limit
        return self._query(**query, at_most=limit)

    def delete_children(self, document_id: str) -> None:
        """Delete every item of the partition but the document item itself."""
        keys = self._query(
            KeyConditionExpression="#pk = :pk",
            ExpressionAttributeNames={"#pk": PK, "#sk": SK},
            ExpressionAttributeValues={":pk": doc_key(document_id)[PK]},
            ProjectionExpression="#pk, #sk",
            ConsistentRead=True,
        )
        requests: list[WriteRequestTypeDef] = [
            {"DeleteRequest": {"Key": key}} for key in keys if key[SK]["S"] != DOC_SK
        ]
        for start in range(0, len(requests), _BATCH_WRITE):
            self._batch_write(requests[start : start + _BATCH_WRITE])

    # -- many documents -------------------------------------------------------------------

    def documents(self, ids: list[str], *, records: bool = True) -> list[Document]:
        """The documents named, in that order, each with its record (unless not ``records``);
        absent ones left out."""
        items: dict[tuple[str, str], Item] = {}
        kinds = (DOC_SK, RESULT_SK) if records else (DOC_SK,)
        keys = [doc_key(i, sk) for i in dict.fromkeys(ids) for sk in kinds]
        for start in range(0, len(keys), _BATCH_GET):
            for item in self._batch_get(keys[start : start + _BATCH_GET]):
                items[item[PK]["S"], item[SK]["S"]] = item
        found = []
        for wanted in ids:
            pk = doc_key(wanted)[PK]["S"]
            if (pk, DOC_SK) in items:
                document = stored_document(items[pk, DOC_SK]).document
                found.append(_with_record(document, items.get((pk, RESULT_SK))))
        return found

    def listing(
        self,
        tenant: str,
        *,
        status: DocumentStatus | None,
        created_after: datetime | None,
        created_before: datetime | None,
        limit: int,
        cursor: str | None,
        order: ListOrder = "newest",
    ) -> tuple[list[Position], bool]:
        """Positions of a page of a tenant's documents in ``order``, and whether more follow."""
        check_page_limit(limit)
        bounds = _bounds(created_after, created_before, cursor, order)
        if bounds.lower is not None and bounds.upper is not None and bounds.lower > bounds.upper:
            return [], False
        index, partition = (
            (TENANT_INDEX, ("tenant_key", tenant_key(tenant)))
            if status is None
            else (TENANT_STATUS_INDEX, ("tenant_status", tenant_status(tenant, status)))
        )
        query = _range_query(partition, bounds.lower, bounds.upper)
        # One more than a page tells whether another follows; one more again for a cursor's
        # own key, which the range includes. Limit keeps the read (and its bill) to that.
        wanted = limit + 2
        items = self._query(
            IndexName=index, ScanIndexForward=order == "oldest", Limit=wanted, **query,
            at_most=wanted,
        )  # fmt: skip
        keys = [k for k in (i["created_key"]["S"] for i in items) if k != bounds.start]
        return [_position(key) for key in keys[:limit]], len(keys) > limit

    def attention(self, kind: str, before: datetime, limit: int) -> list[str]:
        """Ids of up to ``limit`` documents of the attention index's ``kind`` unchanged since
        before ``before``, the longest unchanged first, over every shard."""
        found: list[tuple[str, str]] = []
        for partition in attention_partitions(kind):
            items = self._query(
                IndexName=ATTENTION_INDEX,
                KeyConditionExpression="#p = :p AND #k < :before",
                ExpressionAttributeNames={"#p": "attention", "#k": "attention_key"},
                ExpressionAttributeValues={
                    ":p": {"S": partition},
                    ":before": {"S": time_key(before)},
                },
                Limit=limit,
                at_most=limit,
            )
            found += [(item["attention_key"]["S"], document_id(item)) for item in items]
        return [found_id for _, found_id in sorted(found)[:limit]]

    # -- calls ----------------------------------------------------------------------------

    def _query(self, *, at_most: int | None = None, **query: Any) -> list[Item]:
        """Every page of a query, or the first ``at_most`` items."""
        items: list[Item] = []
        for page in self._pages(query):
            items += page
            if at_most is not None and len(items) >= at_most:
                return items[:at_most]
        return items

    def _pages(self, query: dict[str, Any]) -> Iterator[list[Item]]:
        request: dict[str, Any] = {"TableName": self._table, **query}
        while True:
            with translated("Query"):
                answer = self._client.query(**request)
            yield answer["Items"]
            start = answer.get("LastEvaluatedKey")
            if start is None:
                return
            request["ExclusiveStartKey"] = start

    def _batch_get(self, keys: list[Item]) -> list[Item]:
        found: list[Item] = []
        request: dict[str, Any] = {self._table: {"Keys": keys, "ConsistentRead": True}}
        for round_ in range(_BATCH_ROUNDS):
            with translated("BatchGetItem"):
                answer = self._client.batch_get_item(RequestItems=request)
            found += answer["Responses"].get(self._table, [])
            request = dict(answer.get("UnprocessedKeys") or {})
            if not request:
                return found
            time.sleep(_BATCH_BACKOFF_SECONDS * 2**round_)
        raise StoreUnavailableError("DynamoDB BatchGetItem left keys unprocessed; try again")

    def _batch_write(self, requests: list[WriteRequestTypeDef]) -> None:
        pending: dict[str, Any] = {self._table: requests}
        for round_ in range(_BATCH_ROUNDS):
            with translated("BatchWriteItem"):
                answer = self._client.batch_write_item(RequestItems=pending)
            pending = dict(answer.get("UnprocessedItems") or {})
            if not pending:
                return
            time.sleep(_BATCH_BACKOFF_SECONDS * 2**round_)
        raise StoreUnavailableError("DynamoDB BatchWriteItem left items unprocessed; try again")


def _with_record(document: Document, item: Item | None) -> Document:
    text = result_text(item, document.run)
    return document if text is None else document.model_copy(update={"result": json.loads(text)})


class _Bounds(NamedTuple):
    """A listing's range of index keys: ``lower`` inclusive, ``upper`` exclusive, and the
    cursor's own key, ``start``, which the range may hold and the listing drops."""

    lower: str | None
    upper: str | None
    start: str | None


def _bounds(
    created_after: datetime | None,
    created_before: datetime | None,
    cursor: str | None,
    order: ListOrder,
) -> _Bounds:
    lower = [] if created_after is None else [time_key(created_after)]
    upper = [] if created_before is None else [time_key(created_before)]
    start = None
    if cursor is not None:
        position = decode_cursor(cursor, order)
        start = f"{time_key(position.created_at)}#{position.id}"
        # A page continues below its cursor newest first, above it oldest first.
        (upper if order == "newest" else lower).append(start)
    return _Bounds(max(lower, default=None), min(upper, default=None), start)


def _range_query(
    partition: tuple[str, str], lower: str | None, upper: str | None
) -> dict[str, Any]:
    name, value = partition
    values: dict[str, AttributeValueTypeDef] = {":p": {"S": value}}
    condition = "#p = :p"
    # A key condition takes one range test: both ends make a BETWEEN, whose upper end is
    # inclusive, so the listing drops a key equal to it (only a cursor's own can be; a bare
    # time key never equals a document's ``time#id``).
    if lower is not None and upper is not None:
        condition += " AND #k BETWEEN :lo AND :hi"
        values |= {":lo": {"S": lower}, ":hi": {"S": upper}}
    elif upper is not None:
        condition += " AND #k < :hi"
        values[":hi"] = {"S": upper}
    elif lower is not None:
        condition += " AND #k >= :lo"
        values[":lo"] = {"S": lower}
    names = {"#p": name} | ({} if lower is None and upper is None else {"#k": "created_key"})
    return {
        "KeyConditionExpression": condition,
        "ExpressionAttributeNames": names,
        "ExpressionAttributeValues": values,
    }


def _position(created_key: str) -> Position:
    moment, _, position_id = created_key.partition("#")
    return from_time_key(moment), position_id
