"""Finding dates in running text and reading them, in English, French, German and Dutch."""

import re
from collections.abc import Iterator
from datetime import date, datetime

from dateutil import parser as dateutil_parser

# Month names by month; the parser and the finder share them, so whatever is found can be read.
_MONTHS: tuple[tuple[str, ...], ...] = (
    ("jan", "january", "janvier", "januar", "januari", "janv"),
    ("feb", "february", "février", "fevrier", "februar", "februari", "févr", "fevr"),
    ("mar", "march", "mars", "märz", "maerz", "maart"),
    ("apr", "april", "avril"),
    ("may", "mai", "mei"),
    ("jun", "june", "juin", "juni"),
    ("jul", "july", "juillet", "juli", "juil"),
    ("aug", "august", "août", "aout", "augustus"),
    ("sep", "sept", "september", "septembre"),
    ("oct", "october", "octobre", "oktober", "okt"),
    ("nov", "november", "novembre"),
    ("dec", "december", "décembre", "decembre", "dezember", "dez"),
)

_MONTH = "|".join(sorted((re.escape(n) for m in _MONTHS for n in m), key=len, reverse=True))
_ORDINAL = r"(?:\s*(?:st|nd|rd|th|er))?"
_DAY = rf"\d{{1,2}}{_ORDINAL}"
_PATTERNS = (
    # 31/12/2017, 12-31-2017, 01.05.14
    r"\b\d{1,2}([./-])\d{1,2}\1(?:\d{4}|\d{2})\b",
    # 2017-12-31
    r"\b\d{4}-\d{1,2}-\d{1,2}\b",
    # 3 August 2014, 7. Mai 2014, 6th day of January, 2012, August 3, 2014, May 2005
    rf"\b(?:{_DAY}\.?\s+(?:day\s+of\s+)?)?(?:{_MONTH})\.?(?:\s+{_DAY})?(?:\s*,\s*|\s+)\d{{4}}\b",
)
_FINDER = re.compile("|".join(f"(?:{p})" for p in _PATTERNS), re.IGNORECASE)
_NOISE = re.compile(rf"(?<=\d){_ORDINAL}\b|\bday\s+of\b|,", re.IGNORECASE)


class _ParserInfo(dateutil_parser.parserinfo):
    # dateutil takes any number of names per month; its stubs allow only two or three.
    MONTHS = list(_MONTHS)  # type: ignore[arg-type]  # noqa: RUF012 - dateutil's own API


# Built once: a parserinfo is read-only once made, and making one per date costs a quarter
# of reading it.
_PARSER_INFO = {dayfirst: _ParserInfo(dayfirst=dayfirst) for dayfirst in (False, True)}


def find_dates(text: str, limit: int) -> Iterator[str]:
    """The date-like strings of ``text`` in order, at most ``limit`` of them."""
    for count, match in enumerate(_FINDER.finditer(text)):
        if count >= limit:
            return
        yield match.group(0)


def read_date(written: str, *, dayfirst: bool) -> date | None:
    """The date ``written`` names, or None when it names none (31 February, month 13)."""
    cleaned = " ".join(_NOISE.sub(" ", written).split())
    try:
        parsed: datetime = dateutil_parser.parse(
            cleaned, parserinfo=_PARSER_INFO[dayfirst], default=_FIRST_OF_JANUARY
        )
    except (ValueError, OverflowError):
        return None
    return parsed.date()


_FIRST_OF_JANUARY = datetime(2000, 1, 1)
