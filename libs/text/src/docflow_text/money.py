"""Amounts of money with their currency: "$1,250,000.00", "US$ 1,234.00", "USD 380 million",
"45,93 €", "€ 1.234,56", "£12", "Rs. 1939", "INR 1,00,000.00", "10 000€", "€ -9,32", "250 dollars".

Each currency marker claims one number next to it (see :mod:`money_tokens` for what counts as
a number): the one right after it ("€ 399,00", "USD 5,000") or the one right before it
("399,00 €", "5.000 EUR"). When both sides hold a number:

- a percentage is never money ("21% € 399,00");
- a number another marker already claimed is not claimed twice ("€ 12,00 € 13,00");
- a bare count or year (one or two digits, or 19xx/20xx, without decimals) loses to a decimal
  amount on the other side ("Zilver 1 € 399,00", "op 21 april 2015 € 717,97");
- a number touching the marker beats one a space away ("€3.50 1");
- otherwise the document's own habit decides: where more markers stand alone after their
  number than before one ("45,93 € ... 3,50 € 0 €"), markers follow their numbers; else
  they lead them, the more common writing.

:func:`find_amounts` gives every occurrence in reading order, for rules that read a line's
figures. :func:`distinct_amounts` is what a reader of a document's entities wants: each
monetary value once per currency, with the context of its first occurrence, in order of first
appearance (an invoice repeats its total in the lines, the summary and the payment details).
:func:`amounts_in` and :func:`amount_value` are for checks that add an invoice's figures up,
where a total is often written without a currency ("Grand Total 319.00"). No reader returns
a value beyond :data:`~docflow_text.money_tokens.MAX_AMOUNT`.
"""

import re
from dataclasses import dataclass

from docflow_text.money_tokens import (
    CurrencyToken,
    NumberToken,
    currency_code,
    currency_tokens,
    number_tokens,
    plausible_amount,
)

__all__ = [
    "Amount", "amount_value", "amounts_in", "currency_code", "distinct_amounts", "find_amounts",
    "parse_number",
]  # fmt: skip

_CONTEXT_CHARS = 40
_MAX_GAP = 2
_CENTS = re.compile(r"[.,]\d\d$")
_Sides = tuple[NumberToken | None, NumberToken | None]
_Index = tuple[dict[int, NumberToken], dict[int, NumberToken]]


@dataclass(frozen=True)
class Amount:
    """An amount as the document writes it; ``currency`` is an ISO 4217 code when marked."""

    value: float
    currency: str | None = None
    context: str | None = None


def parse_number(text: str) -> float | None:
    """A number written with either decimal mark and any thousands grouping; None for what is
    no number, or too large to be an amount."""
    digits = text.strip().replace("'", "").replace(" ", "")
    last = max(digits.rfind("."), digits.rfind(","))
    if last >= 0 and len(digits) - last - 1 in (1, 2):
        whole, fraction = digits[:last], digits[last + 1 :]
        digits = re.sub(r"[.,]", "", whole) + "." + fraction
    else:
        digits = re.sub(r"[.,]", "", digits)
    try:
        value = float(digits)
    except ValueError:
        return None
    return value if plausible_amount(value) else None


def find_amounts(text: str) -> list[Amount]:
    """Every amount with a currency, in reading order."""
    return [amount for _, amount in _claimed(text)]


def amounts_in(text: str) -> list[float]:
    """The money amounts of ``text`` in order: those with a currency, and numbers with cents.

    Cents make a number money even without a currency, so that quantities, percentages,
    years and phone numbers are not. Without a currency beside them, numbers are not read as
    grouped by spaces: "Total 1 278.61" is a quantity and a price more often than one amount.
    """
    claimed = _claimed(text)
    found = [(number.start, amount.value) for number, amount in claimed]
    for number in number_tokens(text, [], space_groups=False):
        if _unmarked_cents(text, number) and not any(_overlap(number, n) for n, _ in claimed):
            found.append((number.start, number.value))
    return [value for _, value in sorted(found, key=lambda item: item[0])]


def amount_value(text: str) -> float | None:
    """The amount a field's value holds: its last amount, or the bare number it is."""
    amounts = amounts_in(text)
    if amounts:
        return amounts[-1]
    value = text.strip()
    numbers = number_tokens(value, [])
    whole = len(numbers) == 1 and (numbers[0].start, numbers[0].end) == (0, len(value))
    return numbers[0].value if whole else None


