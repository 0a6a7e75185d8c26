"""The Kleister benchmark's rule: F1 over upper-cased ``key=value`` pairs."""

from collections import Counter
from collections.abc import Iterable

from pydantic import BaseModel, ConfigDict


class Score(BaseModel):
    """Counts of one comparison, and the precision, recall and F1 they give."""

    model_config = ConfigDict(frozen=True)

    true_positives: int = 0
    predicted: int = 0
    expected: int = 0

    @property
    def precision(self) -> float:
        return self.true_positives / self.predicted if self.predicted else 0.0

    @property
    def recall(self) -> float:
        return self.true_positives / self.expected if self.expected else 0.0

    @property
    def f1(self) -> float:
        total = self.predicted + self.expected
        return 2 * self.true_positives / total if total else 1.0

    def __add__(self, other: "Score") -> "Score":
        return Score(
            true_positives=self.true_positives + other.true_positives,
            predicted=self.predicted + other.predicted,
            expected=self.expected + other.expected,
        )


def pair(key: str, value: str) -> str:
    """One ``KEY=VALUE`` item as the benchmark compares it: upper case, ``_`` for spaces."""
    return f"{key}={'_'.join(value.split())}".upper()


def score_pairs(expected: Iterable[str], predicted: Iterable[str]) -> Score:
    """Matches counted as a multiset intersection, as the benchmark does."""
    want = Counter(item.upper() for item in expected)
    got = Counter(item.upper() for item in predicted)
    return Score(
        true_positives=sum((want & got).values()),
        predicted=sum(got.values()),
        expected=sum(want.values()),
    )


def key_of(item: str) -> str:
    return item.split("=", 1)[0].lower()


def score_by_key(
    expected: list[str], predicted: list[str], keys: Iterable[str]
) -> dict[str, Score]:
    """One score per key, comparing only the items of that key."""
    return {
        key: score_pairs(
            [e for e in expected if key_of(e) == key], [p for p in predicted if key_of(p) == key]
        )
        for key in keys
    }
