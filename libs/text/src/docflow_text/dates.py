"""Dates as written in contracts and invoices, in English, French, German, Dutch and Spanish.

Reads "February 10, 2017", "the 6th day of January, 2012", "4th day of May 2005", "7. Mai 2014",
"02 Juillet 2015", "3 okt. 2014", "2014-08-03", "28/11/2022" (day first, as in most of the world
unless the day cannot be a month) and "12/31/2017" (month first when the second number cannot be
a month).

Two readers share one finder: :func:`find_dates` gives the days a document names, for
extraction; :func:`date_mentions` gives everything written like a date, also what names no day
("31/02/2014", an OCR misread or a typing error) or only a month ("May 2005"), for a check
that such dates are plausible.

Scanned receipts add OCR's noise: with ``ocr=True`` the finder also reads "25 / 12 / 2018",
"2O18" (a letter O for a zero), "18-Mar-18" and "10MAR2018". Which order an ambiguous numeric
date ("04/05/2018") is read in is the document's locale (:func:`month_first_locale`): its
currency and tax words (RM, SGD, GST, VAT: day first; US dollars beside a US address: month
first), else its spelled-out dates.
"""

import re
from datetime import date
from typing import NamedTuple

# Month names by month; the finder and the reader share them, so whatever is found can be read.
_MONTH_NAMES: tuple[tuple[str, ...], ...] = (
    ("jan", "january", "janvier", "januar", "januari", "janv", "enero"),
    ("feb", "february", "février", "fevrier", "februar", "februari", "févr", "fevr", "febrero"),
    ("mar", "march", "mars", "märz", "maerz", "maart", "mrt", "marzo"),
    ("apr", "april", "avril", "abril"),
    ("may", "mai", "mei", "mayo"),
    ("jun", "june", "juin", "juni", "junio"),
    ("jul", "july", "juillet", "juli", "juil", "julio"),
    ("aug", "august", "août", "aout", "augustus", "agosto"),
    ("sep", "sept", "september", "septembre", "septiembre", "setiembre"),
    ("oct", "october", "octobre", "oktober", "okt", "octubre"),
    ("nov", "november", "novembre", "noviembre"),
    ("dec", "december", "décembre", "decembre", "dezember", "dez", "diciembre"),
)
_MONTHS = {name: number for number, names in enumerate(_MONTH_NAMES, 1) for name in names}

