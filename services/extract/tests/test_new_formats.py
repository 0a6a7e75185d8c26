"""Spreadsheets, slides, OpenDocument, EPUB, RTF, e-mail, Unicode text and more images,
each generated here and read through the warm pool."""

import io
from pathlib import Path
from types import SimpleNamespace

import pytest

from docflow_events.v1 import ExtractionResult
from docflow_extract.backends.base import ExtractionRequest
from docflow_extract.backends.local.backend import LocalBackend
from docflow_extract.backends.local.formats import DocumentFormat, detect_format
from docflow_extract.backends.local.mail import mail_document, msg_mail

from . import format_documents as docs

OCTET = "application/octet-stream"


def _extract(backend: LocalBackend, content: bytes, media_type: str = OCTET) -> ExtractionResult:
    return backend.extract(
        ExtractionRequest(document_id="d", media_type=media_type, content=content)
    )


def _pairs(result: ExtractionResult) -> set[tuple[str, str]]:
    return {(pair.key, pair.value) for pair in result.key_values}


def test_xlsx_gives_a_page_and_a_table_per_sheet(backend: LocalBackend) -> None:
    result = _extract(backend, docs.xlsx(), docs.XLSX)
    assert result.media_type == docs.XLSX
    assert result.warnings == []
    assert [page.text for page in result.pages] == [
        "Invoices\nInvoice Number\tTotal\nINV-1001\t1250.5\nDue\t2024-03-01",
        "Parties\nCustomer\tGlobex Inc.",
    ]
    assert [(table.page, table.rows) for table in result.tables] == [
        (1, [["Invoice Number", "Total"], ["INV-1001", "1250.5"], ["Due", "2024-03-01"]]),
        (2, [["Customer", "Globex Inc."]]),
    ]
    assert ("Customer", "Globex Inc.") in _pairs(result)


def test_ods_sheet(backend: LocalBackend) -> None:
    result = _extract(backend, docs.ods())
    assert result.media_type == docs.ODS
    (page,) = result.pages
    assert page.text == "Budget\nItem\tCost\nPaper\t12"
    assert result.tables[0].rows == [["Item", "Cost"], ["Paper", "12"]]


def test_pptx_gives_a_page_per_slide_with_its_table(backend: LocalBackend) -> None:
    result = _extract(backend, docs.pptx())
    assert result.media_type == docs.PPTX
    assert [page.text for page in result.pages] == [
        "Quarterly Review\nRevenue grew 12%",
        "Figures\nRegion\tSales\nNorth\t42",
    ]
    (table,) = result.tables
    assert (table.page, table.rows) == (2, [["Region", "Sales"], ["North", "42"]])


def test_odt_paragraphs_and_key_values(backend: LocalBackend) -> None:
    result = _extract(backend, docs.odt())
    assert result.media_type == docs.ODT
    assert result.pages[0].text == (
        "Lease Agreement\nLandlord: Acme Ltd\nThe tenant pays on the first day of each month."
    )
    assert ("Landlord", "Acme Ltd") in _pairs(result)


def test_epub_chapters_in_spine_order_without_the_table_of_contents(
    backend: LocalBackend,
) -> None:
    result = _extract(backend, docs.epub_book())
    assert result.media_type == docs.EPUB
    assert [page.text for page in result.pages] == [
        "Chapter One\n\nFirst words.",
        "Chapter Two\n\nSecond words.",
    ]


def test_rtf_text_with_code_page_escapes(backend: LocalBackend) -> None:
    result = _extract(backend, docs.RTF)
    assert result.media_type == "application/rtf"
    assert result.pages[0].text == "Invoice Number: INV-77\nTotal: 5€ due"
    assert ("Invoice Number", "INV-77") in _pairs(result)


def test_eml_headers_body_and_listed_attachment(backend: LocalBackend) -> None:
    result = _extract(backend, docs.EML)
    assert result.media_type == "message/rfc822"
    text = result.pages[0].text
    assert text.startswith(
        "From: Alice Example <alice@example.com>\nTo: Bob Example <bob@example.com>\n"
        "Date: Tue, 05 Mar 2024 10:00:00 +0000\nSubject: Contract révision\n"
        "Attachments: nda.pdf\n\nPlease sign the NDA by Friday."
    )
    # The attachment is split off as a document of its own (see test_attachments).
    assert result.warnings == []
    assert ("Subject", "Contract révision") in _pairs(result)


def test_html_only_eml_is_read_as_text(backend: LocalBackend) -> None:
    message = (
        b"From: a@example.com\r\nMessage-ID: <2@example.com>\r\nSubject: Hi\r\n"
        b"Content-Type: text/html; charset=utf-8\r\n\r\n<p>Order <b>PO-9</b></p>\r\n"
    )
    result = _extract(backend, message)
    assert result.pages[0].text.endswith("Subject: Hi\n\nOrder\nPO-9")


def test_a_typed_memo_with_from_and_to_stays_text() -> None:
    memo = b"From: Legal\nTo: Sales\nSubject: Renewals\n\nPlease check the dates.\n"
    assert detect_format(memo, "text/plain") is DocumentFormat.TEXT


