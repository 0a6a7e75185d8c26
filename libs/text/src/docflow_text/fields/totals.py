"""Candidates for an invoice's or a receipt's total: every amount of money the document shows.

Each distinct value is one candidate; its features gather every line it stands on: the labels
there (TOTAL, ROUNDING, CASH, CHANGE, GST...), where it stands, how it ranks among the
document's amounts, how often it recurs, and whether the cash paid less the change gives it.
"""

import math
import re
from collections import defaultdict

from docflow_text import labels
from docflow_text.fields.candidate import Candidate, Document, flag
from docflow_text.labels import label_pattern
from docflow_text.money import amounts_in

_LABELS: dict[str, re.Pattern[str]] = {
    "total": label_pattern(*labels.TOTAL),
    "grand": re.compile(
        r"grand\s*total|nett?\s*total|total\s*(?:amount|payable|sales|due|rm|incl)|amount\s*due"
        r"|balance\s*due|rounded|jumlah|total\s*\("
        # the total with its tax, in the other languages invoices come in
        r"|\bttc\b|te\s+betalen|incl\.?\s+btw|a\s+pagar|[àa]\s+payer|gesamtbetrag|endbetrag"
        r"|zahlbetrag|brutto",
        re.I,
    ),
    "subtotal": label_pattern(*labels.SUBTOTAL),
    "tax": label_pattern(*labels.TAX),
    "cash": re.compile(r"cash|tender|paid|payment|card|visa|master|debit|credit", re.I),
    "change": re.compile(r"change|baki", re.I),
    "rounding": re.compile(r"round", re.I),
    "discount": re.compile(r"disc|saving|voucher", re.I),
    "item": re.compile(r"\bqty\b|\bx\s?\d|@|\bpcs?\b|\bunit\b", re.I),
    "exclusive": re.compile(r"excl|before|w/o", re.I),
    "inclusive": re.compile(r"incl|inclusive|after", re.I),
    "currency": re.compile(r"\bRM|\$|€|£|\bUSD|\bEUR|\bMYR|\bSGD", re.I),
}
_CENT = 0.005
# OCR's spellings of an amount: "RM 64. 15", "RM4..00"; read as the amount they stand for.
_SPLIT_CENTS = re.compile(r"(?<=\d)\s?\.{1,2}\s?(?=\d\d\b)")


def _amounts(text: str) -> list[float]:
    return [value for value in amounts_in(_SPLIT_CENTS.sub(".", text)) if value > 0]


def total_candidates(document: Document) -> list[Candidate]:
    seen: dict[float, list[int]] = defaultdict(list)
    for line in document.lines:
        for value in _amounts(line.text):
            seen[round(value, 2)].append(line.index)
    values = sorted(seen, reverse=True)
    context = _Context(document, values, seen)
    return [
        Candidate("total", value, tuple(seen[value]), context.features(value))
        for value in sorted(seen)
    ]


class _Context:
    def __init__(self, document: Document, ranked: list[float], seen: dict[float, list[int]]):
        self.document = document
        self.ranked = ranked
        self.seen = seen
        self.labelled = {name: self._labelled(name) for name in _LABELS}

    def features(self, value: float) -> dict[str, float]:
        at = self.seen[value]
        features = {
            "rank": self.ranked.index(value) / max(1, len(self.ranked) - 1),
            "rank_absolute": float(min(self.ranked.index(value), 10)),
            "share_of_largest": value / self.ranked[0],
            "log_value": math.log10(value + 1.0),
            "occurrences": float(len(at)),
            "first_top": self.document.lines[at[0]].top,
            "last_top": self.document.lines[at[-1]].top,
            "candidates": float(len(self.ranked)),
            "cash_less_change": flag(self._cash_less_change(value)),
            "whole_five_cents": flag(abs(value * 20 - round(value * 20)) < 0.01),
            "min_confidence": min(self.document.lines[i].confidence for i in at),
        }
        features.update(self._label_features(value, at))
        return features

    def _label_features(self, value: float, at: list[int]) -> dict[str, float]:
        features: dict[str, float] = {}
        for name, pattern in _LABELS.items():
            features[f"label_{name}"] = flag(any(pattern.search(self._text(i)) for i in at))
            features[f"label_{name}_above"] = flag(
                any(i > 0 and pattern.search(self._text(i - 1)) for i in at)
            )
            features[f"largest_{name}"] = flag(
                bool(self.labelled[name]) and value == max(self.labelled[name])
            )
        features["after_largest_total"] = flag(
            bool(self.labelled["total"]) and at[-1] > self._line_of(max(self.labelled["total"]))
        )
        return features

    def _labelled(self, name: str) -> list[float]:
        pattern = _LABELS[name]
        return [v for v, at in self.seen.items() if any(pattern.search(self._text(i)) for i in at)]

    def _line_of(self, value: float) -> int:
        return self.seen[value][0]

    def _text(self, index: int) -> str:
        return self.document.lines[index].text

    def _cash_less_change(self, value: float) -> bool:
        cash = [v for v in self.labelled["cash"] if v > value]
        change = self.labelled["change"]
        return any(abs(c - g - value) < _CENT for c in cash for g in change)
