"""Each compatibility rule, shown on schemas of real event models and variants of them."""

from typing import Any, Literal

import pytest
from pydantic import BaseModel, Field, create_model

from docflow_events import v1
from docflow_events.compat import Incompatibility, incompatibilities
from docflow_events.v1 import (
    BlobRef,
    DocumentFailed,
    DocumentReceived,
    DocumentStored,
    ExtractionCompleted,
    Finding,
    ReviewDecided,
    ValidationPassed,
)

Schema = dict[str, Any]


def variant(
    model: type[BaseModel], *, drop: tuple[str, ...] = (), **changes: Any
) -> type[BaseModel]:
    """``model`` with fields dropped or (re)defined; same name, so only the change shows."""
    fields: dict[str, Any] = {
        name: (info.annotation, info)
        for name, info in model.model_fields.items()
        if name not in drop
    }
    fields.update(changes)
    return create_model(model.__name__, __doc__=model.__doc__, **fields)


def schema(model: type[BaseModel]) -> Schema:
    return model.model_json_schema()


def diff(old: type[BaseModel], new: type[BaseModel]) -> list[Incompatibility]:
    return incompatibilities(schema(old), schema(new))


def paths(found: list[Incompatibility]) -> list[str]:
    return [problem.path for problem in found]


def only(found: list[Incompatibility]) -> Incompatibility:
    assert len(found) == 1, found
    return found[0]


@pytest.mark.parametrize("model", v1.MODELS, ids=lambda m: m.__name__)
def test_every_model_is_compatible_with_itself(model: type[BaseModel]) -> None:
    assert incompatibilities(schema(model), schema(model)) == []


def test_the_variant_helper_changes_nothing_by_itself() -> None:
    # Guards the other tests: an empty diff must come from the rule, not from the helper.
    assert schema(variant(DocumentReceived)) == schema(DocumentReceived)


# --- incompatible -------------------------------------------------------------------------


def test_removed_property() -> None:
    found = only(diff(DocumentStored, variant(DocumentStored, drop=("cost_usd",))))
    assert found.path == "/cost_usd"
    assert "removed" in found.reason


def test_removed_property_of_a_referenced_model() -> None:
    smaller_ref = variant(BlobRef, drop=("size",))
    new = variant(DocumentReceived, content=(smaller_ref, ...))
    assert paths(diff(DocumentReceived, new)) == ["/content/size"]


def test_integer_retyped_to_string() -> None:
    found = only(diff(DocumentFailed, variant(DocumentFailed, attempts=(str, ...))))
    assert found.path == "/attempts"
    assert "'integer'" in found.reason


def test_string_retyped_to_object() -> None:
    new = variant(DocumentStored, store=(dict[str, Any], ...))
    assert paths(diff(DocumentStored, new)) == ["/store"]


def test_type_removed_from_a_union() -> None:
    new = variant(DocumentReceived, filename=(str, ""))
    found = only(diff(DocumentReceived, new))
    assert found.path == "/filename"
    assert "'null'" in found.reason


def test_literal_value_removed() -> None:
    new = variant(ReviewDecided, decision=(Literal["approved"], ...))
    found = only(diff(ReviewDecided, new))
    assert found.path == "/decision"
    assert "rejected" in found.reason


def test_literal_value_removed_inside_array_items() -> None:
    narrower = variant(Finding, severity=(Literal["error", "warning"], ...))
    new = variant(ValidationPassed, findings=(list[narrower], []))  # type: ignore[valid-type]
    assert paths(diff(ValidationPassed, new)) == ["/findings/[]/severity"]


def test_array_item_type_changed() -> None:
    new = variant(ValidationPassed, findings=(list[str], []))
    assert paths(diff(ValidationPassed, new)) == ["/findings/[]"]


def test_free_string_narrowed_to_literal() -> None:
    new = variant(DocumentStored, store=(Literal["sqlite", "postgres"], ...))
    assert paths(diff(DocumentStored, new)) == ["/store"]


