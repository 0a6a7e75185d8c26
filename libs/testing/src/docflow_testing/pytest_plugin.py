"""pytest plugin: one real Kafka broker for the whole session, and topics of each test's own.

Fixtures:

- ``kafka_bootstrap`` (session): the bootstrap address of the broker chosen by
  :func:`docflow_testing.broker.provide_broker`. Every test that uses it, directly or
  through another fixture, is marked ``connected`` (``-m "not connected"`` skips them).
- ``topic_prefix``: a prefix no other test uses, for topics and consumer groups.
- ``kafka_topics``: creates the test's own prefixed topics, and deletes them afterwards.
- ``samples``: the repository's ``samples/`` folder of real documents.
- ``repository``: an empty SQLite results store in the test's own directory.
- ``aws_endpoint`` (session): a moto server's url, with test credentials in the environment;
  tests name their own buckets and tables.
- ``postgres_url`` (session): the url of a PostgreSQL server chosen by
  :func:`docflow_testing.postgres.provide_postgres`.
- ``postgres_schema_url``: that server's url with a fresh, empty schema of this test's own as
  its search path (dropped afterwards).
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from pathlib import Path

import pytest

from docflow_results.sqlite import SqliteRepository
from docflow_runtime.admin import delete_topics
from docflow_testing.aws import TEST_ENVIRONMENT, moto_server
from docflow_testing.broker import (
    NoBrokerForTestsError,
    ProvidedBroker,
    TopicFactory,
    make_topics,
    provide_broker,
    unique_prefix,
)
from docflow_testing.postgres import (
    NoPostgresForTestsError,
    ProvidedPostgres,
    fresh_schema,
    provide_postgres,
)
from docflow_testing.samples import samples_dir

# Registered before any test module imports it: plain asserts in the shared suite then
# explain their failures as a test's do.
pytest.register_assert_rewrite("docflow_testing.results_contract")
pytest.register_assert_rewrite("docflow_testing.blobstore_contract")

CONNECTED_MARKER = "connected"
_MARKER_HELP = "connected: needs a real Kafka broker (provided by the kafka_bootstrap fixture)"
_CHOSEN = pytest.StashKey[ProvidedBroker]()
_CHOSEN_POSTGRES = pytest.StashKey[ProvidedPostgres]()


def pytest_configure(config: pytest.Config) -> None:
    # Registered here too, so that projects using the plugin pass --strict-markers as well.
    if not any(line.startswith(f"{CONNECTED_MARKER}:") for line in config.getini("markers")):
        config.addinivalue_line("markers", _MARKER_HELP)


@pytest.hookimpl(tryfirst=True)
def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    # First, so that selection by marker (-m) already sees the markers added here.
    for item in items:
        if "kafka_bootstrap" in getattr(item, "fixturenames", ()):
            item.add_marker(CONNECTED_MARKER)


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    broker = terminalreporter.config.stash.get(_CHOSEN, None)
    if broker is not None:
        terminalreporter.write_line(f"kafka_bootstrap: {broker.describe()}")
    postgres = terminalreporter.config.stash.get(_CHOSEN_POSTGRES, None)
    if postgres is not None:
        terminalreporter.write_line(f"postgres_url: {postgres.describe()}")


@pytest.fixture(scope="session")
def kafka_bootstrap(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[str]:
    """The bootstrap address of the session's broker."""
    with contextlib.ExitStack() as stack:
        try:
            broker = stack.enter_context(provide_broker(tmp_path_factory.mktemp("broker")))
        except NoBrokerForTestsError as exc:
            reason = str(exc)
        else:
            request.config.stash[_CHOSEN] = broker
            yield broker.bootstrap
            return
    # Failed outside the handler, so the report is the reason alone, not a chain of tracebacks.
    pytest.fail(f"kafka_bootstrap has no broker: {reason}", pytrace=False)


@pytest.fixture
def topic_prefix() -> str:
    """A prefix for this test's topics and consumer groups, unique in the session."""
    return unique_prefix()


@pytest.fixture
def kafka_topics(kafka_bootstrap: str, topic_prefix: str) -> Iterator[TopicFactory]:
    """``kafka_topics("in", "out", partitions=2)`` creates ``<prefix>in`` and ``<prefix>out``."""
    created: list[str] = []

    def create(*names: str, partitions: int = 3) -> list[str]:
        topics = make_topics(kafka_bootstrap, topic_prefix, names, partitions)
        created.extend(topics)
        return topics

    yield create
    # A shared external broker would otherwise collect every test's topics.
    delete_topics(kafka_bootstrap, created)


@pytest.fixture(scope="session")
def samples() -> Path:
    """The sample documents shipped in ``samples/`` (``kleister-nda/``, ``invoices/``)."""
    return samples_dir()


@pytest.fixture
def repository(tmp_path: Path) -> Iterator[SqliteRepository]:
    """An empty results store (SQLite) of this test's own, closed afterwards."""
    repo = SqliteRepository(tmp_path / "docflow.db")
    yield repo
    repo.close()


@pytest.fixture(scope="session")
def aws_endpoint() -> Iterator[str]:
    """The url of the session's moto server (S3, DynamoDB, ...), over real HTTP."""
    with pytest.MonkeyPatch.context() as env, moto_server() as endpoint:
        for name, value in TEST_ENVIRONMENT.items():
            env.setenv(name, value)
        yield endpoint


@pytest.fixture(scope="session")
def postgres_url(request: pytest.FixtureRequest) -> Iterator[str]:
    """The url of the session's PostgreSQL server (it holds a password: never print it)."""
    with contextlib.ExitStack() as stack:
        try:
            postgres = stack.enter_context(provide_postgres())
        except NoPostgresForTestsError as exc:
            reason = str(exc)
        else:
            request.config.stash[_CHOSEN_POSTGRES] = postgres
            yield postgres.url
            return
    # Failed outside the handler, so the report is the reason alone, not a chain of tracebacks.
    pytest.fail(f"postgres_url has no server: {reason}", pytrace=False)


@pytest.fixture
def postgres_schema_url(postgres_url: str) -> Iterator[str]:
    """A url whose sessions see only this test's own, empty schema."""
    with fresh_schema(postgres_url) as url:
        yield url
