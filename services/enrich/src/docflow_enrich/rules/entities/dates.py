"""Dates as written in contracts and invoices, normalised to ``datetime.date``.

Reads "February 10, 2017", "the 6th day of January, 2012", "4th day of May 2005", "7. Mai 2014",
"02 Juillet 2015", "2014-08-03", "28/11/2022" (day first, as in most of the world unless the
day cannot be a month) and "12/31/2017" (month first when the second number cannot be a month).
"""

import re
from datetime import date
from typing import NamedTuple

_MONTHS = {
    # English
    "january": 1, "february": 2, "march": 3, "april": 4, "may": 5, "june": 6, "july": 7,
    "august": 8, "september": 9, "october": 10, "november": 11, "december": 12,
    "jan": 1, "feb": 2, "mar": 3, "apr": 4, "jun": 6, "jul": 7, "aug": 8, "sep": 9,
    "sept": 9, "oct": 10, "nov": 11, "dec": 12,
    # French
    "janvier": 1, "février": 2, "fevrier": 2, "mars": 3, "avril": 4, "mai": 5, "juin": 6,
    "juillet": 7, "août": 8, "aout": 8, "septembre": 9, "octobre": 10, "novembre": 11,
    "décembre": 12,
    # German
    "januar": 1, "februar": 2, "märz": 3, "juni": 6, "juli": 7, "oktober": 10, "dezember": 12,
    # Dutch
    "januari": 1, "februari": 2, "maart": 3, "mei": 5, "augustus": 8,
}  # fmt: skip

_MONTH = "(?P<month>" + "|".join(sorted(_MONTHS, key=len, reverse=True)) + r")\.?"
# The ordinal's letters may stand apart, as a superscript does in a text layer ("9 th").
_DAY = r"(?P<day>[0-3]?\d)(?:\s?(?:st|nd|rd|th)\b|er)?"
_YEAR = r"(?P<year>(?:19|20)\d\d)"
_PATTERNS = (
    # February 10, 2017 / Feb. 10 2017 / August 3 , 2014 / December 11,2014
    re.compile(rf"\b{_MONTH}\s+{_DAY}\s*,?\s*{_YEAR}\b", re.I),
    # 6th day of January, 2012 / 4th day of May 2005 / 6th of February, 1999 / 7. Mai 2014
    re.compile(rf"\b{_DAY}\.?\s+(?:day\s+of\s+|of\s+)?{_MONTH},?\s+{_YEAR}\b", re.I),
    re.compile(r"\b(?P<year>(?:19|20)\d\d)-(?P<month>[01]?\d)-(?P<day>[0-3]?\d)\b"),
    re.compile(r"\b(?P<a>[0-3]?\d)[/.-](?P<b>[0-3]?\d)[/.-](?P<year>(?:19|20)\d\d)\b"),
)
# "8/11/08", "3.26.01": only where a label says a date stands there (a signature's "Date:").
_SHORT_NUMERIC = re.compile(r"\b(?P<a>[01]?\d)[/.-](?P<b>[0-3]?\d)[/.-](?P<short>\d\d)\b")
# The century of a two-digit year: agreements on file were signed from the 1950s on.
_CENTURY_PIVOT = 50
# "May 4, 2005" is the American order, "4 May 2005" the European one (not "4th day of May").
_MONTH_FIRST_SPELLING = re.compile(
    rf"\b{_MONTH}\s+[0-3]?\d(?:st|nd|rd|th)?,?\s+(?:19|20)\d\d", re.I
)
_DAY_FIRST_SPELLING = re.compile(
    rf"\b[0-3]?\d(?:st|nd|rd|th|er)?\.?\s+{_MONTH}\s+(?:19|20)\d\d", re.I
)


class FoundDate(NamedTuple):
    value: date
    start: int
    end: int


def find_dates(
    text: str, *, month_first: bool = False, short_years: bool = False
) -> list[FoundDate]:
    """Every valid date in ``text``, in reading order, overlapping spellings removed.

    An ambiguous numeric date ("04/05/2010") is read day first unless ``month_first``;
    two-digit years ("8/11/08") are read only with ``short_years``.
    """
    found: list[FoundDate] = []
    patterns = (*_PATTERNS, _SHORT_NUMERIC) if short_years else _PATTERNS
    for pattern in patterns:
        for match in pattern.finditer(text):
            value = _to_date(match, month_first=month_first)
            if value and not any(f.start <= match.start() < f.end for f in found):
                found.append(FoundDate(value, match.start(), match.end()))
    return sorted(found, key=lambda f: f.start)


def parse_date(text: str) -> date | None:
    """The first date in ``text``, if any."""
    found = find_dates(text)
    return found[0].value if found else None


def writes_month_first(text: str) -> bool:
    """Whether the document writes dates the American way ("May 4, 2005"): its spelled-out
    dates tell how to read its numeric ones ("8/11/08"); American unless most are European."""
    american = len(_MONTH_FIRST_SPELLING.findall(text))
    european = len(_DAY_FIRST_SPELLING.findall(text))
    return american >= european


def _to_date(match: re.Match[str], *, month_first: bool) -> date | None:
    groups = match.groupdict()
    year = _year(groups)
    if groups.get("a") is not None:
        month, day = _numeric_order(int(groups["a"]), int(groups["b"]), month_first=month_first)
    else:
        month_text = groups["month"].lower().rstrip(".")
        month = _MONTHS[month_text] if month_text in _MONTHS else int(month_text)
        day = int(groups["day"])
    try:
        return date(year, month, day)
    except ValueError:
        return None


def _year(groups: dict[str, str | None]) -> int:
    short = groups.get("short")
    if short is None:
        return int(groups["year"] or 0)
    return int(short) + (1900 if int(short) >= _CENTURY_PIVOT else 2000)


def _numeric_order(first: int, second: int, *, month_first: bool) -> tuple[int, int]:
    """(month, day) for ``first/second/year``: the preferred order unless only the other is
    valid."""
    if second > 12 >= first:
        return first, second
    if first > 12 >= second:
        return second, first
    return (first, second) if month_first else (second, first)
