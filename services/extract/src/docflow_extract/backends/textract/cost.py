"""What a Textract reading bills: pages, by feature."""

from collections.abc import Mapping

from docflow_events.v1 import Cost
from docflow_extract.backends.textract.calls import Kind
from docflow_extract.backends.textract.options import Feature
from docflow_runtime.pricing import priced

BACKEND = "textract"


def billed_units(kind: Kind, features: tuple[Feature, ...], pages: int) -> dict[str, float]:
    """Textract bills each feature on every page it reads: FORMS and TABLES are two charges."""
    if kind == "expense":
        return {"expense_pages": pages}
    if kind == "text":
        return {"text_pages": pages}
    return {f"{feature.lower()}_pages": pages for feature in features}


def cost_of(
    kind: Kind, features: tuple[Feature, ...], pages: int, prices: Mapping[str, float]
) -> Cost:
    return priced(BACKEND, billed_units(kind, features, pages), prices)
