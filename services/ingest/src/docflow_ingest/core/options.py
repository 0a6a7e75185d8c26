"""A document's options — type hint, callback url, metadata — as the API names them.

The API calls the type hint ``document_type``; the results store keeps it as
``document_type_hint``. Uploads and reprocessing compare and apply options through here.
"""

from collections.abc import Mapping
from typing import Any, Final, Literal

from docflow_results.models import Document, DocumentOptions

OptionName = Literal["document_type", "callback_url", "metadata"]
_STORED_AS: Final[dict[OptionName, str]] = {
    "document_type": "document_type_hint",
    "callback_url": "callback_url",
    "metadata": "metadata",
}


def stored_fields(given: Mapping[OptionName, Any]) -> dict[str, Any]:
    """``given`` under the names of the stored document's fields."""
    return {_STORED_AS[name]: value for name, value in given.items()}


def not_applied(given: Mapping[OptionName, Any], document: Document) -> list[OptionName]:
    """Those of ``given`` that differ from ``document``'s own: a duplicate keeps its own."""
    return [name for name, value in given.items() if getattr(document, _STORED_AS[name]) != value]


def with_options(document: Document, given: Mapping[OptionName, Any]) -> DocumentOptions:
    """``document``'s options with those ``given`` in their place."""
    current = document.model_dump(include=set(DocumentOptions.model_fields))
    return DocumentOptions.model_validate(current | stored_fields(given))
