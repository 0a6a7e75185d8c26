"""Generated invoices: the same seed gives the same bytes, and the gold values are what the
document prints."""

import io
import json
import random
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import cast

import pypdfium2  # type: ignore[import-untyped]
import pytest
from PIL import Image

from docflow_tools.eval import invoices
from docflow_tools.synth import invoices as synth
from docflow_tools.synth.formats import (
    MoneyStyle,
    NumberStyle,
    format_date,
    format_money,
    format_number,
    indian_words,
)
from docflow_tools.synth.model import ADDING_ROLES, Invoice
from docflow_tools.synth.parties import iban
from docflow_tools.synth.vocab import DOT_COMMA, EUR, FR_MONTHS, LAKH, SPACE_COMMA

SEED = "unit-test"
#: With SEED, documents 0 and 1 are scans, 2 to 4 are PDFs (checked below).
SCAN, PDFS = 0, (2, 3, 4)


def _text(pdf: bytes) -> str:
    document = pypdfium2.PdfDocument(pdf)
    try:
        pages = [document[i].get_textpage().get_text_range() for i in range(len(document))]
    finally:
        document.close()
    # The text layer keeps no-break spaces ("1 234,56" in French); compare with plain ones.
    return "\n".join(pages).replace("\u00a0", " ")


def _plain(value: str) -> str:
    return value.replace("\u00a0", " ")


def test_the_names_follow_from_seed_and_count() -> None:
    names = synth.document_names(5, SEED)
    assert names[SCAN].endswith(".png")
    assert all(names[index].endswith(".pdf") for index in PDFS)
    assert synth.document_names(3, SEED) == names[:3]


@pytest.mark.parametrize("index", [PDFS[0], SCAN])
def test_the_same_seed_gives_the_same_bytes(index: int) -> None:
    first = synth.generate_document(index, SEED)
    assert synth.generate_document(index, SEED).content == first.content
    assert synth.generate_document(index, "another seed").content != first.content


@pytest.mark.parametrize("index", PDFS)
def test_the_gold_total_is_the_sum_the_document_prints(index: int) -> None:
    document = synth.generate_document(index, SEED)
    invoice, text = document.invoice, _text(document.content)
    lines = sum((row.total for row in invoice.rows), Decimal(0))
    adjustments = sum(
        (row.amount for row in invoice.summary if row.role in ADDING_ROLES), Decimal(0)
    )
    assert lines + adjustments == invoice.total
    assert Decimal(str(document.gold[0]["amount"])) == invoice.total
    printed = [row.total_text for row in invoice.rows] + [row.text for row in invoice.summary]
    for value in printed:
        assert _plain(value) in text
    assert _plain(format_money(invoice.total, invoice.money)) in text


@pytest.mark.parametrize("index", PDFS)
def test_the_text_layer_holds_the_gold_values(index: int) -> None:
    document = synth.generate_document(index, SEED)
    gold, text = document.gold[0], _text(document.content)
    assert str(gold["invoice_number"]) in text
    assert str(gold["issuer"]) in text
    invoice = document.invoice
    issued = format_date(invoice.issue_date, _date_format(invoice), invoice.locale.months)
    assert issued in text


def _date_format(invoice: Invoice) -> str:
    """The one date template of the locale that prints the issue date as the meta rows do."""
    printed = dict(invoice.meta).get(invoice.labels["date"], "")
    for template in invoice.locale.dates:
        if format_date(invoice.issue_date, template, invoice.locale.months) == printed:
            return template
    raise AssertionError(f"the issue date is printed in no format of {invoice.locale.tag}")


def test_a_scan_is_one_degraded_page() -> None:
    document = synth.generate_document(SCAN, SEED)
    image = Image.open(io.BytesIO(document.content))
    assert image.format == "PNG"
    # A4 or Letter at 200 dpi: about 1650-1700 pixels wide.
    assert 1600 < image.width < 1750
    _, brightest = cast(tuple[int, int], image.getextrema())
    assert brightest < 255  # grey paper, not a clean white render


def test_the_command_writes_documents_and_gold_files(tmp_path: Path) -> None:
    assert synth.main(["--output", str(tmp_path), "--count", "3", "--seed", SEED]) == 0
    folder = tmp_path / synth.FOLDER
    names = synth.document_names(3, SEED)
    expected = {*names, *(Path(name).with_suffix(".json").name for name in names)}
    assert {path.name for path in folder.iterdir()} == expected
    assert [path.name for path in invoices.documents(folder)] == names
    for path in invoices.documents(folder):
        gold = invoices.read_gold(path)
        raw = json.loads(path.with_suffix(".json").read_text(encoding="utf-8"))
        assert set(raw[0]) == {"issuer", "amount", "date", "invoice_number", "currency"}
        assert gold.issuer
        assert gold.invoice_number
        assert gold.amount > 0


def test_the_evaluation_set_is_generated_once_per_generator_version(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(synth, "EVALUATION_COUNT", 2)
    folder = synth.evaluation_set(tmp_path)
    assert folder == tmp_path / synth.generator_digest() / synth.FOLDER
    names = synth.document_names(2, synth.EVALUATION_SEED)
    assert sorted(path.name for path in folder.glob("*.json")) == [
        Path(name).with_suffix(".json").name for name in names
    ]
    written = {path: path.stat().st_mtime_ns for path in folder.iterdir()}
    assert synth.evaluation_set(tmp_path) == folder
    assert {path: path.stat().st_mtime_ns for path in folder.iterdir()} == written


def test_amounts_are_written_the_way_each_country_writes_them() -> None:
    assert format_number(Decimal("1234567.5"), DOT_COMMA) == "1.234.567,50"
    assert format_number(Decimal("1234.5"), SPACE_COMMA) == "1\u00a0234,50"
    assert format_number(Decimal("254276.84"), LAKH) == "2,54,276.84"
    assert format_number(Decimal("-12.5"), NumberStyle(group="'", decimal=".")) == "-12.50"
    assert format_number(Decimal(12345678), LAKH) == "1,23,45,678.00"


def test_dates_and_words_are_written_as_printed() -> None:
    day = date(2024, 3, 1)
    assert format_date(day, "{d1} {month} {yyyy}", FR_MONTHS) == "1er mars 2024"
    assert format_date(day, "{dd}.{mm}.{yy}", FR_MONTHS) == "01.03.24"
    assert indian_words(254276) == "Two Lakh Fifty Four Thousand Two Hundred Seventy Six"
    assert format_money(Decimal("-3.5"), MoneyStyle(DOT_COMMA, EUR, "symbol-before")) == "-€3,50"


def test_an_iban_has_valid_check_digits() -> None:
    for country in ("DE", "FR", "NL", "ES", "GB"):
        compact = iban(random.Random(country), country).replace(" ", "")
        rearranged = compact[4:] + compact[:4]
        assert int("".join(str(int(c, 36)) for c in rearranged)) % 97 == 1
