"""A reviewer's corrections override what the backend found.

Corrections arrive as a free-form object from the review API (``{"parties": [...],
"effective_date": "2020-01-01"}``); only fields of :class:`Entities` are taken, each checked
by the model, and a correction that does not fit is bad input that retrying cannot fix.
"""

from typing import Any

from pydantic import ValidationError

from docflow_events.v1.results import Entities
from docflow_runtime.blobstore.base import validation_problems
from docflow_runtime.errors import PermanentError


def apply_corrections(entities: Entities, corrections: dict[str, Any]) -> Entities:
    """``entities`` with every correction that names one of its fields applied."""
    known = {k: v for k, v in corrections.items() if k in Entities.model_fields}
    if not known:
        return entities
    try:
        return Entities.model_validate({**entities.model_dump(), **known})
    except ValidationError as exc:
        raise PermanentError(
            f"review corrections do not fit the entities: {validation_problems(exc)}"
        ) from exc
