"""The committed schemas guard the contract; export and check keep them honest."""

import json
from pathlib import Path
from typing import ClassVar

import pytest

from docflow_events import registry, schemas
from docflow_events.base import EventData
from docflow_events.topics import Topic
from docflow_events.v1 import DocumentStored

STORED = DocumentStored.event_type


class StoredWithoutCost(EventData):
    """DocumentStored with a field removed: a backward-incompatible change."""

    event_type: ClassVar[str] = STORED
    topic: ClassVar[Topic] = Topic.DOCUMENT_STORED

    store: str


class Archived(EventData):
    """A brand-new type."""

    event_type: ClassVar[str] = "io.docflow.document.archived.v1"
    topic: ClassVar[Topic] = Topic.DOCUMENT_STORED

    archive: str


@pytest.fixture
def exported(tmp_path: Path) -> Path:
    assert schemas.main(["export", "--dir", str(tmp_path)]) == 0
    return tmp_path


def test_committed_schemas_are_up_to_date_and_compatible() -> None:
    review = schemas.review(schemas.SCHEMA_DIR)
    problems = review.blockers + review.stale
    assert not problems, (
        "The event schemas in libs/events/schemas/ do not match the models:\n  "
        + "\n  ".join(problems)
        + f"\nIf the change is compatible, {schemas.HOW_TO_UPDATE}."
        + f"\nIf it is not: {schemas.HOW_TO_BREAK}."
    )


def test_every_registered_type_has_a_committed_schema() -> None:
    committed = {path.stem for path in schemas.SCHEMA_DIR.glob("*.json")}
    assert committed == set(registry.schema_models())


def test_export_is_deterministic(exported: Path, tmp_path_factory: pytest.TempPathFactory) -> None:
    again = tmp_path_factory.mktemp("again")
    assert schemas.main(["export", "--dir", str(again)]) == 0
    for path in exported.iterdir():
        assert (again / path.name).read_bytes() == path.read_bytes()


def test_exported_files_are_sorted_pretty_json_ending_in_a_newline(exported: Path) -> None:
    text = (exported / f"{STORED}.json").read_text(encoding="utf-8")
    assert text.endswith("}\n")
    assert text == json.dumps(json.loads(text), indent=2, sort_keys=True) + "\n"


def test_export_refuses_an_incompatible_change(
    exported: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    before = (exported / f"{STORED}.json").read_text(encoding="utf-8")
    capsys.readouterr()
    monkeypatch.setitem(registry.EVENT_TYPES, STORED, StoredWithoutCost)
    assert schemas.main(["export", "--dir", str(exported)]) == 1
    assert (exported / f"{STORED}.json").read_text(encoding="utf-8") == before
    err = capsys.readouterr().err
    assert f"{STORED}.json: /cost_usd: property removed" in err
    assert "v2" in err


def test_export_writes_a_compatible_change(exported: Path) -> None:
    path = exported / f"{STORED}.json"
    path.write_text(path.read_text(encoding="utf-8").replace("results store", "store"))
    assert schemas.main(["export", "--dir", str(exported)]) == 0
    assert path.read_text(encoding="utf-8") == schemas.render(DocumentStored)


def test_export_accepts_a_brand_new_type(exported: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(registry.EVENT_TYPES, Archived.event_type, Archived)
    assert schemas.main(["export", "--dir", str(exported)]) == 0
    assert (exported / f"{Archived.event_type}.json").read_text() == schemas.render(Archived)


def test_export_refuses_to_drop_a_committed_type(
    exported: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    orphan = exported / "io.docflow.document.archived.v1.json"
    orphan.write_text(schemas.render(Archived))
    capsys.readouterr()
    assert schemas.main(["export", "--dir", str(exported)]) == 1
    err = capsys.readouterr().err
    assert f"{orphan.name}: no model has type" in err
    assert "deprecate" in err


def test_check_passes_on_a_fresh_export(exported: Path) -> None:
    assert schemas.main(["check", "--dir", str(exported)]) == 0


def test_check_flags_an_outdated_file_and_writes_nothing(
    exported: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = exported / f"{STORED}.json"
    outdated = path.read_text(encoding="utf-8").replace("results store", "store")
    path.write_text(outdated, encoding="utf-8")
    capsys.readouterr()
    assert schemas.main(["check", "--dir", str(exported)]) == 1
    assert path.read_text(encoding="utf-8") == outdated
    err = capsys.readouterr().err
    assert f"{STORED}.json: outdated" in err
    assert "make schemas" in err


def test_check_flags_a_missing_file(exported: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (exported / f"{STORED}.json").unlink()
    capsys.readouterr()
    assert schemas.main(["check", "--dir", str(exported)]) == 1
    assert f"{STORED}.json: missing" in capsys.readouterr().err
    assert not (exported / f"{STORED}.json").exists()


def test_check_flags_an_incompatible_change(
    exported: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setitem(registry.EVENT_TYPES, STORED, StoredWithoutCost)
    capsys.readouterr()
    assert schemas.main(["check", "--dir", str(exported)]) == 1
    err = capsys.readouterr().err
    assert "/cost_usd: property removed" in err
    assert "outdated" not in err


def test_check_rejects_a_committed_file_that_is_not_json(
    exported: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (exported / f"{STORED}.json").write_text("{not json")
    capsys.readouterr()
    assert schemas.main(["check", "--dir", str(exported)]) == 1
    assert "not valid JSON" in capsys.readouterr().err


def test_default_directory_is_the_committed_one() -> None:
    assert Path(__file__).parents[1] / "schemas" == schemas.SCHEMA_DIR
