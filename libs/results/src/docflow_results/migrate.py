"""``docflow-migrate``: bring the configured results store's schema up to date, then exit.

Services do not migrate PostgreSQL by themselves: in a cluster one Job (or an init container)
runs this before the services start, and they refuse a schema that is behind. Running it again,
or from several pods at once, is safe. Exit status 0 when the store is current, 2 for a
configuration error (bad url, schema newer than this docflow), 1 when the store did not answer.
"""

import sys
from collections.abc import Callable
from typing import Final
from urllib.parse import urlsplit

from pydantic import ValidationError

from docflow_results.dynamodb import ensure_table, make_client
from docflow_results.factory import (
    UnsupportedStoreUrlError,
    dynamodb_options,
    dynamodb_table,
    pool_options,
    repository_from_url,
)
from docflow_results.postgres import migrate_url
from docflow_results.settings import ResultsSettings
from docflow_runtime.errors import ConfigurationError, TransientError

CONFIGURATION_ERROR: Final = 2
UNAVAILABLE: Final = 1


def migrate_postgres(settings: ResultsSettings) -> str:
    applied = migrate_url(settings.store_url.strip(), pool_options(settings))
    names = ", ".join(f"{m.version:04d}_{m.name}" for m in applied)
    return f"PostgreSQL: applied {names}" if applied else "PostgreSQL: already up to date"


def migrate_dynamodb(settings: ResultsSettings) -> str:
    table = dynamodb_table(settings.store_url)
    client = make_client(dynamodb_options(settings))
    try:
        created = ensure_table(client, table)
    finally:
        client.close()
    return "DynamoDB: table created" if created else "DynamoDB: table already there"


def migrate_sqlite(settings: ResultsSettings) -> str:
    # Opening a SQLite store migrates it (one file, no cluster to coordinate).
    repository_from_url(settings.store_url).close()
    return "SQLite: up to date"


#: One function per url scheme.
MIGRATORS: Final[dict[str, Callable[[ResultsSettings], str]]] = {
    "sqlite": migrate_sqlite,
    "postgresql": migrate_postgres,
    "postgres": migrate_postgres,
    "dynamodb": migrate_dynamodb,
}


def run(settings: ResultsSettings) -> str:
    """Migrate the store ``settings`` name; returns what was done."""
    scheme = urlsplit(settings.store_url.strip()).scheme.lower()
    migrator = MIGRATORS.get(scheme)
    if migrator is None:
        raise UnsupportedStoreUrlError(f"docflow-migrate does not know store scheme {scheme!r}")
    return migrator(settings)


def main() -> int:
    try:
        print(f"docflow-migrate: {run(ResultsSettings())}")
    except ValidationError as exc:
        print(f"docflow-migrate: invalid configuration:\n{exc}", file=sys.stderr)
        return CONFIGURATION_ERROR
    except ConfigurationError as exc:
        print(f"docflow-migrate: {exc}", file=sys.stderr)
        return CONFIGURATION_ERROR
    except TransientError as exc:
        print(f"docflow-migrate: {exc}; try again", file=sys.stderr)
        return UNAVAILABLE
    return 0


if __name__ == "__main__":
    sys.exit(main())
