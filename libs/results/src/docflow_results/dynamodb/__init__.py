"""The results store on DynamoDB: one table, three keys-only indexes (docs/backends/dynamodb.md).

``DOCFLOW_STORE_URL=dynamodb://TABLE``; region, credentials and endpoint come from the standard
AWS environment. ``docflow-migrate`` creates the table (:func:`ensure_table`); a service
refuses to start on a table that does not exist.
"""

from docflow_results.dynamodb.client import DynamoDbOptions, make_client
from docflow_results.dynamodb.errors import (
    ItemTooLargeError,
    StoreAccessDeniedError,
    StoreContentionError,
    StoreThrottledError,
    StoreUnavailableError,
    TableMissingError,
)
from docflow_results.dynamodb.repository import DynamoDbRepository
from docflow_results.dynamodb.table import ensure_table

__all__ = [
    "DynamoDbOptions",
    "DynamoDbRepository",
    "ItemTooLargeError",
    "StoreAccessDeniedError",
    "StoreContentionError",
    "StoreThrottledError",
    "StoreUnavailableError",
    "TableMissingError",
    "ensure_table",
    "make_client",
]