_MONTH = "(?P<month>" + "|".join(sorted(_MONTHS, key=len, reverse=True)) + r")\.?"
#: Ordinal numbers in words, first to twentieth, for days and anniversaries written out.
ORDINAL_WORDS = (
    "first", "second", "third", "fourth", "fifth", "sixth", "seventh", "eighth", "ninth", "tenth",
    "eleventh", "twelfth", "thirteenth", "fourteenth", "fifteenth", "sixteenth", "seventeenth",
    "eighteenth", "nineteenth", "twentieth",
)  # fmt: skip
_ORDINAL_DAYS = {word: day for day, word in enumerate(ORDINAL_WORDS, 1)}
_ORDINAL_DAYS.update(
    {f"twenty{joint}{word}": 20 + day for word, day in list(_ORDINAL_DAYS.items())[:9]
     for joint in ("-", " ")}
    | {"thirtieth": 30, "thirty-first": 31, "thirty first": 31}
)  # fmt: skip
_DAY_WORD = "|".join(sorted(_ORDINAL_DAYS, key=len, reverse=True)).replace(" ", r"\s")
# The ordinal's letters may stand apart, as a superscript does in a text layer ("9 th"); a
# contract may spell the day out ("the twenty-first day of June").
_DAY = rf"(?:(?P<day>\d{{1,2}})(?:\s?(?:st|nd|rd|th)\b|er)?|(?P<dayword>{_DAY_WORD})\b)"
# "June 1, A.D. 2010", "the 3rd day of September in the year 2009".
_ERA = r"(?:in\s+the\s+year\s+(?:of\s+)?|A\.?\s?D\.?,?\s*)?"
# Any four digits: a year far in the past or future is a misread a reviewer should see.
_YEAR = r"(?P<year>\d{4})"
# 31/12/2017, 12-31-2017, 01.05.14: the same separator twice.
_NUMERIC = r"\b(?P<a>\d{1,2})(?P<sep>[/.-])(?P<b>\d{1,2})(?P=sep)"
_PATTERNS = (
    # February 10, 2017 / Feb. 10 2017 / August 3 , 2014 / December 11,2014 / December31, 2009
    re.compile(rf"\b{_MONTH}\s*{_DAY}\s*,?\s*{_ERA}{_YEAR}\b", re.I),
    # 6th day of January, 2012 / 4th day of May 2005 / 6th of February, 1999 / 7. Mai 2014 /
    # 31st day of May , 2005 (a text layer's space before the comma) / 29 de enero de 2019
    re.compile(
        rf"\b{_DAY}\.?\s+(?:day\s+of\s+|of\s+|de\s+)?{_MONTH}\s*,?\s+(?:de\s+)?{_ERA}{_YEAR}\b",
        re.I,
    ),
    re.compile(r"\b(?P<year>\d{4})-(?P<month>\d{1,2})-(?P<day>\d{1,2})\b"),
    re.compile(rf"{_NUMERIC}{_YEAR}\b"),
)
# "8/11/08", "01.05.14": read only where the caller knows a date stands there (a signature's
# "Date:"), or looks for anything that may be a date; elsewhere such numbers are often not.
_SHORT_NUMERIC = re.compile(rf"{_NUMERIC}(?P<short>\d\d)\b")
# OCR's spellings: spaces around separators, the month glued to its numbers, a two-digit year
# after a month's name ("18-Mar-18"); read only in ``ocr`` mode, where such noise is expected.
_SPACED = r"\b(?P<a>\d{1,2})\s?(?P<sep>[/.-])\s?(?P<b>\d{1,2})\s?(?P=sep)\s?"
# A till prints the time straight after the date, and OCR may lose the space between them
# ("02/02/20177:31:08PM", "12Mar201818:19", "01-03-185:23:26PM"): a year may end where a
# time begins.
_END = r"(?:\b|(?=\d{1,2}:\d\d))"
_OCR_PATTERNS = (
    re.compile(rf"{_SPACED}{_YEAR}{_END}"),
    re.compile(rf"\b(?P<day>\d{{1,2}})[\s-]?{_MONTH}[\s,-]?\s?{_YEAR}{_END}", re.I),
)
_OCR_SHORT_PATTERNS = (
    re.compile(rf"\b(?P<day>\d{{1,2}})[\s-]?{_MONTH}[\s,-]?\s?(?P<short>\d\d){_END}", re.I),
    re.compile(rf"{_SPACED}(?P<short>\d\d){_END}"),
)
# A letter O or o (or l, I for a one) touching a digit is OCR's misreading of a digit.
_OCR_ZERO = re.compile(r"(?<=\d)[Oo]|[Oo](?=\d)")
_OCR_ONE = re.compile(r"(?<=\d)[lI]|[lI](?=\d)")
# Money and tax words of countries that write the day first, and of the United States.
_DAY_FIRST_CUES = re.compile(
    r"\b(?:RM|MYR|SGD|S\$|GST|SST|VAT|TVA|BTW|MwSt|GSTIN|INR|Rs|EUR|GBP|Sdn\.?\s*Bhd|Malaysia"
    r"|Singapore|India|Australia)\b|[€£₹]",
)
_MONTH_FIRST_CUES = re.compile(
    r"\b(?:USD|US\$|Sales\s+Tax)\b|\b[A-Z]{2}\s+\d{5}(?:-\d{4})?\b|\$\s?\d",
)
# "May 2005" names a month, not a day: only a plausibility check reads it.
_MONTH_YEAR = re.compile(rf"\b{_MONTH},?\s+{_YEAR}\b", re.I)
# The century of a two-digit year: agreements on file were signed from the 1950s on.
_CENTURY_PIVOT = 50
# "May 4, 2005" is the American order, "4 May 2005" the European one (not "4th day of May").
_MONTH_FIRST_SPELLING = re.compile(rf"\b{_MONTH}\s+[0-3]?\d(?:st|nd|rd|th)?,?\s+\d{{4}}", re.I)
_DAY_FIRST_SPELLING = re.compile(rf"\b[0-3]?\d(?:st|nd|rd|th|er)?\.?\s+{_MONTH}\s+\d{{4}}", re.I)


