"""The review page (``/review``): sign-in, sessions, CSRF, the queue, the document view and
the decision, through the HTTP a browser sends (the browser itself: tests/e2e)."""

import base64
import json
import re

import pytest
from fastapi.testclient import TestClient

from docflow_events.v1 import ReviewDecided
from docflow_results.sqlite import SqliteRepository
from docflow_runtime.blobstore import LocalBlobStore

from .fakes import MemoryPublisher
from .review_fixtures import nda_in_review

KEY = "key-acme-0123456789"
TOKEN = re.compile(r'name="csrf_token" value="([^"]+)"')


def token(page: str) -> str:
    found = TOKEN.search(page)
    assert found, "the page has a form with a CSRF token"
    return found.group(1)


def signed_in(client: TestClient, key: str = KEY, name: str = "") -> None:
    page = client.get("/review/sign-in").text
    form = {"csrf_token": token(page), "api_key": key, "reviewer": name}
    response = client.post("/review/sign-in", data=form, follow_redirects=False)
    assert response.status_code == 303
    assert response.headers["location"] == "/review/"


def decide(client: TestClient, document_id: str, **form: str) -> str:
    page = client.get(f"/review/documents/{document_id}").text
    response = client.post(
        f"/review/documents/{document_id}/decision",
        data={"csrf_token": token(page), **form},
        follow_redirects=False,
    )
    assert response.status_code == 303, response.text
    return str(response.headers["location"])


def test_the_page_asks_to_sign_in_first(client: TestClient) -> None:
    response = client.get("/review/", follow_redirects=False)
    assert (response.status_code, response.headers["location"]) == (303, "/review/sign-in")


def test_a_wrong_key_is_refused(client: TestClient) -> None:
    page = client.get("/review/sign-in").text
    form = {"csrf_token": token(page), "api_key": "not-a-key"}
    response = client.post("/review/sign-in", data=form)
    assert response.status_code == 401
    assert "not valid" in response.text


def test_sign_in_without_the_csrf_token_is_refused(client: TestClient) -> None:
    client.get("/review/sign-in")
    response = client.post("/review/sign-in", data={"api_key": KEY})
    assert response.status_code == 403


def test_the_session_cookie_holds_the_tenant_never_the_key(client: TestClient) -> None:
    page = client.get("/review/sign-in").text
    form = {"csrf_token": token(page), "api_key": KEY}
    response = client.post("/review/sign-in", data=form, follow_redirects=False)
    cookie = response.headers["set-cookie"]
    assert "httponly" in cookie.lower()
    assert "samesite=lax" in cookie.lower()
    assert "path=/review" in cookie.lower()
    payload = cookie.split("=", 1)[1].split(".", 1)[0]
    session = json.loads(base64.b64decode(payload + "=" * (-len(payload) % 4)))
    assert session["tenant"] == "acme"
    assert KEY not in json.dumps(session)
    assert "content-security-policy" in response.headers


def test_the_queue_lists_waiting_documents_oldest_first_with_counts(
    client: TestClient, repository: SqliteRepository, blobs: LocalBlobStore
) -> None:
    first = nda_in_review(client, repository, blobs, filename="first.pdf")
    second = nda_in_review(client, repository, blobs, filename="second.txt.pdf")
    signed_in(client)
    page = client.get("/review/").text
    assert page.index(first) < page.index(second)
    assert 'id="total">2<' in page
    assert "nda.parties 2" in page
    assert first not in client.get("/review/?type=invoice").text
    assert first not in client.get("/review/?older_than=86400").text
    assert first in client.get("/review/?finding=nda.parties").text


def test_the_document_view_shows_the_page_fields_and_findings(
    client: TestClient, repository: SqliteRepository, blobs: LocalBlobStore
) -> None:
    document_id = nda_in_review(client, repository, blobs)
    signed_in(client)
    page = client.get(f"/review/documents/{document_id}").text
    assert f'src="/review/documents/{document_id}/pages/1"' in page
    assert "only one party found" in page
    assert 'name="field.parties"' in page
    assert "checked by a finding" in page
    image = client.get(f"/review/documents/{document_id}/pages/1")
    assert image.content.startswith(b"\x89PNG")


def folded(page: str) -> tuple[str, str]:
    """The document view's fields in sight, and those folded under "Other fields"."""
    start, end = page.index("<h2>Fields</h2>"), page.index('name="comment"')
    fields = page[start:end]
    cut = fields.index('<details class="other-fields"')
    return fields[:cut], fields[cut:]


def test_fields_of_other_types_are_folded_away_but_still_sent(
    client: TestClient,
    repository: SqliteRepository,
    blobs: LocalBlobStore,
    publisher: MemoryPublisher,
) -> None:
    document_id = nda_in_review(client, repository, blobs)
    signed_in(client)
    page = client.get(f"/review/documents/{document_id}").text
    shown, others = folded(page)
    for name in ("parties", "effective_date", "jurisdiction", "term"):
        assert f'name="field.{name}"' in shown
    for name in ("issuer", "invoice_number", "issue_date", "total"):
        assert f'name="field.{name}"' in others
    assert "<summary>Other fields (4)</summary>" in others
    assert 'class="other-fields" open' not in page
    decide(client, document_id, action="approve", **{"field.invoice_number": "INV-9"})
    event = publisher.published[-1].data
    assert isinstance(event, ReviewDecided)
    assert event.corrections == {"invoice_number": "INV-9"}


def test_a_field_a_finding_names_shows_whatever_the_type(
    client: TestClient, repository: SqliteRepository, blobs: LocalBlobStore
) -> None:
    document_id = nda_in_review(client, repository, blobs, document_type="invoice")
    signed_in(client)
    shown, others = folded(client.get(f"/review/documents/{document_id}").text)
    for name in ("parties", "issuer", "invoice_number", "issue_date", "total"):
        assert f'name="field.{name}"' in shown
    for name in ("effective_date", "jurisdiction", "term"):
        assert f'name="field.{name}"' in others


