"""Textract's answer as docflow's pages, tables and key-values, read with textractor's parser.

textractor (amazon-textract-textractor) links Textract's blocks into pages, lines, words,
tables with their merged cells, key-values and expense fields; this module only copies what
docflow keeps out of those objects. textractor is untyped, so its objects are ``Any`` here and
every value taken from them is converted to a plain type on the way out.
"""

from typing import Any

import structlog
from pydantic import BaseModel, Field
from textractor.parsers.response_parser import parse  # type: ignore[import-untyped]

from docflow_events.v1 import KeyValue, Page, Table
from docflow_events.v1.results import Line, Word
from docflow_extract.backends.errors import DocumentRejectedError
from docflow_extract.backends.textract.calls import Response
from docflow_extract.backends.textract.expense import expense_values
from docflow_extract.backends.textract.tables import table_of
from docflow_extract.backends.textract.text import box, clean, confidence, words_text

log = structlog.get_logger(__name__)


class Mapped(BaseModel):
    pages: list[Page]
    tables: list[Table] = Field(default_factory=list)
    key_values: list[KeyValue] = Field(default_factory=list)
    billed_pages: int = Field(ge=0)
    warnings: list[str] = Field(default_factory=list)


def combined(answers: list[Response]) -> Response:
    """One answer out of an async job's result pages, shaped as the synchronous call's."""
    first = answers[0]
    merged: Response = {"DocumentMetadata": first.get("DocumentMetadata", {"Pages": 0})}
    if any("ExpenseDocuments" in answer for answer in answers):
        merged["ExpenseDocuments"] = _all(answers, "ExpenseDocuments")
    else:
        merged["Blocks"] = _all(answers, "Blocks")
    merged["Warnings"] = _all(answers, "Warnings")
    return merged


def mapped(answer: Response) -> Mapped:
    billed = int(answer.get("DocumentMetadata", {}).get("Pages", 0))
    warnings = [_warning(item) for item in answer.get("Warnings") or []]
    document = _parsed(answer)
    return Mapped(
        pages=[_page(page) for page in document.pages],
        tables=[table_of(table, page.page_num) for page in document.pages for table in page.tables],
        key_values=[value for page in document.pages for value in _key_values(page)],
        billed_pages=billed,
        warnings=warnings,
    )


def _parsed(answer: Response) -> Any:
    try:
        return parse(_as_parsed(answer))
    except Exception as error:
        # textractor raises many kinds on odd input; asking again would return the same
        # answer and bill it again.
        log.warning("textract answer not parsed", error=type(error).__name__)
        raise DocumentRejectedError(
            "the answer Textract gave for this document is unreadable"
        ) from None


def _as_parsed(answer: Response) -> Response:
    """The answer with as many pages reported as it has PAGE blocks: textractor insists on it,
    and a job that read only some pages (PARTIAL_SUCCESS) reports them all; the billed count
    is taken from the original."""
    blocks = answer.get("Blocks")
    if blocks is None:
        blocks = [b for doc in answer.get("ExpenseDocuments") or [] for b in doc.get("Blocks", [])]
    pages = len({block.get("Id") for block in blocks if block.get("BlockType") == "PAGE"})
    return {**answer, "DocumentMetadata": {**answer.get("DocumentMetadata", {}), "Pages": pages}}


def _page(page: Any) -> Page:
    lines = [_line(line) for line in page.lines]
    word_confidences = [confidence(word.confidence) for word in page.words]
    known = [value for value in word_confidences if value is not None]
    return Page(
        number=page.page_num,
        text="\n".join(line.text for line in lines),
        method="textract",
        ocr_confidence=round(100 * sum(known) / len(known), 2) if known else None,
        lines=lines,
    )


def _line(line: Any) -> Line:
    words = [_word(word) for word in line.words]
    return Line(
        text=clean(line.text),
        confidence=confidence(line.confidence),
        box=box(line),
        words=[word for word in words if word is not None],
    )


def _word(word: Any) -> Word | None:
    where = box(word)
    text = clean(word.text)
    if where is None or not text:
        return None
    return Word(text=text, box=where, confidence=confidence(word.confidence))


def _key_values(page: Any) -> list[KeyValue]:
    found = [_form_value(pair, page.page_num) for pair in page.key_values]
    found += [_checkbox(pair, page.page_num) for pair in page.checkboxes]
    found += expense_values(page)
    return [value for value in found if value.key]


def _form_value(pair: Any, number: int) -> KeyValue:
    value = clean(pair.value.get_text()) if pair.value is not None else ""
    return KeyValue(
        key=words_text(pair.key),
        value=value,
        page=number,
        source="form",
        confidence=confidence(pair.confidence),
        box=box(pair.value) if pair.value is not None else None,
    )


def _checkbox(pair: Any, number: int) -> KeyValue:
    return KeyValue(
        key=words_text(pair.key),
        value="selected" if pair.is_selected() else "not selected",
        page=number,
        source="form",
        confidence=confidence(pair.confidence),
    )


def _warning(item: Any) -> str:
    code = str(item.get("ErrorCode", "warning")) if isinstance(item, dict) else "warning"
    pages = item.get("Pages") if isinstance(item, dict) else None
    where = f" on pages {', '.join(str(number) for number in pages)}" if pages else ""
    return f"Textract: {code}{where}"


def _all(answers: list[Response], name: str) -> list[Any]:
    return [item for answer in answers for item in answer.get(name) or []]
