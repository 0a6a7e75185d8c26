"""The agreement packs: one per kind, each extending ``contract``; every severity stated in
the pack; a missing clause that agreements often lack only noted; the hint's pack chosen and
the text's disagreement recorded; blank pages noted, empty documents failed."""

from importlib import resources
from pathlib import Path

import pytest
import yaml

from docflow_events.doctypes import CONTRACT_KINDS, DOCUMENT_TYPES
from docflow_events.v1 import ExtractionResult, ValidationFailed, ValidationPassed
from docflow_runtime.blobstore import LocalBlobStore
from docflow_text.doctype import KNOWN_TYPES, classify
from docflow_validate.engine import run_pack
from docflow_validate.factory import build
from docflow_validate.pack import PackCatalog
from docflow_validate.selection import choose_pack
from docflow_validate.settings import ValidateSettings
from docflow_validate.stage import Validate

from .conftest import build_document
from .test_stage import _event

BETWEEN = (
    'This Agreement is made on May 4, 2005 by and between Neon Systems, Inc. (the "Company") '
    'and Progress Software Corporation ("Progress").'
)
SHORT_NDA = f"NON-DISCLOSURE AGREEMENT\n{BETWEEN} Each party keeps Confidential Information secret."
INVOICE = "INVOICE\nInvoice number: INV-17\nBill to: Jane Doe\nSubtotal EUR 10.00\nTotal EUR 12.00"
MEMO = "MEMO\nTo: all staff\nTotal: 37.5 hours of overtime were logged in March.\n"


def _findings(catalog: PackCatalog, pack: str, document: ExtractionResult) -> set[tuple[str, str]]:
    return {(f.rule, f.severity) for f in run_pack(catalog.packs[pack], document).findings}


def test_the_known_types_are_one_list(catalog: PackCatalog) -> None:
    # Ingest refuses hints by the contract's list; the shared reading must know exactly those.
    assert tuple(DOCUMENT_TYPES) == KNOWN_TYPES
    for kind in (*CONTRACT_KINDS, "contract"):
        assert catalog.for_type(kind).name == kind


def test_every_agreement_kind_extends_contract(catalog: PackCatalog) -> None:
    contract = [rule.id for rule in catalog.packs["contract"].rules]
    assert contract[:2] == ["text-extracted", "ocr-confidence"]
    for kind in CONTRACT_KINDS:
        ids = [rule.id for rule in catalog.packs[kind].rules]
        assert ids[: len(contract)] == contract, kind
        assert len(ids) > len(contract), f"{kind} adds nothing to contract"


def test_every_packaged_rule_states_its_severity() -> None:
    packs = resources.files("docflow_validate") / "packs"
    files = [f for f in packs.iterdir() if f.name.endswith(".yaml")]
    assert len(files) == 8
    for file in files:
        for rule in yaml.safe_load(file.read_text(encoding="utf-8"))["rules"]:
            assert rule.get("severity") in ("error", "warning", "info"), (file.name, rule["id"])


def test_an_nda_without_governing_law_passes_with_a_warning(catalog: PackCatalog) -> None:
    verdict = run_pack(catalog.packs["nda"], build_document(SHORT_NDA))
    assert verdict.passed
    assert [(f.rule, f.severity) for f in verdict.findings] == [("governing-law", "warning")]


def test_an_nda_naming_one_party_is_sent_to_review(catalog: PackCatalog) -> None:
    document = build_document("NON-DISCLOSURE AGREEMENT\nAcme keeps Confidential Information.")
    verdict = run_pack(catalog.packs["nda"], document)
    assert not verdict.passed
    assert {(f.rule, f.severity) for f in verdict.findings} == {
        ("governing-law", "warning"), ("counterparty-present", "error")
    }  # fmt: skip


def test_an_nda_without_confidentiality_is_sent_to_review(catalog: PackCatalog) -> None:
    document = build_document(f"AGREEMENT\n{BETWEEN} Governed by the laws of Texas.")
    verdict = run_pack(catalog.packs["nda"], document)
    assert not verdict.passed
    assert [(f.rule, f.field) for f in verdict.findings] == [
        ("confidentiality-clause", "confidentiality")
    ]
    assert run_pack(catalog.packs["contract"], document).passed