def test_a_folded_field_that_does_not_fit_is_shown_unfolded(
    client: TestClient, repository: SqliteRepository, blobs: LocalBlobStore
) -> None:
    document_id = nda_in_review(client, repository, blobs)
    signed_in(client)
    page = client.get(f"/review/documents/{document_id}").text
    form = {"csrf_token": token(page), "action": "approve", "field.total": "a lot"}
    response = client.post(f"/review/documents/{document_id}/decision", data=form)
    assert response.status_code == 422
    assert "total must be an amount" in response.text
    assert '<details class="other-fields" open>' in response.text


def test_document_text_is_escaped(
    client: TestClient, repository: SqliteRepository, blobs: LocalBlobStore
) -> None:
    document_id = nda_in_review(client, repository, blobs, filename="<img src=x onerror=f()>.pdf")
    signed_in(client)
    for page in (client.get(f"/review/documents/{document_id}").text, client.get("/review/").text):
        assert "<img src=x" not in page
        assert "&lt;img src=x onerror=f()&gt;.pdf" in page


def test_approving_with_a_corrected_field_publishes_the_correction(
    client: TestClient,
    repository: SqliteRepository,
    blobs: LocalBlobStore,
    publisher: MemoryPublisher,
) -> None:
    document_id = nda_in_review(client, repository, blobs)
    following = nda_in_review(client, repository, blobs, filename="next.pdf")
    signed_in(client, name="Kim")
    where = decide(client, document_id, action="approve", comment="checked",
                   **{"field.parties": "Acme Corp\r\nGlobex Inc"})  # fmt: skip
    assert where == f"/review/documents/{following}"
    event = publisher.published[-1].data
    assert isinstance(event, ReviewDecided)
    assert (event.decision, event.reviewer, event.comment) == ("approved", "Kim", "checked")
    assert event.corrections == {"parties": ["Acme Corp", "Globex Inc"]}
    page = client.get(where).text
    assert "Approved nda.pdf with 1 corrected field(s): parties." in page
    assert document_id not in client.get("/review/").text


def test_unchanged_fields_are_no_corrections_and_reject_ignores_them(
    client: TestClient,
    repository: SqliteRepository,
    blobs: LocalBlobStore,
    publisher: MemoryPublisher,
) -> None:
    document_id = nda_in_review(client, repository, blobs)
    signed_in(client)
    assert decide(client, document_id, action="reject", **{"field.term": "5 years"}) == "/review/"
    event = publisher.published[-1].data
    assert isinstance(event, ReviewDecided)
    assert (event.decision, event.corrections) == ("rejected", {})


def test_a_value_that_does_not_fit_is_shown_again_with_the_problem(
    client: TestClient,
    repository: SqliteRepository,
    blobs: LocalBlobStore,
    publisher: MemoryPublisher,
) -> None:
    document_id = nda_in_review(client, repository, blobs)
    signed_in(client)
    page = client.get(f"/review/documents/{document_id}").text
    form = {"csrf_token": token(page), "action": "approve", "field.effective_date": "soon"}
    response = client.post(f"/review/documents/{document_id}/decision", data=form)
    assert response.status_code == 422
    assert "effective_date must be a date" in response.text
    assert 'value="soon"' in response.text
    assert not any(isinstance(e.data, ReviewDecided) for e in publisher.published)


@pytest.mark.parametrize("sent", [None, "forged"])
def test_a_decision_without_the_session_token_is_refused(
    client: TestClient,
    repository: SqliteRepository,
    blobs: LocalBlobStore,
    publisher: MemoryPublisher,
    sent: str | None,
) -> None:
    document_id = nda_in_review(client, repository, blobs)
    signed_in(client)
    form = {"action": "approve"} | ({"csrf_token": sent} if sent else {})
    response = client.post(f"/review/documents/{document_id}/decision", data=form)
    assert response.status_code == 403
    assert not any(isinstance(e.data, ReviewDecided) for e in publisher.published)


def test_a_second_decision_is_told_it_came_late(
    client: TestClient, repository: SqliteRepository, blobs: LocalBlobStore
) -> None:
    document_id = nda_in_review(client, repository, blobs)
    signed_in(client)
    page = client.get(f"/review/documents/{document_id}").text
    form = {"csrf_token": token(page), "action": "approve"}
    url = f"/review/documents/{document_id}/decision"
    client.post(url, data=form, follow_redirects=False)
    late = client.post(url, data=form)
    assert "decided by someone else first" in late.text


def test_another_tenant_cannot_open_or_decide(
    client: TestClient,
    repository: SqliteRepository,
    blobs: LocalBlobStore,
    publisher: MemoryPublisher,
) -> None:
    document_id = nda_in_review(client, repository, blobs)
    signed_in(client, key="key-globex-0123456789")
    assert document_id not in client.get("/review/").text
    assert client.get(f"/review/documents/{document_id}").status_code == 404
    assert client.get(f"/review/documents/{document_id}/pages/1").status_code == 404
    page = client.get("/review/").text
    form = {"csrf_token": token(page), "action": "approve"}
    response = client.post(f"/review/documents/{document_id}/decision", data=form)
    assert response.status_code == 404
    assert not any(isinstance(e.data, ReviewDecided) for e in publisher.published)


def test_signing_out_ends_the_session(client: TestClient) -> None:
    signed_in(client)
    page = client.get("/review/").text
    client.post("/review/sign-out", data={"csrf_token": token(page)})
    response = client.get("/review/", follow_redirects=False)
    assert response.status_code == 303
