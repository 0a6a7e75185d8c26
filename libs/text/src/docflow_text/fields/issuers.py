"""Candidates for who issued a document: the lines of its head, and organisations anywhere.

Each of the first lines is a candidate, also with what follows its legal form cut off
("MR D.I.Y. (M) SDN BHD (860671-D)") and joined with the next line when a name runs on to
it; so is every organisation a line names further down (an invoice's seller may sign its
footer). Features say what the line looks like (capitals, letters, digits, length), what it
holds (a legal form such as SDN BHD or Ltd, a trade word, an address, a phone, a document
word), where it stands and how large it is printed, and how often the name recurs. The hand
rule's answer (:mod:`docflow_text.issuer`) is a candidate too, and every candidate says whether
it is that answer and how the rule found it (a labelled seller, the organisation named most
often, a capitalised line): on invoices the rule is often right where the layout says little.
"""

import re

from docflow_text import labels
from docflow_text.fields.candidate import Candidate, Document, flag
from docflow_text.fields.layout import TextLine
from docflow_text.issuer import IssuerAnswer, IssuerEvidence, issuer_answer
from docflow_text.labels import label_pattern
from docflow_text.names import ORG, ORG_SUFFIX, clean_name, same_party

_HEAD_LINES = 12
_MAX_CANDIDATES = 40
_LEGAL_FORM = re.compile(
    rf"\b(?:SDN\.?\s*BHD|S/B|BHD|BERHAD|PLT|ENTERPRISES?|TRADING|(?<!\w){ORG_SUFFIX})\.?",
    re.I,
)
_TRADE = re.compile(
    r"\b(?:restaurant|restoran|cafe|caf[eé]|bakery|kitchen|hardware|stationery|store|shop|mart"
    r"|market|pasaraya|kedai|pharmacy|farmacia|hotel|trading|enterprise|industries|services?"
    r"|electrical|machinery|book|motor|petro|station|house|food|bistro|supermarket|group)\b",
    re.I,
)
_ADDRESS = re.compile(
    r"\b(?:jalan|jln|taman|lorong|no\.?\s?\d|lot\b|road|rd\b|street|st\.|avenue|ave\b|floor"
    r"|block|blk|level|suite|selangor|kuala|johor|malaysia|\d{5})",
    re.I,
)
_CONTACT = re.compile(
    r"\b(?:tel|fax|phone|h/?p|email|e-mail|www|http|gst|reg|co\.?\s?no)\b|@", re.I
)
_REGISTRATION = re.compile(
    r"\(?\b\d{4,}-?[A-Z]\)?|company\s+no|co\.?\s*reg|\bGST\s+(?:id|reg)", re.I
)
_DOCUMENT = re.compile(
    r"\b(?:invoice|receipt|tax|cash|bill|total|date|cashier|table|order|qty|amount|page|member"
    r"|welcome|thank|slip|check|customer|counter|no\b"
    # the same words in the other languages invoices come in
    r"|factur|rechnung|factuur|datum|fecha|totaal|importe|nummer|num[ée]ro|n[úu]mero|kunde"
    r"|klant|client|seite|pagina)",
    re.I,
)
_ISSUER_LABEL = label_pattern(*labels.ISSUER)
_CUSTOMER_LABEL = label_pattern(*labels.CUSTOMER)
# A customer's block: its label stands on the name's line or up to this many lines above.
_CUSTOMER_LINES_ABOVE = 3
_NOISE = re.compile(r"^[^A-Za-z0-9(]+|[^A-Za-z0-9.)]+$")
_SDN_BHD = re.compile(r"\bS[DIAO1l]N\.?\s*BH[DO0]\b", re.I)
_CAPITAL_I_IN_WORD = re.compile(r"(?<=[a-z])I(?=[a-z]|$)")
# A short label before the name on its line: "Dimiliki: BANH MI CAFE SDN BHD" (owned by),
# "Seller: ...".
_LABEL_BEFORE = re.compile(r"^[^\W\d_]+(?:\s[^\W\d_]+)?\s?:\s*")
_DIGIT_IN_LETTERS = re.compile(r"[A-Za-z][01]|[01][A-Za-z]")
# A line that ends mid-name: "HOME MASTER HARDWARE &" above "ELECTRICAL".
_RUNS_ON = re.compile(r"[&-]\s*$")
# The document's title beside the issuer's name on one line: "Amazon Web Services Invoice",
# "FACTURE SARL Cèdre Nettoyage".
_TITLES = "|".join(("receipt", "bill", *labels.INVOICE_TITLES))
_TITLE_WORD = rf"(?:(?:tax|sales)\s+)?(?:{_TITLES})\b"
_TITLE_AFTER = re.compile(rf"\s+{_TITLE_WORD}[^A-Za-z]*$", re.I)
_TITLE_BEFORE = re.compile(rf"^{_TITLE_WORD}[\s:.-]+", re.I)
#: The rule's evidence as a number: the surer the way it found its answer, the higher.
_EVIDENCE_RANK: dict[IssuerEvidence, float] = {"capitals": 1.0, "organisation": 2.0, "label": 3.0}
#: From here on the rule's answer is worth falling back on: a labelled seller or an
#: organisation with a legal form, not a capitalised line (a till slip's every other line).
_SURE_EVIDENCE = _EVIDENCE_RANK["organisation"]


