"""Fields of invoices and receipts (issuer, date of issue, total), and an agreement's effective
date and parties (:mod:`.effective_dates`, :mod:`.parties`), read by a learned scorer.

Candidates come from the document's lines (:mod:`.layout`), each with features that are the
rules of thumb a reader uses (a TOTAL label, a legal form, the position on the page, ...);
a small gradient-boosted tree ensemble trained by ``make train`` on development documents
scores them (:mod:`.model`), and :mod:`.reading` gives each field its best candidate with the
model's confidence. See ``docs/development.md`` (``make train``).
"""

from docflow_text.fields.candidate import FIELDS, Candidate, FieldValue
from docflow_text.fields.layout import (
    PageLike,
    TextLine,
    document_lines,
    lines_of_text,
    row_texts,
)
from docflow_text.fields.model import FieldModel, ModelFileError, ScorerModel, load_model
from docflow_text.fields.reading import FieldReading, candidates, read_fields, read_lines

__all__ = [
    "FIELDS", "Candidate", "FieldModel", "FieldReading", "FieldValue", "ModelFileError",
    "PageLike", "ScorerModel", "TextLine", "candidates", "document_lines", "lines_of_text",
    "load_model", "read_fields", "read_lines", "row_texts",
]  # fmt: skip
