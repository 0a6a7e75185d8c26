"""The review page in a real browser (Chromium driven by Playwright) against the pipeline.

A reviewer signs in, opens the queue, opens an invoice that failed validation, sees its page
and fields, corrects the total and approves: the document is stored with the corrected value.
Another is rejected; a second tenant sees neither.

With DOCFLOW_REVIEW_SCREENSHOTS set to a folder, the queue and the document view are saved
there (the README's images are made so:
``DOCFLOW_REVIEW_SCREENSHOTS=docs/images uv run --frozen pytest tests/e2e/test_review_browser.py``).
"""

import os
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Browser, Page, expect, sync_playwright

from docflow_tools.stack import WAITING, Stack

from .conftest import API_KEY, OTHER_KEY

SCREENSHOTS = os.environ.get("DOCFLOW_REVIEW_SCREENSHOTS")
INVOICE_LINES = (
    "INVOICE",
    "Acme Supplies Ltd, 1 Market Street, Leeds",
    "Invoice number: INV-2024-001",
    "Invoice date: 12 March 2024",
    "Bill to: Globex Corporation",
    "Consulting services, March 2024      500.00 EUR",
    "Travel expenses                       120.00 EUR",
    "Payment within 30 days.",
)


def text_pdf(lines: tuple[str, ...]) -> bytes:
    """A one-page PDF with a text layer: what a scanner-free invoice looks like."""
    shown = " ".join(f"({_pdf_text(line)}) '" for line in lines)
    stream = f"BT /F1 13 Tf 20 TL 64 760 Td {shown} ET".encode()
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] "
        b"/Resources << /Font << /F1 4 0 R >> >> /Contents 5 0 R >>",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
        b"<< /Length %d >>\nstream\n%s\nendstream" % (len(stream), stream),
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1, xref,
    )  # fmt: skip
    return bytes(out)


def _pdf_text(line: str) -> str:
    return line.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")


def chromium_path() -> str:
    path = shutil.which("chromium") or shutil.which("chromium-browser")
    assert path, "chromium is missing: `make install` installs the Debian package chromium"
    return path


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium_path())
        yield browser
        browser.close()


@pytest.fixture
def page(browser: Browser) -> Iterator[Page]:
    context = browser.new_context(viewport={"width": 1440, "height": 1000})
    yield context.new_page()
    context.close()


def waiting_for_review(stack: Stack, filename: str, body: bytes) -> str:
    response = stack.post(filename, body, {"document_type": "invoice"})
    assert response.status_code == 202, response.text
    document_id = str(response.json()["id"])
    assert stack.settle(document_id)["status"] == "needs_review", stack.diagnostics()
    return document_id


def sign_in(page: Page, stack: Stack, key: str) -> None:
    page.goto(f"{stack.base_url}/review/")
    expect(page).to_have_url(f"{stack.base_url}/review/sign-in")
    page.get_by_label("API key").fill(key)
    page.get_by_label("Your name").fill("Robin Reviewer")
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("heading", name="Waiting for review")).to_be_visible()
    assert key not in page.url


def screenshot(page: Page, name: str) -> None:
    if SCREENSHOTS:
        Path(SCREENSHOTS).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(Path(SCREENSHOTS) / name), full_page=False)


def final(stack: Stack, document_id: str) -> dict[str, Any]:
    return stack.settle(document_id, waiting=WAITING | {"needs_review"})


def test_a_reviewer_corrects_approves_and_rejects_in_the_browser(
    stack: Stack, page: Page, browser: Browser
) -> None:
    invoice = waiting_for_review(stack, "invoice-march.pdf", text_pdf(INVOICE_LINES))
    note = waiting_for_review(stack, "note.txt", b"INVOICE\nNothing here adds up.\n")
    case = stack.client.get(f"/v1/reviews/{invoice}").json()
    total = next(f for f in case["fields"] if f["name"] == "total")
    assert total["flagged"], case["findings"]

    sign_in(page, stack, API_KEY)
    queue = page.locator("table.queue")
    expect(queue.get_by_role("link", name="invoice-march.pdf")).to_be_visible()
    expect(queue.get_by_role("link", name="note.txt")).to_be_visible()
    screenshot(page, "review-queue.png")

    queue.get_by_role("link", name="invoice-march.pdf").click()
    expect(page.get_by_role("heading", name="invoice-march.pdf")).to_be_visible()
    image = page.get_by_role("img", name="Page 1 of invoice-march.pdf")
    expect(image).to_be_visible()
    assert image.evaluate("img => img.complete && img.naturalWidth > 500")
    expect(page.get_by_text("total", exact=False).first).to_be_visible()
    expect(page.locator(".findings")).to_contain_text("total")
    number = page.get_by_label("Invoice number")
    expect(number).to_have_value("INV-2024-001")
    if any(where["box"] for where in total["locations"]):
        expect(page.locator('.mark.active[data-field="total"]')).to_be_visible()
    screenshot(page, "review-document.png")
    # An invoice's agreement fields are folded away, and a click shows them.
    expect(page.get_by_label("Jurisdiction")).to_be_hidden()
    page.locator("details.other-fields > summary").click()
    expect(page.get_by_label("Jurisdiction")).to_be_visible()

    page.get_by_label("Total").fill("620.00 EUR")
    page.get_by_label("Comment").fill("total from the two lines")
    page.get_by_label("Comment").press("Escape")
    page.keyboard.press("a")
    expect(page.locator(".flash")).to_contain_text(
        "Approved invoice-march.pdf with 1 corrected field(s): total"
    )
    stored = final(stack, invoice)
    assert stored["status"] == "stored", stack.diagnostics()
    assert stored["result"]["entities"]["total"]["value"] == 620.0
    assert stored["result"]["entities"]["total"]["currency"] == "EUR"
    assert stored["result"]["entities"]["invoice_number"] == "INV-2024-001"

    page.goto(f"{stack.base_url}/review/documents/{note}")
    page.get_by_label("Comment").fill("not an invoice")
    page.get_by_label("Comment").press("Escape")
    page.keyboard.press("r")
    expect(page.locator(".flash")).to_contain_text("Rejected note.txt")
    assert final(stack, note)["status"] == "rejected"

    timeline = stack.client.get(f"/v1/documents/{invoice}/events").json()["events"]
    recorded = [e for e in timeline if e["event_type"] == "io.docflow.review.recorded"]
    assert recorded
    assert recorded[0]["detail"]["reviewer"] == "Robin Reviewer"
    assert recorded[0]["detail"]["changes"]["total"]["to"]["value"] == 620.0


def test_a_second_tenant_sees_neither_queue_nor_document(stack: Stack, page: Page) -> None:
    invoice = waiting_for_review(stack, "other-invoice.pdf", text_pdf(INVOICE_LINES[:3]))
    sign_in(page, stack, OTHER_KEY)
    expect(page.locator("table.queue")).to_have_count(0)
    expect(page.get_by_text("Nothing waits for review")).to_be_visible()
    response = page.goto(f"{stack.base_url}/review/documents/{invoice}")
    assert response is not None
    assert response.status == 404
    response = page.goto(f"{stack.base_url}/review/documents/{invoice}/pages/1")
    assert response is not None
    assert response.status == 404
    assert stack.client.get(f"/v1/documents/{invoice}").json()["status"] == "needs_review"
