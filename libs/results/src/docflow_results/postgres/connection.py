"""Connections to the store's database: the url, the pool's options, one-off connections.

The url (``postgresql://user:password@host:port/db?options``) is handed to libpq as it is; it
never appears in a message, a repr or a log line: it holds a password.
"""

import math
from typing import Any, Final, Self

import psycopg
import psycopg_pool
from psycopg.rows import DictRow, dict_row
from pydantic import BaseModel, ConfigDict, Field, model_validator

from docflow_results.postgres.errors import (
    InvalidPostgresUrlError,
    StoreUnavailableError,
    describe,
)

SCHEMES: Final = ("postgresql", "postgres")
#: libpq counts connect_timeout in whole seconds and treats less than 2 as 2.
_MIN_CONNECT_TIMEOUT: Final = 2
_APPLICATION_NAME: Final = "docflow"

Connection = psycopg.Connection[DictRow]


class PoolOptions(BaseModel):
    """How many connections one store handle keeps, and how long it waits for them."""

    model_config = ConfigDict(frozen=True)

    min_size: int = Field(default=1, ge=0)
    max_size: int = Field(default=10, ge=1)
    connect_timeout_seconds: float = Field(default=10.0, gt=0)
    pool_timeout_seconds: float = Field(default=30.0, gt=0)

    @model_validator(mode="after")
    def _sizes_fit(self) -> Self:
        if self.min_size > self.max_size:
            raise ValueError("the pool's minimum size is larger than its maximum size")
        return self


def check_url(url: str) -> None:
    """Raise InvalidPostgresUrlError when libpq cannot read ``url``; says nothing of its text."""
    try:
        params = psycopg.conninfo.conninfo_to_dict(url)
    except psycopg.ProgrammingError:
        params = None  # libpq's message quotes the part of the url it could not read
    ports = str(params.get("port") or "5432") if params is not None else ""
    if not all(port.isdigit() for port in ports.split(",")):
        raise InvalidPostgresUrlError(
            "a PostgreSQL store url looks like postgresql://user:password@host:5432/database"
        )


def describe_url(url: str) -> str:
    """The database a url names, without user or password: for reprs and messages."""
    params = psycopg.conninfo.conninfo_to_dict(url)
    return str(params.get("dbname") or "(default database)")


def connect_kwargs(options: PoolOptions) -> dict[str, Any]:
    """Connection parameters beside the url: autocommit, so that reads need no transaction."""
    timeout = max(_MIN_CONNECT_TIMEOUT, math.ceil(options.connect_timeout_seconds))
    return {
        "autocommit": True,
        "row_factory": dict_row,
        "connect_timeout": timeout,
        "application_name": _APPLICATION_NAME,
    }


def open_pool(url: str, options: PoolOptions) -> psycopg_pool.ConnectionPool[Connection]:
    """A pool with its first connections made; StoreUnavailableError when none can be."""
    pool: psycopg_pool.ConnectionPool[Connection] = psycopg_pool.ConnectionPool(
        url,
        connection_class=psycopg.Connection[DictRow],
        kwargs=connect_kwargs(options),
        min_size=options.min_size,
        max_size=options.max_size,
        timeout=options.pool_timeout_seconds,
        # A connection the server dropped while idle is found and replaced before it is used.
        check=psycopg_pool.ConnectionPool.check_connection,
        name="docflow-results",
        open=False,
    )
    try:
        pool.open(wait=True, timeout=options.connect_timeout_seconds)
    except psycopg_pool.PoolTimeout:
        pool.close()
        # The pool only says that it timed out; one connection of its own tells why.
        connect(url, options).close()
        raise StoreUnavailableError(
            "the PostgreSQL results store did not accept a connection within "
            f"{options.connect_timeout_seconds:g} s"
        ) from None
    return pool


def connect(url: str, options: PoolOptions) -> Connection:
    """One connection of its own (migrations hold a session lock on it)."""
    try:
        return psycopg.Connection.connect(url, **connect_kwargs(options))
    except psycopg.OperationalError as exc:
        raise StoreUnavailableError(
            f"cannot connect to the PostgreSQL results store ({describe(exc)})"
        ) from exc
