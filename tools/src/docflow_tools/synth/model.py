"""One invoice's content, drawn at random: who, what, how much, when, and how it is written.

Everything a layout prints is decided here, as text, so that the gold values and the printed
document cannot disagree: the layout only places these strings.
"""

import random
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal
from typing import Final, Literal

from docflow_tools.synth import parties
from docflow_tools.synth.formats import (
    MoneyStyle,
    format_date,
    format_money,
    format_number,
    indian_words,
    quantize,
)
from docflow_tools.synth.parties import Party
from docflow_tools.synth.vocab import LOCALES, Item, Locale

FIRST_DAY: Final = date(2019, 1, 1)
LAST_DAY: Final = date(2026, 11, 30)
#: Rows that add up to the total; the others ("info") only inform (VAT included, paid).
Role = Literal[
    "subtotal", "discount", "shipping", "tax", "withholding", "rounding", "total", "info"
]
ADDING_ROLES: Final = frozenset({"discount", "shipping", "tax", "withholding", "rounding"})
Column = Literal["pos", "description", "qty", "unit", "unit_price", "tax_rate", "line_total"]
_EU: Final = frozenset({"DE", "FR", "NL", "ES", "GB"})
BULK_QUANTITIES: Final = (10, 12, 20, 25, 40, 50, 100, 120, 250, 500, 1000, 1500)
#: A bulk line costs at most this many times the item's dearest unit price.
BULK_LINE_CEILING: Final = 60


@dataclass(frozen=True)
class Row:
    position: int
    description: tuple[str, ...]
    quantity: str
    unit: str
    unit_price: str
    rate: Decimal
    tax_rate: str
    total: Decimal
    total_text: str


@dataclass(frozen=True)
class SummaryRow:
    label: str
    amount: Decimal
    text: str
    role: Role


@dataclass(frozen=True)
class Invoice:
    locale: Locale
    money: MoneyStyle
    issuer: Party
    customer: Party
    ship_to: Party | None
    number: str
    issue_date: date
    title: str
    #: A heading that names the number and date ("Rechnung Nr. 123 vom 04.03.2024"), or "".
    heading: str
    meta: tuple[tuple[str, str], ...]
    columns: tuple[Column, ...]
    headers: dict[Column, str]
    rows: tuple[Row, ...]
    summary: tuple[SummaryRow, ...]
    total: Decimal
    notes: tuple[str, ...]
    bank: tuple[str, ...]
    labels: dict[str, str]

    def gold(self) -> dict[str, object]:
        """The values a reader should find, in the shape of the real invoices' JSON."""
        return {
            "issuer": self.issuer.name,
            "amount": float(self.total),
            "date": self.issue_date.isoformat(),
            "invoice_number": self.number,
            "currency": self.money.currency.code,
        }


@dataclass(frozen=True)
class _Context:
    rng: random.Random
    locale: Locale
    money: MoneyStyle
    date_format: str
    labels: dict[str, str]

    def date(self, day: date) -> str:
        return format_date(day, self.date_format, self.locale.months)

    def amount(self, value: Decimal) -> str:
        return format_money(value, self.money)

    def rate(self, rate: Decimal) -> str:
        """``19``, ``5,5``, ``8.875``: as many decimals as the rate has."""
        exponent = rate.normalize().as_tuple().exponent
        places = -exponent if isinstance(exponent, int) and exponent < 0 else 0
        return format_number(rate, self.money.number, places)

    def percent(self, rate: Decimal) -> str:
        # French and German put a space before the sign, English, Dutch and Spanish do not.
        gap = " " if self.locale.tag[:2] in {"de", "fr"} else ""
        return f"{self.rate(rate)}{gap}%"


def draw_invoice(rng: random.Random, *, max_rows: int) -> Invoice:
    """A random invoice of at most ``max_rows`` item rows."""
    locale = rng.choice(LOCALES)
    money = MoneyStyle(
        number=rng.choice(locale.numbers),
        currency=rng.choice(locale.currencies),
        placement=rng.choice(locale.placements),
    )
    labels = {key: rng.choice(options) for key, options in locale.labels.items()}
    ctx = _Context(rng, locale, money, rng.choice(locale.dates), labels)
    issue = FIRST_DAY + timedelta(days=rng.randrange((LAST_DAY - FIRST_DAY).days + 1))
    number = invoice_number(rng, locale, issue)
    issuer = (
        parties.company(rng, locale) if rng.random() < 0.92 else parties.sole_trader(rng, locale)
    )
    customer = (
        parties.company(rng, locale) if rng.random() < 0.7 else parties.private_person(rng, locale)
    )
    ship_to = parties.company(rng, locale) if rng.random() < 0.15 else None
    mode = _tax_mode(rng, locale)
    rows = _rows(ctx, mode, _row_count(rng, max_rows))
    summary = _summary(ctx, mode, rows)
    total = _total_row(summary).amount
    heading = _heading(ctx, number, issue)
    return Invoice(
        locale=locale,
        money=money,
        issuer=issuer,
        customer=customer,
        ship_to=ship_to,
        number=number,
        issue_date=issue,
        title=labels["title"],
        heading=heading,
        meta=_meta(ctx, number, issue, customer, with_number=not heading or rng.random() < 0.5),
        columns=_columns(rng, mode),
        headers=_headers(ctx),
        rows=rows,
        summary=summary,
        total=total,
        notes=_notes(ctx, mode, total, issue, issuer),
        bank=parties.bank_lines(rng, locale.country),
        labels=labels,
    )


