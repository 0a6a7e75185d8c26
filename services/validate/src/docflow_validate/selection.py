"""Which pack validates a document: the client's type hint, else a guess, else the default."""

from dataclasses import dataclass
from typing import Literal

from docflow_validate.guess import guess_type
from docflow_validate.pack import PackCatalog, RulePack

UNKNOWN_TYPE = "other"


@dataclass(frozen=True)
class Choice:
    pack: RulePack
    document_type: str
    source: Literal["hint", "guess", "default"]


def choose_pack(
    catalog: PackCatalog, hint: str | None, text: str, *, guess_chars: int = 4000
) -> Choice:
    hinted = (hint or "").strip().lower()
    if hinted:
        return Choice(catalog.for_type(hinted), hinted, "hint")
    guessed = guess_type(text, chars=guess_chars)
    if guessed:
        return Choice(catalog.for_type(guessed), guessed, "guess")
    return Choice(catalog.packs[catalog.default], UNKNOWN_TYPE, "default")
