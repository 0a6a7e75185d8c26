"""Which amounts of an invoice are its total, subtotal, tax, charges and deductions, read
from labels.

Labels are found in key-values (the key), table rows (the first cell) and text lines. A line
may hold several labels ("Exclusief BTW € 593,36 Subtotaal € 717,97"): each label takes the
last amount before the next label. Where labels overlap, the earliest and then the longest
wins, so "Total HT" is a subtotal and not a total.
"""

from dataclasses import dataclass, field
from typing import Literal

from docflow_events.v1 import ExtractionResult
from docflow_text.labels import TAX_INCLUDED, label_pattern
from docflow_text.money import amount_value, amounts_in

AmountKind = Literal["total", "subtotal", "tax", "charge", "deduction"]


@dataclass
class InvoiceAmounts:
    """Every candidate for each role; the check looks for a combination that adds up."""

    total: list[float] = field(default_factory=list)
    subtotal: list[float] = field(default_factory=list)
    tax: list[float] = field(default_factory=list)
    charge: list[float] = field(default_factory=list)
    deduction: list[float] = field(default_factory=list)
    lines: list[float] = field(default_factory=list)
    #: A tax line says the tax is included in the amounts ("MwSt. 19% enthalten").
    tax_included: bool = False

    def add(self, kind: AmountKind, value: float) -> None:
        getattr(self, kind).append(value)


@dataclass(frozen=True)
class _Label:
    start: int
    end: int
    kind: AmountKind


class LabelReader:
    """Finds labelled amounts with one regular expression list per role."""

    def __init__(self, labels: dict[AmountKind, list[str]]) -> None:
        self._labels = {
            kind: [label_pattern(pattern) for pattern in patterns]
            for kind, patterns in labels.items()
        }
        self._included = label_pattern(*TAX_INCLUDED)

    def read(self, document: ExtractionResult) -> InvoiceAmounts:
        amounts = InvoiceAmounts()
        for pair in document.key_values:
            self._read_key_value(pair.key, pair.value, amounts)
        for table in document.tables:
            for row in table.rows:
                self._read_row(row, amounts)
        for line in document.text.splitlines():
            self._read_line(line, amounts)
        return amounts

    def _read_key_value(self, key: str, value: str, amounts: InvoiceAmounts) -> None:
        labels = self._find(key)
        number = amount_value(value)
        if labels and number is not None:
            amounts.add(labels[0].kind, number)

    def _read_row(self, row: list[str], amounts: InvoiceAmounts) -> None:
        cells = [cell.strip() for cell in row if cell.strip()]
        if not cells:
            return
        values = [v for v in (amount_value(cell) for cell in cells[1:]) if v is not None]
        labels = self._find(cells[0])
        if labels and values:
            amounts.add(labels[0].kind, values[-1])
        elif values and not any(self._find(cell) for cell in cells):
            amounts.lines.append(values[-1])

    def _read_line(self, line: str, amounts: InvoiceAmounts) -> None:
        labels = self._find(line)
        if not labels:
            return
        ends = [label.start for label in labels[1:]] + [len(line)]
        for label, end in zip(labels, ends, strict=True):
            segment = line[label.end : end]
            found = amounts_in(segment)
            if found:
                amounts.add(label.kind, found[-1])
                if label.kind == "tax" and self._included.search(line):
                    amounts.tax_included = True

    def _find(self, text: str) -> list[_Label]:
        """The labels of ``text`` in order, without overlaps."""
        candidates = sorted(
            (_Label(m.start(), m.end(), kind) for kind, patterns in self._labels.items()
             for pattern in patterns for m in pattern.finditer(text)),
            key=lambda label: (label.start, label.start - label.end),
        )  # fmt: skip
        chosen: list[_Label] = []
        for label in candidates:
            if not chosen or label.start >= chosen[-1].end:
                chosen.append(label)
        return chosen
