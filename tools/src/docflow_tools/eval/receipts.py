"""Receipts (SROIE): issuer, date and total against ``key/NNN.json``.

The matching rules, written down once:

- **issuer**: equal once case, spaces and punctuation are dropped ("MR D.I.Y. (M) SDN BHD" =
  "Mr DIY (M) Sdn. Bhd."); a name read with one wrong letter is wrong.
- **date**: the same calendar date, whatever its printed form. The gold is read here, not
  with the rules being measured: ``25/12/2018``, ``25-12-18``, ``25.12.2018`` are day first
  (Malaysian receipts) unless the second number cannot be a month (``12/28/2017`` is month
  first); ``2018-03-23`` is year first; ``10 MAR 2018`` names its month. Two-digit years are
  20YY.
- **total**: the same number to the cent (``$8.20`` = 8.2).

A gold field that is empty or cannot be read is not scored for that receipt.
"""

import json
import re
from datetime import date
from pathlib import Path
from typing import Final

from pydantic import BaseModel, ConfigDict

from docflow_events.v1.results import Entities
from docflow_tools.eval.fields import FieldResult

FIELDS: Final = ("issuer", "date", "total")
_MONTHS: Final = {
    name: number
    for number, name in enumerate(
        ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"),
        start=1,
    )
}
_NUMERIC = re.compile(r"^(\d{1,2})[/.\-](\d{1,2})[/.\-](\d{2}|\d{4})$")
_YEAR_FIRST = re.compile(r"^(\d{4})[/.\-](\d{1,2})[/.\-](\d{1,2})$")
_NAMED = re.compile(r"^(\d{1,2})[\s\-]*([A-Za-z]{3})[A-Za-z]*[\s\-,]*(\d{2}|\d{4})$")


class Gold(BaseModel):
    """A receipt's key fields as published (``company``, ``date``, ``total``)."""

    model_config = ConfigDict(extra="ignore", frozen=True)

    company: str = ""
    date: str = ""
    total: str = ""


def gold_path(image: Path) -> Path:
    """``img/NNN.jpg`` has its fields in ``key/NNN.json``."""
    return image.parent.parent / "key" / f"{image.stem}.json"


def read_gold(image: Path) -> Gold:
    return Gold.model_validate(json.loads(gold_path(image).read_text(encoding="utf-8")))


def compare(gold: Gold, got: Entities) -> list[FieldResult]:
    results = []
    if issuer_key(gold.company):
        results.append(_issuer(gold.company, got.issuer))
    expected_date = gold_date(gold.date)
    if expected_date is not None:
        ok = got.issue_date == expected_date
        results.append(FieldResult.of("date", expected_date, got.issue_date, right=ok))
    expected_total = gold_total(gold.total)
    if expected_total is not None:
        total = got.total.value if got.total else None
        ok = total is not None and abs(total - expected_total) < 0.005
        results.append(FieldResult.of("total", expected_total, total, right=ok))
    return results


def _issuer(expected: str, got: str | None) -> FieldResult:
    right = got is not None and issuer_key(got) == issuer_key(expected)
    return FieldResult.of("issuer", expected, got, right=right)


def issuer_key(name: str) -> str:
    return re.sub(r"[\W_]", "", name.lower())


def gold_date(printed: str) -> date | None:
    text = printed.strip()
    parts = _date_parts(text)
    if parts is None:
        return None
    year, month, day = parts
    try:
        return date(year, month, day)
    except ValueError:
        return None


def _date_parts(text: str) -> tuple[int, int, int] | None:
    if match := _YEAR_FIRST.match(text):
        return int(match[1]), int(match[2]), int(match[3])
    if match := _NUMERIC.match(text):
        first, second = int(match[1]), int(match[2])
        day, month = (second, first) if second > 12 >= first else (first, second)
        return _year(match[3]), month, day
    if (match := _NAMED.match(text)) and match[2].lower() in _MONTHS:
        return _year(match[3]), _MONTHS[match[2].lower()], int(match[1])
    return None


def _year(digits: str) -> int:
    return int(digits) + 2000 if len(digits) == 2 else int(digits)


def gold_total(printed: str) -> float | None:
    digits = re.sub(r"[^\d.]", "", printed.replace(",", ""))
    try:
        return float(digits) if digits else None
    except ValueError:
        return None
