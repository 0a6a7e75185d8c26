"""Invoices: issuer, amount, date and invoice number against each ``*.json``'s values."""

import json
import re
import unicodedata
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Final

from pydantic import BaseModel, ConfigDict

from docflow_events.v1.results import Entities
from docflow_tools.eval.fields import FieldResult

FIELDS: Final = ("issuer", "amount", "date", "invoice_number")
#: The kinds of file an invoice's gold values stand beside (two invoices are also scans).
DOCUMENT_SUFFIXES: Final = (".pdf", ".png")
# The legal forms of the countries the invoices come from, dotted or not ("B.V.", "e.K.").
_LEGAL_FORMS = re.compile(
    r"\b(?:inc|ltd|llc|ag|b\.?\s?v|sas|sarl|eurl|gmbh|ug(?:\s*\(haftungsbeschr[aä]nkt\))?|e\.?\s?k"
    r"|pvt|private\s+limited|limited|plc|corp|s\.?\s?l|s\.?\s?a|v\.?\s?o\.?\s?f)(?![a-z0-9])\.?"
)


class Expected(BaseModel):
    model_config = ConfigDict(extra="ignore", frozen=True)

    issuer: str
    amount: float
    date: date
    invoice_number: str


def documents(folder: Path) -> list[Path]:
    """Every invoice file with gold values beside it."""
    return sorted(
        path
        for path in folder.iterdir()
        if path.suffix in DOCUMENT_SUFFIXES and path.with_suffix(".json").is_file()
    )


def read_gold(document: Path) -> Expected:
    answer = document.with_suffix(".json")
    return Expected.model_validate(json.loads(answer.read_text(encoding="utf-8"))[0])


def evaluate(folder: Path, entities_of: Callable[[Path], Entities]) -> list[FieldResult]:
    """The PDFs' fields, read by ``entities_of``."""
    return [
        result
        for document in documents(folder)
        if document.suffix == ".pdf"
        for result in compare(read_gold(document), entities_of(document))
    ]


def compare(expected: Expected, got: Entities) -> list[FieldResult]:
    amount = got.total.value if got.total else None
    return [
        FieldResult.of(
            "issuer", expected.issuer, got.issuer, right=same_issuer(expected.issuer, got.issuer)
        ),
        FieldResult.of(
            "amount",
            expected.amount,
            amount,
            right=amount is not None and abs(amount - expected.amount) < 0.005,
        ),
        FieldResult.of(
            "date", expected.date, got.issue_date, right=got.issue_date == expected.date
        ),
        FieldResult.of(
            "invoice_number",
            expected.invoice_number,
            got.invoice_number,
            right=_token(expected.invoice_number) == _token(got.invoice_number or ""),
        ),
    ]


def same_issuer(expected: str, got: str | None) -> bool:
    """Names match when equal without case, accents, punctuation and legal form ("Free SAS" =
    "Free", "Informática" = "Informatica": a scan's OCR may lose an accent)."""
    return bool(got) and _issuer_key(expected) == _issuer_key(got or "")


def _issuer_key(name: str) -> str:
    plain = unicodedata.normalize("NFKD", name.lower())
    plain = "".join(char for char in plain if not unicodedata.combining(char))
    return re.sub(r"[^a-z0-9]", "", _LEGAL_FORMS.sub("", plain))


def _token(value: str) -> str:
    return re.sub(r"[^A-Za-z0-9_]", "", value).upper()