def issuer_candidates(document: Document) -> list[Candidate]:
    texts: dict[str, list[int]] = {}
    for index, text in _proposals(document.lines):
        texts.setdefault(text, []).append(index)
    heights = sorted((line.height for line in document.lines[:_HEAD_LINES]), reverse=True)
    found = [
        Candidate("issuer", text, tuple(at), _features(document, text, at[0], heights))
        for text, at in list(texts.items())[:_MAX_CANDIDATES]
    ]
    rule = issuer_answer([line.text for line in document.lines])
    if rule and not any(_is_answer(str(c.value), rule) for c in found):
        at = _line_naming(document.lines, rule.name)
        found.append(
            Candidate("issuer", rule.name, (at,), _features(document, rule.name, at, heights))
        )
    return _mark_rule(_mark_most_mentioned(found), rule)


def rule_is_sure(found: list[Candidate]) -> bool:
    """Whether the hand rule answered by a sure way (a label, a legal form): only then is it
    worth falling back on where the model doubts its choice."""
    return any(c.features.get("rule_answer", 0.0) >= _SURE_EVIDENCE for c in found)


def _is_answer(text: str, rule: IssuerAnswer) -> bool:
    return same_party(clean_name(text), rule.name)


def _line_naming(lines: list[TextLine], name: str) -> int:
    """The first line that holds ``name`` (the first line if none holds it whole)."""
    core = _LEGAL_FORM.sub("", name).strip(" .,")
    return next((line.index for line in lines if core and core in line.text), 0)


def _mark_rule(found: list[Candidate], rule: IssuerAnswer | None) -> list[Candidate]:
    """Whether each candidate is the rule's answer, and how sure the rule's way of finding it
    is (0: not its answer)."""
    for candidate in found:
        answer = rule is not None and _is_answer(str(candidate.value), rule)
        rank = _EVIDENCE_RANK[rule.evidence] if rule is not None and answer else 0.0
        candidate.features["rule_answer"] = rank
    return found


def _mark_most_mentioned(found: list[Candidate]) -> list[Candidate]:
    """The hand rule as a feature: the organisation (with a legal form) named most often."""
    organisations = [c for c in found if c.features["western_org"]]
    top = max((c.features["mentions"] for c in organisations), default=0.0)
    for candidate in found:
        most = candidate in organisations and candidate.features["mentions"] == top
        candidate.features["most_mentioned_org"] = flag(most)
    return found


def _proposals(lines: list[TextLine]) -> list[tuple[int, str]]:
    proposals: list[tuple[int, str]] = []
    for line in lines[:_HEAD_LINES]:
        proposals.extend((line.index, v) for v in _variants(line.text, lines, line.index))
    for line in lines[_HEAD_LINES:]:
        proposals.extend((line.index, m.group()) for m in ORG.finditer(line.text))
    return [(index, text) for index, text in proposals if len(text) >= 2]


def _variants(text: str, lines: list[TextLine], index: int) -> list[str]:
    """The line, and the name in it: without the document's title beside it or a short label
    before it, cut after its last legal form ("AEON CO. (M) BHD" before "(126926-H)"), or
    joined with the next line where the name runs on to it (the next line is a legal form, or
    this one ends in "&" or "-")."""
    whole = _as_printed(_NOISE.sub("", text))
    variants = [whole]
    forms = list(_LEGAL_FORM.finditer(whole))
    following = _as_printed(_NOISE.sub("", lines[index + 1].text)) if index + 1 < len(lines) else ""
    untitled = _TITLE_BEFORE.sub("", _TITLE_AFTER.sub("", whole))
    if untitled != whole and len(untitled) >= 2:
        variants.append(untitled)
    labelled = _LABEL_BEFORE.match(whole)
    if labelled and len(whole) - labelled.end() >= 2:
        variants.append(whole[labelled.end() :])
    if forms:
        variants.append(whole[: forms[-1].end()].strip())
    elif following and _LEGAL_FORM.match(following):
        variants.append(f"{whole} {following}")
    elif following and _RUNS_ON.search(text):
        variants.append(f"{text.strip()} {following}")  # the "&" is part of the name
    return variants


