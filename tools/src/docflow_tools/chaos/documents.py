"""The documents a chaos run posts: small, distinct text documents of two kinds.

Memos pass validation and end ``stored``; invoices without a total, posted as invoices, fail
the invoice pack's required fields and wait for a reviewer (``needs_review``).
"""

import random
from dataclasses import dataclass
from enum import StrEnum
from typing import Final

_WORDS: Final = (
    "archive", "shelves", "garden", "bicycles", "lunch", "window", "printer", "kitchen",
    "library", "meeting", "parking", "plants", "lamps", "boxes", "chairs", "corridor",
)  # fmt: skip
_PEOPLE: Final = ("Alice", "Bruno", "Chen", "Dara", "Emeka", "Farah", "Goran", "Hana")
_ITEMS: Final = ("Widgets", "Cables", "Brackets", "Hinges", "Screws", "Labels")


class Kind(StrEnum):
    MEMO = "memo"
    INVOICE_WITHOUT_TOTAL = "invoice-without-total"


@dataclass(frozen=True)
class ChaosDocument:
    name: str
    kind: Kind
    content: bytes

    @property
    def filename(self) -> str:
        return f"{self.name}.txt"

    @property
    def document_type(self) -> str | None:
        """The type hint posted with it: the invoice pack for invoices, none for memos."""
        return "invoice" if self.kind is Kind.INVOICE_WITHOUT_TOTAL else None


def make_documents(
    count: int, review_share: float, rng: random.Random, run_id: str
) -> list[ChaosDocument]:
    """``count`` documents, about ``review_share`` of them invoices without a total."""
    documents = []
    for index in range(count):
        name = f"chaos-{index:05d}"
        kind = Kind.INVOICE_WITHOUT_TOTAL if rng.random() < review_share else Kind.MEMO
        text = _invoice(name, rng) if kind is Kind.INVOICE_WITHOUT_TOTAL else _memo(name, rng)
        # The run's id makes the content distinct from any earlier run's as well.
        documents.append(ChaosDocument(name, kind, f"{text}\nReference {run_id}\n".encode()))
    return documents


def _memo(name: str, rng: random.Random) -> str:
    first, second = rng.sample(_PEOPLE, 2)
    things = rng.sample(_WORDS, 3)
    return (
        f"Meeting note {name}\n\n"
        f"The team met on {rng.randint(1, 28)} March 2024 to talk about the {things[0]}. "
        f"{first} will look after the {things[1]}. {second} tidies the {things[2]} "
        "before the end of the week.\n"
    )


def _invoice(name: str, rng: random.Random) -> str:
    lines = [
        f"{rng.choice(_ITEMS)} {rng.randint(1, 9)} x {rng.randint(2, 90)}.00 EUR"
        for _ in range(rng.randint(1, 3))
    ]
    return (
        "INVOICE\n\n"
        f"Invoice number: {name.upper()}\n"
        f"Date: {rng.randint(1, 28):02d}/{rng.randint(1, 12):02d}/2024\n"
        f"Bill to: {rng.choice(_PEOPLE)} Trading Ltd\n\n" + "\n".join(lines) + "\n"
    )
