"""A contract names at least two parties.

Three kinds of evidence count, all read by :mod:`docflow_text`: the parties the hand rules find
(:func:`~docflow_text.parties.parties_in`: the opening's "between", "among", "PARTIES:" or
"made by" clause, a letter's addressee, the signature blocks); a "(by and) between X and Y"
clause whose sides both name someone, even without a name enrich can spell ("between you and
the Company"); and party definitions such as ``Acme Corp. ("Acme")`` or ``(the "Recipient")``.
"""

from typing import Literal

from pydantic import Field

from docflow_events.v1 import ExtractionResult, Finding
from docflow_text.clean import flat_and_lines
from docflow_text.names import PARTY_ROLES
from docflow_text.parties import defined_parties, parties_in
from docflow_text.preamble import names_both_sides
from docflow_validate.rules.base import RuleBase


class CounterpartyPresent(RuleBase):
    kind: Literal["counterparty_present"] = "counterparty_present"
    min_parties: int = Field(default=2, ge=1)
    roles: list[str] = Field(
        default_factory=lambda: list(PARTY_ROLES),
        description="Defined terms that name a party even without a company name before them",
    )

    def check(self, document: ExtractionResult) -> list[Finding]:
        flat, all_lines = flat_and_lines(document.text)
        if self.min_parties <= 2 and names_both_sides(flat):
            return []
        if len(parties_in(flat, all_lines)) >= self.min_parties:
            return []
        defined = defined_parties(flat, self.roles)
        if len(defined) >= self.min_parties:
            return []
        found = ", ".join(sorted(defined)) or "none"
        message = (
            f"fewer than {self.min_parties} parties named: no 'between X and Y' clause naming "
            f"both sides, and the party definitions found are: {found}"
        )
        return [self.finding(message, "parties")]
