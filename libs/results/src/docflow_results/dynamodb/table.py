"""The one table of the DynamoDB store: its keys, its indexes, creating and checking it.

The layout (see docs/backends/dynamodb.md): every item has a partition key ``pk`` and a sort
key ``sk``. A document's own items share the partition ``DOC#<id>`` (the document, its final
record, its events, its webhook deliveries); uniqueness of content and idempotency keys per
tenant is held by small items of their own. Three sparse, keys-only indexes serve the queries
that do not start from a document id.
"""

import time
from typing import Final

from botocore.exceptions import ClientError
from mypy_boto3_dynamodb import DynamoDBClient
from mypy_boto3_dynamodb.type_defs import (
    AttributeDefinitionTypeDef,
    GlobalSecondaryIndexTypeDef,
    TableDescriptionTypeDef,
)

from docflow_results.dynamodb.errors import (
    TableMissingError,
    TableNotReadyError,
    error_code,
    translated,
)

PK: Final = "pk"
SK: Final = "sk"
#: A tenant's documents, newest first: key ``tenant_key``, sort ``created_key``.
TENANT_INDEX: Final = "by_tenant"
#: A tenant's documents in one status, newest first: ``tenant_status``, ``created_key``.
TENANT_STATUS_INDEX: Final = "by_tenant_status"
#: Documents the reconciler watches (on their way, or final and not announced), longest
#: unchanged first: ``attention``, ``attention_key``; absent on every other document.
ATTENTION_INDEX: Final = "by_attention"

_INDEX_KEYS: Final = {
    TENANT_INDEX: ("tenant_key", "created_key"),
    TENANT_STATUS_INDEX: ("tenant_status", "created_key"),
    ATTENTION_INDEX: ("attention", "attention_key"),
}
_POLL_SECONDS: Final = 1.0
DEFAULT_WAIT_SECONDS: Final = 600.0


def ensure_table(
    client: DynamoDBClient, table: str, *, wait_seconds: float = DEFAULT_WAIT_SECONDS
) -> bool:
    """Create the table and its indexes where missing, and wait until all are active.
    True when the table was created by this call; running it again changes nothing."""
    created = _create_table(client, table)
    deadline = time.monotonic() + wait_seconds
    description = _wait_active(client, table, deadline)
    for name in _missing_indexes(description):
        # DynamoDB builds one new index per UpdateTable at a time.
        with translated("UpdateTable"):
            client.update_table(
                TableName=table,
                AttributeDefinitions=_attribute_definitions(),
                GlobalSecondaryIndexUpdates=[{"Create": _index(name)}],
            )
        description = _wait_active(client, table, deadline)
    return created


def check_table(client: DynamoDBClient, table: str) -> None:
    """Raise TableMissingError unless the table and every index exist."""
    description = _describe(client, table)
    if description is None:
        raise TableMissingError(
            f"the DynamoDB results table {table!r} does not exist: run docflow-migrate"
        )
    missing = _missing_indexes(description)
    if missing:
        raise TableMissingError(
            f"the DynamoDB results table {table!r} lacks the index {missing[0]!r}: "
            "run docflow-migrate"
        )


def _create_table(client: DynamoDBClient, table: str) -> bool:
    if _describe(client, table) is not None:
        return False
    try:
        with translated("CreateTable"):
            client.create_table(
                TableName=table,
                BillingMode="PAY_PER_REQUEST",
                AttributeDefinitions=_attribute_definitions(),
                KeySchema=[
                    {"AttributeName": PK, "KeyType": "HASH"},
                    {"AttributeName": SK, "KeyType": "RANGE"},
                ],
                GlobalSecondaryIndexes=[_index(name) for name in _INDEX_KEYS],
            )
    except ClientError as error:
        if error_code(error) != "ResourceInUseException":
            raise
        return False  # another docflow-migrate created it a moment ago
    return True


def _describe(client: DynamoDBClient, table: str) -> TableDescriptionTypeDef | None:
    try:
        with translated("DescribeTable"):
            return client.describe_table(TableName=table)["Table"]
    except TableMissingError:
        return None


def _wait_active(client: DynamoDBClient, table: str, deadline: float) -> TableDescriptionTypeDef:
    while True:
        description = _describe(client, table)
        if description is not None and _active(description):
            return description
        if time.monotonic() >= deadline:
            raise TableNotReadyError("the DynamoDB results table did not become active in time")
        time.sleep(_POLL_SECONDS)


def _active(description: TableDescriptionTypeDef) -> bool:
    indexes = description.get("GlobalSecondaryIndexes", [])
    return description.get("TableStatus") == "ACTIVE" and all(
        index.get("IndexStatus") == "ACTIVE" for index in indexes
    )


def _missing_indexes(description: TableDescriptionTypeDef) -> list[str]:
    present = {index.get("IndexName") for index in description.get("GlobalSecondaryIndexes", [])}
    return [name for name in _INDEX_KEYS if name not in present]


def _attribute_definitions() -> list[AttributeDefinitionTypeDef]:
    names = [PK, SK, *sorted({key for keys in _INDEX_KEYS.values() for key in keys})]
    return [{"AttributeName": name, "AttributeType": "S"} for name in names]


def _index(name: str) -> GlobalSecondaryIndexTypeDef:
    partition, sort = _INDEX_KEYS[name]
    # Keys only: every document update would otherwise be written again to each index; a
    # listing reads the documents themselves with BatchGetItem.
    return {
        "IndexName": name,
        "KeySchema": [
            {"AttributeName": partition, "KeyType": "HASH"},
            {"AttributeName": sort, "KeyType": "RANGE"},
        ],
        "Projection": {"ProjectionType": "KEYS_ONLY"},
    }
