"""Choose the results store from its url (``DOCFLOW_STORE_URL``)."""

from pathlib import Path
from urllib.parse import urlsplit

from docflow_results.repository import Repository
from docflow_results.settings import ResultsSettings
from docflow_results.sqlite import DEFAULT_BUSY_TIMEOUT_SECONDS, SqliteRepository
from docflow_runtime.errors import ConfigurationError

_SQLITE_PREFIX = "sqlite:///"
_COMING = {"postgresql": "PostgreSQL", "postgres": "PostgreSQL", "dynamodb": "DynamoDB"}


class UnsupportedStoreUrlError(ValueError, ConfigurationError):
    """A store url (configuration) that no available backend serves."""


def repository_from_url(
    url: str, *, busy_timeout_seconds: float = DEFAULT_BUSY_TIMEOUT_SECONDS
) -> Repository:
    """The store a url names. Messages name the scheme, never the url: it may hold a password.

    ``sqlite:///relative/file.db`` is relative to the working directory and
    ``sqlite:////absolute/file.db`` absolute; missing parent directories are created.
    """
    scheme = urlsplit(url.strip()).scheme.lower()
    if scheme == "sqlite":
        path = _sqlite_path(url.strip())
        path.parent.mkdir(parents=True, exist_ok=True)
        return SqliteRepository(path, busy_timeout_seconds=busy_timeout_seconds)
    if scheme in _COMING:
        raise UnsupportedStoreUrlError(
            f"the {_COMING[scheme]} results store is not available yet; use sqlite:///file.db"
        )
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
        settings.store_url, busy_timeout_seconds=settings.store_busy_timeout_seconds
    )
