"""What the PostgreSQL store raises, and how the driver's errors become these.

A stage retries a ``TransientError``, so a database that went away (connection lost or refused,
server shutting down, every pooled connection busy) or a transaction that lost a conflict
surfaces as one. Messages name the kind of failure and the SQLSTATE, never the url, the host
or the server's own text: the url holds a password, and the server's text may hold paths.
"""

import contextlib
from collections.abc import Iterator
from typing import Final

import psycopg
import psycopg_pool

from docflow_runtime.errors import ConfigurationError, TransientError

#: SQLSTATE class 40: the transaction was rolled back (serialization failure, deadlock).
ROLLBACK_CLASS: Final = "40"
#: A rolled-back transaction can be tried again at once; a lost connection needs a moment.
CONFLICT_RETRY_AFTER: Final = 0.1
UNAVAILABLE_RETRY_AFTER: Final = 1.0


class InvalidPostgresUrlError(ValueError, ConfigurationError):
    """A store url psycopg cannot read, or options that cannot work."""


class SchemaOutdatedError(ConfigurationError):
    """The database's schema is older than this docflow needs: run ``docflow-migrate``."""


class SchemaTooNewError(ConfigurationError):
    """The database was migrated by a newer docflow; this one must not touch it."""


class StoreUnavailableError(TransientError):
    """The database did not answer, or the connection was lost."""


class StoreBusyError(TransientError):
    """No pooled connection was free in time."""


class StoreConflictError(TransientError):
    """The transaction lost a conflict (serialization failure, deadlock) more than once."""


def is_rollback(exc: psycopg.Error) -> bool:
    """Whether the server rolled the transaction back for a conflict: trying again may work."""
    return (exc.sqlstate or "").startswith(ROLLBACK_CLASS)


#: What libpq says when a connection fails (it gives no SQLSTATE then), as may be shown: the
#: rest of its text names hosts, ports and socket paths.
_CONNECT_FAILURES: Final = (
    ("authentication failed", "authentication failed"),
    ("does not exist", "no such user or database"),
    ("connection refused", "connection refused"),
    ("timeout expired", "timed out"),
    ("resolve host", "unknown host"),
    ("translate host name", "unknown host"),
    ("no pg_hba.conf entry", "refused by pg_hba.conf"),
    ("too many clients", "too many connections"),
    ("ssl", "TLS failed"),
)


def describe(exc: psycopg.Error) -> str:
    """The class and SQLSTATE (or the kind of connection failure) of a driver error: what
    may be shown of it."""
    if exc.sqlstate:
        return f"{type(exc).__name__}, SQLSTATE {exc.sqlstate}"
    text = str(exc).lower()
    kind = next((kind for phrase, kind in _CONNECT_FAILURES if phrase in text), None)
    return type(exc).__name__ if kind is None else f"{type(exc).__name__}: {kind}"


@contextlib.contextmanager
def translated(pool_timeout: float) -> Iterator[None]:
    """Raise the driver's operational errors as the transient errors stages retry."""
    try:
        yield
    except psycopg_pool.PoolTimeout as exc:
        raise StoreBusyError(
            f"no connection to the PostgreSQL results store was free within {pool_timeout:g} s;"
            " raise DOCFLOW_STORE_POOL_MAX_SIZE or DOCFLOW_STORE_POOL_TIMEOUT_SECONDS",
            retry_after=UNAVAILABLE_RETRY_AFTER,
        ) from exc
    except (psycopg.OperationalError, psycopg.InterfaceError) as exc:
        if is_rollback(exc):
            raise StoreConflictError(
                f"a PostgreSQL results store transaction kept conflicting ({describe(exc)})",
                retry_after=CONFLICT_RETRY_AFTER,
            ) from exc
        raise StoreUnavailableError(
            f"the PostgreSQL results store is unavailable ({describe(exc)})",
            retry_after=UNAVAILABLE_RETRY_AFTER,
        ) from exc
