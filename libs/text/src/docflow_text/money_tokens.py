"""The pieces an amount of money is made of: numbers as written and currency markers.

A number is read by the one grouping style its separators allow: thousands groups of exactly
three digits ("1.234,56", "1,234.56", "10 000", "1'234.50"), Indian lakh groups ("1,00,000.00"),
or no grouping ("399,00", "29.99", "1939"); a last separator followed by one or two digits is
the decimal mark. Digits that belong to a date ("06/12/2022", "21.04.2015", "2015-10-20"), to a
code ("SDMPP373MPP15", "3DS") or to a glued neighbour are not numbers. A number directly
followed by "%" is a percentage, and a space-grouped reading never swallows one ("399,00 21%"
is 399,00 then 21%).

A number beyond :data:`MAX_AMOUNT` is not a number here: no document means that much money,
and the digits are an identifier, a misread or an attack (400 nines overflow a float to
infinity, which no JSON reader accepts).
"""

import math
import re
from dataclasses import dataclass

_SPACE_GROUPED = r"\d{1,3}(?:[ \u202f]\d{3})+(?:[.,]\d{1,2})?(?!\s?%)"
_GROUPED_STYLES = (
    r"\d{1,3}(?:\.\d{3})+(?:,\d{1,2})?",
    r"\d{1,3}(?:,\d{3})+(?:\.\d{1,2})?",
    r"\d{1,3}(?:'\d{3})+(?:\.\d{1,2})?",
    r"\d{1,2}(?:,\d{2})+,\d{3}(?:\.\d{1,2})?",
)
_PLAIN = r"\d+(?:[.,]\d{1,2})?"


def _number_pattern(styles: tuple[str, ...]) -> re.Pattern[str]:
    # A number starts after no digit, date slash or digit-joined separator, and ends before none.
    return re.compile(
        r"(?<![\d/])(?<!\d[.,'/-])(?P<sign>[-\u2212](?=\d))?"
        r"(?P<digits>(?:" + "|".join(styles) + r")(?!\d|[.,]\d|[/-]\d))"
        r"(?:\s+(?P<scale>million|billion|thousand)\b)?",
        re.I,
    )


_NUMBER = _number_pattern((_SPACE_GROUPED, *_GROUPED_STYLES, _PLAIN))
_UNSPACED_NUMBER = _number_pattern((*_GROUPED_STYLES, _PLAIN))
_PERCENT = re.compile(r"\s?%")
_DECIMAL = re.compile(r"[.,](\d{1,2})$")
_SCALES = {"thousand": 1e3, "million": 1e6, "billion": 1e9}
_YEAR = re.compile(r"(?:19|20)\d\d")
#: A thousand trillion, about ten times the world's yearly output: larger is not money.
MAX_AMOUNT = 1e15

_CODES = {
    "$": "USD", "us$": "USD", "usd": "USD", "dollars": "USD", "dollar": "USD",
    "€": "EUR", "eur": "EUR", "euro": "EUR", "euros": "EUR",
    "£": "GBP", "gbp": "GBP", "pounds": "GBP",
    "rs": "INR", "rs.": "INR", "inr": "INR", "₹": "INR",
    "chf": "CHF", "¥": "JPY", "jpy": "JPY", "cad": "CAD", "aud": "AUD",
    "rm": "MYR", "myr": "MYR", "sgd": "SGD",
}  # fmt: skip
# Currency words ("5 euros", "3.441.812 Euros") only ever follow their number.
_WORDS = frozenset({"euro", "euros", "dollar", "dollars"})
_CURRENCY = re.compile(
    r"(?P<sign>(?<![\w-])-)?"
    r"(?P<marker>US\$|\$|€|£|₹|¥"
    r"|\b(?:USD|EUR|GBP|INR|CHF|JPY|CAD|AUD|MYR|SGD|RM|Rs\.?|euros?|dollars?)(?![A-Za-z]))",
    re.I,
)


@dataclass(frozen=True)
class NumberToken:
    """A number as written: where it is, its value, and what kind of number it looks like."""

    start: int
    end: int
    value: float
    percent: bool
    decimal: bool
    bare: bool


@dataclass(frozen=True)
class CurrencyToken:
    """A currency marker; ``trailing_only`` for words, which never precede their number."""

    start: int
    end: int
    code: str
    negative: bool
    trailing_only: bool


def currency_code(symbol: str) -> str | None:
    """The ISO 4217 code of a currency symbol, code or word ("€" → "EUR")."""
    return _CODES.get(symbol.lower().strip())


def currency_tokens(text: str) -> list[CurrencyToken]:
    tokens = []
    for match in _CURRENCY.finditer(text):
        marker = match.group("marker").lower()
        tokens.append(
            CurrencyToken(
                start=match.start(),
                end=match.end(),
                code=_CODES[marker],
                negative=bool(match.group("sign")),
                trailing_only=marker in _WORDS,
            )
        )
    return tokens


def number_tokens(
    text: str, currencies: list[CurrencyToken], *, space_groups: bool = True
) -> list[NumberToken]:
    """Every number not glued to a word; a currency marker may touch it ("€3.50", "40€").
    Without ``space_groups``, a space always separates two numbers ("1 278.61")."""
    starts = {token.start for token in currencies}
    ends = {token.end for token in currencies}
    tokens = []
    for match in (_NUMBER if space_groups else _UNSPACED_NUMBER).finditer(text):
        glued_before = match.start() > 0 and text[match.start() - 1].isalpha()
        glued_after = match.end() < len(text) and text[match.end()].isalpha()
        if (glued_before and match.start() not in ends) or (
            glued_after and match.end() not in starts
        ):
            continue
        token = _token(text, match)
        if token is not None:
            tokens.append(token)
    return tokens


def plausible_amount(value: float) -> bool:
    """Whether ``value`` can be an amount a document means: finite, at most :data:`MAX_AMOUNT`."""
    return math.isfinite(value) and abs(value) <= MAX_AMOUNT


def _token(text: str, match: re.Match[str]) -> NumberToken | None:
    digits, scale = match.group("digits"), match.group("scale")
    value = _value(digits) * (_SCALES[scale.lower()] if scale else 1.0)
    if not plausible_amount(value):
        return None
    decimal = bool(_DECIMAL.search(digits))
    return NumberToken(
        start=match.start(),
        end=match.end(),
        value=-value if match.group("sign") else value,
        percent=bool(_PERCENT.match(text, match.end())),
        decimal=decimal,
        bare=not decimal and not scale and _looks_like_count_or_year(digits),
    )


def _value(digits: str) -> float:
    decimal = _DECIMAL.search(digits)
    if decimal:
        whole = re.sub(r"\D", "", digits[: decimal.start()])
        return float(f"{whole}.{decimal.group(1)}")
    return float(re.sub(r"\D", "", digits))


def _looks_like_count_or_year(digits: str) -> bool:
    return len(digits) <= 2 or bool(_YEAR.fullmatch(digits))
