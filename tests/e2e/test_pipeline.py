"""Documents through the whole pipeline: upload over HTTP, every stage its own process."""

import io
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import ClassVar

import docx
from standardwebhooks import Webhook

from docflow_testing import hostile
from docflow_tools.stack import WAITING, Stack


def test_an_nda_reaches_stored_with_a_sensible_record(stack: Stack, samples: Path) -> None:
    pdf = samples / "kleister-nda" / "0564e5bce70dd2df5473d64da16ddbe3.pdf"
    document = stack.settle(stack.submit(pdf, document_type="nda"))
    assert document["status"] == "stored", stack.diagnostics()
    result = document["result"]
    assert result["classification"]["type"] == "nda"
    assert len(result["entities"]["parties"]) >= 2
    assert result["pages"]
    assert all(p["text"] for p in result["pages"])
    assert result["summary"]
    assert result["validation"]["passed"] is True
    assert set(result["timings"]) >= {"extract", "validate", "enrich"}


def test_an_invoice_scan_is_read_by_ocr(stack: Stack, samples: Path) -> None:
    document = stack.settle(stack.submit(samples / "invoices" / "oyo.png"))
    assert document["status"] in {"stored", "needs_review"}, stack.diagnostics()
    timeline = stack.client.get(f"/v1/documents/{document['id']}/events").json()
    assert any(e["status"] == "extracted" for e in timeline["events"])


def test_a_failed_validation_waits_for_review_and_approval_finishes_it(stack: Stack) -> None:
    text = b"INVOICE\nThis page says nothing about amounts, numbers or dates.\n"
    response = stack.post("note.txt", text, {"document_type": "invoice"})
    assert response.status_code == 202, response.text
    document_id = response.json()["id"]
    assert stack.settle(document_id)["status"] == "needs_review"
    waiting = stack.client.get("/v1/reviews").json()
    assert document_id in {d["id"] for d in waiting.get("items", waiting)}
    decision = {"decision": "approve", "corrections": {"invoice_number": "INV-7"}}
    answer = stack.client.post(f"/v1/documents/{document_id}/review", json=decision)
    assert answer.status_code in {200, 202}, answer.text
    document = stack.settle(document_id, waiting=WAITING | {"needs_review"})
    assert document["status"] == "stored", stack.diagnostics()
    assert document["result"]["entities"]["invoice_number"] == "INV-7"


def test_another_tenant_cannot_see_a_document(stack: Stack, samples: Path, other_key: str) -> None:
    document_id = stack.submit(samples / "invoices" / "oyo.pdf")
    other = {"Authorization": f"Bearer {other_key}"}
    assert stack.client.get(f"/v1/documents/{document_id}", headers=other).status_code == 404
    listed = stack.client.get("/v1/documents", headers=other).json()
    assert document_id not in {d["id"] for d in listed["items"]}