@pytest.mark.parametrize(
    ("kind", "text", "expected"),
    [
        ("employment", "EMPLOYMENT AGREEMENT", {"compensation-clause", "position-clause"}),
        ("services", "SERVICES AGREEMENT. The services are listed in Schedule A.",
         {"payment-clause"}),
        ("lease", "LEASE. The tenant pays the rent monthly.", {"lease-clauses", "term-clause"}),
    ],
)  # fmt: skip
def test_each_kind_checks_its_own_clauses(
    catalog: PackCatalog, kind: str, text: str, expected: set[str]
) -> None:
    document = build_document(f"{text}\n{BETWEEN} Governed by the laws of Texas.")
    own = {rule for rule, _ in _findings(catalog, kind, document)}
    assert own == expected


def test_a_lease_without_premises_fails(catalog: PackCatalog) -> None:
    document = build_document(
        f"LEASE\n{BETWEEN} Rent is due monthly for the term; governed by the laws of Texas."
    )
    verdict = run_pack(catalog.packs["lease"], document)
    assert not verdict.passed
    assert [(f.rule, f.field) for f in verdict.findings] == [("lease-clauses", "premises")]


def test_a_contract_hint_picks_the_agreement_checks(catalog: PackCatalog) -> None:
    choice = choose_pack(catalog, "contract", SHORT_NDA)
    assert (choice.pack.name, choice.document_type, choice.source) == (
        "contract",
        "contract",
        "hint",
    )
    # The text naming the kind refines a contract hint; it does not contradict it.
    assert choice.disagreement() is None


def test_the_text_disagreeing_with_the_hint_is_recorded(catalog: PackCatalog) -> None:
    choice = choose_pack(catalog, "nda", INVOICE)
    assert (choice.pack.name, choice.document_type) == ("nda", "nda")
    finding = choice.disagreement()
    assert finding is not None
    assert (finding.rule, finding.severity, finding.field) == ("document-type", "warning", "type")
    assert finding.message == "the text reads as invoice, not as the hinted nda"
    assert choose_pack(catalog, "nda", SHORT_NDA).disagreement() is None
    assert choose_pack(catalog, "nda", MEMO).disagreement() is None


@pytest.fixture
def stage(tmp_path: Path) -> Validate:
    return build(ValidateSettings(blob_url=(tmp_path / "blobs").as_uri()))


@pytest.fixture
def store(stage: Validate, tmp_path: Path) -> LocalBlobStore:
    return LocalBlobStore(tmp_path / "blobs")


def test_the_stage_reports_the_disagreement_without_failing(
    stage: Validate, store: LocalBlobStore
) -> None:
    text = f"{INVOICE}\n{BETWEEN} Confidential Information. Governed by the laws of Texas."
    [output] = stage.handle(_event(store, build_document(text), hint="nda"))
    assert isinstance(output, ValidationPassed)
    assert (output.rule_pack, output.document_type) == ("nda", "nda")
    assert [f.rule for f in output.findings] == ["document-type"]


def test_a_memo_with_an_hour_count_is_no_invoice(stage: Validate, store: LocalBlobStore) -> None:
    assert classify(MEMO).type == "other"
    [output] = stage.handle(_event(store, build_document(MEMO)))
    assert isinstance(output, ValidationPassed)
    assert (output.rule_pack, output.document_type) == ("generic", "other")


def test_a_blank_page_is_noted_and_an_empty_document_fails(
    stage: Validate, store: LocalBlobStore
) -> None:
    [noted] = stage.handle(_event(store, build_document(SHORT_NDA, " ", "Signed."), hint="nda"))
    assert isinstance(noted, ValidationPassed)
    assert ("text-extracted", "warning") in {(f.rule, f.severity) for f in noted.findings}
    [empty] = stage.handle(_event(store, build_document("", "\n"), hint="nda"))
    assert isinstance(empty, ValidationFailed)
    assert ("text-extracted", "error") in {(f.rule, f.severity) for f in empty.findings}
