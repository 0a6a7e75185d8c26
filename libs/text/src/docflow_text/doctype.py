"""Document type from weighted phrase evidence in the title and the first page.

Each type has phrases with weights; a phrase in the title (the first lines) counts three
times, one on the first page once, and each phrase counts once however often it occurs (a
long page must not outvote a clear title). The confidence grows with the margin between the
best type and the runner-up.

Validate picks its rule pack and enrich reports the type from this one reading, so that both
stages agree on what a document is.
"""

import re
from typing import NamedTuple

_EVIDENCE: dict[str, dict[str, float]] = {
    "nda": {
        r"non-?disclosure": 3, r"confidentiality\s+agreement": 3, r"\bNDA\b": 3,
        r"confidential\s+information": 2, r"disclosing\s+party": 2, r"receiving\s+party": 2,
        r"evaluation\s+material": 2, r"proprietary\s+information": 1,
        r"confidentiality": 1, r"non-?circumvention": 2, r"protected\s+information": 1,
    },
    "employment": {
        r"employment\s+agreement": 3, r"offer\s+letter": 3, r"at-will\s+employment": 2,
        r"\bemployer\b": 1, r"\bsalary\b": 1, r"\bbase\s+salary\b": 1, r"job\s+title": 1,
        r"\bemployee\b": 1, r"position\s+of": 1, r"benefits": 0.5,
    },
    "services": {
        r"services\s+agreement": 3, r"consulting\s+agreement": 3, r"statement\s+of\s+work": 3,
        r"\bvendor\b": 1, r"\bsupplier\b": 1, r"\bconsultant\b": 1, r"\bcontractor\b": 1,
        r"service\s+levels?": 1, r"\bdeliverables\b": 1, r"master\s+services": 2,
        r"service\s+provider": 1,
    },
    "lease": {
        r"lease\s+agreement": 3, r"\blease\b": 2, r"\blandlord\b": 2, r"\btenant\b": 2,
        r"\blessee\b": 2, r"\blessor\b": 2, r"\bpremises\b": 1, r"\brent\b": 1,
        r"security\s+deposit": 1,
    },
    "invoice": {
        r"\binvoice\b": 3, r"\bfacture\b": 3, r"\brechnung\b": 3, r"\bfactuur\b": 3,
        r"bill\s+to": 2, r"amount\s+due": 2, r"invoice\s+(?:number|no|date)": 2,
        r"\bvat\b|\btva\b|\bbtw\b|\bmwst\b|\bgst\b": 1, r"sub-?total": 1, r"\btotal\b": 1,
        r"\biban\b": 1, r"\bqty\b|\bquantity\b": 1,
    },
    "receipt": {
        r"\breceipt\b": 3, r"payment\s+received": 2, r"\bpaid\b": 1, r"\bcash\b": 1,
        r"thank\s+you\s+for\s+your\s+(?:purchase|order)": 2, r"\bchange\s+due\b": 2,
    },
    "form": {
        r"\bform\b": 1, r"please\s+(?:print|complete)": 2, r"\bapplicant\b": 2,
        r"check\s+(?:one|all\s+that\s+apply)": 2, r"\bapplication\b": 1,
        r"signature\s+of": 1, r"for\s+office\s+use": 2,
    },
}  # fmt: skip
_COMPILED = {
    kind: [(re.compile(p, re.I), w) for p, w in phrases.items()]
    for kind, phrases in _EVIDENCE.items()
}
_TITLE_CHARS = 300
#: How much of the text is the first page, the only part the evidence is looked for in.
PAGE_CHARS = 4000
_TITLE_WEIGHT = 3.0
_MIN_SCORE = 3.0
OTHER = "other"
DOCUMENT_TYPES = (*_EVIDENCE, OTHER)


class DocumentType(NamedTuple):
    type: str
    confidence: float


def classify(text: str, hint: str | None = None, *, page_chars: int = PAGE_CHARS) -> DocumentType:
    """The most likely type; a hint naming a known type breaks a near tie in its favour."""
    page = text[:page_chars]
    scores = {kind: _score(kind, page) for kind in _EVIDENCE}
    if hint in scores:
        scores[hint] += 1.0
    ranked = sorted(scores.items(), key=lambda item: item[1], reverse=True)
    (best, top), (_, second) = ranked[0], ranked[1]
    if top < _MIN_SCORE:
        return DocumentType(OTHER, 0.5)
    return DocumentType(best, round(_confidence(top, second), 3))


def _score(kind: str, page: str) -> float:
    title = page[:_TITLE_CHARS]
    total = 0.0
    for pattern, weight in _COMPILED[kind]:
        if pattern.search(title):
            total += weight * _TITLE_WEIGHT
        elif pattern.search(page):
            total += weight
    return total


def _confidence(top: float, second: float) -> float:
    """0.5 for a tie, towards 1.0 as the runner-up falls behind."""
    return min(1.0, 0.5 + 0.5 * (top - second) / top)
