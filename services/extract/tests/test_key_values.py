"""Key-values from label lines and two-column tables (pure functions, no child process)."""

from docflow_events.v1 import Page, Table
from docflow_extract.backends.local.formats import DocumentFormat, detect_format
from docflow_extract.backends.local.key_values import key_values


def test_label_lines_become_pairs_and_prose_does_not() -> None:
    page = Page(
        number=2,
        text=(
            "Invoice Number: 42183017\n"
            "Due date : 2024-05-01\n"
            "The parties agree to the following terms and conditions: all of them\n"
            "10:30 meeting\n"
            "See https://example.org/terms\n"
        ),
        method="text_layer",
    )
    pairs = [(pair.key, pair.value, pair.page) for pair in key_values([page], [])]
    assert pairs == [("Invoice Number", "42183017", 2), ("Due date", "2024-05-01", 2)]


def test_a_label_may_end_in_an_abbreviation_but_not_a_sentence() -> None:
    page = Page(
        number=1,
        text="Invoice No.: GST/23-30396\nRe.-Nr.: R26087724\nWe thank you.: for it\n",
        method="text_layer",
    )
    pairs = [(pair.key, pair.value) for pair in key_values([page], [])]
    assert pairs == [("Invoice No.", "GST/23-30396"), ("Re.-Nr.", "R26087724")]


def test_ocr_pairs_carry_the_page_confidence() -> None:
    page = Page(number=1, text="Total: 12.00", method="ocr", ocr_confidence=87.0)
    (pair,) = key_values([page], [])
    assert pair.confidence == 0.87


def test_two_column_table_rows_become_pairs() -> None:
    table = Table(page=3, rows=[["Customer:", "Globex"], ["Item", "Qty", "Price"], ["", "x"]])
    (pair,) = key_values([], [table])
    assert (pair.key, pair.value, pair.page, pair.source) == ("Customer", "Globex", 3, "table")


def test_repeated_pairs_are_kept_once() -> None:
    page = Page(number=1, text="Total: 5\nTotal: 5", method="text")
    assert len(key_values([page], [])) == 1


def test_formats_are_detected_from_bytes_not_the_declared_type() -> None:
    assert detect_format(b"%PDF-1.7\n...", "text/plain") is DocumentFormat.PDF
    assert detect_format(b"\x89PNG\r\n\x1a\n....", "application/pdf") is DocumentFormat.PNG
    assert detect_format(b"\xff\xd8\xff\xe0", "image/png") is DocumentFormat.JPEG
    assert detect_format(b"II*\x00....", "image/png") is DocumentFormat.TIFF
    assert detect_format(b"  <!DOCTYPE html><p>x", "text/plain") is DocumentFormat.HTML
    assert detect_format(b"<p>x</p>", "text/html; charset=utf-8") is DocumentFormat.HTML
    assert detect_format(b"MZ Logistics invoice\n", "text/plain") is DocumentFormat.TEXT
