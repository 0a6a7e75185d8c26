"""Where an invoice's strings go on the page: five headers real invoices use, one table, totals,
notes and a footer, with fonts, colours and rules drawn per document.

| layout | looks like |
|---|---|
| ``letterhead-left`` | issuer's name top left, title and meta rows top right, bill-to below |
| ``letterhead-right`` | business letter (DIN 5008): name top right, sender line over the window |
| ``meta-box`` | issuer top left, a framed box with a coloured title strip and the meta rows |
| ``title-top`` | big title top left with the meta rows under it, issuer and customer side by side |
| ``centered`` | Indian tax-invoice style: issuer centred on top, title, customer beside meta rows |
"""

import functools
import io
import random
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Final, Literal

from reportlab.lib import colors
from reportlab.lib.pagesizes import A4, LETTER
from reportlab.lib.utils import simpleSplit
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen.canvas import Canvas

from docflow_tools.synth.model import Column, Invoice, Row
from docflow_tools.synth.parties import Party

Layout = Literal["letterhead-left", "letterhead-right", "meta-box", "title-top", "centered"]
LAYOUTS: Final[tuple[Layout, ...]] = (
    "letterhead-left", "letterhead-right", "meta-box", "title-top", "centered",
)  # fmt: skip
Align = Literal["left", "right", "center"]
Logo = Literal["name", "brand", "mark"]
Footer = Literal["columns", "centered", "none"]
_FONTS: Final = (("Helvetica", "Helvetica-Bold"),) * 6 + (
    ("Times-Roman", "Times-Bold"),
    ("Times-Roman", "Times-Bold"),
    ("Courier", "Courier-Bold"),
)
_ACCENTS: Final = ("#1f3a5f", "#0b6e4f", "#7a1f1f", "#333333", "#4b2e83", "#000000", "#005f87")
_NUMERIC: Final[frozenset[Column]] = frozenset({"qty", "unit_price", "tax_rate", "line_total"})
_SEPARATORS: Final = (" · ", " | ", " - ", ", ")
#: The grand total is set a little larger than the rows above it.
_TOTAL_SCALE: Final = 1.15


@dataclass(frozen=True)
class Style:
    layout: Layout
    font: str
    bold: str
    size: float
    accent: colors.Color
    logo: Logo
    grid: Literal["lines", "shaded", "boxed"]
    footer: Footer
    margin: float
    issuer_tax_in_header: bool
    name_above_address: bool
    page_numbers: bool
    separator: str


def draw_style(rng: random.Random, invoice: Invoice) -> Style:
    font, bold = rng.choice(_FONTS)
    layout = rng.choice(LAYOUTS)
    if invoice.locale.country == "IN" and rng.random() < 0.5:
        layout = "centered"
    logo: Logo = rng.choice(("name", "name", "brand", "mark"))
    footer: Footer = rng.choice(("columns", "columns", "centered", "none"))
    name_above = rng.random() < 0.5
    if logo != "name" and footer == "none":
        # The full name must be printed somewhere: a letterhead often shows only the brand.
        name_above = True
    return Style(
        layout=layout,
        font=font,
        bold=bold,
        size=rng.choice((8.0, 8.5, 9.0, 9.0, 9.5, 10.0)),
        accent=colors.HexColor(rng.choice(_ACCENTS)),
        logo=logo,
        grid=rng.choice(("lines", "shaded", "boxed")),
        footer=footer,
        margin=rng.choice((36.0, 42.0, 50.0, 56.0)),
        issuer_tax_in_header=rng.random() < 0.5,
        name_above_address=name_above,
        page_numbers=rng.random() < 0.6,
        separator=rng.choice(_SEPARATORS),
    )


def render(invoice: Invoice, style: Style) -> bytes:
    """The invoice as PDF bytes, the same bytes for the same invoice and style."""
    buffer = io.BytesIO()
    size = LETTER if invoice.locale.paper == "letter" else A4
    canvas = Canvas(buffer, pagesize=size, invariant=1, pageCompression=1)
    _Sheet(canvas, invoice, style, size).draw()
    canvas.save()
    return buffer.getvalue()


