import pytest

from docflow_enrich.rules.entities.money import find_amounts, parse_number


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("1,234.56", 1234.56),
        ("1.234,56", 1234.56),
        ("45,93", 45.93),
        ("3.441.812", 3441812.0),
        ("1,00,000.00", 100000.0),
        ("10 000", 10000.0),
        ("1939", 1939.0),
        ("29.99", 29.99),
    ],
)
def test_numbers_in_both_styles(text: str, value: float) -> None:
    assert parse_number(text) == value


@pytest.mark.parametrize(
    ("text", "value", "currency"),
    [
        ("a fee of $1,250,000.00 payable", 1250000.0, "USD"),
        ("USD 380 million of notes", 380_000_000.0, "USD"),
        ("Total TTC : 56,02 \u20ac", 56.02, "EUR"),
        ("Prix \u20ac 1.234,56", 1234.56, "EUR"),
        ("rent of \u00a312 per week", 12.0, "GBP"),
        ("Grand Total Rs 1939", 1939.0, "INR"),
        ("Rs. 1,00,000", 100000.0, "INR"),
        ("INR 319.00", 319.0, "INR"),
        ("Total EUR 34,73", 34.73, "EUR"),
    ],
)
def test_amounts_with_currency(text: str, value: float, currency: str) -> None:
    [amount] = find_amounts(text)
    assert (amount.value, amount.currency) == (value, currency)
    assert amount.context


def test_numbers_without_currency_are_not_amounts() -> None:
    assert find_amounts("Section 12 of the 2014 plan, 300 shares") == []
