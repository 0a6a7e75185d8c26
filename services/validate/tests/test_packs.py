"""Rule packs: the packaged ones, a mounted directory, and malformed packs failing fast."""

import re
from pathlib import Path
from typing import get_args

import pytest
import yaml

from docflow_validate.loader import PackError, load_catalog
from docflow_validate.pack import PackCatalog, RulePack
from docflow_validate.rules import KINDS, OcrConfidence, Rule

GENERIC = """
name: generic
applies_to: [other]
rules:
  - {id: text, kind: text_extracted}
  - {id: ocr, kind: ocr_confidence, min_confidence: 50}
"""


def _write(directory: Path, **packs: str) -> Path:
    for name, text in packs.items():
        (directory / f"{name}.yaml").write_text(text, encoding="utf-8")
    return directory


def test_packaged_packs_load_with_their_types(catalog: PackCatalog) -> None:
    assert sorted(catalog.packs) == [
        "contract", "employment", "generic", "invoice", "lease", "nda", "receipt", "services"
    ]  # fmt: skip
    for kind in ("contract", "nda", "employment", "services", "lease"):
        assert catalog.for_type(kind).name == kind
    assert catalog.for_type("receipt").name == "receipt"
    assert catalog.for_type("recipe").name == "generic"


def test_packaged_packs_extend_the_generic_checks(catalog: PackCatalog) -> None:
    def kinds(name: str) -> list[str]:
        return [rule.kind for rule in catalog.packs[name].rules]

    assert kinds("generic") == ["text_extracted", "ocr_confidence"]
    assert kinds("contract") == [
        "text_extracted", "ocr_confidence", "counterparty_present", "party_confidence",
        "dates_sane", "required_patterns",
    ]  # fmt: skip
    for kind in ("nda", "employment", "services", "lease"):
        assert kinds(kind)[:6] == kinds("contract")
    assert kinds("invoice") == [
        "text_extracted", "ocr_confidence", "required_patterns", "key_values_present",
        "amounts_add_up", "dates_sane", "field_confidence",
    ]  # fmt: skip


def test_a_mounted_directory_replaces_the_packaged_packs(tmp_path: Path) -> None:
    strict = """
name: strict
applies_to: [nda]
extends: generic
rules:
  - {id: ocr, kind: ocr_confidence, min_confidence: 90}
  - {id: parties, kind: counterparty_present, severity: warning}
"""
    catalog = load_catalog(_write(tmp_path, generic=GENERIC, strict=strict), "generic")
    assert sorted(catalog.packs) == ["generic", "strict"]
    pack = catalog.for_type("nda")
    # The child's "ocr" replaces the parent's in place; its own rules follow.
    assert [rule.id for rule in pack.rules] == ["text", "ocr", "parties"]
    ocr = pack.rules[1]
    assert isinstance(ocr, OcrConfidence)
    assert ocr.min_confidence == 90
    assert catalog.for_type("invoice").name == "generic"


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("name: bad\nrules:\n  - {id: r, kind: spell_check}",
         r"bad.yaml: rules\[0\]: Input tag 'spell_check' found using 'kind' does not match"),
        ("name: bad\nrules:\n  - {id: r, kind: ocr_confidence, min_confidence: 101}",
         r"bad.yaml: rules\[0\].min_confidence: Input should be less than or equal to 100"),
        ("name: bad\nrules:\n  - {id: r, kind: text_extracted, min_char: 3}",
         r"bad.yaml: rules\[0\].min_char: Extra inputs are not permitted"),
        ("name: bad\nrules:\n  - {kind: text_extracted}",
         r"bad.yaml: rules\[0\].id: Field required"),
        ("name: bad\nrules:\n  - {id: r, kind: text_extracted, severity: fatal}",
         r"bad.yaml: rules\[0\].severity: Input should be 'error', 'warning' or 'info'"),
        ("name: bad\nrules:\n  - id: r\n    kind: required_patterns\n    patterns:\n"
         "      - {name: n, description: d, any_of: ['(open']}",
         r"bad.yaml: rules\[0\].patterns\[0\].any_of\[0\]: Value error, invalid regular "
         r"expression '\(open'"),
        ("name: bad\nrules:\n  - {id: r, kind: text_extracted}\n  - {id: r, kind: dates_sane}",
         r"bad.yaml: \(top level\): Value error, rule ids must be unique in a pack; repeated: r"),
        ("name: Bad Name\n", r"bad.yaml: name: String should match pattern"),
        ("name: bad\nrules: [unclosed", r"bad.yaml: cannot read it as YAML"),
        ("- just a list", r"bad.yaml: a rule pack is a mapping"),
    ],
)  # fmt: skip
def test_a_malformed_pack_names_its_file_and_field(tmp_path: Path, text: str, message: str) -> None:
    directory = _write(tmp_path, generic=GENERIC, bad=text)
    with pytest.raises(PackError, match=message):
        load_catalog(directory, "generic")


def test_packs_that_do_not_fit_together_are_refused(tmp_path: Path) -> None:
    other = "name: other\napplies_to: [other]\nrules: []\n"
    with pytest.raises(PackError, match="'other' is claimed by both 'generic' and 'other'"):
        load_catalog(_write(tmp_path, generic=GENERIC, other=other), "generic")


@pytest.mark.parametrize(
    ("packs", "message"),
    [
        ({"a": "name: a\nextends: b\n", "b": "name: b\nextends: a\n"},
         "packs extend each other in a circle: a -> b -> a"),
        ({"a": "name: a\nextends: missing\n"}, "pack 'a' extends 'missing', which is not loaded"),
        ({"a": "name: a\n"}, "no pack named 'generic', the default for unknown types"),
        ({"a": "name: a\n", "b": "name: a\n"}, "b.yaml: pack name 'a' is used by another file"),
    ],
)  # fmt: skip
def test_the_set_of_packs_is_checked(tmp_path: Path, packs: dict[str, str], message: str) -> None:
    with pytest.raises(PackError, match=message):
        load_catalog(_write(tmp_path, **packs), "generic")


def test_a_missing_or_empty_directory_is_refused(tmp_path: Path) -> None:
    with pytest.raises(PackError, match="does not exist or is not a directory"):
        load_catalog(tmp_path / "nowhere", "generic")
    with pytest.raises(PackError, match=r"no rule packs \(\*.yaml\) in"):
        load_catalog(tmp_path, "generic")


def test_every_rule_kind_and_parameter_is_documented() -> None:
    """docs/rule-packs.md is where a user writing a pack learns the kinds: none is left out."""
    doc = (Path(__file__).resolve().parents[3] / "docs" / "rule-packs.md").read_text("utf-8")
    sections = {section.split("`", 2)[1]: section for section in doc.split("\n### ")[1:]}
    assert set(sections) == set(KINDS)
    for rule in get_args(get_args(Rule)[0]):
        section = sections[rule.model_fields["kind"].default]
        for name in set(rule.model_fields) - {"id", "severity", "kind"}:
            row = re.search(rf"^\|[^|]*`{name}`", section, re.MULTILINE)  # a table row's first cell
            assert row, f"{name} of {rule.__name__} has no row in its table"


def test_the_documented_example_pack_is_a_valid_pack() -> None:
    doc = (Path(__file__).resolve().parents[3] / "docs" / "rule-packs.md").read_text("utf-8")
    example = doc.split("```yaml\n", 1)[1].split("```", 1)[0]
    pack = RulePack.model_validate(yaml.safe_load(example))
    assert (pack.name, pack.extends, [r.kind for r in pack.rules]) == (
        "nda", "contract", ["required_patterns"],
    )  # fmt: skip
