"""Invoice fields: its number, its date and its total (who issued it: :mod:`docflow_text.issuer`).

Labels are :mod:`docflow_text.labels`, the ones validate checks for, in English, French, German,
Dutch and Spanish ("Invoice No", "Facture n°", "Rechnungsnr.", "Factuurnummer", "Factura Nº");
key-values from extraction are tried first, then lines, then the page's rows.
"""

import re
from collections.abc import Sequence
from dataclasses import replace
from datetime import date

from docflow_events.v1.results import KeyValue
from docflow_text import labels
from docflow_text.dates import find_dates
from docflow_text.labels import label_pattern
from docflow_text.money import Amount, currency_code, find_amounts, parse_number

# What may stand between a label and its number: a colon or "#", and a dash OCR made of a
# rule or a bullet ("Invoice no: —INV-5265/25").
_BEFORE_NUMBER = r"\s*[:#]*\s*[\u2014\u2013-]?\s*"
_NUMBER_LABEL = label_pattern(*labels.INVOICE_NUMBER, followed_by=_BEFORE_NUMBER)
# "INV-2021-65729", "FA2025/4161", "2023.4596": letters, digits and joining marks.
_NUMBER_VALUE = re.compile(r"#?\s?[A-Z0-9][A-Z0-9_/.-]{3,}(?<![_/.-])")
# Where no label names it, the document's title may stand before the number ("Sales Invoice
# 201905098", "Factura A-2022-91696").
_TITLE = re.compile(
    rf"(?<!\w)(?:(?:sales|tax)\s+)?(?:{'|'.join(labels.INVOICE_TITLES)})\s+(?=[A-Z]*[/-]?\d)",
    re.I,
)
# The date of issue where a label names it, else the first labelled date.
_DATE_LABELS = (label_pattern(*labels.ISSUE_DATE), label_pattern(*labels.DATE))
_TOTAL_LABEL = label_pattern(*labels.TOTAL)
_DATE_WINDOW = 80


def invoice_number(text: str, key_values: list[KeyValue], rows: Sequence[str] = ()) -> str | None:
    """From a key-value, else after a label in the text, else after a label on a row of the
    page (``rows``: :func:`docflow_text.fields.row_texts`), where the value stands in the next
    column; else after the document's title."""
    for kv in key_values:
        if _NUMBER_LABEL.fullmatch(kv.key.strip() + " ") and _NUMBER_VALUE.match(kv.value):
            return _clean_number(kv.value)
    for label in (_NUMBER_LABEL, _TITLE):
        for source in (text, *rows):
            found = _labelled_number(source, label)
            if found:
                return found
    return None


def _labelled_number(text: str, labelled: re.Pattern[str]) -> str | None:
    for label in labelled.finditer(text):
        value = _NUMBER_VALUE.match(text, label.end())
        if value and re.search(r"\d", value.group()) and not _is_date(value.group()):
            return _clean_number(value.group())
    return None


def _is_date(value: str) -> bool:
    """ "Invoice 12/03/2024": the title is followed by its date, not its number."""
    return bool(find_dates(value, short_years=True))


def issue_date(text: str) -> date | None:
    for labelled in _DATE_LABELS:
        for label in labelled.finditer(text):
            found = find_dates(text[label.end() : label.end() + _DATE_WINDOW])
            if found:
                return found[0].value
    found = find_dates(text)
    return found[0].value if found else None


def invoice_total(lines: list[str]) -> Amount | None:
    """The largest amount on a line labelled as a total: the grand total includes the rest."""
    best: Amount | None = None
    currency = document_currency(lines)
    for line in lines:
        if not _TOTAL_LABEL.search(line):
            continue
        amount = _last_amount(line, currency)
        if amount and (best is None or amount.value > best.value):
            best = amount
    return best


def _last_amount(line: str, currency: str | None) -> Amount | None:
    amounts = find_amounts(line)
    if amounts:
        last = amounts[-1]
        return last if last.currency else replace(last, currency=currency)
    numbers = re.findall(r"-?\d[\d.,]*\d|\d", line)
    value = parse_number(numbers[-1]) if numbers else None
    return Amount(value=value, currency=currency, context=line.strip()) if value else None


def document_currency(lines: list[str]) -> str | None:
    """The currency the document's amounts are most often marked with, else "$"'s."""
    counts: dict[str, int] = {}
    for amount in find_amounts("\n".join(lines)):
        if amount.currency:
            counts[amount.currency] = counts.get(amount.currency, 0) + 1
    if counts:
        return max(counts, key=lambda code: counts[code])
    return currency_code("$") if "$" in "".join(lines) else None


def _clean_number(value: str) -> str:
    return re.sub(r"\s+", "", value).strip()
