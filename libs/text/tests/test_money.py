"""Money: numbers in every grouping, the currency each marker claims, and amounts to add up."""

import pytest

from docflow_text.money import (
    amount_value,
    amounts_in,
    currency_code,
    distinct_amounts,
    find_amounts,
    parse_number,
)


def _values(text: str) -> list[tuple[float, str | None]]:
    return [(amount.value, amount.currency) for amount in find_amounts(text)]


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
        ("Total EUR 1.234,56", 1234.56, "EUR"),
        ("Gesamtbetrag 1.234,56 EUR", 1234.56, "EUR"),
        ("Montant total : 1 234,56 \u20ac TTC", 1234.56, "EUR"),
        ("capital de 10 000\u20ac - RCS Paris", 10000.0, "EUR"),
        ("au capital de 3.441.812 Euros", 3441812.0, "EUR"),
        ("Totaal \u20ac 717,97", 717.97, "EUR"),
        ("Amount due USD 5,000 by Friday", 5000.0, "USD"),
        ("a penalty of 5.000 EUR per day", 5000.0, "EUR"),
        ("Price CHF 1'234.50", 1234.5, "CHF"),
        ("rent of \u00a312 per week", 12.0, "GBP"),
        ("Grand Total Rs 1939", 1939.0, "INR"),
        ("Rs. 1,00,000", 100000.0, "INR"),
        ("Rs.1,939 only", 1939.0, "INR"),
        ("INR 1,00,000.00", 100000.0, "INR"),
        ("INR 319.00", 319.0, "INR"),
        ("Amount \u20b91,25,000.50", 125000.5, "INR"),
        ("Total EUR 34,73", 34.73, "EUR"),
        ("''Afschrijvingskosten'' op 31 mei 2015 \u20ac -9,32", -9.32, "EUR"),
        ("Refund -$9.32 issued", -9.32, "USD"),
        ("Discount of Rs -40.00, applied", -40.0, "INR"),
        ("Total US$ 1,234.00", 1234.0, "USD"),
        ("Amount due CAD 1,050.00", 1050.0, "CAD"),
        ("Total AUD 99.95", 99.95, "AUD"),
        ("Price \u00a51,200", 1200.0, "JPY"),
        ("Total JPY 12,000", 12000.0, "JPY"),
    ],
)
def test_amounts_with_currency(text: str, value: float, currency: str) -> None:
    [amount] = find_amounts(text)
    assert (amount.value, amount.currency) == (value, currency)
    assert amount.context


def test_numbers_without_currency_are_not_amounts() -> None:
    assert find_amounts("Section 12 of the 2014 plan, 300 shares") == []


class TestThousandsGroups:
    def test_a_decimal_amount_is_not_glued_to_the_vat_rate_after_it(self) -> None:
        text = "Apple iPad Air Wifi 16 GB Zilver 1 \u20ac 399,00 21% \u20ac 399,00"
        assert _values(text) == [(399.0, "EUR"), (399.0, "EUR")]

    def test_groups_after_a_space_have_exactly_three_digits(self) -> None:
        assert _values("du 06/12/2022 45,93 \u20ac Justificatif") == [(45.93, "EUR")]
        assert _values("le 05 Juillet 2015 29.99 \u20ac TTC") == [(29.99, "EUR")]
        assert _values("Pos 12 50,00 \u20ac") == [(50.0, "EUR")]

    def test_a_space_grouped_number_never_ends_in_a_percent_sign(self) -> None:
        assert _values("Menge 1 215% Aufschlag 10,00 EUR") == [(10.0, "EUR")]

    @pytest.mark.parametrize(
        "text",
        ["TVA 20% \u20ac", "Rabatt 12 % EUR", "USD 12 % interest", "\u20ac 21%", "EUR 14.50%"],
    )
    def test_a_percentage_is_never_money(self, text: str) -> None:
        assert find_amounts(text) == []

    def test_three_digits_after_a_single_separator_group_thousands(self) -> None:
        assert _values("$1.234 and \u20ac 2,500") == [(1234.0, "USD"), (2500.0, "EUR")]


class TestWhichNumberACurrencyClaims:
    def test_the_number_after_a_leading_symbol(self) -> None:
        assert _values("Qty 2 \u20ac 10,00") == [(10.0, "EUR")]
        assert _values("Amount 3 USD 5,000.00") == [(5000.0, "USD")]

    def test_the_number_before_a_trailing_symbol(self) -> None:
        assert _values("Qty 2 10,00 \u20ac") == [(10.0, "EUR")]
        assert _values("Entgeld von 15,00 EUR. Unabh\u00e4ngig") == [(15.0, "EUR")]

    def test_a_year_before_the_symbol_loses_to_the_amount_after_it(self) -> None:
        text = "''iDEAL'' op 21 april 2015 \u20ac 717,97 ''Rembours'' op 25 mei 2015 \u20ac 9,32"
        assert _values(text) == [(717.97, "EUR"), (9.32, "EUR")]

    def test_a_year_after_the_symbol_loses_to_the_amount_before_it(self) -> None:
        assert _values("Paid 45,00 \u20ac 2015 edition") == [(45.0, "EUR")]

    def test_a_real_integer_amount_next_to_a_symbol_is_kept(self) -> None:
        assert _values("Room Rs 1939 x 1 Night") == [(1939.0, "INR")]
        assert _values("Indemnit\u00e9 forfaitaire : 40\u20ac. TVA") == [(40.0, "EUR")]

    def test_a_number_touching_the_symbol_beats_one_a_space_away(self) -> None:
        text = "Thuiskopie \u20ac3.50 1 21% \u20ac 4,24"
        assert _values(text) == [(3.5, "EUR"), (4.24, "EUR")]

    def test_markers_after_their_numbers_in_a_trailing_document(self) -> None:
        text = "45,93 \u20ac PDF 1 0,75 \u20ac 0,75 \u20ac Papier 0 3,50 \u20ac 0 \u20ac Total"
        assert [value for value, _ in _values(text)] == [45.93, 0.75, 0.75, 3.5, 0.0]

    def test_markers_before_their_numbers_in_a_leading_document(self) -> None:
        assert _values("$ 12.00 $ 13.00 $ 14.00") == [(12.0, "USD"), (13.0, "USD"), (14.0, "USD")]

    def test_currency_words_only_follow_their_number(self) -> None:
        assert find_amounts("priced in dollars 5 days later") == []
        assert _values("a fee of 250 dollars") == [(250.0, "USD")]


