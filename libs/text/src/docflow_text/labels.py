"""The labels documents write before a field's value: invoice number, date, total, tax, ...

Each label is a regular expression for one way of writing it, in English, French, German or
Dutch, matched case-insensitively as a whole word or phrase (:func:`label_pattern`). Validate
checks that a document carries these fields and enrich reads their values: from the same
labels, so that a field one stage finds the other does not miss for want of a word.
"""

import re

INVOICE_NUMBER = (
    r"invoice\s*(?:no\.?|number|num\.?|nr\.?|#|id)", r"bill\s*(?:no\.?|number)",
    r"receipt\s*(?:no\.?|number|#)", r"booking\s*id", r"facture\s*(?:n\s*[°o]\.?|num[ée]ro)",
    r"rechnungs?-?\s*(?:nr\.?|nummer)", r"factuurnummer",
)  # fmt: skip
#: Labels of the date of issue, which outrank the other dates an invoice shows (order, due).
ISSUE_DATE = (
    r"(?:invoice|bill|issue)\s*date", r"date\s+(?:of\s+)?(?:invoice|issue)", r"rechnungsdatum",
    r"factuurdatum", r"date\s+de\s+facture",
)  # fmt: skip
#: Every date label: those of the date of issue, "Facture n° 123 du", and a plain "Date".
DATE = (*ISSUE_DATE, r"facture\s*n\s*[°o]\s*\S+\s+du", r"date", r"datum")
TOTAL = (
    r"grand\s+total",
    r"total(?:\s+(?:amount(?:\s+due)?|due|ttc|facture|paid|for\s+this\s+invoice))?",
    r"amount\s+(?:due|paid)", r"balance\s+due", r"totaal", r"gesamtbetrag", r"rechnungsbetrag",
    r"somme\s+[àa]\s+payer", r"montant\s+total",
)  # fmt: skip
SUBTOTAL = (
    r"sub-?\s?total", r"subtotaal", r"zwischensumme", r"total\s+(?:ht|net|excl\.?\S*)",
    r"net\s+(?:amount|total)", r"exclusief\s+btw", r"nettobetrag", r"montant\s+ht",
)  # fmt: skip
TAX = (r"(?:sales\s+)?tax", r"vat", r"tva", r"btw", r"mwst\.?", r"ust\.?", r"gst", r"iva")
#: Labels of who issued an invoice: a seller's name follows them.
ISSUER = (
    r"service\s+provider", r"sold\s+by", r"seller", r"vendor", r"issued\s+by",
    r"payment\s+received\s+by", r"bill\s+from",
)  # fmt: skip

#: The labels of each field that carries a value, by the name rule packs give the field.
FIELD_LABELS: dict[str, tuple[str, ...]] = {
    "invoice_number": INVOICE_NUMBER,
    "date": DATE,
    "total": TOTAL,
    "subtotal": SUBTOTAL,
    "tax": TAX,
}


def label_pattern(*labels: str, followed_by: str = "") -> re.Pattern[str]:
    """Any of ``labels`` as a whole word or phrase ("date" but not "dated", yet "n°" before
    "123"), then ``followed_by`` (what may stand between a label and its value)."""
    either = "|".join(labels)
    return re.compile(rf"(?<!\w)(?:{either})(?:(?<=\W)|(?!\w)){followed_by}", re.IGNORECASE)
