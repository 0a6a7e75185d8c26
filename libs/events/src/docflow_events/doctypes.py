"""The document types a client may name when it uploads a document (the ``document_type``
hint), and that the pipeline reads a document as.

This is the contract's list, readable by every service: ingest refuses a hint outside it, and
the shared classification (``docflow_text.doctype``, which has no dependencies of its own) reads
exactly these types; a test in the validate service keeps the two equal. ``contract`` is only
ever given: it asks for the agreement checks when the client does not know the kind.
"""

from typing import Final

CONTRACT_KINDS: Final = ("nda", "employment", "services", "lease")
DOCUMENT_TYPES: Final = (*CONTRACT_KINDS, "invoice", "receipt", "form", "contract", "other")


def known_type(value: str) -> str | None:
    """``value`` as the known type it names (case and surrounding blanks aside), else None."""
    normalized = value.strip().lower()
    return normalized if normalized in DOCUMENT_TYPES else None