class TestNumbersThatAreNotMoney:
    @pytest.mark.parametrize(
        ("text", "value"),
        [
            ("Rechnungsdatum 21.04.2015 Betrag 717,97 \u20ac", 717.97),
            ("Invoice Date: 20-10-2015 Rs 319", 319.0),
            ("Date 06/12/2022 \u20ac 45,93", 45.93),
            ("Due on August 3, 2014 $4.11", 4.11),
            ("Periode 01.05.14-31.05.14 3,89 EUR", 3.89),
        ],
    )
    def test_dates_next_to_amounts(self, text: str, value: float) -> None:
        assert [amount.value for amount in find_amounts(text)] == [value]

    def test_codes_with_digits_are_not_amounts(self) -> None:
        assert _values("Mario Kart 7 3DS \u20ac 44,99") == [(44.99, "EUR")]
        assert find_amounts("Serienummer SDMPP373MPP15 \u20ac") == []


def test_distinct_amounts_keep_each_value_and_currency_once_in_order() -> None:
    text = (
        "Totaal \u20ac 717,97 iDEAL \u20ac 717,97 Rembours \u20ac 9,32 "
        "Afschrijving \u20ac -9,32 Refund $9.32 Totaal \u20ac 717,97"
    )
    amounts = distinct_amounts(find_amounts(text))
    assert [(a.value, a.currency) for a in amounts] == [
        (717.97, "EUR"), (9.32, "EUR"), (-9.32, "EUR"), (9.32, "USD")
    ]  # fmt: skip
    assert (amounts[0].context or "").startswith("Totaal")


def test_currency_words_do_not_make_a_leading_document_trailing() -> None:
    text = "paid 20 dollars, 30 dollars and 40 dollars; fee 5.00 $ 6.00 later, and $ 7.00"
    assert [value for value, _ in _values(text)] == [20.0, 30.0, 40.0, 6.0, 7.0]


@pytest.mark.parametrize(
    ("text", "amounts"),
    [
        ("Total 1 278.61 40.39 319.00", [278.61, 40.39, 319.0]),
        ("TVA 20% : 9,34 \u20ac", [9.34]),
        ("1,939.00 or 1.234,56 or 45,93", [1939.0, 1234.56, 45.93]),
        ("Grand Total Rs 1939", [1939.0]),
        ("DUE ON August 3 , 2014 $4.11", [4.11]),
        ("\u20ac -9,32", [-9.32]),
        ("14.50% of 3 items, phone 080 100 444 66, order 2022089083", []),
        ("Total US$ 1,234.00", [1234.0]),
        ("Net 1,00,000.00 GST 18,000.00", [100000.0, 18000.0]),
        ("Montant total : 1 234,56 \u20ac TTC", [1234.56]),
        ("a fee of 250 dollars", [250.0]),
        ("Total CAD 40 AUD 50 JPY 60", [40.0, 50.0, 60.0]),
    ],
)
def test_amounts_to_add_up_need_cents_or_a_currency(text: str, amounts: list[float]) -> None:
    assert amounts_in(text) == amounts


def test_a_field_value_may_be_a_bare_number() -> None:
    assert amount_value("1939") == 1939.0
    assert amount_value(" 1 939 ") == 1939.0
    assert amount_value("USD 1,000") == 1000.0
    assert amount_value("Total 12.00 then 14.50") == 14.5
    assert amount_value("n/a") is None
    assert amount_value("12%") is None


def test_currency_codes() -> None:
    assert [currency_code(s) for s in ("\u20ac", "US$", "Rs.", "dollars", "?")] == [
        "EUR", "USD", "INR", "USD", None
    ]  # fmt: skip


NINES = "9" * 400  # overflows a float to infinity


@pytest.mark.parametrize(
    "text",
    [
        f"Total: ${NINES}",
        f"Total: {NINES}.00 EUR",
        "Total: $10,000,000,000,000,000.00",
        "USD 9,000,000 billion",
        f"€ -{NINES}",
    ],
)
def test_numbers_too_large_to_be_money_are_no_amounts(text: str) -> None:
    assert find_amounts(text) == []
    assert amounts_in(text) == []


def test_the_largest_amount_is_a_thousand_trillion() -> None:
    assert _values("Total: $1,000,000,000,000,000.00") == [(1e15, "USD")]
    assert _values("USD 1,000,001 billion") == []


def test_readers_of_bare_numbers_refuse_what_is_no_amount() -> None:
    assert amount_value(NINES) is None
    assert amount_value(f"Total {NINES}.00") is None
    assert parse_number(NINES) is None
    assert parse_number("1e400") is None
    assert [parse_number(text) for text in ("inf", "-Infinity", "nan")] == [None, None, None]
