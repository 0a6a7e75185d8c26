"""Fields a document of this type must carry (an invoice: its number, date and total).

A field is present when a key-value's key matches one of its labels and the value looks
right; failing that, when a text line, or a row of the page read left to right, holds the
label followed by such a value, because key-value heuristics miss fields that the text
plainly shows. A field a pack names without labels is looked for by the shared labels of
:mod:`docflow_text.labels`, the ones enrich reads it by; a pack may give its own instead.
"""

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from docflow_events.v1 import ExtractionResult, Finding
from docflow_text.fields import row_texts
from docflow_text.labels import FIELD_LABELS, label_pattern
from docflow_validate.rules.base import Regex, RuleBase, search


class RequiredKey(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    name: str = Field(min_length=1, description="The field's name in findings, e.g. invoice_number")
    labels: list[Regex] = Field(
        min_length=1, description="How documents label it; for a known field, the shared labels"
    )
    value_pattern: Regex = Field(default=r"\d", description="What a real value contains")

    @model_validator(mode="before")
    @classmethod
    def _shared_labels(cls, data: Any) -> Any:
        """A known field without labels of its own gets the shared ones."""
        if isinstance(data, dict) and "labels" not in data and data.get("name") in FIELD_LABELS:
            return {**data, "labels": list(FIELD_LABELS[data["name"]])}
        return data


class KeyValuesPresent(RuleBase):
    kind: Literal["key_values_present"] = "key_values_present"
    keys: list[RequiredKey] = Field(min_length=1)
    search_text: bool = Field(default=True, description="Also look for 'label: value' lines")

    def check(self, document: ExtractionResult) -> list[Finding]:
        # Rows as well as lines: a label and its value in two columns may be far apart in the
        # text, side by side on the page (the rows enrich reads an invoice number from too).
        lines = (
            [*document.text.splitlines(), *row_texts(document.pages)] if self.search_text else []
        )
        return [
            self.finding(f"no {key.name.replace('_', ' ')} found", key.name)
            for key in self.keys
            if not (_in_key_values(key, document) or _in_lines(key, lines))
        ]


def _in_key_values(key: RequiredKey, document: ExtractionResult) -> bool:
    for pair in document.key_values:
        label = any(search(rf"^\W*(?:{p})\W*$", pair.key) for p in key.labels)
        if label and search(key.value_pattern, pair.value):
            return True
    return False


def _in_lines(key: RequiredKey, lines: list[str]) -> bool:
    for label in map(label_pattern, key.labels):
        for line in lines:
            match = label.search(line)
            if match and search(key.value_pattern, line[match.end() :]):
                return True
    return False
