"""Which pack validates a document: the client's type hint, else its type, else the default.

The type is the shared classification's (:mod:`docflow_text.doctype`), the one enrich reports,
so that both stages agree on what a document is. A hint picks its pack (``contract`` the
agreement checks), but the text is still read: when it points to another type, a warning says
so, for the reviewer and the record, without failing the document.
"""

from dataclasses import dataclass
from typing import Literal

from docflow_events.v1 import Finding
from docflow_text.doctype import OTHER, PAGE_CHARS, classify
from docflow_validate.pack import PackCatalog, RulePack


@dataclass(frozen=True)
class Choice:
    pack: RulePack
    document_type: str
    source: Literal["hint", "guess", "default"]
    #: What the text reads as when it disagrees with the hint.
    text_type: str | None = None

    def disagreement(self) -> Finding | None:
        """A warning when the text points to another type than the hint, else None."""
        if self.text_type is None:
            return None
        message = f"the text reads as {self.text_type}, not as the hinted {self.document_type}"
        return Finding(rule="document-type", severity="warning", message=message, field="type")


def choose_pack(
    catalog: PackCatalog, hint: str | None, text: str, *, guess_chars: int = PAGE_CHARS
) -> Choice:
    hinted = (hint or "").strip().lower()
    if hinted:
        reading = classify(text, hinted, page_chars=guess_chars)
        return Choice(catalog.for_type(hinted), hinted, "hint", reading.text_type)
    guessed = classify(text, page_chars=guess_chars).type
    if guessed != OTHER:
        return Choice(catalog.for_type(guessed), guessed, "guess")
    return Choice(catalog.packs[catalog.default], OTHER, "default")
