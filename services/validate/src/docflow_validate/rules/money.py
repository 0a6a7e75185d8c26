"""Reading money amounts as invoices write them: 1,234.56 / 1.234,56 / 45,93 € / Rs 1939.

A number counts as an amount when it has cents or a currency beside it, so that quantities,
percentages, years and phone numbers are not mistaken for money.
"""

import re

_CURRENCY = r"(?:[$€£¥₹]|\b(?:rs\.?|inr|usd|eur|euros?|gbp|chf)\b)"
_NUMBER = r"-?(?:\d{1,3}(?:[.,']\d{3})+|\d+)(?:[.,]\d{2})?"
_AMOUNT = re.compile(
    rf"(?P<before>{_CURRENCY}\s?)?(?<![\d.,])(?P<number>{_NUMBER})(?![\d%]|[.,]\d)"
    # A currency sign followed by a number belongs to that number ("2014 $4.11").
    rf"(?P<after>\s?{_CURRENCY}(?!\s?-?\d))?",
    re.IGNORECASE,
)
_SEPARATORS = re.compile(r"[.,']")
_CENTS = re.compile(r"[.,](\d{2})$")
_BARE = re.compile(rf"\s*{_CURRENCY}?\s*(?P<number>{_NUMBER})\s*{_CURRENCY}?\s*", re.IGNORECASE)


def to_number(written: str) -> float:
    """The value of a number written with either decimal comma or decimal point."""
    cents = _CENTS.search(written)
    whole, fraction = (written[: cents.start()], cents.group(1)) if cents else (written, "0")
    return float(f"{_SEPARATORS.sub('', whole)}.{fraction}")


def amounts_in(text: str) -> list[float]:
    """The money amounts of ``text``, in order."""
    found: list[float] = []
    for match in _AMOUNT.finditer(text):
        number = match.group("number")
        if _CENTS.search(number) or match.group("before") or match.group("after"):
            found.append(to_number(number))
    return found


def amount_value(text: str) -> float | None:
    """The amount a field's value holds: its last amount, or the bare number it is."""
    amounts = amounts_in(text)
    if amounts:
        return amounts[-1]
    bare = _BARE.fullmatch(text)
    return to_number(bare.group("number")) if bare else None
