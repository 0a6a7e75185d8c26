"""Candidates for an agreement's effective date: every date its text writes.

Each distinct date is one candidate, read in the order the document spells its dates
(:func:`docflow_text.dates.writes_month_first`). Its features are what a reader looks at: the
words just before and after each mention ("effective as of", "dated", "made and entered into
as of", a ``Date:`` field, "day of", "IN WITNESS WHEREOF", another agreement's name), where
the mentions stand (the opening, the signatures), how often and in what order the document
writes it. The hand rules' answer (:mod:`docflow_enrich.rules.entities.effective`) is not a
feature: it was written while reading the development documents the scorer learns from.

An agreement need not have an effective date; the scorer answers only at or above its bar.
"""

import re
from collections import defaultdict
from datetime import date
from typing import Final

from docflow_text.dates import FoundDate, find_dates, writes_month_first
from docflow_text.fields.candidate import Candidate, flag

FIELD: Final = "effective_date"
_BEFORE_CHARS = 60
_AFTER_CHARS = 60
_OPENING_CHARS = 2000
_HEAD_CHARS = 300
_SIGNATURES_FROM = 0.5
_NUMERIC = re.compile(r"\d{1,4}\s?[/.-]")
_BEFORE: Final[dict[str, re.Pattern[str]]] = {
    "effective": re.compile(r"\beffective\b", re.I),
    "dated": re.compile(r"\bdated\b", re.I),
    "as_of": re.compile(r"\bas\s+of\b", re.I),
    "made": re.compile(r"\b(?:made|entered\s+into|executed)\b", re.I),
    "date_field": re.compile(r"\bdate[d]?\s*:?\s*$", re.I),
    "day_of": re.compile(r"\bday\s+of\s*$", re.I),
    "witness": re.compile(r"\bin\s+witness\s+whereof\b", re.I),
    "agreement": re.compile(r"\bagreement\b", re.I),
    "named_agreement": re.compile(r"[A-Z]\w*\s+Agreement\"?\s*\)?,?\s*(?:dated\s+)?$"),
    "signed": re.compile(r"\b(?:signed|accepted|agreed|acknowledged|executed)\b", re.I),
    "by_line": re.compile(r"\bBy\s*:|\bName\s*:|\bTitle\s*:|/s/"),
    "from_until": re.compile(r"\b(?:from|until|through|after|before|prior\s+to|since)\s*$", re.I),
}
_AFTER: Final[dict[str, re.Pattern[str]]] = {
    "defined_effective": re.compile(r"^[\s,]*\(?[^)]{0,20}effective\s+date", re.I),
    "between": re.compile(r"^[\s,]*(?:\([^)]{0,40}\)\s*)?,?\s*(?:by\s+and\s+)?(?:between|among)\b"),
    "by_and": re.compile(r"^[\s,]*(?:\([^)]{0,40}\)\s*)?,?\s*by\b", re.I),
}


def effective_date_candidates(flat: str) -> list[Candidate]:
    """Every date in ``flat`` (an agreement's cleaned, flattened text) with its features."""
    month_first = writes_month_first(flat)
    found: dict[date, list[FoundDate]] = defaultdict(list)
    for mention in find_dates(flat, month_first=month_first):
        found[mention.value].append(mention)
    ordered = sorted(found.values(), key=lambda mentions: mentions[0].start)
    dates, locale = list(found), {"month_first": flag(month_first)}
    return [
        Candidate(FIELD, mentions[0].value, (), _features(flat, mentions, rank, dates) | locale)
        for rank, mentions in enumerate(ordered)
    ]


def _features(
    flat: str, mentions: list[FoundDate], rank: int, dates: list[date]
) -> dict[str, float]:
    value, size = mentions[0].value, max(len(flat), 1)
    first = mentions[0].start
    features = {
        "position": first / size,
        "in_head": flag(first < _HEAD_CHARS),
        "in_opening": flag(first < _OPENING_CHARS),
        "in_signatures": flag(any(m.start >= size * _SIGNATURES_FROM for m in mentions)),
        "mentions": float(len(mentions)),
        "rank": float(rank),
        "dates": float(len(dates)),
        "latest": flag(value == max(dates)),
        "earliest": flag(value == min(dates)),
        "length": size / 10_000,
        "numeric": flag(all(_NUMERIC.match(flat, m.start) for m in mentions)),
    }
    features |= _context(flat, mentions, _BEFORE, before=True)
    features |= _context(flat, mentions, _AFTER, before=False)
    return features


def _context(
    flat: str, mentions: list[FoundDate], patterns: dict[str, re.Pattern[str]], *, before: bool
) -> dict[str, float]:
    """For each pattern: whether it is found just before (or after) the first mention, and
    just before (or after) any mention."""
    side = "before" if before else "after"
    around = [_around(flat, mention, before) for mention in mentions]
    features: dict[str, float] = {}
    for name, pattern in patterns.items():
        found = [bool(pattern.search(text)) for text in around]
        features[f"{side}_{name}"] = flag(found[0])
        features[f"{side}_{name}_any"] = flag(any(found))
    return features


def _around(flat: str, mention: FoundDate, before: bool) -> str:
    if before:
        return flat[max(0, mention.start - _BEFORE_CHARS) : mention.start]
    return flat[mention.end : mention.end + _AFTER_CHARS]