def distinct_amounts(amounts: list[Amount]) -> list[Amount]:
    """Each (value, currency) once, with its first context, in order of first appearance."""
    seen: set[tuple[float, str | None]] = set()
    distinct = []
    for amount in amounts:
        key = (amount.value, amount.currency)
        if key not in seen:
            seen.add(key)
            distinct.append(amount)
    return distinct


def _claimed(text: str) -> list[tuple[NumberToken, Amount]]:
    """Each number a currency marker claims, with the amount it makes, in reading order."""
    currencies = currency_tokens(text)
    numbers = number_tokens(text, currencies)
    index = ({n.start: n for n in numbers}, {n.end: n for n in numbers})
    sides = [_sides(text, currency, index) for currency in currencies]
    leading = _markers_lead(currencies, sides)
    claimed: set[int] = set()
    found: list[tuple[NumberToken, Amount]] = []
    for currency, (before, after) in zip(currencies, sides, strict=True):
        number = _choose(currency, before, after, leading, claimed)
        if number is not None:
            claimed.add(number.start)
            found.append((number, _amount(text, currency, number)))
    return sorted(found, key=lambda item: item[0].start)


def _unmarked_cents(text: str, number: NumberToken) -> bool:
    return not number.percent and bool(_CENTS.search(text, number.start, number.end))


def _overlap(a: NumberToken, b: NumberToken) -> bool:
    return a.start < b.end and b.start < a.end


def _sides(text: str, currency: CurrencyToken, numbers: _Index) -> _Sides:
    """The numbers ending just before the marker and starting just after it, if any."""
    by_start, by_end = numbers
    before = next((by_end[i] for i in _gap_ends(text, currency.start) if i in by_end), None)
    after = next((by_start[i] for i in _gap_starts(text, currency.end) if i in by_start), None)
    return _money_like(before), None if currency.trailing_only else _money_like(after)


def _gap_ends(text: str, position: int) -> list[int]:
    """Where a number may end to stand right before ``position``: up to two spaces away."""
    window = text[max(0, position - _MAX_GAP) : position]
    gap = len(window) - len(window.rstrip())
    return [position - width for width in range(gap + 1)]


def _gap_starts(text: str, position: int) -> list[int]:
    """Where a number may start to stand right after ``position``: up to two spaces away."""
    window = text[position : position + _MAX_GAP]
    gap = len(window) - len(window.lstrip())
    return [position + width for width in range(gap + 1)]


def _money_like(number: NumberToken | None) -> NumberToken | None:
    return None if number is None or number.percent else number


def _markers_lead(currencies: list[CurrencyToken], sides: list[_Sides]) -> bool:
    """Whether the markers with a number on one side only mostly have it after them; currency
    words have no say, as they always follow their number."""
    votes = [side for currency, side in zip(currencies, sides, strict=True)
             if not currency.trailing_only]  # fmt: skip
    after_only = sum(1 for before, after in votes if after and not before)
    before_only = sum(1 for before, after in votes if before and not after)
    return after_only >= before_only


def _choose(
    currency: CurrencyToken,
    before: NumberToken | None,
    after: NumberToken | None,
    leading: bool,
    claimed: set[int],
) -> NumberToken | None:
    before, after = _unclaimed(before, claimed), _unclaimed(after, claimed)
    if before is None or after is None:
        return after or before
    if before.bare and after.decimal:
        return after
    if after.bare and before.decimal:
        return before
    touching = [n for n in (before, after) if n.end == currency.start or n.start == currency.end]
    if len(touching) == 1:
        return touching[0]
    return after if leading else before


def _unclaimed(number: NumberToken | None, claimed: set[int]) -> NumberToken | None:
    return None if number is None or number.start in claimed else number


def _amount(text: str, currency: CurrencyToken, number: NumberToken) -> Amount:
    value = -number.value if currency.negative and number.start > currency.start else number.value
    start = max(0, min(number.start, currency.start) - _CONTEXT_CHARS)
    end = max(number.end, currency.end) + _CONTEXT_CHARS
    context = " ".join(text[start:end].split())
    return Amount(value=round(value, 2), currency=currency.code, context=context)
