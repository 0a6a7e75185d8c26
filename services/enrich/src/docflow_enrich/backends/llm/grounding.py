"""Is each value of a model's answer in the document? A value that is not is a likely
hallucination, and is named in the result's ``ungrounded`` list (``parties[1]``, ``total``).

Values are compared as ``docflow_text`` reads the document, not as strings: a date in any
spelling the document uses ("the 6th day of January, 2012", "06/01/2012"), an amount in any
grouping or decimal mark, a party's name up to case, punctuation and the legal form's spelling.
Each reader passes over the text at most once, and only when the answer has a value of its
kind; the values are then set look-ups.
"""

import re
from collections.abc import Callable, Iterable, Iterator
from datetime import date
from functools import cached_property
from typing import Final, TypeVar

from docflow_events.v1.results import Entities, Money
from docflow_text.dates import date_mentions
from docflow_text.money_tokens import currency_tokens, number_tokens
from docflow_text.names import ORG_SUFFIX, clean_name

_NOT_ALNUM: Final = re.compile(r"[^a-z0-9]")
_WORD: Final = re.compile(r"[a-z0-9]+")
_NUMERIC_DATE: Final = re.compile(r"^\d{1,2}[/.-]")
_MONTHS: Final = 12
_TRAILING_FORM: Final = re.compile(rf",?\s+{ORG_SUFFIX}\s*$")
_JURISDICTION_PREFIX: Final = re.compile(r"^(?:the\s+)?(?:state|commonwealth)\s+of\s+", re.I)
_NUMBER_NAMES: Final = (
    "zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten",
    "eleven", "twelve",
)  # fmt: skip
_NUMBER_WORDS: Final = {word: value for value, word in enumerate(_NUMBER_NAMES)}
_TERM_UNIT: Final = re.compile(r"\b(year|month|week|day)s?\b", re.I)
_TERM_NUMBER: Final = re.compile(r"\d+|[a-z]+", re.I)
_T = TypeVar("_T")
# A name shorter than this, once reduced, would be found by chance.
_MIN_KEY: Final = 3


class Evidence:
    """What a document's text holds, each reading made once and only when a value needs it."""

    def __init__(self, text: str) -> None:
        self._text = text

    @cached_property
    def key(self) -> str:
        return _key(self._text)

    @cached_property
    def words(self) -> frozenset[str]:
        return frozenset(_WORD.findall(self._spelled))

    @cached_property
    def dates(self) -> frozenset[date]:
        found: set[date] = set()
        for mention in date_mentions(self._text):
            if mention.value is not None:
                found.update(_readings(mention.text, mention.value))
        return frozenset(found)

    def holds(self, pattern: re.Pattern[str]) -> bool:
        return pattern.search(self._spelled) is not None

    @cached_property
    def _spelled(self) -> str:
        return _spelled(self._text)

    @cached_property
    def numbers(self) -> frozenset[float]:
        tokens = number_tokens(self._text, currency_tokens(self._text))
        return frozenset(_cents(token.value) for token in tokens)


def ungrounded(entities: Entities, text: str) -> list[str]:
    """The fields of ``entities`` whose value the text does not hold, as paths."""
    evidence = Evidence(text)
    return [path for path, found in _checks(entities, evidence) if not found]


def _checks(e: Entities, ev: Evidence) -> Iterator[tuple[str, bool]]:
    yield from _each("parties", e.parties, lambda p: _name_found(p, ev))
    yield from _one("effective_date", e.effective_date, lambda d: d in ev.dates)
    yield from _each("dates", e.dates, lambda d: d in ev.dates)
    yield from _each("amounts", e.amounts, lambda m: _money_found(m, ev))
    yield from _one("jurisdiction", e.jurisdiction, lambda j: _jurisdiction_found(j, ev))
    yield from _one("term", e.term, lambda t: _term_found(t, ev))
    yield from _one("issuer", e.issuer, lambda p: _name_found(p, ev))
    yield from _one("invoice_number", e.invoice_number, lambda n: _key_found(n, ev))
    yield from _one("issue_date", e.issue_date, lambda d: d in ev.dates)
    yield from _one("total", e.total, lambda m: _money_found(m, ev))


def _each(
    name: str, values: Iterable[_T], found: Callable[[_T], bool]
) -> Iterator[tuple[str, bool]]:
    for index, value in enumerate(values):
        yield f"{name}[{index}]", found(value)


def _one(name: str, value: _T | None, found: Callable[[_T], bool]) -> Iterator[tuple[str, bool]]:
    if value is not None:
        yield name, found(value)


def _name_found(name: str, ev: Evidence) -> bool:
    cleaned = clean_name(name)
    bare = _TRAILING_FORM.sub("", cleaned)
    return any(_key_found(spelling, ev) for spelling in (name, cleaned, bare))


def _key_found(value: str, ev: Evidence) -> bool:
    key = _key(value)
    # A short value ("42", "NY") must be a word of its own, or it is found by chance.
    return key in ev.words if len(key) < _MIN_KEY else key in ev.key


def _money_found(money: Money, ev: Evidence) -> bool:
    return _cents(money.value) in ev.numbers or _cents(abs(money.value)) in ev.numbers


def _jurisdiction_found(jurisdiction: str, ev: Evidence) -> bool:
    first = _JURISDICTION_PREFIX.sub("", jurisdiction.split(",", maxsplit=1)[0].strip())
    return _key_found(jurisdiction, ev) or _key_found(first, ev)


def _term_found(term: str, ev: Evidence) -> bool:
    """A term such as "2 years" is in "two (2) years", "a two-year period" and "2 years": a
    number of the term, in digits or in words, stands right before its unit in the text."""
    if _key_found(term, ev):
        return True
    unit = _TERM_UNIT.search(term)
    numbers = [n for n in map(_number, _TERM_NUMBER.findall(term)) if n is not None]
    if unit is None or not numbers:
        return False
    return ev.holds(_duration(numbers[0], unit.group(1).lower()))


def _duration(number: int, unit: str) -> re.Pattern[str]:
    spellings = [str(number), *(w for w, v in _NUMBER_WORDS.items() if v == number)]
    said = "|".join(spellings)
    return re.compile(rf"\b(?:{said})\b(?:\s*\(\s*\d+\s*\))?[\s-]*{unit}s?\b")


def _number(word: str) -> int | None:
    return int(word) if word.isdigit() else _NUMBER_WORDS.get(word.lower())


def _cents(value: float) -> float:
    return round(value, 2)


def _key(text: str) -> str:
    return _NOT_ALNUM.sub("", _spelled(text))


def _spelled(text: str) -> str:
    # "Heidrick & Struggles" is "Heidrick and Struggles", as docflow_text's clean names say.
    return text.lower().replace("&", " and ")


def _readings(written: str, value: date) -> list[date]:
    """Both readings of an ambiguous numeric date ("04/05/2010"): the model may know the
    document's order better than the reader does."""
    if _NUMERIC_DATE.match(written) and value.day <= _MONTHS:
        return [value, date(value.year, value.day, value.month)]
    return [value]
