"""Clauses or marks a document of this type must contain, each found by regular expressions."""

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from docflow_events.v1 import ExtractionResult, Finding
from docflow_validate.rules.base import Regex, RuleBase, search


class RequiredPattern(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    name: str = Field(min_length=1, description="Names the finding's field, e.g. governing_law")
    description: str = Field(
        min_length=1, description="What is missing, e.g. a governing-law clause"
    )
    any_of: list[Regex] = Field(min_length=1, description="Any one match is enough")


class RequiredPatterns(RuleBase):
    kind: Literal["required_patterns"] = "required_patterns"
    patterns: list[RequiredPattern] = Field(min_length=1)

    def check(self, document: ExtractionResult) -> list[Finding]:
        text = document.text
        return [
            self.finding(f"no {pattern.description} found", pattern.name)
            for pattern in self.patterns
            if not any(search(regex, text) for regex in pattern.any_of)
        ]
