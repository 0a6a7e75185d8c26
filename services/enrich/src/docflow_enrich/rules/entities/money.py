"""Amounts of money with their currency: "$1,234.56", "USD 380 million", "45,93 €",
"€ 1.234,56", "£12", "Rs. 1939", "INR 1,00,000.00", "10 000€".

Both number styles are read: the last separator followed by one or two digits is the decimal
mark, every other separator groups thousands.
"""

import re

from docflow_events.v1.results import Money

_SYMBOLS = {
    "$": "USD", "us$": "USD", "usd": "USD", "dollars": "USD", "dollar": "USD",
    "€": "EUR", "eur": "EUR", "euro": "EUR", "euros": "EUR",
    "£": "GBP", "gbp": "GBP", "pounds": "GBP",
    "rs": "INR", "rs.": "INR", "inr": "INR", "₹": "INR",
    "chf": "CHF", "¥": "JPY", "jpy": "JPY", "cad": "CAD", "aud": "AUD",
}  # fmt: skip
_CURRENCY = r"(?P<{name}>US\$|\$|€|£|₹|¥|\b(?:USD|EUR|GBP|INR|CHF|JPY|CAD|AUD|Rs\.?)(?![A-Za-z]))"
_NUMBER = (
    r"(?P<{name}>-?\d{{1,3}}(?:[.,' ]\d{{2,3}})+(?:[.,]\d{{1,2}})?(?!\d)"
    r"|-?\d+(?:[.,]\d{{1,2}})?(?!\d))"
)
_SCALE = r"(?:\s+(?P<{name}>million|billion|thousand))?"
_BEFORE = re.compile(
    _CURRENCY.format(name="cur1")
    + r"\s?"
    + _NUMBER.format(name="num1")
    + _SCALE.format(name="scale1"),
    re.I,
)
_AFTER = re.compile(
    _NUMBER.format(name="num2") + _SCALE.format(name="scale2") + r"\s?"
    r"(?P<cur2>€|\b(?:EUR|USD|GBP|INR|CHF|Euros?|dollars)\b)",
    re.I,
)
_SCALES = {"thousand": 1e3, "million": 1e6, "billion": 1e9}
_CONTEXT_CHARS = 40


def parse_number(text: str) -> float | None:
    """A number written with either decimal mark and any thousands grouping."""
    digits = text.strip().replace("'", "").replace(" ", "")
    last = max(digits.rfind("."), digits.rfind(","))
    if last >= 0 and len(digits) - last - 1 in (1, 2):
        whole, fraction = digits[:last], digits[last + 1 :]
        digits = re.sub(r"[.,]", "", whole) + "." + fraction
    else:
        digits = re.sub(r"[.,]", "", digits)
    try:
        return float(digits)
    except ValueError:
        return None


def find_amounts(text: str) -> list[Money]:
    """Every amount with a currency, in reading order."""
    found: list[tuple[int, Money]] = []
    for pattern, index in ((_BEFORE, "1"), (_AFTER, "2")):
        for match in pattern.finditer(text):
            money = _money(text, match, index)
            if money and not any(pos == match.start() for pos, _ in found):
                found.append((match.start(), money))
    return [money for _, money in sorted(found, key=lambda item: item[0])]


def currency_code(symbol: str) -> str | None:
    return _SYMBOLS.get(symbol.lower().strip())


def _money(text: str, match: re.Match[str], index: str) -> Money | None:
    value = parse_number(match.group(f"num{index}"))
    if value is None:
        return None
    scale = match.group(f"scale{index}")
    if scale:
        value *= _SCALES[scale.lower()]
    start, end = max(0, match.start() - _CONTEXT_CHARS), match.end() + _CONTEXT_CHARS
    context = " ".join(text[start:end].split())
    return Money(
        value=round(value, 2), currency=currency_code(match.group(f"cur{index}")), context=context
    )
