"""What every rule shares: its identity in a pack, its severity, and how it reports."""

import re
from abc import abstractmethod
from typing import Annotated, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, Field

from docflow_events.v1 import ExtractionResult, Finding

Severity = Literal["error", "warning", "info"]


def _compiles(pattern: str) -> str:
    try:
        re.compile(pattern)
    except re.error as exc:
        raise ValueError(f"invalid regular expression {pattern!r}: {exc}") from exc
    return pattern


#: A regular expression from a pack, checked when the pack loads; matched case-insensitively.
Regex = Annotated[str, Field(min_length=1), AfterValidator(_compiles)]


def search(pattern: str, text: str) -> re.Match[str] | None:
    return re.search(pattern, text, re.IGNORECASE)


class RuleBase(BaseModel):
    """One rule of a pack. Unknown fields are refused so that a misspelt parameter fails fast."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    id: str = Field(min_length=1, pattern=r"^[a-z0-9][a-z0-9_.-]*$")
    severity: Severity = "error"

    @abstractmethod
    def check(self, document: ExtractionResult) -> list[Finding]:
        """The findings of this rule on one document; none when it passes."""

    def finding(
        self, message: str, field: str | None = None, *, severity: Severity | None = None
    ) -> Finding:
        return Finding(
            rule=self.id, severity=severity or self.severity, message=message, field=field
        )


def page_list(numbers: list[int]) -> str:
    return ", ".join(str(n) for n in numbers)
