"""All entity rules over one document, gathered into :class:`Entities`.

An agreement's parties and effective date are the learned scorer's
(:mod:`docflow_enrich.scoring`). For invoices and receipts, its choices replace the rules'
issuer, date of issue and total where it is confident; it reads the extraction's pages (lines
with their boxes) when given, else the text's lines.

``amounts`` holds the document's distinct monetary values (see
:func:`docflow_text.money.distinct_amounts`), at most fifty. An invoice's total is always among
them: when the document writes it without a currency ("Grand Total 319.00" under "Rs -40.00"
elsewhere) it joins the list last, in the document's currency.
"""

from collections.abc import Sequence

from docflow_enrich.rules.entities.invoice import (
    document_currency,
    invoice_number,
    invoice_total,
    issue_date,
)
from docflow_enrich.rules.entities.jurisdiction import find_jurisdiction
from docflow_enrich.rules.entities.term import find_term
from docflow_enrich.scoring import scored_effective_date, scored_parties, scored_updates
from docflow_events.v1.results import Entities, KeyValue, Money
from docflow_text.clean import clean, flatten, lines, strip_filing_header
from docflow_text.dates import find_dates
from docflow_text.doctype import CONTRACT, CONTRACT_KINDS
from docflow_text.fields import PageLike, row_texts
from docflow_text.issuer import invoice_issuer
from docflow_text.money import Amount, distinct_amounts, find_amounts

_MAX_AMOUNTS = 50
_MAX_DATES = 50
_BILLING_TYPES = frozenset({"invoice", "receipt"})
_AGREEMENT_TYPES = frozenset({*CONTRACT_KINDS, CONTRACT})


def extract_entities(
    text: str,
    key_values: list[KeyValue],
    document_type: str,
    *,
    pages: Sequence[PageLike] = (),
) -> Entities:
    """Contract entities for every document; invoice fields for invoices and receipts."""
    # Cleaned once: every rule below reads this text, flattened or as lines.
    cleaned = clean(text)
    flat, all_lines = strip_filing_header(flatten(cleaned)), lines(cleaned)
    entities = Entities(
        parties=_parties(flat, all_lines, text, document_type),
        effective_date=scored_effective_date(flat),
        jurisdiction=find_jurisdiction(flat),
        term=find_term(flat),
        amounts=[_money(a) for a in distinct_amounts(find_amounts(flat))[:_MAX_AMOUNTS]],
        dates=sorted({found.value for found in find_dates(flat)})[:_MAX_DATES],
    )
    if document_type not in _BILLING_TYPES:
        return entities
    found = invoice_total(all_lines)
    fields: dict[str, object] = {
        "issuer": invoice_issuer(all_lines),
        "invoice_number": invoice_number(cleaned, key_values, row_texts(pages)),
        "total": _money(found) if found is not None else None,
        "issue_date": issue_date(cleaned),
    }
    unanswered = {name for name, value in fields.items() if value is None}
    fields.update(scored_updates(pages, cleaned, document_currency(all_lines), unanswered))
    total = fields["total"] if isinstance(fields["total"], Money) else None
    return entities.model_copy(update={**fields, "amounts": _with_total(entities.amounts, total)})


def _parties(flat: str, all_lines: list[str], text: str, document_type: str) -> list[str]:
    if document_type in _BILLING_TYPES:
        return []
    agreement = document_type in _AGREEMENT_TYPES
    return scored_parties(flat, all_lines, text, agreement=agreement)


def _with_total(amounts: list[Money], total: Money | None) -> list[Money]:
    if total is None or any(
        (amount.value, amount.currency) == (total.value, total.currency) for amount in amounts
    ):
        return amounts
    return [*amounts[: _MAX_AMOUNTS - 1], total]


def _money(amount: Amount) -> Money:
    return Money(value=amount.value, currency=amount.currency, context=amount.context)