def test_hostile_files_get_a_clear_answer_and_never_hang(stack: Stack, samples: Path) -> None:
    nda = (samples / "kleister-nda" / "0564e5bce70dd2df5473d64da16ddbe3.pdf").read_bytes()
    cases = {
        "truncated.pdf": nda[: len(nda) // 3],
        "encrypted.pdf": hostile.encrypted_pdf(b"secret"),
        "program.pdf": hostile.ELF_EXECUTABLE,
        "setup.pdf": hostile.PE_EXECUTABLE,
        "empty.pdf": b"",
        "bomb.docx": hostile.docx_zip_bomb(300),
        "huge.png": hostile.png_header(60000, 60000),
        "cut.png": (samples / "invoices" / "oyo.png").read_bytes()[:40],
    }
    answers = {}
    for name, body in cases.items():
        response = stack.post(name, body)
        if response.status_code >= 400:
            assert response.status_code < 500, (name, response.text)
            assert response.headers["content-type"].startswith("application/problem+json")
            answers[name] = str(response.status_code)
            continue
        document = stack.settle(response.json()["id"], timeout=120)
        assert document["status"] == "failed", (name, document)
        assert document["error"]["stage"] == "extract", (name, document)
        answers[name] = document["error"]["reason"]
    # Executables and empty bodies never get past the upload; broken documents fail, explained.
    assert answers["program.pdf"] == answers["setup.pdf"] == "415"
    assert answers["empty.pdf"] == "400"
    assert "encrypted" in answers["encrypted.pdf"]
    assert "truncated" in answers["truncated.pdf"] or "corrupt" in answers["truncated.pdf"]
    assert answers["cut.png"].startswith("corrupt or truncated PNG image")
    # Reasons reach users and webhooks: no place on the server, no Python object.
    root = str(stack.logs.parent)
    for name, reason in answers.items():
        assert "file:" not in reason, (name, reason)
        assert root not in reason, (name, reason)
        assert "object at 0x" not in reason, (name, reason)
        assert "\n" not in reason, (name, reason)


def test_a_number_too_large_for_money_is_no_amount(stack: Stack) -> None:
    # 400 nines overflow a float to infinity, which JSON writes as null.
    response = stack.post("overflow.txt", b"Total: $" + b"9" * 400 + b"\n")
    assert response.status_code == 202, response.text
    document_id = response.json()["id"]
    document = stack.settle(document_id)
    assert document["status"] in {"stored", "needs_review"}, (document, stack.diagnostics())
    if document["status"] == "needs_review":
        # The amounts are in the record, which a reviewer's approval lets enrich and store make.
        answer = stack.client.post(
            f"/v1/documents/{document_id}/review", json={"decision": "approve"}
        )
        assert answer.status_code in {200, 202}, answer.text
        document = stack.settle(document_id, waiting=WAITING | {"needs_review"})
    assert document["status"] == "stored", (document, stack.diagnostics())
    entities = document["result"]["entities"]
    amounts = [*entities["amounts"], *([entities["total"]] if entities["total"] else [])]
    assert all(amount["value"] is not None for amount in amounts), entities


def test_an_invoice_reaches_stored_with_its_total(stack: Stack, samples: Path) -> None:
    document = stack.settle(stack.submit(samples / "invoices" / "coolblue1.pdf"))
    assert document["status"] == "stored", stack.diagnostics()
    result = document["result"]
    assert result["classification"]["type"] == "invoice"
    assert result["entities"]["total"]["value"] == 717.97
    assert result["entities"]["invoice_number"] == "993548900"
    assert result["tables"] or result["key_values"]


def _docx() -> bytes:
    document = docx.Document()
    document.add_heading("Consulting Services Agreement", 1)
    # A complete (if short) agreement: validate reads it as a services agreement, as enrich
    # does, and the contract pack asks for these two clauses.
    document.add_paragraph("This agreement is made between Acme Corp and Beta LLC.")
    document.add_paragraph("Each party keeps the other party's confidential information secret.")
    document.add_paragraph("This agreement is governed by the laws of the State of New York.")
    table = document.add_table(rows=2, cols=2)
    facts = [("Fee", "USD 5,000"), ("Term", "1 year")]
    for row, (label, value) in zip(table.rows, facts, strict=True):
        row.cells[0].text, row.cells[1].text = label, value
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def test_docx_html_and_text_reach_stored(stack: Stack) -> None:
    uploads = {
        "agreement.docx": _docx(),
        "notice.html": b"<html><body><h1>Notice</h1><p>EUR 120 is due.</p></body></html>",
        # Formats are under test here, not classification: a one-line memo names no clause
        # any pack requires, so it goes straight through like the others.
        "memo.txt": b"Memo: the office moves to Unit 4 on 1 March 2027.",
    }
    for name, body in uploads.items():
        response = stack.post(name, body)
        assert response.status_code == 202, (name, response.text)
        document = stack.settle(response.json()["id"])
        assert document["status"] == "stored", (name, document, stack.diagnostics())
        assert document["result"]["pages"][0]["text"], name


def test_a_rejected_review_ends_the_document(stack: Stack) -> None:
    response = stack.post(
        "note.txt", b"INVOICE\nNothing here adds up.\n", {"document_type": "invoice"}
    )
    document_id = response.json()["id"]
    assert stack.settle(document_id)["status"] == "needs_review"
    answer = stack.client.post(f"/v1/documents/{document_id}/review", json={"decision": "reject"})
    assert answer.status_code in {200, 202}, answer.text
    document = stack.settle(document_id, waiting=WAITING | {"needs_review"})
    assert document["status"] == "rejected"
    assert document["result"] is None


class _Receiver(BaseHTTPRequestHandler):
    received: ClassVar[list[tuple[dict[str, str], bytes]]] = []

    def do_POST(self) -> None:
        body = self.rfile.read(int(self.headers["Content-Length"]))
        self.received.append((dict(self.headers.items()), body))
        self.send_response(204)
        self.end_headers()

    def log_message(self, format: str, *args: object) -> None:
        """Quiet."""


def test_a_signed_webhook_reports_the_stored_document(stack: Stack, samples: Path) -> None:
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Receiver)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        url = f"http://127.0.0.1:{server.server_address[1]}/hook"
        pdf = samples / "invoices" / "free_fiber.pdf"
        document_id = stack.submit(pdf, callback_url=url, metadata='{"order": "A-17"}')
        assert stack.settle(document_id)["status"] == "stored", stack.diagnostics()
        deadline = time.monotonic() + 30
        while not _Receiver.received and time.monotonic() < deadline:
            time.sleep(0.1)
    finally:
        server.shutdown()
        server.server_close()
    [(headers, body)] = [r for r in _Receiver.received if document_id.encode() in r[1]]
    payload = Webhook(stack.webhook_secret).verify(body, headers)
    assert (payload["document_id"], payload["status"]) == (document_id, "stored")
    assert payload["metadata"] == {"order": "A-17"}
