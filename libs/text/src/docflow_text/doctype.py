"""Document type from weighted phrase evidence in the title and the first page.

Each type has phrases with weights; a phrase in the title (the first lines) counts three
times, one on the first page once, and each phrase counts once however often it occurs (a
long page must not outvote a clear title). Words that only mean money when money stands beside
them ("total", "amount due") count only on a line that holds an amount
(:mod:`docflow_text.money`), so that "Total: 37.5 hours" makes no invoice. The confidence grows
with the margin between the best type and the runner-up, and with how much evidence the best
type has: one weak word in a title is a guess, not a certainty.

Three readings keep the evidence honest. A till slip (a narrow single column of many short
lines, with none of the words only an invoice asking for payment carries: bill to, due date,
IBAN, payment terms) is a receipt whatever it calls itself: sales-tax law makes tills print
"TAX INVOICE" and "Invoice No", so there the invoice's evidence counts as a receipt's. An
invoice or a receipt that shows no amount of money at all is a guess, never a certainty ("please
invoice the client for 15 hours" is a memo). And an e-mail message's header lines (From, To,
Subject, Attachments, as extraction writes them) are no evidence: an attachment named
"nda.pdf" does not make the message an NDA; the body is read from its own first lines.

A client's hint is a prior: the type is the hint unless the text's evidence for another type
is strong, and the reading records the type the text points to when it disagrees.

Validate picks its rule pack and enrich reports the type from this one reading, so that both
stages agree on what a document is.
"""

import re
from typing import NamedTuple

from docflow_text.money import amounts_in

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
        # "Tax invoice" also titles till slips where sales-tax law names them so: weaker.
        r"(?<!tax\s)\binvoice\b": 3, r"\btax\s+invoice\b": 1, r"\bfacture\b": 3,
        r"\brechnung\b": 3, r"\bfactuur\b": 3, r"\bfactura\b": 3,
        r"bill\s+to": 2, r"amount\s+due": 2, r"invoice\s+(?:number|no|date)": 2,
        r"\bvat\b|\btva\b|\bbtw\b|\bmwst\b|\bgst\b|\biva\b": 1, r"sub-?total": 1, r"\btotal\b": 1,
        r"\biban\b": 1, r"\bqty\b|\bquantity\b": 1,
    },
    "receipt": {
        # Not the consideration of a contract ("the receipt and sufficiency of which").
        r"\breceipt\b(?!\s+and\s+sufficiency)": 3, r"payment\s+received": 2, r"\bpaid\b": 1,
        r"\bcash\b": 1,
        r"thank\s+you\s+for\s+your\s+(?:purchase|order)": 2, r"\bchange\s+due\b": 2,
        # A till's slip records a payment made there and then, whatever its title ("TAX
        # INVOICE" where sales tax law names it so): cash tendered, change given, a cashier.
        r"\bchange\b": 3, r"\bcash(?:ier)?\b|\btender(?:ed)?\b": 2, r"\bcashier\b": 2,
        r"simplified\s+tax\s+invoice": 4, r"\brounding\b": 2, r"thank\s+you": 2,
        r"come\s+again": 2, r"goods\s+sold\s+are\s+not": 2,
    },
    "form": {
        r"\bform\b": 1, r"please\s+(?:print|complete)": 2, r"\bapplicant\b": 2,
        r"check\s+(?:one|all\s+that\s+apply)": 2, r"\bapplication\b": 1,
        r"signature\s+of": 1, r"for\s+office\s+use": 2,
    },
}  # fmt: skip
#: Phrases of a type that count only on a line that also holds an amount of money.
_MONEY_PHRASES: dict[str, frozenset[str]] = {
    "invoice": frozenset({r"sub-?total", r"\btotal\b", r"amount\s+due"}),
    "receipt": frozenset({r"\bchange\b", r"\brounding\b", r"\bcash(?:ier)?\b|\btender(?:ed)?\b"}),
}
#: What only an invoice asking for payment carries; a till slip never does.
_INVOICE_ONLY = re.compile(
    r"\bbill(?:ed)?\s+to\b|\bship\s+to\b|\bsold\s+to\b|\bdue\s+date\b|payment\s+(?:terms|due)"
    r"|\biban\b|\bswift\b|\bbic\b|\bremit|\bnet\s+\d+\s+days\b|\bpurchase\s+order\b"
    r"|\bpayable\s+(?:by|within)\b",
    re.I,
)
#: A till slip: at least this many lines, nearly all of them no longer than a till prints.
_TILL_MIN_LINES = 10
_TILL_LINE_CHARS = 40
_TILL_SHORT_SHARE = 0.9
#: The most a money document's reading is trusted when the page shows no amount of money.
_NO_MONEY_CONFIDENCE = 0.6
_MONEY_TYPES = frozenset({"invoice", "receipt"})
#: The header lines extraction writes above an e-mail message's body.
_MAIL_HEADER = re.compile(r"(?:From|To|Cc|Date|Subject|Attachments):[^\n]*")
_COMPILED = {
    kind: [(re.compile(p, re.I), w, p in _MONEY_PHRASES.get(kind, ())) for p, w in phrases.items()]
    for kind, phrases in _EVIDENCE.items()
}
_TITLE_CHARS = 300
#: How much of the text is the first page, the only part the evidence is looked for in.
PAGE_CHARS = 4000
_TITLE_WEIGHT = 3.0
_MIN_SCORE = 3.0
#: Evidence of one strong phrase in the title: what full confidence, and overruling a hint, take.
_STRONG_SCORE = 9.0
_OVERRULE_CONFIDENCE = 0.75
OTHER = "other"
#: A hint for an agreement of a kind the client does not say; the text may name the kind.
CONTRACT = "contract"
CONTRACT_KINDS = ("nda", "employment", "services", "lease")
#: Every type a reading gives.
DOCUMENT_TYPES = (*_EVIDENCE, OTHER)
#: Every type a hint may name: those read, and ``contract``, which is only ever given.
KNOWN_TYPES = (*_EVIDENCE, CONTRACT, OTHER)


