"""Every date in the text exists and falls in a plausible range.

A date that does not exist (31/02) or lies far in the past or future is usually a misread
digit (OCR) or a typing error in the document, either of which a reviewer should see.
"""

from datetime import date
from typing import Literal

from pydantic import Field

from docflow_events.v1 import ExtractionResult, Finding
from docflow_text.dates import DateMention, date_mentions
from docflow_validate.rules.base import RuleBase


class DatesSane(RuleBase):
    kind: Literal["dates_sane"] = "dates_sane"
    min_year: int = Field(default=1950, ge=1)
    max_years_ahead: int = Field(default=30, ge=0, description="Latest year: this year plus this")
    dayfirst: bool = Field(default=False, description="Read 01/02/2020 as 1 February")
    max_dates: int = Field(default=2000, ge=1, description="Dates looked at per page")

    def check(self, document: ExtractionResult) -> list[Finding]:
        findings: list[Finding] = []
        reported: set[str] = set()
        for page in document.pages:
            mentions = date_mentions(page.text, month_first=not self.dayfirst)
            for mention in mentions[: self.max_dates]:
                problem = self._problem(mention)
                if problem and mention.text not in reported:
                    reported.add(mention.text)
                    message = f"{mention.text!r} on page {page.number} {problem}"
                    findings.append(self.finding(message, "dates"))
        return findings

    def _problem(self, mention: DateMention) -> str | None:
        if mention.value is None:
            return "is not a valid date"
        if mention.value.year < self.min_year:
            return f"is before {self.min_year}"
        latest = date.today().year + self.max_years_ahead
        if mention.value.year > latest:
            return f"is after {latest}"
        return None
