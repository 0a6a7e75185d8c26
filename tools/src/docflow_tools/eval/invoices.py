"""Invoices: issuer, amount, date and invoice number against each ``*.json``'s values."""

import json
import re
from collections.abc import Callable
from datetime import date
from pathlib import Path

from pydantic import BaseModel, ConfigDict

from docflow_events.v1.results import Entities

FIELDS = ("issuer", "amount", "date", "invoice_number")
_LEGAL_FORMS = re.compile(r"\b(?:inc|ltd|llc|ag|bv|b\s?v|sas|sarl|gmbh|pvt|plc|corp)\b\.?")


class Expected(BaseModel):
    model_config = ConfigDict(extra="ignore", frozen=True)

    issuer: str
    amount: float
    date: date
    invoice_number: str


class FieldResult(BaseModel):
    model_config = ConfigDict(frozen=True)

    filename: str
    field: str
    expected: str
    got: str
    right: bool


def evaluate(folder: Path, entities_of: Callable[[Path], Entities]) -> list[FieldResult]:
    results = []
    for answer in sorted(folder.glob("*.json")):
        document = answer.with_suffix(".pdf")
        if not document.exists():
            continue
        expected = Expected.model_validate(json.loads(answer.read_text(encoding="utf-8"))[0])
        results += _compare(document.name, expected, entities_of(document))
    return results


def _compare(name: str, expected: Expected, got: Entities) -> list[FieldResult]:
    amount = got.total.value if got.total else None
    pairs = {
        "issuer": (expected.issuer, got.issuer, same_issuer(expected.issuer, got.issuer)),
        "amount": (
            expected.amount,
            amount,
            amount is not None and abs(amount - expected.amount) < 0.005,
        ),
        "date": (expected.date, got.issue_date, got.issue_date == expected.date),
        "invoice_number": (
            expected.invoice_number,
            got.invoice_number,
            _token(expected.invoice_number) == _token(got.invoice_number or ""),
        ),
    }
    return [
        FieldResult(filename=name, field=field, expected=str(e), got=str(g), right=ok)
        for field, (e, g, ok) in pairs.items()
    ]


def same_issuer(expected: str, got: str | None) -> bool:
    """Names match when equal without case, punctuation and legal form ("Free SAS" = "Free")."""
    return bool(got) and _issuer_key(expected) == _issuer_key(got or "")


def _issuer_key(name: str) -> str:
    return re.sub(r"[^a-z0-9]", "", _LEGAL_FORMS.sub("", name.lower()))


def _token(value: str) -> str:
    return re.sub(r"[^A-Za-z0-9_]", "", value).upper()
