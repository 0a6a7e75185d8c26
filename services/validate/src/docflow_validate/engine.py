"""Running a pack: every rule on one document, findings in rule order."""

from dataclasses import dataclass

from docflow_events.v1 import ExtractionResult, Finding
from docflow_validate.pack import RulePack

#: Findings kept per rule, so that a document full of bad dates cannot bloat the event.
MAX_FINDINGS_PER_RULE = 20


@dataclass(frozen=True)
class Verdict:
    findings: list[Finding]

    @property
    def passed(self) -> bool:
        """Warnings and notes may remain; only an error fails a document."""
        return not any(finding.severity == "error" for finding in self.findings)


def run_pack(pack: RulePack, document: ExtractionResult) -> Verdict:
    findings: list[Finding] = []
    for rule in pack.rules:
        findings.extend(_bounded(rule.check(document)))
    return Verdict(findings)


def _bounded(findings: list[Finding]) -> list[Finding]:
    if len(findings) <= MAX_FINDINGS_PER_RULE:
        return findings
    kept = findings[:MAX_FINDINGS_PER_RULE]
    rest = findings[MAX_FINDINGS_PER_RULE:]
    # The summary keeps the worst severity of what it stands for, so a verdict never changes.
    worst = "error" if any(f.severity == "error" for f in rest) else rest[0].severity
    summary = Finding(
        rule=rest[0].rule,
        severity=worst,
        message=f"{len(rest)} more findings of this rule not shown",
        field=rest[0].field,
    )
    return [*kept, summary]
