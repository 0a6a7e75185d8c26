"""Images, DOCX, HTML and plain text through the warm pool."""

import io
import json
from pathlib import Path

import docx
from PIL import Image, ImageDraw, ImageFont

from docflow_extract.backends.base import ExtractionRequest
from docflow_extract.backends.local.backend import LocalBackend

DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def _request(content: bytes, media_type: str) -> ExtractionRequest:
    return ExtractionRequest(document_id="doc-1", media_type=media_type, content=content)


def test_png_scan_is_read_by_ocr(backend: LocalBackend, samples: Path) -> None:
    expected = json.loads((samples / "invoices" / "oyo.json").read_text())[0]
    result = backend.extract(_request((samples / "invoices" / "oyo.png").read_bytes(), "image/png"))
    (page,) = result.pages
    assert result.media_type == "image/png"
    assert page.method == "ocr"
    assert page.ocr_confidence is not None
    assert page.ocr_confidence > 60
    # The scan prints the booking id with a space inside it ("IBZY 2087").
    assert expected["invoice_number"] in page.text.replace(" ", "")
    assert "1939" in page.text
    assert ("Guest Name", "Sanjay") in {(pair.key, pair.value) for pair in result.key_values}


def test_multi_frame_tiff_gives_one_page_per_frame(backend: LocalBackend) -> None:
    frames = [_word_image("INVOICE"), _word_image("RECEIPT")]
    out = io.BytesIO()
    frames[0].save(out, format="TIFF", save_all=True, append_images=frames[1:])
    result = backend.extract(_request(out.getvalue(), "image/tiff"))
    assert [page.number for page in result.pages] == [1, 2]
    assert "INVOICE" in result.pages[0].text
    assert "RECEIPT" in result.pages[1].text


def test_docx_yields_paragraphs_table_and_key_values(backend: LocalBackend) -> None:
    result = backend.extract(_request(_docx_with_table(), DOCX_TYPE))
    (page,) = result.pages
    assert page.method == "docx"
    assert "This agreement is made between Acme Ltd and Globex Inc." in page.text
    assert page.text.index("Service Agreement") < page.text.index("Customer")
    (table,) = result.tables
    assert table.rows == [["Customer", "Globex Inc."], ["Term", "2 years"], ["Fee", "EUR 1,200"]]
    pairs = {(pair.key, pair.value, pair.source) for pair in result.key_values}
    assert ("Effective Date", "1 March 2024", "line") in pairs
    assert ("Term", "2 years", "table") in pairs


def test_html_text_without_scripts_and_with_tables(backend: LocalBackend) -> None:
    html = (
        b"<!DOCTYPE html><html><head><title>t</title><script>var secret = 1;</script></head>"
        b"<body><h1>Purchase Order</h1><p>Order Number: PO-7781</p>"
        b"<table><tr><th>Item</th><th>Price</th></tr><tr><td>Widget</td><td>9.50</td></tr>"
        b"</table></body></html>"
    )
    result = backend.extract(_request(html, "text/html"))
    text = result.pages[0].text
    assert result.media_type == "text/html"
    assert result.pages[0].method == "html"
    assert "Purchase Order" in text
    assert "secret" not in text
    assert result.tables[0].rows == [["Item", "Price"], ["Widget", "9.50"]]
    assert ("Order Number", "PO-7781") in {(pair.key, pair.value) for pair in result.key_values}


def test_plain_text_in_legacy_encoding(backend: LocalBackend) -> None:
    text = "Lieferant: Müller GmbH\r\nBetrag: 12,50 €\r\n".encode("cp1252")
    result = backend.extract(_request(text, "text/plain"))
    assert result.pages[0].text == "Lieferant: Müller GmbH\nBetrag: 12,50 €"
    pairs = {(pair.key, pair.value) for pair in result.key_values}
    assert pairs == {("Lieferant", "Müller GmbH"), ("Betrag", "12,50 €")}


def test_declared_type_is_checked_against_the_bytes(backend: LocalBackend) -> None:
    result = backend.extract(_request(b"Total: 5.00\n", "application/pdf"))
    assert result.media_type == "text/plain"
    assert result.warnings == ["declared media type 'application/pdf', content is text/plain"]


def _word_image(word: str) -> Image.Image:
    image = Image.new("L", (520, 120), color=255)
    font = ImageFont.load_default(size=64)
    ImageDraw.Draw(image).text((20, 20), word, fill=0, font=font)
    return image


def _docx_with_table() -> bytes:
    document = docx.Document()
    document.add_heading("Service Agreement", level=1)
    document.add_paragraph("Effective Date: 1 March 2024")
    document.add_paragraph("This agreement is made between Acme Ltd and Globex Inc.")
    table = document.add_table(rows=3, cols=2)
    pairs = [("Customer", "Globex Inc."), ("Term", "2 years"), ("Fee", "EUR 1,200")]
    for row, (key, value) in zip(table.rows, pairs, strict=True):
        row.cells[0].text = key
        row.cells[1].text = value
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()