def _total_row(summary: tuple[SummaryRow, ...]) -> SummaryRow:
    return next(row for row in summary if row.role == "total")


TaxMode = Literal["added", "included", "none", "gst-intra", "gst-inter"]


def _tax_mode(rng: random.Random, locale: Locale) -> TaxMode:
    if locale.country == "IN":
        return rng.choice(("gst-intra", "gst-intra", "gst-inter"))
    if locale.country in _EU and rng.random() < 0.15:
        return "included"
    if locale.country in _EU and rng.random() < 0.08:
        return "none"
    return "added"


def _row_count(rng: random.Random, max_rows: int) -> int:
    roll = rng.random()
    count = (
        1
        if roll < 0.15
        else rng.randint(2, 6)
        if roll < 0.7
        else rng.randint(7, 12)
        if roll < 0.9
        else rng.randint(14, 34)
    )
    return min(count, max_rows)


def invoice_number(rng: random.Random, locale: Locale, issue: date) -> str:
    prefix = rng.choice(locale.number_prefixes)
    serial = rng.randint(1, 99999)
    year, yy, mm = issue.year, f"{issue.year % 100:02}", f"{issue.month:02}"
    templates = [
        f"{prefix}{year}-{serial:05}",
        f"{prefix}{serial + 10000:06}",
        f"{prefix}{year}{serial:05}",
        f"{prefix}{yy}{mm}{serial % 10000:04}",
        f"{rng.randint(10_000_000, 99_999_999)}",
        f"{prefix}{year}/{serial % 10000:04}",
        f"{prefix}{serial % 10000:04}/{yy}",
        f"{year}.{serial % 10000:04}",
        f"{prefix}{yy}-{serial:05}",
    ]
    if locale.country == "IN":
        start = issue.year if issue.month >= 4 else issue.year - 1
        templates.append(f"{prefix}{start}-{(start + 1) % 100:02}/{serial % 10000:04}")
    return rng.choice(templates)


def _reference(rng: random.Random, patterns: tuple[str, ...]) -> str:
    return parties.digits(rng, rng.choice(patterns))


def _meta(
    ctx: _Context, number: str, issue: date, customer: Party, *, with_number: bool
) -> tuple[tuple[str, str], ...]:
    """Label and value pairs near the invoice number: the number, the date and distractors."""
    rng, labels = ctx.rng, ctx.labels
    extras: list[tuple[str, str]] = []
    if rng.random() < 0.5:
        extras.append(
            (labels["due"], ctx.date(issue + timedelta(days=rng.choice((7, 10, 14, 30, 45, 60)))))
        )
    if rng.random() < 0.4:
        extras.append(
            (
                labels["customer_no"],
                _reference(rng, ("K#####", "#####", "CUST-####", "C######", "D-#####")),
            )
        )
    if rng.random() < 0.35:
        extras.append(
            (
                labels["order"],
                _reference(
                    rng, ("PO-######", "45########", "ORD-####-####", "#######", "AB-#####")
                ),
            )
        )
    if rng.random() < 0.2:
        extras.append((labels["order_date"], ctx.date(issue - timedelta(days=rng.randint(1, 30)))))
    if rng.random() < 0.25:
        extras.append((labels["delivery"], ctx.date(issue - timedelta(days=rng.randint(0, 14)))))
    if rng.random() < 0.15:
        first = (issue.replace(day=1) - timedelta(days=1)).replace(day=1)
        last = issue.replace(day=1) - timedelta(days=1)
        extras.append((labels["period"], f"{ctx.date(first)} - {ctx.date(last)}"))
    if rng.random() < 0.1:
        extras.append(
            (labels["delivery_note"], _reference(rng, ("LS######", "DN-#####", "BL#####")))
        )
    if customer.tax_id and rng.random() < 0.2:
        extras.append((labels["vat_id"], customer.tax_id))
    if ctx.locale.country == "IN" and rng.random() < 0.6:
        extras.append((labels["place"], rng.choice(ctx.locale.cities)[2]))
    rng.shuffle(extras)
    date_row = (labels["date"], ctx.date(issue))
    head = [(labels["number"], number), date_row] if with_number else [date_row]
    if rng.random() < 0.3:
        head.reverse()
    return (*head, *extras)  # fmt: skip


