"""The results store on PostgreSQL (``DOCFLOW_STORE_URL=postgresql://…``).

Services open it with :class:`PostgresRepository`, which refuses a schema that is not current;
``docflow-migrate`` (:mod:`docflow_results.migrate`) brings the schema up to date.
"""

from docflow_results.postgres.connection import PoolOptions
from docflow_results.postgres.errors import (
    InvalidPostgresUrlError,
    SchemaOutdatedError,
    SchemaTooNewError,
    StoreBusyError,
    StoreConflictError,
    StoreUnavailableError,
)
from docflow_results.postgres.repository import PostgresRepository
from docflow_results.postgres.schema import SCHEMA_VERSION, migrate_url

__all__ = [
    "SCHEMA_VERSION",
    "InvalidPostgresUrlError",
    "PoolOptions",
    "PostgresRepository",
    "SchemaOutdatedError",
    "SchemaTooNewError",
    "StoreBusyError",
    "StoreConflictError",
    "StoreUnavailableError",
    "migrate_url",
]
