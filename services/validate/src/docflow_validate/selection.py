"""Which pack validates a document: the client's type hint, else its type, else the default.

The type is the shared classification's (:mod:`docflow_text.doctype`), the one enrich reports,
so that both stages agree on what a document is.
"""

from dataclasses import dataclass
from typing import Literal

from docflow_text.doctype import OTHER, PAGE_CHARS, classify
from docflow_validate.pack import PackCatalog, RulePack


@dataclass(frozen=True)
class Choice:
    pack: RulePack
    document_type: str
    source: Literal["hint", "guess", "default"]


def choose_pack(
    catalog: PackCatalog, hint: str | None, text: str, *, guess_chars: int = PAGE_CHARS
) -> Choice:
    hinted = (hint or "").strip().lower()
    if hinted:
        return Choice(catalog.for_type(hinted), hinted, "hint")
    guessed = classify(text, page_chars=guess_chars).type
    if guessed != OTHER:
        return Choice(catalog.for_type(guessed), guessed, "guess")
    return Choice(catalog.packs[catalog.default], OTHER, "default")
