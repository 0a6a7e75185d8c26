"""The party scorer is sure of every name it weighed: a name near its bar is worth a look.

The scorer (:mod:`docflow_text.fields.parties`, the one enrich names parties by) names every
candidate at or above its bar. A candidate scored within ``margin`` of the bar, named or not, is
one it could as well have decided the other way: the parties enrich reports may miss someone or
name someone who is not bound. On the development agreements, cross-validated, a margin of 0.1
picked 13 of 157 agreements, 12 of which had a wrong party or effective date (42 of the other
144). Without a party ensemble in the model file nothing is checked, so a pack stays valid
whatever model is installed.
"""

from typing import Literal

from pydantic import Field

from docflow_events.v1 import ExtractionResult, Finding
from docflow_text.clean import flat_and_lines
from docflow_text.fields.parties import weighed_parties
from docflow_validate.rules.base import RuleBase


class PartyConfidence(RuleBase):
    kind: Literal["party_confidence"] = "party_confidence"
    margin: float = Field(
        default=0.1, ge=0.0, le=0.5, description="How near the scorer's bar a name is doubtful"
    )

    def check(self, document: ExtractionResult) -> list[Finding]:
        weighed = weighed_parties(*flat_and_lines(document.text))
        if weighed is None:
            return []
        bar = weighed.bar
        doubtful = [
            f"{candidate.value} ({confidence:.2f}, {'named' if confidence >= bar else 'left out'})"
            for candidate, confidence in zip(weighed.candidates, weighed.confidences, strict=True)
            if abs(confidence - bar) < self.margin
        ]
        if not doubtful:
            return []
        message = f"parties uncertain, scored within {self.margin:g} of {bar:g}: " + "; ".join(
            doubtful
        )
        return [self.finding(message, "parties")]
