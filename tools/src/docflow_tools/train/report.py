"""The training report committed beside the model: data, split, features, measured accuracy."""

from collections import Counter
from dataclasses import dataclass
from typing import Final, TypeVar

from docflow_tools.train.dataset import FieldData
from docflow_tools.train.fit import PARAMETERS, THRESHOLDS, Prediction, combined_accuracy
from docflow_tools.train.sets import SetPrediction, set_score

#: Bars a validation pack may set for sending a field to review, tabulated for choosing one.
REVIEW_BARS: Final = (0.05, 0.1, 0.2, 0.3, 0.5, 0.7, 0.9)
P = TypeVar("P", Prediction, SetPrediction)


@dataclass(frozen=True)
class FieldOutcome:
    data: FieldData
    predictions: list[Prediction]
    min_confidence: float


@dataclass(frozen=True)
class SetOutcome:
    """A field with many values: the scorer names every candidate at or above the bar."""

    data: FieldData
    predictions: list[SetPrediction]
    min_confidence: float


def render(
    corpora: Counter[str],
    folds: int,
    outcomes: list[FieldOutcome],
    sets: list[SetOutcome],
    ocr_engine: str,
) -> str:
    fields = [o.data for o in outcomes] + [o.data for o in sets]
    lines = [
        "# Field scorer: training report",
        "",
        "Written by `make train` (`python -m docflow_tools.train`); do not edit by hand.",
        "",
        "## Data",
        "",
        "Development documents only (`docflow_tools.eval.splits`); kept-back documents are "
        "never read.",
        "",
        *(f"- {corpus}: {count} documents" for corpus, count in sorted(corpora.items())),
        "",
        f"Text as the extract stage's local backend reads it, OCR engine `{ocr_engine}`: the "
        "scorer fits that engine's text.",
        "",
        f"Model: one gradient-boosted tree ensemble per field, `{_parameters()}`.",
        "",
        f"## Cross-validated accuracy ({folds}-fold, grouped by document)",
        "",
        "Share of documents with a gold value whose chosen value is right. *reachable*: some "
        "candidate is right (the most any scorer can do); *rule*: the hand rule alone; "
        "*model + rule*: the model at or above its bar, the rule below it.",
        "",
        "| field | documents | reachable | rule | model | bar | model + rule |",
        "|---|---|---|---|---|---|---|",
        *(_accuracy_row(outcome) for outcome in outcomes),
        "",
        "effective_date (agreements): every agreement counts, and naming no date is right for "
        "one whose gold has none. Below its bar the scorer names no date, and the hand rule is "
        "not asked (its development figures are its own tuning's), so *rule* here is that "
        "answer alone: the share of agreements without an effective date.",
        "",
        "By corpus (*model + rule*): the corpora differ in kind (till slips, real invoices, "
        "generated invoices), and one figure over all of them hides which is read well.",
        "",
        "| field | corpus | documents | model + rule |",
        "|---|---|---|---|",
        *(row for outcome in outcomes for row in _corpus_rows(outcome)),
        "",
        "## Confidence and review",
        "",
        "Held-out documents whose confidence is below a bar (would go to review) and the share "
        "of right values on each side of it.",
        "",
        "| field | bar | below | right below | right at or above |",
        "|---|---|---|---|---|",
        *(row for outcome in outcomes for row in _review_rows(outcome)),
        "",
        *_set_section(sets),
        "## Features",
        "",
        *(f"- **{data.name}**: {', '.join(data.feature_names())}" for data in fields),
        "",
    ]
    return "\n".join(lines)


def _parameters() -> str:
    return ", ".join(f"{key}={value}" for key, value in PARAMETERS.items())


def _accuracy_row(outcome: FieldOutcome) -> str:
    p = outcome.predictions
    return (
        f"| {outcome.data.name} | {len(p)} | {_share(sum(x.reachable for x in p), len(p))} "
        f"| {_share(sum(x.rule_right for x in p), len(p))} "
        f"| {_share(sum(x.right for x in p), len(p))} | {outcome.min_confidence:g} "
        f"| {combined_accuracy(p, outcome.min_confidence):.1%} |"
    )


def _by_corpus(predictions: list[P]) -> dict[str, list[P]]:
    """The predictions by corpus, in the order met (a ``document`` is ``corpus/name``)."""
    found: dict[str, list[P]] = {}
    for prediction in predictions:
        found.setdefault(prediction.document.split("/", 1)[0], []).append(prediction)
    return found


def _corpus_rows(outcome: FieldOutcome) -> list[str]:
    return [
        f"| {outcome.data.name} | {corpus} | {len(found)} "
        f"| {combined_accuracy(found, outcome.min_confidence):.1%} |"
        for corpus, found in sorted(_by_corpus(outcome.predictions).items())
    ]


def _review_rows(outcome: FieldOutcome) -> list[str]:
    rows = []
    for bar in REVIEW_BARS:
        below = [p for p in outcome.predictions if p.confidence < bar]
        above = [p for p in outcome.predictions if p.confidence >= bar]
        rows.append(
            f"| {outcome.data.name} | {bar:g} | {len(below)} "
            f"| {_share(sum(p.right for p in below), len(below))} "
            f"| {_share(sum(p.right for p in above), len(above))} |"
        )
    return rows


def _set_section(sets: list[SetOutcome]) -> list[str]:
    return [
        "## Fields with many values",
        "",
        "An agreement's parties: the scorer names every candidate at or above the bar, its "
        "best one when none reaches it, and is scored as the benchmark scores it: F1 over the "
        "values, each right only when spelled as the gold spells it. *reachable*: the share of "
        "gold values some candidate spells right. The bar is the one with the best F1.",
        "",
        "| field | corpus | documents | values | reachable | bar | precision | recall | F1 |",
        "|---|---|---|---|---|---|---|---|---|",
        *(row for outcome in sets for row in _set_rows(outcome)),
        "",
        "F1 at each bar, over all documents:",
        "",
        f"| field | {' | '.join(f'{bar:g}' for bar in THRESHOLDS)} |",
        f"|---|{'---|' * len(THRESHOLDS)}",
        *(_set_bars_row(outcome) for outcome in sets),
        "",
    ]


def _set_rows(outcome: SetOutcome) -> list[str]:
    rows = []
    for corpus, found in ({"all": outcome.predictions} | _by_corpus(outcome.predictions)).items():
        score, values = set_score(found, outcome.min_confidence), sum(p.expected for p in found)
        rows.append(
            f"| {outcome.data.name} | {corpus} | {len(found)} | {values} "
            f"| {_share(sum(p.reachable for p in found), values)} | {outcome.min_confidence:g} "
            f"| {score.precision:.1%} | {score.recall:.1%} | {score.f1:.1%} |"
        )
    return rows


def _set_bars_row(outcome: SetOutcome) -> str:
    scores = (set_score(outcome.predictions, bar).f1 for bar in THRESHOLDS)
    return f"| {outcome.data.name} | {' | '.join(f'{f1:.1%}' for f1 in scores)} |"


def _share(count: int, total: int) -> str:
    return f"{count / total:.1%}" if total else "-"
