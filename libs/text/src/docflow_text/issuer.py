"""Who issued an invoice, by the hand rule: a labelled seller, else the organisation it names
most often.

Enrich reports this answer where the field scorer (:mod:`docflow_text.fields`) has none it
trusts, and the scorer reads it as a feature of its issuer candidates, so the two never
disagree about what the rule says.
"""

import re
from dataclasses import dataclass
from typing import Literal

from docflow_text import labels
from docflow_text.labels import label_pattern
from docflow_text.names import ORG, ORG_SUFFIX, clean_name

_ISSUER_LABEL = label_pattern(*labels.ISSUER, followed_by=r"\s*:?\s*")
_CAPS_NAME = re.compile(r"[A-Z][A-Z0-9&.-]+(?:\s+[A-Z][A-Z0-9&.-]+)*")
_DOCUMENT_WORD_LIST = (
    "invoice facture rechnung factuur receipt total totaal date iban bic vat tva btw page"
)
_DOCUMENT_WORDS = frozenset(_DOCUMENT_WORD_LIST.split())
_PAYEE = re.compile(
    r"titulaire|account\s+(?:holder|name)|kontoinhaber|rekeninghouder|in\s+favou?r\s+of"
    r"|au\s+capital|share\s+capital|registered\s+office|si[eè]ge\s+social|\bRCS\b|\bKvK\b"
    r"|\bHRB\b|\bSIRET\b|\bCIN\b",
    re.I,
)
_LABEL_LOOKAHEAD_LINES = 3


#: How the rule found its answer, from the surest way to the least sure.
IssuerEvidence = Literal["label", "organisation", "capitals"]


@dataclass(frozen=True)
class IssuerAnswer:
    name: str
    evidence: IssuerEvidence


def invoice_issuer(lines: list[str]) -> str | None:
    """A labelled seller; else the organisation the invoice names most often (its own name
    recurs in the header, the footer's legal mentions and the bank details; the customer's
    does not), preferring names with a legal form over bare capitalised lines."""
    answer = issuer_answer(lines)
    return answer.name if answer else None


def issuer_answer(lines: list[str]) -> IssuerAnswer | None:
    """The rule's issuer and how it found it (see :func:`invoice_issuer`)."""
    for index, line in enumerate(lines):
        label = _ISSUER_LABEL.search(line)
        if label:
            name = _name_near(lines, index, label.end())
            if name:
                return IssuerAnswer(name, "label")
    return _most_mentioned(lines)


def _most_mentioned(lines: list[str]) -> IssuerAnswer | None:
    text = "\n".join(lines)
    organisations = [m.group() for line in lines if (m := ORG.match(line.strip()))]
    capitals = [line for line in lines if _is_capitalised_name(line)]
    kinds: tuple[tuple[list[str], IssuerEvidence], ...] = (
        (organisations, "organisation"),
        (capitals, "capitals"),
    )
    for candidates, evidence in kinds:
        if candidates:
            name = clean_name(max(candidates, key=lambda c: _mentions(text, c)))
            return IssuerAnswer(name, evidence)
    return None


def _mentions(text: str, name: str) -> int:
    """How often the name (without its legal form) occurs, counting twice where it stands as
    the account holder or in the seller's legal mentions (share capital, register numbers)."""
    core = re.sub(rf",?\s+{ORG_SUFFIX}$", "", name.strip())
    if not core:
        return 0
    payee = sum(1 for line in text.splitlines() if core in line and _PAYEE.search(line))
    return text.count(core) + 2 * payee


def _is_capitalised_name(line: str) -> bool:
    text = line.strip()
    return (
        bool(_CAPS_NAME.fullmatch(text))
        and len(text) >= 3
        and text.rstrip(".").lower() not in _DOCUMENT_WORDS
    )


def _name_near(lines: list[str], index: int, start: int) -> str | None:
    candidates = [lines[index][start:], *lines[index + 1 : index + _LABEL_LOOKAHEAD_LINES]]
    for candidate in candidates:
        text = candidate.strip(" ,:")
        org = ORG.match(text)
        if org:
            return clean_name(org.group())
        caps = _CAPS_NAME.match(text)
        if caps and len(caps.group()) >= 2:
            return caps.group()
    return None
