"""Kleister-NDA: parties, effective date, governing law and term against ``expected.tsv``."""

from collections.abc import Callable
from datetime import date
from functools import cache
from itertools import pairwise
from pathlib import Path

from pydantic import BaseModel, ConfigDict

from docflow_events.v1.results import Entities
from docflow_tools.eval.fields import FieldResult
from docflow_tools.eval.scoring import Score, key_of, pair, score_by_key, score_pairs

KEYS = ("effective_date", "jurisdiction", "party", "term")


class Case(BaseModel):
    """One document's expected and predicted ``KEY=VALUE`` items."""

    model_config = ConfigDict(frozen=True)

    filename: str
    expected: list[str]
    predicted: list[str]


def read_expected(path: Path) -> list[tuple[str, list[str]]]:
    """``(filename, items)`` per line of ``expected.tsv``, in file order."""
    rows = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.strip():
            filename, _, items = line.partition("\t")
            rows.append((filename.strip(), items.split()))
    return rows


def gold_items(path: Path) -> list[str]:
    """The items ``expected.tsv`` beside ``path`` gives the document; none when not listed."""
    return _expected_in(path.parent).get(path.name, [])


def gold_effective_date(path: Path) -> date | None:
    """The effective date ``expected.tsv`` beside ``path`` gives the agreement, if any."""
    found = [
        item.partition("=")[2] for item in gold_items(path) if key_of(item) == "effective_date"
    ]
    return date.fromisoformat(found[0]) if found else None


def gold_parties(path: Path) -> tuple[str, ...]:
    """The agreement's parties as ``expected.tsv`` beside ``path`` gives them, as the
    benchmark compares them (upper case, ``_`` for spaces)."""
    return tuple(item.upper() for item in gold_items(path) if key_of(item) == "party")


@cache
def _expected_in(folder: Path) -> dict[str, list[str]]:
    """``expected.tsv`` read once per folder: every document of the folder looks it up."""
    return dict(read_expected(folder / "expected.tsv"))


def predicted_items(entities: Entities) -> list[str]:
    """The entities as the benchmark's items."""
    items = [pair("party", party) for party in entities.parties]
    if entities.effective_date:
        items.append(pair("effective_date", entities.effective_date.isoformat()))
    if entities.jurisdiction:
        items.append(pair("jurisdiction", entities.jurisdiction))
    if entities.term:
        items.append(pair("term", entities.term))
    return items


def evaluate(folder: Path, entities_of: Callable[[Path], Entities]) -> list[Case]:
    return [
        Case(
            filename=name, expected=expected, predicted=predicted_items(entities_of(folder / name))
        )
        for name, expected in read_expected(folder / "expected.tsv")
    ]


def field_results(case: Case) -> list[FieldResult]:
    """Per key, right when the items found are exactly the expected ones (any order)."""
    results = []
    for key in KEYS:
        expected = sorted(e.upper() for e in case.expected if key_of(e) == key)
        got = sorted(p.upper() for p in case.predicted if key_of(p) == key)
        if expected or got:
            results.append(
                FieldResult.of(key, " ".join(expected), " ".join(got), right=expected == got)
            )
    return results


def folds(cases: list[Case], count: int) -> list[list[Case]]:
    """``count`` contiguous folds of near-equal size, in file order (the file names are
    hashes, so contiguous slices are as good as a random split and stay reproducible)."""
    if count < 1:
        raise ValueError(f"the number of folds must be at least 1, not {count}")
    size, extra = divmod(len(cases), count)
    bounds = [i * size + min(i, extra) for i in range(count + 1)]
    return [cases[start:end] for start, end in pairwise(bounds)]


def total(cases: list[Case]) -> Score:
    return sum((score_pairs(c.expected, c.predicted) for c in cases), Score())


def per_key(cases: list[Case]) -> dict[str, Score]:
    sums = {key: Score() for key in KEYS}
    for case in cases:
        for key, score in score_by_key(case.expected, case.predicted, KEYS).items():
            sums[key] = sums[key] + score
    return sums
