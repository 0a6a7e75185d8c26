"""The field scorer is confident in each field it reads: a doubtful field is worth a look.

The scorer (:mod:`docflow_text.fields`) is the one enrich reports fields by; here it reads the
same pages and a field whose best candidate scores below the pack's bar, or that has no
candidate at all, is a finding. A field the model file has no ensemble for is not checked, so
a pack stays valid whatever model is installed. The bar is the pack's: the training report
(``fields-training.md``) tabulates, per bar, how many held-out documents fall below it and how
often their fields were right. ``bars`` gives a field a bar of its own (the scorer's
confidence means different things for different fields); the others take ``min_confidence``.
"""

from typing import Annotated, Literal

from pydantic import Field

from docflow_events.v1 import ExtractionResult, Finding
from docflow_text.fields import read_fields
from docflow_validate.rules.base import RuleBase

ScoredField = Literal["issuer", "issue_date", "total"]


def _every_field() -> list[ScoredField]:
    return ["issuer", "issue_date", "total"]


class FieldConfidence(RuleBase):
    kind: Literal["field_confidence"] = "field_confidence"
    fields: list[ScoredField] = Field(default_factory=_every_field, min_length=1)
    min_confidence: float = Field(default=0.5, ge=0.0, le=1.0, description="The scorer's 0..1")
    bars: dict[ScoredField, Annotated[float, Field(ge=0.0, le=1.0)]] = Field(
        default_factory=dict, description="A field's own bar, instead of min_confidence"
    )

    def check(self, document: ExtractionResult) -> list[Finding]:
        readings = read_fields(document.pages)
        findings = []
        for name in self.fields:
            if name not in readings:
                continue
            reading = readings[name]
            label = name.replace("_", " ")
            if reading is None:
                findings.append(self.finding(f"no {label} could be read", name))
            elif reading.confidence < (bar := self.bars.get(name, self.min_confidence)):
                message = (f"the {label} read ({reading.value}) is uncertain: confidence "
                           f"{reading.confidence:.2f} below {bar:g}")  # fmt: skip
                findings.append(self.finding(message, name))
        return findings