def _heading(ctx: _Context, number: str, issue: date) -> str:
    sentence = ctx.labels.get("heading_sentence")
    if sentence and ctx.rng.random() < 0.5:
        return sentence.format(number=number, date=ctx.date(issue))
    if ctx.rng.random() < 0.15:
        return f"{ctx.labels['title']} {number}"
    return ""


def _columns(rng: random.Random, mode: TaxMode) -> tuple[Column, ...]:
    columns: list[Column] = ["description", "qty", "unit_price", "line_total"]
    if rng.random() < 0.5:
        columns.insert(0, "pos")
    if rng.random() < 0.35:
        columns.insert(columns.index("qty") + 1, "unit")
    if mode != "none" and rng.random() < 0.3:
        columns.insert(columns.index("line_total"), "tax_rate")
    return tuple(columns)


def _headers(ctx: _Context) -> dict[Column, str]:
    columns: tuple[Column, ...] = ("pos", "description", "qty", "unit", "unit_price", "tax_rate",
                                   "line_total")  # fmt: skip
    return {column: ctx.labels[column] for column in columns}


def _rows(ctx: _Context, mode: TaxMode, count: int) -> tuple[Row, ...]:
    rng, locale = ctx.rng, ctx.locale
    standard = rng.choice(locale.tax_rates)
    reduced = [r for r in locale.tax_rates if r != standard]
    mixed = (
        mode in {"added", "included"}
        and locale.country in _EU
        and bool(reduced)
        and rng.random() < 0.15
    )
    # Item prices on many invoices carry no currency; the totals below do.
    bare = rng.random() < 0.6
    style = ctx.money if not bare else MoneyStyle(ctx.money.number, ctx.money.currency, "none")
    rows = []
    for position in range(1, count + 1):
        item = rng.choice(locale.items)
        price = _price(rng, item)
        quantity = _quantity(rng, item, price)
        total = quantize(quantity * price)
        rate = rng.choice(reduced) if mixed and rng.random() < 0.4 else standard
        places = 0 if quantity == quantity.to_integral_value() else 2
        rows.append(
            Row(
                position=position,
                description=_description(ctx, item),
                quantity=format_number(quantity, ctx.money.number, places),
                unit=item.unit,
                unit_price=format_money(price, style),
                rate=rate if mode != "none" else Decimal(0),
                tax_rate=ctx.percent(rate) if mode != "none" else "",
                total=total,
                total_text=format_money(total, style),
            )
        )
    return tuple(rows)


def _quantity(rng: random.Random, item: Item, price: Decimal) -> Decimal:
    if item.quantities == "hours":
        # Mostly a few hours; now and then a month's work.
        return Decimal(rng.randint(1, 24 if rng.random() < 0.75 else 80)) / 2
    if item.quantities == "count":
        return Decimal(rng.choice((1, 1, 1, 2, 2, 3, 4, 5, 6, 10, 12)))
    if item.quantities == "bulk":
        # Screws come by the thousand, square metres of tiling by the dozen.
        ceiling = item.high * BULK_LINE_CEILING
        fitting = [q for q in BULK_QUANTITIES if q * price <= ceiling] or [BULK_QUANTITIES[0]]
        return Decimal(rng.choice(fitting))
    return Decimal(1)


def _price(rng: random.Random, item: Item) -> Decimal:
    cents = rng.randint(int(item.low * 100), int(item.high * 100))
    if cents > 1000 and rng.random() < 0.4:
        cents -= cents % 100
    return Decimal(cents) / 100


def _description(ctx: _Context, item: Item) -> tuple[str, ...]:
    rng = ctx.rng
    lines = [item.description]
    if rng.random() < 0.25:
        detail = rng.choice(ctx.locale.labels["detail"]) + parties.digits(rng, "####-###")
        lines.append(detail)
    return tuple(lines)


