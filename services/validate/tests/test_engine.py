"""Running a pack: findings in rule order, errors decide, and findings stay bounded."""

from docflow_validate.engine import MAX_FINDINGS_PER_RULE, run_pack
from docflow_validate.pack import RulePack

from .conftest import DocumentBuilder

PACK = RulePack.model_validate(
    {
        "name": "p",
        "rules": [
            {"id": "text", "kind": "text_extracted", "severity": "warning"},
            {"id": "dates", "kind": "dates_sane"},
        ],
    }
)


def test_warnings_pass_and_errors_fail(make_document: DocumentBuilder) -> None:
    warned = run_pack(PACK, make_document("Signed 1/2/2003.", ""))
    assert [(f.rule, f.severity) for f in warned.findings] == [("text", "warning")]
    assert warned.passed
    failed = run_pack(PACK, make_document("Signed 31/02/2003.", ""))
    assert [(f.rule, f.severity) for f in failed.findings] == [
        ("text", "warning"),
        ("dates", "error"),
    ]
    assert not failed.passed


def test_findings_of_one_rule_are_capped_with_a_summary(make_document: DocumentBuilder) -> None:
    bad_dates = " ".join(f"1/1/{1900 + year}" for year in range(25))
    verdict = run_pack(PACK, make_document(bad_dates))
    assert len(verdict.findings) == MAX_FINDINGS_PER_RULE + 1
    summary = verdict.findings[-1]
    assert (summary.rule, summary.severity, summary.field) == ("dates", "error", "dates")
    assert summary.message == "5 more findings of this rule not shown"
