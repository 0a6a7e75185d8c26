"""An invoice's amounts agree: subtotal plus tax is the total, and line amounts sum up.

The total may also hold charges (shipping, rounding) and lose deductions (a discount, a tax
withheld at source), and a tax said to be included ("MwSt. 19% enthalten") is not added; an
invoice with several taxes (CGST and SGST) adds them all. Every candidate for each role is
tried, because labels are read heuristically: the rule fails only when the amounts it found can
be combined in no way that adds up. When it finds too little to check, it says so with
``missing_severity`` (a warning by default): missing numbers are a reason to look, not proof of
a wrong invoice.
"""

from itertools import product
from typing import Literal

from pydantic import Field

from docflow_events.v1 import ExtractionResult, Finding
from docflow_text import labels
from docflow_validate.rules.amount_labels import InvoiceAmounts, LabelReader
from docflow_validate.rules.base import Regex, RuleBase, Severity


def _close(a: float, b: float, tolerance: float) -> bool:
    return abs(a - b) <= tolerance + 1e-9


def _money(value: float) -> str:
    return f"{value:,.2f}"


def _sums(values: list[float]) -> list[float]:
    """Each value alone and all of them together: one tax or charge line, or every one."""
    return [*values, sum(values)] if len(values) > 1 else list(values)


class AmountsAddUp(RuleBase):
    kind: Literal["amounts_add_up"] = "amounts_add_up"
    tolerance: float = Field(default=0.02, ge=0.0, description="Largest difference still equal")
    missing_severity: Severity = "warning"
    # The shared labels unless a pack gives its own.
    total_labels: list[Regex] = Field(default_factory=lambda: list(labels.TOTAL))
    subtotal_labels: list[Regex] = Field(default_factory=lambda: list(labels.SUBTOTAL))
    tax_labels: list[Regex] = Field(default_factory=lambda: list(labels.TAX))
    charge_labels: list[Regex] = Field(default_factory=lambda: list(labels.CHARGES))
    deduction_labels: list[Regex] = Field(default_factory=lambda: list(labels.DEDUCTIONS))

    def check(self, document: ExtractionResult) -> list[Finding]:
        reader = LabelReader(
            {
                "total": self.total_labels,
                "subtotal": self.subtotal_labels,
                "tax": self.tax_labels,
                "charge": self.charge_labels,
                "deduction": self.deduction_labels,
            }
        )
        found = reader.read(document)
        if not found.total:
            return [self._missing("no total amount found")]
        problems = [p for p in (self._sum_problem(found), self._lines_problem(found)) if p]
        if problems:
            return problems
        if found.subtotal or len(found.lines) >= 2:
            return []
        return [self._missing(f"found the total {_money(found.total[0])} but nothing to add up")]

    def _missing(self, what: str) -> Finding:
        message = f"could not check the amounts: {what}"
        return self.finding(message, "total", severity=self.missing_severity)

    def _sum_problem(self, found: InvoiceAmounts) -> Finding | None:
        if not found.subtotal:
            return None
        taxes = _sums(found.tax) + ([0.0] if found.tax_included or not found.tax else [])
        adjustments = [*_sums([*found.charge, *(-abs(d) for d in found.deduction)]), 0.0]
        combos = list(product(found.subtotal, taxes, found.total))
        if any(
            _close(s + t + a, total, self.tolerance)
            for (s, t, total), a in product(combos, adjustments)
        ):
            return None
        if not found.tax:
            # Without a tax amount a gap may just be the tax we could not read.
            return self._missing("subtotal and total differ and no tax amount was found")
        subtotal, tax, total = combos[0]
        message = (
            f"subtotal {_money(subtotal)} + tax {_money(tax)} = {_money(subtotal + tax)} "
            f"does not match the total {_money(total)} (tolerance {self.tolerance:g})"
        )
        return self.finding(message, "total")

    def _lines_problem(self, found: InvoiceAmounts) -> Finding | None:
        if len(found.lines) < 2:
            return None
        lines = sum(found.lines)
        net = [t - x for t, x in product(found.total, found.tax)]
        if any(_close(lines, e, self.tolerance) for e in [*found.subtotal, *found.total, *net]):
            return None
        expected = _money((found.subtotal or found.total)[0])
        role = "subtotal" if found.subtotal else "total"
        message = (
            f"the {len(found.lines)} line amounts add up to {_money(lines)}, "
            f"not to the {role} {expected} (tolerance {self.tolerance:g})"
        )
        return self.finding(message, "lines")