class _Sheet:
    """One invoice drawn page by page; ``y`` is the pen's height, going down."""

    def __init__(
        self, canvas: Canvas, invoice: Invoice, style: Style, size: tuple[float, float]
    ) -> None:
        self.c, self.inv, self.s = canvas, invoice, style
        self.width, self.height = size
        self.left, self.right = style.margin, self.width - style.margin
        self.lead = style.size * 1.35
        self.footer_top = style.margin + (self.lead * 5 if style.footer != "none" else self.lead)

    # -- text primitives -------------------------------------------------------------------

    def text(
        self,
        x: float,
        y: float,
        value: str,
        *,
        bold: bool = False,
        size: float | None = None,
        align: Align = "left",
        color: colors.Color = colors.black,
    ) -> None:
        self.c.setFillColor(color)
        self.c.setFont(self.s.bold if bold else self.s.font, size or self.s.size)
        if align == "right":
            self.c.drawRightString(x, y, value)
        elif align == "center":
            self.c.drawCentredString(x, y, value)
        else:
            self.c.drawString(x, y, value)

    def lines(self, x: float, y: float, values: Sequence[str], **kwargs: object) -> float:
        """Draw one line per value downwards; the height below the last one."""
        for value in values:
            self.text(x, y, value, **kwargs)  # type: ignore[arg-type]
            y -= self.lead
        return y

    def width_of(self, value: str, *, bold: bool = False, size: float | None = None) -> float:
        return stringWidth(value, self.s.bold if bold else self.s.font, size or self.s.size)

    def wrap(self, value: str, width: float) -> list[str]:
        return simpleSplit(value, self.s.font, self.s.size, width) or [""]

    # -- the document ----------------------------------------------------------------------

    def draw(self) -> None:
        top = self.height - self.s.margin
        y = {
            "letterhead-left": self._letterhead_left,
            "letterhead-right": self._letterhead_right,
            "meta-box": self._meta_box,
            "title-top": self._title_top,
            "centered": self._centered,
        }[self.s.layout](top)
        pages = self._paginate(y)
        for number, rows in enumerate(pages, start=1):
            if number > 1:
                self.c.showPage()
                y = self._continuation_header(number, len(pages))
            if rows:
                y = self._table(y, rows)
            if number < len(pages):
                self.text(self.right, y - self.lead, self.inv.labels["continued"], align="right")
            else:
                self._closing(y)
            self._footer(number, len(pages))

    def _paginate(self, first_top: float) -> list[list[Row]]:
        """Rows per page; the totals and notes go on the last, which may hold no rows."""
        widths = self._column_widths()
        heights = [self._row_height(row, widths["description"]) for row in self.inv.rows]
        pages: list[list[Row]] = [[]]
        room = first_top - self.footer_top - self.lead * 2.5
        for row, height in zip(self.inv.rows, heights, strict=True):
            if height > room and pages[-1]:
                pages.append([])
                room = self._continuation_top() - self.footer_top - self.lead * 2.5
            pages[-1].append(row)
            room -= height
        if room < self._closing_height():
            pages.append([])
        return pages

    def _continuation_top(self) -> float:
        return self.height - self.s.margin - self.lead * 3

    def _continuation_header(self, number: int, pages: int) -> float:
        top = self.height - self.s.margin
        self.text(self.left, top, self.inv.issuer.brand, bold=True, color=self.s.accent)
        label = f"{self.inv.title} {self.inv.number}"
        page = self.inv.labels["page"].format(n=number, of=pages)
        self.text(self.right, top, f"{label} - {page}", align="right")
        return self._continuation_top()

    # -- headers ---------------------------------------------------------------------------

    def _logo(self, x: float, y: float, align: Align) -> float:
        """The issuer's letterhead: its name in large type, or a mark with its brand."""
        issuer, size = self.inv.issuer, self.s.size * 2
        name = issuer.name if self.s.logo == "name" else issuer.brand
        while self.width_of(name, bold=True, size=size) > (self.right - self.left) * 0.55:
            size -= 1
        if self.s.logo == "mark":
            box = size * 1.6
            left = {"left": x, "right": x - box, "center": x - box / 2}[align]
            self.c.setFillColor(self.s.accent)
            self.c.rect(left, y - box * 0.25, box, box, stroke=0, fill=1)
            initials = "".join(word[0] for word in issuer.brand.split()[:2] if word[0].isalnum())
            self.text(left + box / 2, y + box * 0.1, initials, bold=True, size=size * 0.8,
                      align="center", color=colors.white)  # fmt: skip
            x = {"left": x + box + 6, "right": x - box - 6, "center": x}[align]
            y = y - box if align == "center" else y
        self.text(x, y, name, bold=True, size=size, align=align, color=self.s.accent)
        return y - size * 0.9 - self.lead * 0.6

    def _issuer_lines(self) -> list[str]:
        issuer = self.inv.issuer
        lines = [issuer.name] if self.s.name_above_address else []
        lines += [*issuer.address, f"{self.inv.labels['phone']} {issuer.phone}", issuer.email]
        if self.s.issuer_tax_in_header:
            lines.append(f"{self.inv.labels['vat_id']}: {issuer.tax_id}")
        return lines

    def _customer_lines(self, party: Party) -> list[str]:
        lines = [party.name]
        if party.person and party.person != party.name:
            lines.append(party.person)
        return [*lines, *party.address]

    def _party_block(self, x: float, y: float, label: str, party: Party) -> float:
        self.text(x, y, label, bold=True, color=self.s.accent)
        return self.lines(x, y - self.lead, self._customer_lines(party))

    def _customers(self, y: float, x: float | None = None) -> float:
        x = self.left if x is None else x
        bottom = self._party_block(x, y, self.inv.labels["bill_to"], self.inv.customer)
        if self.inv.ship_to is not None:
            middle = x + (self.right - x) * 0.45
            other = self._party_block(middle, y, self.inv.labels["ship_to"], self.inv.ship_to)
            bottom = min(bottom, other)
        return bottom

    def _meta_rows(self, x_label: float, x_value: float, y: float, *, value_align: Align) -> float:
        for label, value in self.inv.meta:
            self.text(x_label, y, f"{label}:", bold=True)
            self.text(x_value, y, value, align=value_align)
            y -= self.lead
        return y

    def _meta_width(self) -> float:
        return max(self.width_of(f"{label}: ", bold=True) for label, _ in self.inv.meta)

    def _heading(self, y: float) -> float:
        if not self.inv.heading:
            return y
        self.text(self.left, y, self.inv.heading, bold=True, size=self.s.size * 1.4)
        return y - self.lead * 2

    def _letterhead_left(self, top: float) -> float:
        y = self._logo(self.left, top - self.s.size, "left")
        left_bottom = self.lines(self.left, y, self._issuer_lines(), size=self.s.size * 0.95)
        self.text(self.right, top - self.s.size * 1.5, self.inv.title, bold=True,
                  size=self.s.size * 2.4, align="right", color=self.s.accent)  # fmt: skip
        values_width = max(self.width_of(value) for _, value in self.inv.meta)
        x_label = self.right - values_width - self._meta_width() - 4
        right_bottom = self._meta_rows(
            x_label, self.right, top - self.s.size * 4, value_align="right"
        )
        y = min(left_bottom, right_bottom) - self.lead
        y = self._customers(y) - self.lead
        return self._heading(y)

    def _letterhead_right(self, top: float) -> float:
        y = self._logo(self.right, top - self.s.size, "right")
        self.lines(self.right, y, self._issuer_lines()[:4], size=self.s.size * 0.9, align="right")
        window = self.height - 45 * 2.835 - 20  # the window of a DL envelope, 45 mm from the top
        issuer = self.inv.issuer
        sender = self.s.size * 0.75
        line = joined(self.s.separator, [issuer.name, *issuer.address])
        self.text(self.left, window, line, size=sender)
        self.c.setLineWidth(0.4)
        self.c.line(self.left, window - 2, self.left + self.width_of(line, size=sender), window - 2)
        bottom = self.lines(
            self.left, window - self.lead * 1.5, self._customer_lines(self.inv.customer)
        )
        x_label = self.left + (self.right - self.left) * 0.58
        meta_bottom = self._meta_rows(
            x_label, self.right, window - self.lead * 1.5, value_align="right"
        )
        y = min(bottom, meta_bottom) - self.lead * 2
        self.text(
            self.left, y, self.inv.heading or self.inv.title, bold=True, size=self.s.size * 1.6
        )
        y -= self.lead * 2
        if "greeting" in self.inv.labels:
            y = self.lines(self.left, y, [self.inv.labels["greeting"], self.inv.labels["intro"]])
            y -= self.lead * 0.5
        return y

    def _meta_box(self, top: float) -> float:
        y = self._logo(self.left, top - self.s.size, "left")
        left_bottom = self.lines(self.left, y, self._issuer_lines(), size=self.s.size * 0.95)
        box_width = max(
            200.0, self._meta_width() + max(self.width_of(v) for _, v in self.inv.meta) + 16
        )
        box_left = self.right - box_width
        strip = self.s.size * 2.2
        rows_height = self.lead * len(self.inv.meta) + self.lead * 0.6
        self.c.setFillColor(self.s.accent)
        self.c.rect(box_left, top - strip, box_width, strip, stroke=0, fill=1)
        self.text(box_left + box_width / 2, top - strip * 0.7, self.inv.title.upper(), bold=True,
                  size=self.s.size * 1.5, align="center", color=colors.white)  # fmt: skip
        self.c.setStrokeColor(self.s.accent)
        self.c.rect(
            box_left, top - strip - rows_height, box_width, strip + rows_height, stroke=1, fill=0
        )
        meta_bottom = self._meta_rows(box_left + 8, self.right - 8, top - strip - self.lead,
                                      value_align="right")  # fmt: skip
        y = min(left_bottom, meta_bottom) - self.lead * 1.5
        y = self._customers(y) - self.lead
        return self._heading(y)

    def _title_top(self, top: float) -> float:
        self.text(
            self.left, top - self.s.size * 2, self.inv.title, bold=True, size=self.s.size * 2.8
        )
        self._logo(self.right, top - self.s.size * 2, "right")
        y = top - self.s.size * 2 - self.lead * 2
        meta_bottom = self._meta_rows(
            self.left, self.left + self._meta_width() + 6, y, value_align="left"
        )
        y = meta_bottom - self.lead
        self.text(self.left, y, self.inv.labels["from"], bold=True, color=self.s.accent)
        issuer_lines = [
            self.inv.issuer.name,
            *self._issuer_lines()[1 if self.s.name_above_address else 0 :],
        ]
        left_bottom = self.lines(self.left, y - self.lead, issuer_lines)
        middle = self.left + (self.right - self.left) * 0.5
        right_bottom = self._party_block(middle, y, self.inv.labels["bill_to"], self.inv.customer)
        return self._heading(min(left_bottom, right_bottom) - self.lead)

    def _centered(self, top: float) -> float:
        middle = (self.left + self.right) / 2
        y = self._logo(middle, top - self.s.size * 1.5, "center")
        y = self.lines(middle, y, self._issuer_lines(), size=self.s.size * 0.95, align="center")
        self.c.setStrokeColor(colors.black)
        self.c.line(self.left, y, self.right, y)
        self.text(middle, y - self.lead * 1.3, self.inv.title, bold=True, size=self.s.size * 1.6,
                  align="center")  # fmt: skip
        y -= self.lead * 2
        self.c.line(self.left, y, self.right, y)
        y -= self.lead
        bottom = self._party_block(self.left, y, self.inv.labels["bill_to"], self.inv.customer)
        if self.inv.ship_to is not None:
            bottom = self._party_block(self.left, bottom - self.lead * 0.5,
                                       self.inv.labels["ship_to"], self.inv.ship_to)  # fmt: skip
        x_label = middle + 10
        meta_bottom = self._meta_rows(
            x_label, x_label + self._meta_width() + 4, y, value_align="left"
        )
        y = min(bottom, meta_bottom) - self.lead
        return self._heading(y)

    # -- items ------------------------------------------------------------------------------

    def _column_widths(self) -> dict[Column, float]:
        widths: dict[Column, float] = {}
        for column in self.inv.columns:
            if column == "description":
                continue
            values = [_cell(row, column) for row in self.inv.rows]
            header = self.width_of(self.inv.headers[column], bold=True)
            widths[column] = max(header, *(self.width_of(v) for v in values)) + 12
        widths["description"] = (self.right - self.left) - sum(widths.values())
        return widths

    def _row_height(self, row: Row, width: float) -> float:
        lines = sum(len(self.wrap(line, width - 8)) for line in row.description)
        return lines * self.lead + self.lead * 0.4

    def _table(self, y: float, rows: list[Row]) -> float:
        widths = self._column_widths()
        header_height = self.lead * 1.4
        if self.s.grid == "shaded":
            self.c.setFillColor(self.s.accent)
            self.c.rect(
                self.left,
                y - header_height,
                self.right - self.left,
                header_height,
                stroke=0,
                fill=1,
            )
        else:
            self.c.setStrokeColor(colors.black)
            self.c.setLineWidth(0.8)
            self.c.line(self.left, y, self.right, y)
            self.c.line(self.left, y - header_height, self.right, y - header_height)
        color = colors.white if self.s.grid == "shaded" else colors.black
        self._cells(
            y - header_height * 0.7, widths, lambda c: self.inv.headers[c], bold=True, color=color
        )
        y -= header_height + self.lead * 0.9
        for row in rows:
            top = y + self.lead * 0.9
            height = self._row_height(row, widths["description"])
            self._cells(y, widths, functools.partial(_cell, row))
            self._description(y, widths, row)
            y -= height
            if self.s.grid == "boxed":
                self.c.setLineWidth(0.3)
                self.c.rect(
                    self.left, top - height, self.right - self.left, height, stroke=1, fill=0
                )
        self.c.setLineWidth(0.8)
        self.c.line(self.left, y + self.lead * 0.6, self.right, y + self.lead * 0.6)
        return y - self.lead * 0.4

    def _cells(
        self,
        y: float,
        widths: dict[Column, float],
        value_of: Callable[[Column], str],
        *,
        bold: bool = False,
        color: colors.Color = colors.black,
    ) -> None:
        x = self.left
        for column in self.inv.columns:
            width = widths[column]
            if column != "description" or bold:
                value = value_of(column)
                if column in _NUMERIC:
                    self.text(x + width - 4, y, value, bold=bold, align="right", color=color)
                else:
                    self.text(x + 4, y, value, bold=bold, color=color)
            x += width

    def _description(self, y: float, widths: dict[Column, float], row: Row) -> None:
        x = self.left + sum(
            widths[c] for c in self.inv.columns[: self.inv.columns.index("description")]
        )
        for number, line in enumerate(row.description):
            for part in self.wrap(line, widths["description"] - 8):
                self.text(x + 4, y, part, size=self.s.size if number == 0 else self.s.size * 0.85)
                y -= self.lead

    # -- totals, notes, footer -------------------------------------------------------------

    def _closing_height(self) -> float:
        notes = sum(len(self.wrap(n, self.right - self.left)) for n in self.inv.notes)
        bank = len(self.inv.bank) + 1 if self.s.footer == "none" else 0
        return (len(self.inv.summary) * 1.35 + notes + bank + 3) * self.lead

    def _closing(self, y: float) -> None:
        y = self._summary(y - self.lead * 0.6) - self.lead
        for note in self.inv.notes:
            y = self.lines(self.left, y, self.wrap(note, self.right - self.left))
        if self.s.footer == "none":
            self.text(self.left, y - self.lead * 0.5, self.inv.labels["bank"], bold=True)
            self.lines(self.left, y - self.lead * 1.5, self.inv.bank)

    def _summary(self, y: float) -> float:
        size = self.s.size * _TOTAL_SCALE
        value_width = max(self.width_of(r.text, bold=True, size=size) for r in self.inv.summary)
        label_width = max(self.width_of(r.label, bold=True, size=size) for r in self.inv.summary)
        x_label = self.right - value_width - label_width - 24
        for row in self.inv.summary:
            emphasis = row.role == "total"
            if emphasis:
                self._total_rule(x_label, y)
            size = self.s.size * (_TOTAL_SCALE if emphasis else 1.0)
            self.text(x_label, y, row.label, bold=emphasis, size=size)
            self.text(self.right - 4, y, row.text, bold=emphasis, size=size, align="right")
            y -= self.lead * (1.5 if emphasis else 1.2)
        return y

    def _total_rule(self, x: float, y: float) -> None:
        top = y + self.lead * 0.9
        if self.s.grid == "shaded":
            self.c.setFillColor(colors.HexColor("#e6e6e6"))
            self.c.rect(
                x - 4, y - self.lead * 0.45, self.right - x + 4, self.lead * 1.45, stroke=0, fill=1
            )
        else:
            self.c.setStrokeColor(colors.black)
            self.c.line(x, top, self.right, top)

    def _footer(self, number: int, pages: int) -> None:
        page = self.inv.labels["page"].format(n=number, of=pages)
        if self.s.page_numbers or pages > 1:
            self.text(self.right, self.s.margin * 0.5, page, size=self.s.size * 0.8, align="right")
        if self.s.footer == "none":
            return
        issuer, labels = self.inv.issuer, self.inv.labels
        groups = [
            [issuer.name, *issuer.address],
            [f"{labels['phone']} {issuer.phone}", issuer.email, issuer.web],
            [f"{labels['bank']}: {self.inv.bank[0]}", *self.inv.bank[1:]],
            [f"{labels['vat_id']}: {issuer.tax_id}", *issuer.registration],
        ]
        size = self.s.size * 0.75
        top = self.footer_top - self.lead * 0.6
        self.c.setStrokeColor(colors.grey)
        self.c.setLineWidth(0.5)
        self.c.line(self.left, self.footer_top, self.right, self.footer_top)
        if self.s.footer == "centered":
            middle = (self.left + self.right) / 2
            width = self.right - self.left
            rows = [joined(self.s.separator, group) for group in groups]
            wrapped = [p for row in rows for p in simpleSplit(row, self.s.font, size, width)]
            self.lines(middle, top, wrapped[:5], size=size, align="center")
            return
        column = (self.right - self.left) / len(groups)
        for index, group in enumerate(groups):
            wrapped = [
                p for line in group for p in simpleSplit(line, self.s.font, size, column - 6)
            ]
            self.lines(self.left + index * column, top, wrapped[:5], size=size)


def _cell(row: Row, column: Column) -> str:
    return {
        "pos": str(row.position),
        "description": row.description[0],
        "qty": row.quantity,
        "unit": row.unit,
        "unit_price": row.unit_price,
        "tax_rate": row.tax_rate,
        "line_total": row.total_text,
    }[column]


def joined(separator: str, parts: Sequence[str]) -> str:
    return separator.join(part for part in parts if part)