def test_dict_values_narrowed() -> None:
    new = variant(DocumentReceived, metadata=(dict[str, str], {}))
    assert paths(diff(DocumentReceived, new)) == ["/metadata/{}"]


def test_bound_tightened() -> None:
    new = variant(DocumentReceived, filename=(str | None, Field(default=None, max_length=256)))
    found = only(diff(DocumentReceived, new))
    assert found.path == "/filename"
    assert "maxLength" in found.reason


def test_new_required_property() -> None:
    new = variant(DocumentStored, record_url=(str, ...))
    found = only(diff(DocumentStored, new))
    assert found.path == "/record_url"
    assert "new required" in found.reason


def test_optional_property_became_required() -> None:
    new = variant(DocumentReceived, filename=(str | None, Field(max_length=512)))
    found = only(diff(DocumentReceived, new))
    assert found.path == "/filename"
    assert "became required" in found.reason


def test_every_problem_is_reported() -> None:
    new = variant(DocumentFailed, drop=("reason",), attempts=(str, ...), note=(str, ...))
    assert sorted(paths(diff(DocumentFailed, new))) == ["/attempts", "/note", "/reason"]


# --- compatible ---------------------------------------------------------------------------


def test_optional_property_added() -> None:
    new = variant(DocumentStored, record_url=(str | None, None))
    assert diff(DocumentStored, new) == []


def test_union_widened() -> None:
    assert diff(DocumentFailed, variant(DocumentFailed, attempts=(int | str, ...))) == []


def test_integer_widened_to_number() -> None:
    assert diff(DocumentFailed, variant(DocumentFailed, attempts=(float, ...))) == []


def test_literal_value_added() -> None:
    new = variant(ReviewDecided, decision=(Literal["approved", "rejected", "escalated"], ...))
    assert diff(ReviewDecided, new) == []


def test_required_property_became_optional() -> None:
    # Old data always carries the field, so the new reader still accepts all of it.
    new = variant(DocumentStored, store=(str, "sqlite"))
    assert diff(DocumentStored, new) == []


def test_bound_relaxed() -> None:
    new = variant(DocumentReceived, filename=(str | None, Field(default=None, max_length=1024)))
    assert diff(DocumentReceived, new) == []


def test_descriptions_defaults_and_titles_changed() -> None:
    changed = Field(default=3, ge=0, title="OCR pages", description="pages that needed OCR")
    new = variant(ExtractionCompleted, ocr_page_count=(int, changed))
    assert schema(new) != schema(ExtractionCompleted)
    assert diff(ExtractionCompleted, new) == []


def test_dict_values_widened() -> None:
    old = variant(DocumentReceived, metadata=(dict[str, str], {}))
    assert diff(old, DocumentReceived) == []


# --- schema shapes ------------------------------------------------------------------------


class Section(BaseModel):
    title: str
    children: list["Section"] = []


class NarrowSection(BaseModel):
    title: Literal["intro"]
    children: list["NarrowSection"] = []


def test_recursive_references_terminate() -> None:
    assert incompatibilities(schema(Section), schema(Section)) == []
    assert paths(incompatibilities(schema(Section), schema(NarrowSection))) == ["/title"]


def test_type_list_losing_null() -> None:
    old = {"type": "object", "properties": {"x": {"type": ["string", "null"]}}}
    new = {"type": "object", "properties": {"x": {"type": "string"}}}
    assert paths(incompatibilities(old, new)) == ["/x"]


def test_anything_narrowed_to_a_type() -> None:
    old = variant(DocumentStored, extra=(Any, None))
    new = variant(DocumentStored, extra=(str | None, None))
    assert paths(diff(old, new)) == ["/extra"]


def test_incompatibility_reads_as_path_and_reason() -> None:
    assert str(Incompatibility("/a/b", "property removed")) == "/a/b: property removed"
    assert str(Incompatibility("", "type changed")) == "/: type changed"
