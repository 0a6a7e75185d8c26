"""The evaluation's figures per corpus and part, as written to ``--json``.

Per-document details are kept for development documents only: the misses of kept-back
documents are never shown, so that nobody tunes on them by accident.
"""

from pydantic import BaseModel, ConfigDict, computed_field

from docflow_tools.eval import invoices, kleister, receipts
from docflow_tools.eval.corpora import CORPORA, Judged, Kind
from docflow_tools.eval.routing import Routing, routing
from docflow_tools.eval.scoring import Score
from docflow_tools.eval.split import Part

FIELDS: dict[Kind, tuple[str, ...]] = {
    "kleister": kleister.KEYS,
    "receipts": receipts.FIELDS,
    "invoices": invoices.FIELDS,
}


class Tally(BaseModel):
    """How often one field was read right, of the documents whose gold value it has."""

    model_config = ConfigDict(frozen=True)

    right: int
    scored: int

    @computed_field  # type: ignore[prop-decorator]
    @property
    def share(self) -> float | None:
        return self.right / self.scored if self.scored else None


class F1(BaseModel):
    """The Kleister benchmark's counts and F1 for one key, or all of them."""

    model_config = ConfigDict(frozen=True)

    true_positives: int
    predicted: int
    expected: int
    precision: float
    recall: float
    f1: float

    @classmethod
    def of(cls, score: Score) -> "F1":
        return cls(
            **score.model_dump(), precision=score.precision, recall=score.recall, f1=score.f1
        )


class PartReport(BaseModel):
    model_config = ConfigDict(frozen=True)

    documents: int
    fields: dict[str, Tally]
    f1: dict[str, F1] | None = None
    routing: Routing
    seconds: float


class CorpusReport(BaseModel):
    model_config = ConfigDict(frozen=True)

    corpus: str
    kind: Kind
    parts: dict[Part, PartReport]


class Report(BaseModel):
    model_config = ConfigDict(frozen=True)

    corpus_root: str
    samples_only: bool
    parts: list[Part]
    workers: int
    wall_seconds: float
    corpora: list[CorpusReport]
    development_documents: list[Judged]


def corpus_report(corpus: str, judged: list[Judged], parts: tuple[Part, ...]) -> CorpusReport:
    kind = CORPORA[corpus]
    return CorpusReport(
        corpus=corpus,
        kind=kind,
        parts={
            part: part_report(kind, [j for j in judged if j.part == part])
            for part in parts
            if any(j.part == part for j in judged)
        },
    )


def part_report(kind: Kind, judged: list[Judged]) -> PartReport:
    return PartReport(
        documents=len(judged),
        fields={field: _tally(judged, field) for field in FIELDS[kind]},
        f1=_f1(judged) if kind == "kleister" else None,
        routing=routing((j.route, j.wrong) for j in judged),
        seconds=sum(j.seconds for j in judged),
    )


def _tally(judged: list[Judged], field: str) -> Tally:
    results = [r for j in judged for r in j.fields if r.field == field]
    return Tally(right=sum(r.right for r in results), scored=len(results))


def _f1(judged: list[Judged]) -> dict[str, F1]:
    cases = [j.case for j in judged if j.case is not None]
    by_key = {key: F1.of(score) for key, score in kleister.per_key(cases).items()}
    return by_key | {"overall": F1.of(kleister.total(cases))}
