"""A quick, cheap guess of a document's type from words near its start.

Only used when the client gave no ``document_type`` hint. It is deliberately simple: the
enrich stage classifies properly later; here the guess only picks which rules to run.
"""

import re

#: Phrases that point to a type; each occurrence in the opening text scores one point.
KEYWORDS: dict[str, tuple[str, ...]] = {
    "invoice": (
        "invoice", "facture", "rechnung", "factuur", "bill to", "amount due", "subtotal",
        "vat", "tva", "btw", "mwst",
    ),
    "receipt": ("receipt", "payment received", "paid by", "thank you for your purchase"),
    "nda": (
        "non-disclosure", "nondisclosure", "confidentiality agreement", "confidential information",
        "disclosing party", "receiving party",
    ),
    "employment": ("employment agreement", "employee", "employer", "salary", "non-compet"),
    "services": (
        "services agreement", "consulting agreement", "statement of work", "service provider",
        "supplier", "vendor",
    ),
    "lease": ("lease", "landlord", "tenant", "lessor", "lessee", "premises", "rent"),
}  # fmt: skip

_PATTERNS = {
    kind: re.compile("|".join(rf"\b{re.escape(w)}" for w in words), re.IGNORECASE)
    for kind, words in KEYWORDS.items()
}


def guess_type(text: str, *, chars: int = 4000, min_score: int = 2) -> str | None:
    """The likeliest type of a document from its first ``chars`` characters, or None."""
    opening = text[:chars]
    scores = {kind: len(pattern.findall(opening)) for kind, pattern in _PATTERNS.items()}
    best = max(scores, key=lambda kind: scores[kind])
    return best if scores[best] >= min_score else None