@pytest.mark.parametrize(
    "content",
    [
        "Total: 5 €\nName: Zoë\n".encode("utf-16"),
        "Total: 5 €\nName: Zoë\n".encode("utf-16-le"),
        "Total: 5 €\nName: Zoë\n".encode("utf-16-be"),
        "Total: 5 €\nName: Zoë\n".encode("utf-32"),
        "Total: 5 €\nName: Zoë\n".encode("utf-32-le"),
    ],
    ids=["utf-16-bom", "utf-16le", "utf-16be", "utf-32-bom", "utf-32le"],
)
def test_utf16_and_utf32_text(backend: LocalBackend, content: bytes) -> None:
    result = _extract(backend, content)
    assert result.media_type == "text/plain"
    assert result.pages[0].text == "Total: 5 €\nName: Zoë"
    assert _pairs(result) == {("Total", "5 €"), ("Name", "Zoë")}


@pytest.mark.parametrize(
    "content",
    [
        b'<?xml version="1.0" encoding="utf-8"?>\n<!DOCTYPE html PUBLIC "-//W3C//DTD XHTML 1.0 '
        b'Strict//EN" "http://www.w3.org/TR/xhtml1/DTD/xhtml1-strict.dtd">\n'
        b'<html xmlns="http://www.w3.org/1999/xhtml"><body><p>Order Number: PO-1</p></body></html>',
        b'\xef\xbb\xbf<?xml version="1.0"?><html><body><p>Order Number: PO-1</p></body></html>',
        "<!DOCTYPE html><html><body><p>Order Number: PO-1</p></body></html>".encode("utf-16"),
    ],
    ids=["xml-prolog", "bom-and-prolog", "utf-16"],
)
def test_html_after_a_prolog_or_bom_is_read_as_html(backend: LocalBackend, content: bytes) -> None:
    result = _extract(backend, content, "text/plain")
    assert result.media_type == "text/html"
    assert result.pages[0].text == "Order Number: PO-1"


@pytest.mark.parametrize(
    ("fmt", "media_type", "options"),
    [
        ("BMP", "image/bmp", {}),
        ("GIF", "image/gif", {}),
        ("WEBP", "image/webp", {"lossless": True}),
        ("HEIF", "image/heic", {"quality": 90}),
    ],
)
def test_more_image_formats_are_read_by_ocr(
    backend: LocalBackend, fmt: str, media_type: str, options: dict[str, object]
) -> None:
    content = docs.image_bytes(docs.word_image("INVOICE 4711"), fmt, **options)
    result = _extract(backend, content)
    (page,) = result.pages
    assert result.media_type == media_type
    assert page.method == "ocr"
    assert page.text == "INVOICE 4711"


def test_an_animated_gif_is_read_from_its_first_frame_only(backend: LocalBackend) -> None:
    frames = [docs.word_image("INVOICE"), docs.word_image("RECEIPT")]
    out = io.BytesIO()
    frames[0].save(out, format="GIF", save_all=True, append_images=frames[1:])
    result = _extract(backend, out.getvalue())
    assert [page.text for page in result.pages] == ["INVOICE"]


@pytest.mark.parametrize("in_form", [False, True], ids=["page", "form-xobject"])
def test_pdf_image_region_without_text_layer_is_read_by_ocr(
    backend: LocalBackend, in_form: bool
) -> None:
    result = _extract(backend, docs.pdf_with_image_region("TOTAL FEE 4711 EUR", in_form=in_form))
    (page,) = result.pages
    assert page.method == "text_layer"
    assert page.text == (
        "Mutual Non-Disclosure Agreement\nThe parties agree to the terms below.\n\n"
        "TOTAL FEE 4711 EUR"
    )
    assert result.warnings == ["page 1: text of 1 image region(s) read by OCR"]


def test_born_digital_pdf_pages_get_no_region_ocr(backend: LocalBackend, samples: Path) -> None:
    pdf = (samples / "kleister-nda" / "0564e5bce70dd2df5473d64da16ddbe3.pdf").read_bytes()
    result = _extract(backend, pdf, "application/pdf")
    assert all(page.method == "text_layer" for page in result.pages)
    assert not any("image region" in warning for warning in result.warnings)


def test_outlook_message_fields_become_headers_and_attachments() -> None:
    # extract-msg only reads MSG files and no installed library writes one: the mapping is
    # tested on an object shaped like extract-msg's Message (sender, to, ..., attachments).
    message = SimpleNamespace(
        sender="Alice <alice@example.com>",
        to="Bob <bob@example.com>",
        cc=None,
        date="Tue, 05 Mar 2024 10:00:00 +0000",
        subject="Signed NDA",
        body="Attached is the signed copy.\r\n",
        attachments=[SimpleNamespace(longFilename="nda.pdf", data=b"%PDF-", mimetype=None)],
    )
    document = mail_document(DocumentFormat.MSG, msg_mail(message), started=0.0)
    assert document.pages[0].text == (
        "From: Alice <alice@example.com>\nTo: Bob <bob@example.com>\n"
        "Date: Tue, 05 Mar 2024 10:00:00 +0000\nSubject: Signed NDA\nAttachments: nda.pdf\n\n"
        "Attached is the signed copy."
    )
    # Attachments are split off as documents of their own (test_attachments), not warned about.
    assert document.warnings == []


def test_an_ole_file_is_an_outlook_message_only_with_its_property_stream() -> None:
    ole = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(504)
    with_properties = ole + "__properties_version1.0".encode("utf-16-le")
    assert detect_format(with_properties, OCTET) is DocumentFormat.MSG
    assert detect_format(b"BMW agrees to deliver.\n", OCTET) is DocumentFormat.TEXT
