"""The review page's limit on failed sign-ins: per address, over a sliding window, in bounded
memory; and through the page, a 429 with Retry-After that a right key does not get past."""

from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from docflow_ingest.app import create_app
from docflow_ingest.web.sign_in_limit import SignInLimit, client_key
from docflow_results.sqlite import SqliteRepository
from docflow_runtime.blobstore import LocalBlobStore

from .fakes import MemoryPublisher
from .helpers import make_settings
from .test_review_page import KEY, token


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def limit(clock: Clock, *, failures: int = 3, clients: int = 100) -> SignInLimit:
    return SignInLimit(failures=failures, window_seconds=300, clients=clients, clock=clock)


def test_an_address_is_refused_after_its_failures_until_the_oldest_leaves_the_window() -> None:
    clock = Clock()
    counted = limit(clock)
    for _ in range(3):
        assert counted.retry_after("127.0.0.5") is None
        counted.failed("127.0.0.5")
        clock.now += 10
    assert counted.retry_after("127.0.0.5") == 300 - 30
    assert counted.retry_after("127.0.0.6") is None, "another address is not held"
    clock.now = 1000.0 + 300
    assert counted.retry_after("127.0.0.5") is None, "the first failure left the window"
    counted.failed("127.0.0.5")
    assert counted.retry_after("127.0.0.5") == 10


def test_failures_older_than_the_window_are_forgotten() -> None:
    clock = Clock()
    counted = limit(clock)
    counted.failed("127.0.0.5")
    clock.now += 301
    assert counted.retry_after("127.0.0.5") is None
    assert len(counted) == 0


def test_memory_is_bounded_forgetting_the_least_recent_failure_first() -> None:
    clock = Clock()
    counted = limit(clock, failures=1, clients=2)
    for address in ("127.0.0.1", "127.0.0.2", "127.0.0.1", "127.0.0.3"):
        counted.failed(address)
    assert len(counted) == 2
    assert counted.retry_after("127.0.0.2") is None, "the least recent was forgotten"
    assert counted.retry_after("127.0.0.1") is not None
    assert counted.retry_after("127.0.0.3") is not None


@pytest.mark.parametrize(
    ("address", "key"),
    [
        ("127.0.0.7", "127.0.0.7"),
        ("::ffff:127.0.0.7", "127.0.0.7"),
        ("2001:db8:1:2:aaaa::1", "2001:db8:1:2::/64"),
        ("2001:db8:1:2:bbbb::9", "2001:db8:1:2::/64"),
        ("testclient", "testclient"),
        (None, "unknown"),
    ],
)
def test_ipv6_clients_are_counted_per_64(address: str | None, key: str) -> None:
    assert client_key(address) == key


def attempt(client: TestClient, key: str) -> tuple[int, str, str | None]:
    form = {"csrf_token": token(client.get("/review/sign-in").text), "api_key": key}
    response = client.post("/review/sign-in", data=form, follow_redirects=False)
    return response.status_code, response.text, response.headers.get("retry-after")


def page_client(
    tmp_path: Path,
    repository: SqliteRepository,
    blobs: LocalBlobStore,
    address: str,
) -> TestClient:
    settings = make_settings(tmp_path, review_sign_in_failures=2, review_sign_in_window_seconds=120)
    app = create_app(settings, repository=repository, blobs=blobs, publisher=MemoryPublisher())
    return TestClient(app, base_url="http://ingest.test", client=(address, 50000))


def test_the_page_refuses_an_address_that_failed_too_often(
    tmp_path: Path, repository: SqliteRepository, blobs: LocalBlobStore
) -> None:
    with page_client(tmp_path, repository, blobs, "127.0.0.9") as client:
        assert [attempt(client, "wrong")[0] for _ in range(2)] == [401, 401]
        status, page, retry_after = attempt(client, KEY)
        assert status == 429, "a right key is not even tested while the address is held"
        assert retry_after is not None
        assert 1 <= int(retry_after) <= 120
        assert "Too many failed sign-ins from your address. Try again in 2 minutes." in page
        assert client.get("/review/", follow_redirects=False).status_code == 303
        app = client.app
    with TestClient(app, base_url="http://ingest.test", client=("127.0.0.10", 50000)) as other:
        assert attempt(other, KEY)[0] == 303, "another address signs in"


def test_signing_in_well_is_never_counted(
    tmp_path: Path, repository: SqliteRepository, blobs: LocalBlobStore
) -> None:
    with page_client(tmp_path, repository, blobs, "127.0.0.11") as client:
        assert [attempt(client, KEY)[0] for _ in range(4)] == [303] * 4
        assert attempt(client, "wrong")[0] == 401
