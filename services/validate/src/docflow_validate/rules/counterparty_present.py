"""A contract names at least two parties.

Two kinds of evidence count: a "(by and) between X and Y" clause (or a "Parties: X and Y"
heading) whose sides both name someone, and party definitions such as
``Acme Corp. ("Acme")`` or ``("the Company")``.
"""

import re
from typing import Literal

from pydantic import Field

from docflow_events.v1 import ExtractionResult, Finding
from docflow_validate.rules.base import RuleBase

# "between X and Y" in the opening sentence, or a "PARTIES: X and Y" heading.
_BETWEEN = re.compile(
    r"(?:\bbetween|\bparties\s*:)\s+(?P<first>[^;:]{1,300}?)\s*,?\s+and\s+(?P<second>[^;:]{1,120})",
    re.IGNORECASE,
)
# Straight and typographic quotes, single and double.
_QUOTES = "\"'\u201c\u201d\u2018\u2019"
# ("Acme"), (the "Company"), (hereinafter referred to as "Recipient"), ('Buyer')
_DEFINITION = re.compile(
    r"\(\s*(?:the\s+|hereinafter\s+(?:referred\s+to\s+as\s+)?(?:the\s+)?)?"
    rf"[{_QUOTES}]+(?P<term>[^{_QUOTES}()]{{1,40}})[{_QUOTES}]+",
    re.IGNORECASE,
)
_NOT_A_PARTY = re.compile(
    r"^(?:the\s+)?(?:parties|party|us|them|you\s+and\s+us|each\s+other|the\s+two|both)\b",
    re.IGNORECASE,
)
_ENTITY = re.compile(
    r"\b(?:inc|corp|corporation|incorporated|company|co|llc|l\.l\.c|ltd|limited|lp|l\.p|plc"
    r"|gmbh|ag|s\.a|n\.v|b\.v|bank|trust|partners|individual)\b\.?[\s,]*\S{0,40}$",
    re.IGNORECASE,
)
DEFAULT_ROLES = (
    "company", "recipient", "receiving party", "discloser", "disclosing party", "employee",
    "employer", "executive", "consultant", "contractor", "client", "customer", "supplier",
    "vendor", "buyer", "seller", "purchaser", "investor", "landlord", "tenant", "lessor",
    "lessee", "licensor", "licensee", "counterparty", "director", "bidder", "service provider",
)  # fmt: skip


class CounterpartyPresent(RuleBase):
    kind: Literal["counterparty_present"] = "counterparty_present"
    min_parties: int = Field(default=2, ge=1)
    roles: list[str] = Field(
        default_factory=lambda: list(DEFAULT_ROLES),
        description="Defined terms that name a party even without a company name before them",
    )

    def check(self, document: ExtractionResult) -> list[Finding]:
        text = " ".join(document.text.split())
        if self.min_parties <= 2 and _between_clause(text):
            return []
        defined = self._defined_parties(text)
        if len(defined) >= self.min_parties:
            return []
        found = ", ".join(sorted(defined)) or "none"
        message = (
            f"fewer than {self.min_parties} parties named: no 'between X and Y' clause naming "
            f"both sides, and the party definitions found are: {found}"
        )
        return [self.finding(message, "parties")]

    def _defined_parties(self, text: str) -> set[str]:
        roles = {role.casefold() for role in self.roles}
        parties: set[str] = set()
        for match in _DEFINITION.finditer(text):
            term = " ".join(match.group("term").split()).strip(" ,.")
            before = text[max(0, match.start() - 120) : match.start()]
            if term.casefold() in roles or _ENTITY.search(before):
                parties.add(term)
        return parties


def _between_clause(text: str) -> bool:
    return any(
        _names_someone(match.group("first")) and _names_someone(match.group("second"))
        for match in _BETWEEN.finditer(text)
    )


def _names_someone(side: str) -> bool:
    """Whether a side of the clause names someone, not a blank ("______, a ______")."""
    side = side.strip()
    name = side.split(",", 1)[0]
    return any(char.isalpha() for char in name) and not _NOT_A_PARTY.match(side)
