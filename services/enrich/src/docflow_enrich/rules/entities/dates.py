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
_DAY = r"(?P<day>[0-3]?\d)(?:st|nd|rd|th|er)?"
_YEAR = r"(?P<year>(?:19|20)\d\d)"
_PATTERNS = (
    # February 10, 2017 / Feb. 10 2017 / August 3 , 2014 / December 11,2014
    re.compile(rf"\b{_MONTH}\s+{_DAY}\s*,?\s*{_YEAR}\b", re.I),
    # 6th day of January, 2012 / 4th day of May 2005 / 6th of February, 1999 / 7. Mai 2014
    re.compile(rf"\b{_DAY}\.?\s+(?:day\s+of\s+|of\s+)?{_MONTH},?\s+{_YEAR}\b", re.I),
    re.compile(r"\b(?P<year>(?:19|20)\d\d)-(?P<month>[01]?\d)-(?P<day>[0-3]?\d)\b"),
    re.compile(r"\b(?P<a>[0-3]?\d)[/.-](?P<b>[0-3]?\d)[/.-](?P<year>(?:19|20)\d\d)\b"),
)


class FoundDate(NamedTuple):
    value: date
    start: int
    end: int


def find_dates(text: str) -> list[FoundDate]:
    """Every valid date in ``text``, in reading order, overlapping spellings removed."""
    found: list[FoundDate] = []
    for pattern in _PATTERNS:
        for match in pattern.finditer(text):
            value = _to_date(match)
            if value and not any(f.start <= match.start() < f.end for f in found):
                found.append(FoundDate(value, match.start(), match.end()))
    return sorted(found, key=lambda f: f.start)


def parse_date(text: str) -> date | None:
    """The first date in ``text``, if any."""
    found = find_dates(text)
    return found[0].value if found else None


def _to_date(match: re.Match[str]) -> date | None:
    groups = match.groupdict()
    year = int(groups["year"])
    if groups.get("a") is not None:
        month, day = _numeric_order(int(groups["a"]), int(groups["b"]))
    else:
        month_text = groups["month"].lower().rstrip(".")
        month = _MONTHS[month_text] if month_text in _MONTHS else int(month_text)
        day = int(groups["day"])
    try:
        return date(year, month, day)
    except ValueError:
        return None


def _numeric_order(first: int, second: int) -> tuple[int, int]:
    """(month, day) for ``first/second/year``: day first unless only month-first is valid."""
    if second > 12 >= first:
        return first, second
    return second, first


# --- the effective date -------------------------------------------------------------------

_EFFECTIVE = re.compile(r"\beffective\s+(?:as\s+of|on|from|for\s+all\s+purposes\s+as\s+of)?", re.I)
_AGREEMENT_DATE = re.compile(
    r"\b(?:dated|made|entered\s+into|executed|as\s+of|DATE\s*:|made\s+and\s+entered\s+into)\b",
    re.I,
)
_BLANK = re.compile(
    r"^[\s,]*(?:as\s+of\s+|on\s+|this\s+)?(?:the\s+)?_*\s*(?:day\s+of|,\s*(?:19|20)[_\d]{0,2}\b|_{2,})",
    re.I,
)
_WITNESS = re.compile(r"IN\s+WITNESS\s+WHEREOF", re.I)
_WITNESS_CHARS = 160
_DATE_WINDOW = 60
_OPENING_CHARS = 2000
_HEAD_CHARS = 600


def find_effective_date(flat: str) -> date | None:
    """When the agreement takes effect, from its opening.

    "effective as of <date>" wins; else the date after the first "dated", "made ... as of",
    "entered into as of" (a blank there, "as of ____, 20__", means no date); else a "DATE:"
    field, or the date the closing "IN WITNESS WHEREOF" gives. A letter's own date is not
    taken: it is when the letter was written, not when the agreement took effect.
    """
    opening = flat[:_OPENING_CHARS]
    for effective in _EFFECTIVE.finditer(opening):
        found = _date_after(opening, effective.end())
        if found:
            return found
    match = _AGREEMENT_DATE.search(opening)
    if match and _BLANK.match(opening, match.end()):
        return None
    found = _date_after(opening, match.end()) if match else None
    return found or _dated_heading(opening) or _witness_date(flat)


def _date_after(text: str, pos: int) -> date | None:
    window = text[pos : pos + _DATE_WINDOW]
    found = find_dates(window)
    if not found or "." in window[: found[0].start].replace("Inc.", ""):
        return None
    return found[0].value


def _dated_heading(opening: str) -> date | None:
    """A "DATE:" field at the head of the agreement."""
    field = re.search(r"\bDATE\s*:", opening[:_HEAD_CHARS])
    return _date_after(opening, field.end()) if field else None


def _witness_date(flat: str) -> date | None:
    """The date of "IN WITNESS WHEREOF, the parties have executed this Agreement this 16th day
    of May, 2011" (not "as of the date first written above", which points back to the opening)."""
    witness = _WITNESS.search(flat)
    if witness is None:
        return None
    found = find_dates(flat[witness.end() : witness.end() + _WITNESS_CHARS])
    return found[0].value if found else None