class DocumentType(NamedTuple):
    type: str
    confidence: float
    #: The type the text's evidence points to when it differs from the hint, else None.
    text_type: str | None = None


class _Reading(NamedTuple):
    type: str
    confidence: float
    score: float


def classify(text: str, hint: str | None = None, *, page_chars: int = PAGE_CHARS) -> DocumentType:
    """The type of ``text``; a hint naming a known type is the type unless the text says
    otherwise strongly, and the reading records any disagreement."""
    reading = _read(text[:page_chars])
    prior = (hint or "").strip().lower()
    if prior not in KNOWN_TYPES:
        return DocumentType(reading.type, reading.confidence)
    return _with_prior(reading, prior)


def _read(page: str) -> _Reading:
    page = without_mail_headers(page)
    scores = {kind: _score(kind, page) for kind in _EVIDENCE}
    if is_till_slip(page):
        scores["receipt"] += scores["invoice"]
        scores["invoice"] = 0.0
    ranked = sorted(scores.items(), key=lambda item: item[1], reverse=True)
    (best, top), (_, second) = ranked[0], ranked[1]
    if top < _MIN_SCORE:
        return _Reading(OTHER, 0.5, 0.0)
    confidence = _confidence(top, second)
    if best in _MONEY_TYPES and not amounts_in(page):
        confidence = min(confidence, _NO_MONEY_CONFIDENCE)
    return _Reading(best, round(confidence, 3), top)


def without_mail_headers(text: str) -> str:
    """``text`` without the header lines extraction writes above an e-mail's body (From, To,
    Subject, Attachments...); any other text as it is."""
    head, blank, body = text.partition("\n\n")
    fields = head.strip().splitlines()
    if blank and fields and all(_MAIL_HEADER.fullmatch(line.strip()) for line in fields):
        return body
    return text


def is_till_slip(page: str) -> bool:
    """A narrow single column of many short lines, without an invoice's payment words."""
    lines = [line.strip() for line in page.splitlines() if line.strip()]
    if len(lines) < _TILL_MIN_LINES or _INVOICE_ONLY.search(page):
        return False
    short = sum(len(line) <= _TILL_LINE_CHARS for line in lines)
    return short >= _TILL_SHORT_SHARE * len(lines)


def _with_prior(reading: _Reading, hint: str) -> DocumentType:
    if reading.type == OTHER:
        return DocumentType(hint, 0.5)
    if reading.type == hint or (hint == CONTRACT and reading.type in CONTRACT_KINDS):
        # A contract's kind read from its text refines the hint; it does not contradict it.
        return DocumentType(reading.type, reading.confidence)
    strong = reading.score >= _STRONG_SCORE and reading.confidence >= _OVERRULE_CONFIDENCE
    if strong:
        return DocumentType(reading.type, reading.confidence, reading.type)
    return DocumentType(hint, 0.5, reading.type)


def _score(kind: str, page: str) -> float:
    total = 0.0
    for pattern, weight, needs_money in _COMPILED[kind]:
        if _found(pattern, page, needs_money, _TITLE_CHARS):
            total += weight * _TITLE_WEIGHT
        elif _found(pattern, page, needs_money, len(page)):
            total += weight
    return total


def _found(pattern: re.Pattern[str], page: str, needs_money: bool, end: int) -> bool:
    """The phrase occurs before ``end`` (on a line with an amount, if it needs one)."""
    for match in pattern.finditer(page, 0, end):
        if not needs_money or amounts_in(_line_of(page, match.start())):
            return True
    return False


def _line_of(page: str, at: int) -> str:
    end = page.find("\n", at)
    return page[page.rfind("\n", 0, at) + 1 : end if end >= 0 else len(page)]


def _confidence(top: float, second: float) -> float:
    """0.5 for a tie, towards 1.0 as the runner-up falls behind and the evidence grows."""
    strength = min(1.0, top / _STRONG_SCORE)
    return min(1.0, 0.5 + 0.5 * strength * (top - second) / top)
