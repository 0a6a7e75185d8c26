"""The fixed split of each corpus into development and kept-back documents.

The split is drawn once, by :func:`draw`, and committed as ``splits/<corpus>.json``; the
evaluation only ever reads those files. The draw ranks names by a SHA-256 of a fixed seed and
the name, so it depends on neither the order a directory lists its files in nor Python's hash
seed, and anyone can check a committed file against it (see ``splits/README.md``).
"""

import hashlib
import json
from pathlib import Path
from typing import Final, Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

Part = Literal["development", "kept-back"]
PARTS: Final[tuple[Part, ...]] = ("development", "kept-back")
SPLITS_DIR: Final = Path(__file__).resolve().parent / "splits"


class SplitError(ValueError):
    """A split file is missing or malformed, or a corpus holds documents it does not name."""


class Split(BaseModel):
    """One corpus's documents by part, as committed."""

    model_config = ConfigDict(frozen=True, populate_by_name=True)

    corpus: str = Field(min_length=1)
    seed: str | None = Field(default=None, description="The draw's seed; none: not drawn")
    kept_back_share: float = Field(default=0.0, ge=0.0, lt=1.0)
    development: list[str]
    kept_back: list[str] = Field(alias="kept-back")

    @model_validator(mode="after")
    def _parts_are_disjoint(self) -> "Split":
        both = set(self.development) & set(self.kept_back)
        if both:
            raise ValueError(f"{len(both)} documents are in both parts")
        return self

    def names(self) -> set[str]:
        return {*self.development, *self.kept_back}

    def part_of(self, name: str) -> Part:
        if name in self.kept_back:
            return "kept-back"
        if name in self.development:
            return "development"
        raise SplitError(f"{name} is not in the split of {self.corpus}")


def rank(seed: str, name: str) -> str:
    """A name's place in the draw: stable across machines, Python versions and listings."""
    return hashlib.sha256(f"{seed}/{name}".encode()).hexdigest()


def draw(corpus: str, names: list[str], *, seed: str, kept_back_share: float) -> Split:
    """Keep back the ``kept_back_share`` of ``names`` that rank first; the rest is development."""
    ranked = sorted(set(names), key=lambda name: rank(seed, name))
    count = round(len(ranked) * kept_back_share)
    return Split(
        corpus=corpus,
        seed=seed,
        kept_back_share=kept_back_share,
        development=sorted(ranked[count:]),
        kept_back=sorted(ranked[:count]),
    )


def all_development(corpus: str, names: list[str]) -> Split:
    """A corpus the rules were tuned on: nothing in it is unseen."""
    return Split(corpus=corpus, development=sorted(set(names)), kept_back=[])


def load_split(corpus: str, directory: Path = SPLITS_DIR) -> Split:
    path = directory / f"{corpus}.json"
    if not path.is_file():
        raise SplitError(f"no split for the corpus {corpus} in {directory.name}/")
    try:
        return Split.model_validate(json.loads(path.read_text(encoding="utf-8")))
    except ValueError as exc:
        raise SplitError(f"the split file {path.name} is malformed") from exc


def write_split(split: Split, directory: Path = SPLITS_DIR) -> Path:
    path = directory / f"{split.corpus}.json"
    path.write_text(split.model_dump_json(indent=2, by_alias=True) + "\n", encoding="utf-8")
    return path
