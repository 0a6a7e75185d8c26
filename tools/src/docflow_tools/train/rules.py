"""The hand rules' answers for a document, read as enrich's rules read them."""

from docflow_enrich.rules.entities.invoice import invoice_total, issue_date
from docflow_events.v1 import ExtractionResult
from docflow_text.clean import clean, lines
from docflow_text.issuer import invoice_issuer
from docflow_tools.train.dataset import Rules


def rule_answers(result: ExtractionResult) -> Rules:
    cleaned = clean(result.text)
    total = invoice_total(lines(cleaned))
    return Rules(
        issuer=invoice_issuer(lines(cleaned)),
        issue_date=issue_date(cleaned),
        total=total.value if total else None,
    )