def _in_customer_block(document: Document, index: int) -> bool:
    """Whether a customer's label ("Bill To", "Rechnungsempfänger", "Cliente") stands on the
    line or just above it: that block names whom the invoice is addressed to."""
    above = document.lines[max(0, index - _CUSTOMER_LINES_ABOVE) : index + 1]
    return any(_CUSTOMER_LABEL.search(line.text) for line in above)


def _as_printed(text: str) -> str:
    """A name as printed: Malaysia's legal form, where OCR misread a letter of it ("SIN BHD",
    "San Bhd", "SDN BHO"): the most common legal form on the receipts read here; and the
    letters of a name where OCR read a digit or a capital I for them (:func:`_name_letters`)."""
    legal = _SDN_BHD.sub(lambda m: "Sdn Bhd" if m.group()[1].islower() else "SDN BHD", text)
    return " ".join(_name_letters(word) for word in legal.split(" "))


def _name_letters(word: str) -> str:
    """A word of letters with a 0 or 1 touching them is a name OCR misread ("C0.", "1DEA"): the
    letters O and I; a capital I between small letters is an l ("WorId"). Words with other
    digits ("666", "B2B", "No12") are numbers or codes and stay as printed."""
    digits = [char for char in word if char.isdigit()]
    letters = sum(char.isalpha() for char in word)
    # An abbreviation's full stop lets one letter stand beside the digit ("C0.", not "A1").
    enough = len(digits) < letters or (word.endswith(".") and len(digits) == letters)
    if digits and set(digits) <= {"0", "1"} and enough and _DIGIT_IN_LETTERS.search(word):
        word = word.replace("0", "O").replace("1", "I" if word.isupper() else "l")
    return _CAPITAL_I_IN_WORD.sub("l", word)


def _features(document: Document, text: str, index: int, heights: list[float]) -> dict[str, float]:
    line = document.lines[index]
    letters = [c for c in text if c.isalpha()]
    previous = document.lines[index - 1].text if index > 0 else ""
    following = document.lines[index + 1].text if index + 1 < len(document.lines) else ""
    core = _LEGAL_FORM.sub("", text).strip(" .,")
    return {
        "index": float(min(index, 60)),
        "top": line.top,
        "chars": float(min(len(text), 80)),
        "words": float(min(len(text.split()), 12)),
        "letter_share": len(letters) / max(1, len(text)),
        "upper_share": sum(c.isupper() for c in letters) / max(1, len(letters)),
        "digit_share": sum(c.isdigit() for c in text) / max(1, len(text)),
        "whole_line": flag(text == _NOISE.sub("", line.text)),
        "joined": flag(len(text) > len(line.text)),
        "legal_form": flag(bool(_LEGAL_FORM.search(text))),
        "western_org": flag(bool(ORG.fullmatch(text))),
        "trade_word": flag(bool(_TRADE.search(text))),
        "address": flag(bool(_ADDRESS.search(text))),
        "contact": flag(bool(_CONTACT.search(text))),
        "document_word": flag(bool(_DOCUMENT.search(text))),
        # "Account number:": a field's label, whose value follows; never a name.
        "field_label": flag(line.text.rstrip().endswith(":")),
        "registration_near": flag(
            bool(_REGISTRATION.search(following) or _REGISTRATION.search(line.text))
        ),
        "address_below": flag(bool(_ADDRESS.search(following))),
        "legal_form_above": flag(bool(_LEGAL_FORM.search(previous))),
        "issuer_label": flag(
            bool(_ISSUER_LABEL.search(previous) or _ISSUER_LABEL.search(line.text))
        ),
        "customer_label": flag(_in_customer_block(document, index)),
        "mentions": float(min(document.text.count(core), 5)) if len(core) >= 3 else 0.0,
        "height_rank": float(heights.index(line.height))
        if line.has_box and line.height in heights
        else -1.0,
        "height_share": line.height / heights[0] if line.has_box and heights[0] > 0 else -1.0,
        "confidence": line.confidence,
    }
