"""The structured answer a model gives for one chunk of a document, and its checking.

One pydantic model is both the contract with the model (its JSON Schema is the Bedrock tool's
``inputSchema`` and the OpenAI ``response_format``) and the check of what comes back: an
answer that does not validate is an :class:`InvalidAnswerError`, whatever the wire said.
Every field is required (nullable where a document may not say), as strict structured
output modes demand.
"""

import json
from datetime import date
from functools import cache
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from docflow_events.v1 import Classification
from docflow_events.v1.results import Entities, Money
from docflow_runtime.blobstore.base import validation_problems

DocumentKind = Literal[
    "nda", "employment", "services", "lease", "invoice", "receipt", "form", "other"
]


class InvalidAnswerError(ValueError):
    """The model's answer is not JSON, or not an answer of the schema."""


class AnswerAmount(BaseModel):
    model_config = ConfigDict(extra="forbid")

    value: float = Field(
        description="The amount as a number, without currency or grouping", allow_inf_nan=False
    )
    currency: str | None = Field(
        description="ISO 4217 code (USD, EUR, ...) when the document marks one",
        pattern=r"^[A-Z]{3}$",
    )
    context: str | None = Field(description="A few words of the document around the amount")


class ModelAnswer(BaseModel):
    """What the model reads in one chunk of a document."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    document_type: DocumentKind
    type_confidence: float = Field(ge=0.0, le=1.0)
    parties: list[str] = Field(description="Names of the parties exactly as written")
    effective_date: date | None = Field(description="When the agreement takes effect")
    dates: list[date] = Field(description="Other dates the text names")
    amounts: list[AnswerAmount]
    jurisdiction: str | None = Field(description="Governing law, e.g. 'New York'")
    term: str | None = Field(description="Duration as written, e.g. '2 years'")
    issuer: str | None = Field(description="Invoices and receipts: who issued it")
    invoice_number: str | None
    issue_date: date | None = Field(description="Invoices and receipts: date of issue")
    total: AnswerAmount | None = Field(description="Invoices and receipts: the amount due")
    summary: str = Field(description="Two or three sentences on what the text is and does")


@cache
def answer_schema() -> dict[str, Any]:
    """The JSON Schema the model's output must follow (computed once; do not mutate).

    Self-contained: references are inlined, since not every model's tool use (nor every
    server's grammar compiler) resolves ``$ref``.
    """
    schema = ModelAnswer.model_json_schema()
    definitions = schema.pop("$defs", {})
    inlined: dict[str, Any] = _inlined(schema, definitions)
    return inlined


def _inlined(node: Any, definitions: dict[str, Any]) -> Any:
    if isinstance(node, list):
        return [_inlined(item, definitions) for item in node]
    if not isinstance(node, dict):
        return node
    if "$ref" in node:
        name = node["$ref"].removeprefix("#/$defs/")
        rest = {k: v for k, v in node.items() if k != "$ref"}
        return _inlined({**definitions[name], **rest}, definitions)
    return {key: _inlined(value, definitions) for key, value in node.items()}


def parse_answer(payload: object) -> ModelAnswer:
    """The answer in ``payload`` (a JSON text, or a JSON object already decoded)."""
    if payload is None:
        raise InvalidAnswerError("the model gave no answer")
    if isinstance(payload, str):
        try:
            payload = json.loads(payload)
        except json.JSONDecodeError as exc:
            raise InvalidAnswerError(f"the answer is not JSON ({exc.msg})") from exc
    try:
        return ModelAnswer.model_validate(payload)
    except ValidationError as exc:
        problems = validation_problems(exc)  # paths and kinds only: values quote the document
        raise InvalidAnswerError(f"the answer does not fit the schema: {problems}") from exc


def classification_of(answer: ModelAnswer) -> Classification:
    return Classification(type=answer.document_type, confidence=answer.type_confidence)


def entities_of(answer: ModelAnswer) -> Entities:
    return Entities(
        parties=answer.parties,
        effective_date=answer.effective_date,
        jurisdiction=answer.jurisdiction,
        term=answer.term,
        amounts=[_money(a) for a in answer.amounts],
        dates=answer.dates,
        issuer=answer.issuer,
        invoice_number=answer.invoice_number,
        total=_money(answer.total) if answer.total else None,
        issue_date=answer.issue_date,
    )


def _money(amount: AnswerAmount) -> Money:
    return Money(value=amount.value, currency=amount.currency, context=amount.context)
