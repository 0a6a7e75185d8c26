"""The review form: fields shown as a reviewer types them, and typed values read back as
corrections (only the fields whose value differs from the proposal)."""

from collections.abc import Mapping
from datetime import date
from typing import Any, Final, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from docflow_events.v1.results import Entities
from docflow_ingest.core.review_fields import FieldKind, ReviewField
from docflow_text.money import amount_value, find_amounts

FIELD_PREFIX: Final = "field."
MAX_COMMENT_LENGTH: Final = 4000


class FormValueError(ValueError):
    """A typed value that does not fit its field; the message names the field, not the value."""


class Decision(BaseModel):
    model_config = ConfigDict(frozen=True)

    action: Literal["approve", "reject"]
    comment: str | None = Field(default=None, max_length=MAX_COMMENT_LENGTH)
    corrections: dict[str, Any] = Field(default_factory=dict)


def shown(field: ReviewField) -> str:
    """The proposed value as the form's input holds it."""
    return _shown(field.kind, field.value)


def _shown(kind: FieldKind, value: Any) -> str:
    if value is None:
        return ""
    if kind == "lines":
        return "\n".join(str(item) for item in value)
    if kind == "money":
        currency = value.get("currency") or ""
        return f"{value['value']:.2f} {currency}".strip()
    return str(value)


def corrections(form: Mapping[str, str], fields: list[ReviewField]) -> dict[str, Any]:
    """The fields whose typed value differs from the proposal, as corrections."""
    changed: dict[str, Any] = {}
    for field in fields:
        typed = form.get(FIELD_PREFIX + field.name)
        if typed is None:
            continue
        # Browsers send a textarea's lines as CRLF.
        typed = typed.replace("\r\n", "\n").strip()
        if typed != shown(field).strip():
            changed[field.name] = _parsed(field.name, field.kind, typed)
    return changed


def _parsed(name: str, kind: FieldKind, typed: str) -> Any:
    value = _value(name, kind, typed)
    try:
        Entities.model_validate({name: value})
    except ValidationError:
        raise FormValueError(f"{name} is not a valid {kind}") from None
    return value


def _value(name: str, kind: FieldKind, typed: str) -> Any:
    if not typed:
        return [] if kind == "lines" else None
    if kind == "lines":
        return [line.strip() for line in typed.splitlines() if line.strip()]
    if kind == "date":
        return _date(name, typed)
    if kind == "money":
        return _money(name, typed)
    return typed


def _date(name: str, typed: str) -> str:
    try:
        return date.fromisoformat(typed).isoformat()
    except ValueError:
        raise FormValueError(f"{name} must be a date (YYYY-MM-DD)") from None


def _money(name: str, typed: str) -> dict[str, Any]:
    marked = find_amounts(typed)
    if marked:
        return {"value": marked[-1].value, "currency": marked[-1].currency}
    value = amount_value(typed)
    if value is None:
        raise FormValueError(f"{name} must be an amount, e.g. 1234.50 EUR")
    return {"value": value, "currency": None}
