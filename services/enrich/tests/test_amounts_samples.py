"""Amounts found in the real invoices are written amounts, never glued, counted or dated."""

import json
import re
from pathlib import Path

from docflow_enrich.rules.entities.extract import extract_entities
from docflow_events.v1.results import Entities, Money
from docflow_testing.samples import read_pdf

_MARKER = r"(?:US\$|\$|€|£|₹|¥|\b(?:USD|EUR|GBP|INR|CHF|Rs\.?|Euros?|dollars?)\b)"
_SEPARATORS = ("", ",", ".", " ", "'")


def _entities(pdf: Path) -> Entities:
    extraction = read_pdf(pdf)
    return extract_entities(extraction.text, extraction.key_values, "invoice")


def _written_forms(value: float) -> list[str]:
    """Every way an invoice may write the value: either decimal mark, any thousands group."""
    whole, cents = f"{abs(value):.2f}".split(".")
    groups = [whole[max(0, end - 3) : end] for end in range(len(whole), 0, -3)][::-1]
    wholes = {separator.join(groups) for separator in _SEPARATORS}
    forms = {f"{w}{mark}{cents}" for w in wholes for mark in ".,"}
    if cents == "00":
        forms |= wholes
    sign = "-" if value < 0 else ""
    return sorted((sign + re.escape(form) for form in forms), key=len, reverse=True)


def _written_pattern(value: float) -> str:
    return r"(?<![\d.,])(?:" + "|".join(_written_forms(value)) + r")(?![\d]|[.,]\d)"


def _is_count_or_year(amount: Money) -> bool:
    whole = f"{abs(amount.value):.2f}"
    return whole.endswith(".00") and (
        len(whole) <= 5 or bool(re.fullmatch(r"(?:19|20)\d\d\.00", whole))
    )


def _claimed_rightly(amount: Money) -> bool:
    """A count or year is money only right after its marker, or right before a marker that
    has no decimal amount of its own after it."""
    number = _written_pattern(amount.value)
    leading = rf"{_MARKER}\s?{number}"
    trailing = rf"{number}\s?{_MARKER}(?!\s?-?\d+[.,]\d\d)"
    return bool(re.search(f"{leading}|{trailing}", amount.context or ""))


def _invoices(samples: Path) -> list[Path]:
    return sorted((samples / "invoices").glob("*.pdf"))


def test_the_samples_have_invoices(samples: Path) -> None:
    assert len(_invoices(samples)) >= 7


def test_amounts_are_written_amounts_and_include_the_total(samples: Path) -> None:
    problems = [problem for pdf in _invoices(samples) for problem in _problems(pdf)]
    assert problems == []


def _problems(pdf: Path) -> list[str]:
    expected = json.loads(pdf.with_suffix(".json").read_text(encoding="utf-8"))[0]["amount"]
    amounts = _entities(pdf).amounts
    problems = [f"{pdf.name}: {a} is not written so" for a in amounts if not _written(a)]
    problems += [f"{pdf.name}: {a} is a count or year" for a in amounts if _artifact(a)]
    keys = {(amount.value, amount.currency) for amount in amounts}
    if len(keys) != len(amounts):
        problems.append(f"{pdf.name}: repeated amounts {amounts}")
    if not any(abs(amount.value - expected) < 0.005 for amount in amounts):
        problems.append(f"{pdf.name}: total {expected} missing from {amounts}")
    return problems


def _written(amount: Money) -> bool:
    return bool(re.search(_written_pattern(amount.value), amount.context or ""))


def _artifact(amount: Money) -> bool:
    return _is_count_or_year(amount) and not _claimed_rightly(amount)


def test_coolblue_amounts_are_its_prices_and_totals(samples: Path) -> None:
    entities = _entities(samples / "invoices" / "coolblue1.pdf")
    assert [amount.value for amount in entities.amounts] == [
        3.5, 4.24, 399.0, 69.99, 189.0, 14.99, 44.99, 717.97, 9.32, -9.32, 593.36, 124.61
    ]  # fmt: skip
    assert {amount.currency for amount in entities.amounts} == {"EUR"}
    assert entities.total is not None
    assert (entities.total.value, entities.total.currency) == (717.97, "EUR")


def test_an_unmarked_total_joins_the_amounts_in_the_documents_currency(samples: Path) -> None:
    entities = _entities(samples / "invoices" / "FlipkartInvoice.pdf")
    assert [(a.value, a.currency) for a in entities.amounts] == [(-40.0, "INR"), (319.0, "INR")]
