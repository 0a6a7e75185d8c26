"""The labels documents write before a field's value: invoice number, date, total, tax, ...

Each label is a regular expression for one way of writing it, in English, French, German,
Dutch or Spanish, matched case-insensitively as a whole word or phrase
(:func:`label_pattern`). Validate checks that a document carries these fields and enrich
reads their values: from the same labels, so that a field one stage finds the other does not
miss for want of a word.
"""

import re

INVOICE_NUMBER = (
    r"invoice\s*(?:no\.?|number|num\.?|nr\.?|#|id)", r"inv\.?\s*(?:no\.?|#)",
    r"bill\s*(?:no\.?|number)", r"receipt\s*(?:no\.?|number|#)", r"booking\s*id",
    r"facture\s*(?:n\s*[°ºo]\.?|num[ée]ro)", r"(?:n\s*[°ºo]\.?|num[ée]ro)\s*(?:de\s+)?facture",
    r"rechnungs?-?\s*(?:nr\.?|nummer)", r"re\.?-?\s*nr\.?", r"beleg-?\s*(?:nr\.?|nummer)",
    r"factuur\s*-?(?:nr\.?|nummer)", r"factura\s*(?:n\s*[°ºo]\.?|n[úu]m(?:ero|\.)?)",
    r"(?:n\s*[°ºo]\.?|n[úu]mero)\s*(?:de\s+)?factura",
)  # fmt: skip
#: Labels of the date of issue, which outrank the other dates an invoice shows (order, due).
ISSUE_DATE = (
    r"(?:invoice|bill|issue)\s*date", r"date\s+(?:of\s+)?(?:invoice|issue)", r"rechnungsdatum",
    r"factuurdatum", r"date\s+(?:de\s+(?:la\s+)?)?factur(?:e|ation)",
    r"date\s+d['\u2019]\s*[ée]mission",
    r"fecha\s+(?:de\s+)?(?:la\s+)?(?:factura|emisi[óo]n|expedici[óo]n)",
)  # fmt: skip
#: Every date label: those of the date of issue, "Facture n° 123 du", and a plain "Date".
DATE = (*ISSUE_DATE, r"facture\s*n\s*[°o]\s*\S+\s+du", r"dated", r"date", r"datum", r"fecha")
TOTAL = (
    r"grand\s+total",
    r"total(?:\s+(?:amount(?:\s+due)?|due|ttc|facture|factura|a\s+pagar|paid|for\s+this\s+invoice))?",
    r"amount\s+(?:due|paid|payable)", r"balance\s+due", r"invoice\s+total", r"totaal(?:bedrag)?",
    r"te\s+betalen", r"gesamtbetrag", r"rechnungsbetrag", r"endbetrag", r"zahlbetrag",
    r"somme\s+[àa]\s+payer", r"net\s+[àa]\s+payer", r"montant\s+(?:total|ttc)",
    r"importe\s+total",
)  # fmt: skip
SUBTOTAL = (
    r"sub-?\s?total", r"subtotaal", r"zwischensumme", r"total\s+(?:ht|net|excl\.?\S*)",
    r"net\s+(?:amount|total)", r"exclusief\s+btw", r"nettobetrag", r"montant\s+ht",
    r"sous-?\s?total", r"base\s+imponible", r"summe\s+netto", r"netto",
    r"taxable\s+(?:value|amount)",
)  # fmt: skip
TAX = (
    r"(?:sales\s+)?tax", r"vat", r"tva", r"btw", r"mwst\.?", r"ust\.?", r"gst", r"[cis]gst",
    r"iva",
)  # fmt: skip
#: Charges added to the subtotal and its tax: shipping, handling, rounding up.
CHARGES = (
    r"shipping", r"freight", r"postage", r"delivery(?:\s+charges?)?", r"handling",
    r"round(?:ing|ed)?\s*(?:off|adjustment)?", r"versand(?:kosten)?", r"frais\s+de\s+port",
    r"livraison", r"arrondi", r"verzendkosten", r"verzending", r"env[íi]o", r"portes",
)  # fmt: skip
#: Amounts taken off: discounts and taxes withheld at source ("Retención IRPF").
DEDUCTIONS = (
    r"discount", r"rabatt", r"skonto", r"remise", r"escompte", r"korting", r"descuento",
    r"retenci[óo]n", r"irpf", r"withholding(?:\s+tax)?", r"tds",
)  # fmt: skip
#: Words saying a tax is included in the amounts shown, not added to them.
TAX_INCLUDED = (
    r"incl(?:udes?|uded|\.|uding)?", r"inkl\.?", r"enthalten(?:e[rs]?)?", r"inclus[e]?",
    r"incluido", r"inbegrepen",
)  # fmt: skip
#: An invoice's title, in the languages labels cover ("Sales Invoice", "Factura").
INVOICE_TITLES = ("invoice", "facture", "rechnung", "factuur", "factura")
#: Labels of who issued an invoice: a seller's name follows them.
ISSUER = (
    r"service\s+provider", r"sold\s+by", r"seller", r"vendor", r"issued\s+by",
    r"payment\s+received\s+by", r"bill\s+from",
)  # fmt: skip

#: Labels of whom an invoice is addressed to: the customer's name follows them, not the seller's.
CUSTOMER = (
    r"bill(?:ed)?\s+to", r"invoice\s+to", r"sold\s+to", r"ship(?:ped)?\s+to", r"customer",
    r"client", r"recipient", r"(?:rechnungs)?empf[äa]nger", r"kunde", r"factur[ée]\s+[àa]",
    r"adress[ée]\s+[àa]", r"klant", r"factuur\s+aan", r"afnemer", r"cliente", r"facturar\s+a",
    r"datos\s+del\s+cliente",
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
