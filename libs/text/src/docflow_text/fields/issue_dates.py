"""Candidates for the date of issue: every date the document writes, read in its locale.

A numeric date is read in the order the document's locale writes (``Document.month_first``),
with OCR's spellings and two-digit years; each distinct date is one candidate. Its features:
the labels on and above its lines (date, invoice date, due, order, expiry), a time of day
beside it (a till prints both), where it stands, how it was written, and how far its year is
from the document's other dates (a misread year stands apart).
"""

import re
from collections import defaultdict
from datetime import date
from statistics import median

from docflow_text import labels
from docflow_text.dates import FoundDate, find_dates
from docflow_text.fields.candidate import Candidate, Document, flag
from docflow_text.labels import label_pattern

_LABELS: dict[str, re.Pattern[str]] = {
    "date": label_pattern(*labels.DATE),
    "issue": label_pattern(*labels.ISSUE_DATE),
    "due": re.compile(r"\bdue\b|expir|valid|deliver|order|ship|period|until|from|to\b", re.I),
    "time": re.compile(r"\b\d{1,2}:\d{2}"),
    "print": re.compile(r"print|time|cashier|counter|pos\b|terminal", re.I),
}
_NUMERIC = re.compile(r"^\d{1,2}\s?[/.-]")
_SHORT_YEAR = re.compile(r"\D\d\d$")
_SANE_YEARS = (1950, 2100)


def date_candidates(document: Document) -> list[Candidate]:
    found: dict[date, list[tuple[int, str]]] = defaultdict(list)
    for line in document.lines:
        for mention in _dates(line.text, document.month_first):
            found[mention.value].append((line.index, line.text[mention.start : mention.end]))
    if not found:
        return []
    years = median(d.year for d in found)
    ordered = sorted(found)
    return [
        Candidate(
            "issue_date",
            value,
            tuple(i for i, _ in at),
            _features(document, value, at, years, ordered),
        )
        for value, at in sorted(found.items())
    ]


def _dates(text: str, month_first: bool) -> list[FoundDate]:
    return find_dates(text, month_first=month_first, short_years=True, ocr=True)


def _features(
    document: Document, value: date, at: list[tuple[int, str]], years: float, ordered: list[date]
) -> dict[str, float]:
    indexes = [i for i, _ in at]
    spelling = at[0][1]
    features = {
        "occurrences": float(len(at)),
        "first_top": document.lines[indexes[0]].top,
        "first_index": float(min(indexes[0], 40)),
        "numeric": flag(bool(_NUMERIC.match(spelling))),
        "short_year": flag(bool(_SHORT_YEAR.search(spelling.strip()))),
        "ambiguous": flag(value.day <= 12 and value.month <= 12 and value.day != value.month),
        "year_distance": min(abs(value.year - years), 50.0),
        "sane_year": flag(_SANE_YEARS[0] <= value.year <= _SANE_YEARS[1]),
        "earliest": flag(value == ordered[0]),
        "latest": flag(value == ordered[-1]),
        "distinct_dates": float(len(ordered)),
        "month_first_locale": flag(document.month_first),
        "min_confidence": min(document.lines[i].confidence for i in indexes),
    }
    for name, pattern in _LABELS.items():
        features[f"label_{name}"] = flag(
            any(pattern.search(document.lines[i].text) for i in indexes)
        )
        features[f"label_{name}_above"] = flag(
            any(i > 0 and pattern.search(document.lines[i - 1].text) for i in indexes)
        )
    return features
