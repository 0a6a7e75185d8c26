"""Choose the results store from its url (``DOCFLOW_STORE_URL``)."""

import re
from pathlib import Path
from urllib.parse import urlsplit

from pydantic import ValidationError

from docflow_results.dynamodb import DynamoDbOptions, DynamoDbRepository
from docflow_results.postgres import PoolOptions, PostgresRepository
from docflow_results.postgres.connection import SCHEMES as POSTGRES_SCHEMES
from docflow_results.repository import Repository
from docflow_results.settings import ResultsSettings
from docflow_results.sqlite import DEFAULT_BUSY_TIMEOUT_SECONDS, SqliteRepository
from docflow_runtime.errors import ConfigurationError

_SQLITE_PREFIX = "sqlite:///"
#: DynamoDB's rule for table names.
_DYNAMODB_TABLE = re.compile(r"[A-Za-z0-9_.-]{3,255}")


class UnsupportedStoreUrlError(ValueError, ConfigurationError):
    """A store url (configuration) that no available backend serves."""


def repository_from_url(
    url: str,
    *,
    busy_timeout_seconds: float = DEFAULT_BUSY_TIMEOUT_SECONDS,
    pool: PoolOptions | None = None,
    dynamodb: DynamoDbOptions | None = None,
) -> Repository:
    """The store a url names. Messages name the scheme, never the url: it may hold a password.

    ``sqlite:///relative/file.db`` is relative to the working directory and
    ``sqlite:////absolute/file.db`` absolute; missing parent directories are created.
    ``postgresql://user:password@host:5432/database`` (or ``postgres://``) opens a pool of
    ``pool`` connections to a database ``docflow-migrate`` has brought up to date.
    ``dynamodb://TABLE`` opens a table ``docflow-migrate`` created, in the region and with the
    credentials of the AWS environment.
    """
    scheme = urlsplit(url.strip()).scheme.lower()
    if scheme == "sqlite":
        path = _sqlite_path(url.strip())
        path.parent.mkdir(parents=True, exist_ok=True)
        return SqliteRepository(path, busy_timeout_seconds=busy_timeout_seconds)
    if scheme in POSTGRES_SCHEMES:
        return PostgresRepository(url.strip(), pool)
    if scheme == "dynamodb":
        return DynamoDbRepository(dynamodb_table(url), options=dynamodb)
    raise UnsupportedStoreUrlError(
        f"unsupported results store url scheme {scheme!r}; expected sqlite:///file.db"
    )


def _sqlite_path(url: str) -> Path:
    if not url.startswith(_SQLITE_PREFIX):
        raise UnsupportedStoreUrlError("a SQLite store url looks like sqlite:///path/to/file.db")
    raw = url[len(_SQLITE_PREFIX) :]
    if not raw or raw.endswith("/") or raw == ":memory:" or "?" in raw:
        raise UnsupportedStoreUrlError(
            "a SQLite store url names a database file (sqlite:///path/to/file.db); in-memory "
            "databases and url parameters are not supported"
        )
    return Path(raw)


def open_repository(settings: ResultsSettings) -> Repository:
    """The results store a service's settings name."""
    return repository_from_url(
        settings.store_url,
        busy_timeout_seconds=settings.store_busy_timeout_seconds,
        pool=pool_options(settings),
        dynamodb=dynamodb_options(settings),
    )


def dynamodb_table(url: str) -> str:
    """The table a ``dynamodb://TABLE`` url names."""
    parts = urlsplit(url.strip())
    if parts.path not in ("", "/") or parts.query or parts.fragment:
        raise UnsupportedStoreUrlError("a DynamoDB store url names only a table: dynamodb://TABLE")
    if not _DYNAMODB_TABLE.fullmatch(parts.netloc):
        raise UnsupportedStoreUrlError(
            "a DynamoDB table name has 3 to 255 letters, digits, '_', '-' or '.'"
        )
    return parts.netloc


def dynamodb_options(settings: ResultsSettings) -> DynamoDbOptions:
    return DynamoDbOptions(
        retry_mode=settings.store_dynamodb_retry_mode,
        max_attempts=settings.store_dynamodb_max_attempts,
    )


def pool_options(settings: ResultsSettings) -> PoolOptions:
    """The PostgreSQL pool the settings describe."""
    try:
        return PoolOptions(
            min_size=settings.store_pool_min_size,
            max_size=settings.store_pool_max_size,
            connect_timeout_seconds=settings.store_connect_timeout_seconds,
            pool_timeout_seconds=settings.store_pool_timeout_seconds,
        )
    except ValidationError:
        raise UnsupportedStoreUrlError(
            "DOCFLOW_STORE_POOL_MIN_SIZE is larger than DOCFLOW_STORE_POOL_MAX_SIZE"
        ) from None
