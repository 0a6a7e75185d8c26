"""A field with many values (an agreement's parties), measured as the benchmark scores it.

The scorer names every candidate at or above the field's bar and its best one when none
reaches it (:func:`docflow_text.fields.parties.chosen`); a document's score is the values
named right, named, and expected, and the field's is F1 over all of them
(:class:`docflow_tools.eval.scoring.Score`).
"""

from dataclasses import dataclass

from docflow_text.fields.parties import chosen
from docflow_tools.eval.scoring import Score
from docflow_tools.train.dataset import FieldData
from docflow_tools.train.fit import THRESHOLDS, held_out


@dataclass(frozen=True)
class SetPrediction:
    """A held-out document's candidates as a model that never saw it scored them."""

    document: str
    confidences: list[float]
    right: list[bool]
    expected: int

    def score(self, bar: float) -> Score:
        named = chosen(self.confidences, bar)
        return Score(
            true_positives=min(sum(self.right[i] for i in named), self.expected),
            predicted=len(named),
            expected=self.expected,
        )

    @property
    def reachable(self) -> int:
        """The gold values some candidate spells right: the most any scorer can name."""
        return min(sum(self.right), self.expected)


def cross_validate_set(data: FieldData, folds: int) -> list[SetPrediction]:
    predictions = [
        SetPrediction(
            document=example.document,
            confidences=[scorer.probability(c.features) for c in example.candidates],
            right=example.right,
            expected=example.expected,
        )
        for scorer, examples in held_out(data, folds)
        for example in examples
    ]
    return sorted(predictions, key=lambda p: p.document)


def set_score(predictions: list[SetPrediction], bar: float) -> Score:
    return sum((p.score(bar) for p in predictions), Score())


def choose_set_bar(predictions: list[SetPrediction]) -> float:
    """The lowest bar of :data:`~docflow_tools.train.fit.THRESHOLDS` with the best F1."""
    return max(THRESHOLDS, key=lambda bar: (set_score(predictions, bar).f1, -bar))