def _summary(ctx: _Context, mode: TaxMode, rows: tuple[Row, ...]) -> tuple[SummaryRow, ...]:
    rng, labels = ctx.rng, ctx.labels
    subtotal = sum((row.total for row in rows), Decimal(0))
    # A subtotal of gross prices is not "net": it takes the plain word.
    label = labels["subtotal_gross"] if mode == "included" else labels["subtotal"]
    summary = [_summary_row(ctx, label, subtotal, "subtotal")]
    discount = Decimal(0)
    if rng.random() < 0.15:
        pct = Decimal(rng.choice((2, 3, 5, 10, 15)))
        discount = -quantize(subtotal * pct / 100)
        label = labels["discount"].format(pct=ctx.rate(pct))
        summary.append(_summary_row(ctx, label, discount, "discount"))
    shipping = Decimal(0)
    if rng.random() < 0.2:
        shipping = Decimal(rng.randint(390, 8900)) / 100
        summary.append(_summary_row(ctx, labels["shipping"], shipping, "shipping"))
    summary += _taxes(ctx, mode, rows, subtotal + discount, shipping)
    total = sum((row.amount for row in summary if row.role in ADDING_ROLES), subtotal)
    if mode.startswith("gst") and rng.random() < 0.6:
        rounded = total.quantize(Decimal(1), rounding=ROUND_HALF_UP)
        if rounded != total:
            summary.append(_summary_row(ctx, labels["rounding"], rounded - total, "rounding"))
            total = rounded
    paid = rng.random() < 0.1
    # Beside a paid amount and a nil balance, the total is labelled plainly ("Total", not
    # "Balance Due"), as invoicing programs do.
    total_label = ctx.locale.labels["total"][0] if paid else labels["total"]
    summary.append(
        _summary_row(ctx, total_label.format(code=ctx.money.currency.code), total, "total")
    )
    if paid:
        summary.append(_summary_row(ctx, labels["paid"], total, "info"))
        summary.append(_summary_row(ctx, labels["balance"], Decimal(0), "info"))
    if len(summary) == 2 and rng.random() < 0.5:
        summary.pop(0)
    return tuple(summary)


def _summary_row(ctx: _Context, label: str, amount: Decimal, role: Role) -> SummaryRow:
    return SummaryRow(label, amount, ctx.amount(amount), role)


def _taxes(
    ctx: _Context, mode: TaxMode, rows: tuple[Row, ...], net: Decimal, shipping: Decimal
) -> list[SummaryRow]:
    """Tax rows per rate, on the net after discount (and on shipping outside the US)."""
    if mode == "none":
        return []
    rates = _rates_of(rows)
    taxed_shipping = shipping if ctx.locale.country != "US" else Decimal(0)
    subtotal = sum((row.total for row in rows), Decimal(0))
    result = []
    for rate, base in rates.items():
        share = base / subtotal if subtotal else Decimal(0)
        taxable = net * share + taxed_shipping * share
        if mode == "included":
            tax = quantize(taxable * rate / (100 + rate))
            label = ctx.labels["tax_included"].format(rate=ctx.rate(rate))
            result.append(_summary_row(ctx, label, tax, "info"))
        elif mode == "gst-intra":
            half = rate / 2
            for template in ctx.locale.labels["tax"][:2]:
                label = template.format(rate=ctx.rate(half))
                result.append(_summary_row(ctx, label, quantize(taxable * half / 100), "tax"))
        elif mode == "gst-inter":
            label = ctx.locale.labels["tax"][2].format(rate=ctx.rate(rate))
            result.append(_summary_row(ctx, label, quantize(taxable * rate / 100), "tax"))
        elif rate or ctx.rng.random() < 0.5:
            label = ctx.labels["tax"].format(rate=ctx.rate(rate))
            result.append(_summary_row(ctx, label, quantize(taxable * rate / 100), "tax"))
    if "withholding" in ctx.labels and mode == "added" and ctx.rng.random() < 0.15:
        rate = Decimal(ctx.rng.choice((7, 15)))
        label = ctx.labels["withholding"].format(rate=ctx.rate(rate))
        result.append(_summary_row(ctx, label, -quantize(net * rate / 100), "withholding"))
    return result


def _rates_of(rows: tuple[Row, ...]) -> dict[Decimal, Decimal]:
    """Each tax rate and the sum of the rows at it, in the order they first appear."""
    rates: dict[Decimal, Decimal] = {}
    for row in rows:
        rates[row.rate] = rates.get(row.rate, Decimal(0)) + row.total
    return rates


def _notes(
    ctx: _Context, mode: TaxMode, total: Decimal, issue: date, issuer: Party
) -> tuple[str, ...]:
    rng, labels = ctx.rng, ctx.labels
    notes = []
    days = rng.choice((7, 10, 14, 30))
    if rng.random() < 0.5:
        notes.append(labels["terms"].format(days=days))
    if rng.random() < 0.25:
        due = ctx.date(issue + timedelta(days=days))
        notes.append(labels["due_sentence"].format(amount=ctx.amount(total), due=due))
    if mode == "none":
        notes.append(
            rng.choice((labels.get("small_business", labels["reverse"]), labels["reverse"]))
        )
    if "words" in labels and rng.random() < 0.7:
        rupees = int(total)
        notes.append(labels["words"].format(words=indian_words(rupees)))
    if "late" in labels and rng.random() < 0.5:
        notes.append(labels["late"])
    if ctx.locale.country == "GB" and rng.random() < 0.3:
        notes.append(f"Please make cheques payable to {issuer.name}.")
    if labels["thanks"]:
        notes.append(labels["thanks"])
    return tuple(notes)
