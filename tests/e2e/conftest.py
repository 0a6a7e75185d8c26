"""The whole pipeline as separate processes on the session's broker."""

from collections.abc import Iterator

import pytest

from docflow_tools.stack import Stack, local_stack

API_KEY = "e2e-key"
OTHER_KEY = "other-key"
#: Fast retries, so that a document failing for good fails within seconds.
FAST_RETRIES = {"DOCFLOW_RETRY_INITIAL_BACKOFF_SECONDS": "0.1", "DOCFLOW_RETRY_MAX_ATTEMPTS": "3"}


@pytest.fixture
def other_key() -> str:
    return OTHER_KEY


@pytest.fixture(scope="module")
def stack(kafka_bootstrap: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Stack]:
    root = tmp_path_factory.mktemp("stack")
    keys = {"e2e": API_KEY, "other": OTHER_KEY}
    with local_stack(kafka_bootstrap, root, keys, FAST_RETRIES) as stack:
        yield stack
