"""How amounts and dates are written on invoices: grouping, decimal marks, currency, months.

Each style is data drawn once per document, so one invoice writes every amount and every
date the same way, as a real invoicing program does.
"""

from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from typing import Final, Literal

CENT: Final = Decimal("0.01")
Placement = Literal["symbol-before", "symbol-after", "code-before", "code-after", "none"]


@dataclass(frozen=True)
class NumberStyle:
    """``1,234.56``, ``1.234,56``, ``1 234,56``, ``1'234.56``, ``1,23,456.78`` (Indian)."""

    group: str
    decimal: str
    indian: bool = False


@dataclass(frozen=True)
class Currency:
    code: str
    symbol: str
    #: A space between symbol and number (``€ 12,50`` in Dutch, ``12,50 €`` in French).
    spaced: bool = False


@dataclass(frozen=True)
class MoneyStyle:
    number: NumberStyle
    currency: Currency
    placement: Placement


def quantize(value: Decimal) -> Decimal:
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


def format_number(value: Decimal, style: NumberStyle, places: int = 2) -> str:
    """``value`` with ``places`` decimals in ``style`` (a minus sign in front if negative)."""
    exponent = Decimal(1).scaleb(-places)
    text = f"{abs(value.quantize(exponent, rounding=ROUND_HALF_UP)):f}"
    whole, _, fraction = text.partition(".")
    grouped = style.group.join(_groups(whole, indian=style.indian))
    sign = "-" if value < 0 else ""
    return sign + grouped + (style.decimal + fraction if fraction else "")


def _groups(whole: str, *, indian: bool) -> list[str]:
    if len(whole) <= 3:
        return [whole]
    head, tail = whole[:-3], whole[-3:]
    size = 2 if indian else 3
    groups = [head[max(0, end - size) : end] for end in range(len(head), 0, -size)]
    return [*reversed(groups), tail]


def format_money(value: Decimal, style: MoneyStyle) -> str:
    number = format_number(value, style.number)
    currency = style.currency
    gap = " " if currency.spaced else ""
    if style.placement == "symbol-before":
        # A minus goes before the symbol ("-€12.50"), as most invoicing programs print it.
        sign, digits = ("-", number[1:]) if number.startswith("-") else ("", number)
        return f"{sign}{currency.symbol}{gap}{digits}"
    if style.placement == "symbol-after":
        return f"{number} {currency.symbol}"
    if style.placement == "code-before":
        return f"{currency.code} {number}"
    if style.placement == "code-after":
        return f"{number} {currency.code}"
    return number


@dataclass(frozen=True)
class Months:
    long: tuple[str, ...]
    short: tuple[str, ...]


#: Templates: {d} 4, {dd} 04, {m} 3, {mm} 03, {yyyy}, {yy}, {month} March, {mon} Mar,
#: {ord} 4th (English), {d1} 1er/4 (French).
DateFormat = str


def format_date(day: date, template: DateFormat, months: Months) -> str:
    return template.format(
        d=day.day,
        dd=f"{day.day:02}",
        m=day.month,
        mm=f"{day.month:02}",
        yyyy=day.year,
        yy=f"{day.year % 100:02}",
        month=months.long[day.month - 1],
        mon=months.short[day.month - 1],
        ord=_english_ordinal(day.day),
        d1="1er" if day.day == 1 else str(day.day),
    )


def _english_ordinal(number: int) -> str:
    teen = 10 < number % 100 < 14
    suffix = "th" if teen else {1: "st", 2: "nd", 3: "rd"}.get(number % 10, "th")
    return f"{number}{suffix}"


_ONES: Final = [
    "Zero",
    "One",
    "Two",
    "Three",
    "Four",
    "Five",
    "Six",
    "Seven",
    "Eight",
    "Nine",
    "Ten",
    "Eleven",
    "Twelve",
    "Thirteen",
    "Fourteen",
    "Fifteen",
    "Sixteen",
    "Seventeen",
    "Eighteen",
    "Nineteen",
]
_TENS: Final = [
    "_",
    "_",
    "Twenty",
    "Thirty",
    "Forty",
    "Fifty",
    "Sixty",
    "Seventy",
    "Eighty",
    "Ninety",
]
#: The Indian system names lakhs and crores, not millions.
_INDIAN_SCALES: Final = ((10_000_000, "Crore"), (100_000, "Lakh"), (1000, "Thousand"))


def indian_words(rupees: int) -> str:
    """``1939`` → ``One Thousand Nine Hundred Thirty Nine``, as Indian invoices spell totals."""
    if rupees == 0:
        return _ONES[0]
    words: list[str] = []
    rest = rupees
    for scale, name in _INDIAN_SCALES:
        if rest >= scale:
            words += [*_below_thousand(rest // scale), name]
            rest %= scale
    return " ".join(words + _below_thousand(rest))


def _below_thousand(number: int) -> list[str]:
    words: list[str] = []
    if number >= 100:
        words += [_ONES[number // 100], "Hundred"]
        number %= 100
    if number >= 20:
        words.append(_TENS[number // 10])
        number %= 10
    if number:
        words.append(_ONES[number])
    return words
