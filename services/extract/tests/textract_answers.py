"""Textract answers for the tests: the recorded responses in ``data/textract`` (``response``)
and an expense analysis written here (``expense_answer``). The stand-in endpoint that gives
them is ``docflow_testing.textract_server``.
"""

import json
from pathlib import Path
from typing import Any

DATA = Path(__file__).parent / "data" / "textract"


def response(name: str) -> dict[str, Any]:
    """A recorded Textract response from ``data/textract``, without its HTTP metadata."""
    loaded: dict[str, Any] = json.loads((DATA / f"{name}.json").read_text())
    loaded.pop("ResponseMetadata", None)
    return loaded


def expense_answer() -> dict[str, Any]:
    """An AnalyzeExpense answer for one receipt, written here in the shape the API reference
    gives (the recorded responses hold no expense analysis)."""
    line = {
        "BlockType": "LINE",
        "Id": "line-1",
        "Confidence": 99.1,
        "Text": "TOTAL 42.50",
        "Geometry": _geometry(),
        "Relationships": [{"Type": "CHILD", "Ids": ["word-1", "word-2"]}],
    }
    words = [
        {
            "BlockType": "WORD",
            "Id": f"word-{n}",
            "Confidence": 99.0,
            "Text": text,
            "TextType": "PRINTED",
            "Geometry": _geometry(),
        }
        for n, text in ((1, "TOTAL"), (2, "42.50"))
    ]
    page = {
        "BlockType": "PAGE",
        "Id": "page-1",
        "Geometry": _geometry(),
        "Relationships": [{"Type": "CHILD", "Ids": ["line-1"]}],
    }
    return {
        "DocumentMetadata": {"Pages": 1},
        "ExpenseDocuments": [
            {
                "ExpenseIndex": 1,
                "SummaryFields": [
                    _field("TOTAL", "TOTAL", "42.50", 98.5),
                    _field("INVOICE_RECEIPT_ID", "Receipt #", "R-1001", 97.0),
                    _field("VENDOR_NAME", None, "Any Company Coffee", 95.25),
                    _field("OTHER", "Table", "12", 80.0),
                ],
                "LineItemGroups": [],
                "Blocks": [page, line, *words],
            }
        ],
    }


def _field(kind: str, label: str | None, value: str, confidence: float) -> dict[str, Any]:
    field: dict[str, Any] = {
        "Type": {"Text": kind, "Confidence": 99.0},
        "ValueDetection": {"Text": value, "Confidence": confidence, "Geometry": _geometry()},
        "PageNumber": 1,
    }
    if label is not None:
        field["LabelDetection"] = {"Text": label, "Confidence": 99.0, "Geometry": _geometry()}
    return field


def _geometry() -> dict[str, Any]:
    box = {"Width": 0.1, "Height": 0.05, "Left": 0.1, "Top": 0.1}
    return {"BoundingBox": box, "Polygon": [{"X": 0.1, "Y": 0.1}] * 4}