class FoundDate(NamedTuple):
    value: date
    start: int
    end: int


class DateMention(NamedTuple):
    """Something written like a date; ``value`` is None when it names no day (31/02/2014)."""

    text: str
    value: date | None
    start: int
    end: int


def find_dates(
    text: str, *, month_first: bool = False, short_years: bool = False, ocr: bool = False
) -> list[FoundDate]:
    """Every valid date in ``text``, in reading order, overlapping spellings removed.

    An ambiguous numeric date ("04/05/2010") is read day first unless ``month_first``;
    two-digit years ("8/11/08") are read only with ``short_years``; OCR's spellings only
    with ``ocr`` (positions still refer to ``text``).
    """
    if ocr:
        # Same-length substitutions, so that positions still refer to the text given.
        text = _OCR_ONE.sub("1", _OCR_ZERO.sub("0", text))
    patterns = _finder_patterns(short_years=short_years, ocr=ocr)
    mentions = _mentions(text, patterns, month_first=month_first, valid_only=True)
    return [FoundDate(m.value, m.start, m.end) for m in mentions if m.value]


def date_mentions(text: str, *, month_first: bool = False) -> list[DateMention]:
    """Everything in ``text`` written like a date, valid or not, in reading order: also
    two-digit years and a month with its year ("May 2005", read as its first day)."""
    patterns = (*_PATTERNS, _SHORT_NUMERIC, _MONTH_YEAR)
    return _mentions(text, patterns, month_first=month_first, valid_only=False)


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


def _finder_patterns(*, short_years: bool, ocr: bool) -> tuple[re.Pattern[str], ...]:
    """Exact spellings first, so that where they overlap the noisy reading gives way."""
    patterns = (*_PATTERNS, *(_OCR_PATTERNS if ocr else ()))
    if short_years:
        patterns = (*patterns, _SHORT_NUMERIC, *(_OCR_SHORT_PATTERNS if ocr else ()))
    return patterns


def month_first_locale(text: str) -> bool:
    """Whether the document's locale writes numeric dates month first: its currency and tax
    words say where it is from; without them, its spelled-out dates say how it writes them,
    and a document that gives no hint at all is read day first, as most of the world writes."""
    day_first = len(_DAY_FIRST_CUES.findall(text))
    month_first = len(_MONTH_FIRST_CUES.findall(text))
    if day_first != month_first:
        return month_first > day_first
    american = len(_MONTH_FIRST_SPELLING.findall(text))
    return american > len(_DAY_FIRST_SPELLING.findall(text))


def _mentions(
    text: str, patterns: tuple[re.Pattern[str], ...], *, month_first: bool, valid_only: bool
) -> list[DateMention]:
    """The patterns' matches, the earlier pattern winning where spellings overlap."""
    found: list[DateMention] = []
    for pattern in patterns:
        for match in pattern.finditer(text):
            value = _to_date(match, month_first=month_first)
            if (value or not valid_only) and not any(
                f.start <= match.start() < f.end for f in found
            ):
                found.append(DateMention(match.group(), value, match.start(), match.end()))
    return sorted(found, key=lambda f: f.start)


def _to_date(match: re.Match[str], *, month_first: bool) -> date | None:
    groups = match.groupdict()
    year = _year(groups)
    if groups.get("a") is not None:
        month, day = _numeric_order(int(groups["a"]), int(groups["b"]), month_first=month_first)
    else:
        month_text = groups["month"].lower().rstrip(".")
        month = _MONTHS[month_text] if month_text in _MONTHS else int(month_text)
        day = _day(groups)
    try:
        return date(year, month, day)
    except ValueError:
        return None


def _day(groups: dict[str, str | None]) -> int:
    """The day of a date written with a month's name; 1 where only the month is named."""
    word = groups.get("dayword")
    if word:
        return _ORDINAL_DAYS[" ".join(word.lower().split())]
    return int(groups.get("day") or 1)


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
