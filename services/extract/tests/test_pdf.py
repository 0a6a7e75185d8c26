"""Real PDFs through the warm pool: text layers, tables, and OCR of a scanned page."""

import csv
import io
import json
from pathlib import Path

import pypdfium2 as pdfium  # type: ignore[import-untyped]
import pytest

from docflow_extract.backends.base import ExtractionRequest
from docflow_extract.backends.local.backend import LocalBackend

KLEISTER_SAMPLE = 5


def _request(content: bytes, media_type: str = "application/pdf") -> ExtractionRequest:
    return ExtractionRequest(document_id="doc-1", media_type=media_type, content=content)


def _expected_nda(samples: Path) -> list[tuple[Path, dict[str, list[str]]]]:
    rows = []
    with (samples / "kleister-nda" / "expected.tsv").open() as tsv:
        for filename, *fields in csv.reader(tsv, delimiter="\t"):
            values: dict[str, list[str]] = {}
            for pair in " ".join(fields).split():
                key, _, value = pair.partition("=")
                values.setdefault(key, []).append(value.replace("_", " "))
            rows.append((samples / "kleister-nda" / filename, values))
    return rows[:KLEISTER_SAMPLE]


def _amount_spellings(amount: float) -> set[str]:
    dotted = f"{amount:.2f}"
    spellings = {dotted, dotted.replace(".", ","), f"{amount:,.2f}"}
    if amount.is_integer():
        spellings |= {str(int(amount)), f"{int(amount):,}"}
    return spellings


def test_nda_text_layers_hold_jurisdiction_and_parties(
    backend: LocalBackend, samples: Path
) -> None:
    for path, expected in _expected_nda(samples):
        result = backend.extract(_request(path.read_bytes()))
        text = " ".join(result.text.split()).lower()
        assert result.media_type == "application/pdf"
        assert {page.method for page in result.pages} == {"text_layer"}, path.name
        assert len(result.pages) == len(pdfium.PdfDocument(path))
        assert expected["jurisdiction"][0].lower() in text, path.name
        # Party names are the gold spelling; the first word of each is in the text.
        for party in expected["party"]:
            assert party.split()[0].lower() in text, (path.name, party)


@pytest.mark.parametrize(
    "name", ["AmazonWebServices", "FlipkartInvoice", "NetpresseInvoice", "coolblue1", "oyo"]
)
def test_invoice_pdfs_carry_their_number_issuer_and_amount(
    backend: LocalBackend, samples: Path, name: str
) -> None:
    expected = json.loads((samples / "invoices" / f"{name}.json").read_text())[0]
    result = backend.extract(_request((samples / "invoices" / f"{name}.pdf").read_bytes()))
    text = result.text
    assert expected["invoice_number"].lstrip("#") in text
    assert expected["issuer"].split()[0].lower() in text.lower()
    assert any(spelling in text for spelling in _amount_spellings(expected["amount"]))


def test_ruled_invoice_yields_tables_and_key_values(backend: LocalBackend, samples: Path) -> None:
    content = (samples / "invoices" / "AmazonWebServices.pdf").read_bytes()
    result = backend.extract(_request(content))
    cells = {cell for table in result.tables for row in table.rows for cell in row}
    assert result.tables
    assert all(table.page == 1 for table in result.tables)
    assert "Amazon Glacier" in " ".join(cells)
    pairs = {(pair.key, pair.value) for pair in result.key_values}
    assert ("Invoice Number", "42183017") in pairs


def test_unruled_pages_skip_table_extraction(backend: LocalBackend, samples: Path) -> None:
    path, _ = _expected_nda(samples)[0]
    result = backend.extract(_request(path.read_bytes()))
    assert result.tables == []
    assert result.warnings == []


def test_scanned_pdf_page_is_read_by_ocr_with_confidence(
    backend: LocalBackend, samples: Path
) -> None:
    scan = _image_only_pdf(samples / "invoices" / "AmazonWebServices.pdf")
    assert pdfium.PdfDocument(scan)[0].get_textpage().get_text_range().strip() == ""
    result = backend.extract(_request(scan))
    (page,) = result.pages
    assert page.method == "ocr"
    assert page.ocr_confidence is not None
    assert page.ocr_confidence > 60
    assert "42183017" in page.text
    assert "Amazon Web Services" in page.text


def _image_only_pdf(source: Path, dpi: int = 200) -> bytes:
    """The first page rendered to pixels and saved as a PDF without a text layer."""
    pdf = pdfium.PdfDocument(source)
    image = pdf[0].render(scale=dpi / 72, grayscale=True).to_pil()
    out = io.BytesIO()
    image.save(out, format="PDF", resolution=dpi)
    return out.getvalue()
