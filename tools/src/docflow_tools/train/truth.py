"""The development documents training may read, and what each field of theirs should be.

Only development documents (``docflow_tools.eval.splits``) are ever listed here: a kept-back
document is neither extracted nor labelled. A candidate is right by the evaluation's own
matching rules (:mod:`docflow_tools.eval.receipts`, :mod:`docflow_tools.eval.invoices`,
:mod:`docflow_tools.eval.kleister`), so the model learns exactly what the evaluation scores.
"""

from datetime import date
from pathlib import Path
from typing import Final

from pydantic import BaseModel, ConfigDict

from docflow_tools.eval import invoices, kleister, receipts
from docflow_tools.eval.corpora import CORPORA, Kind, corpus_folder, documents
from docflow_tools.eval.scoring import pair
from docflow_tools.eval.split import load_split

#: The corpora training reads, with the kind of gold each holds: every one the evaluation
#: scores (their development documents only).
TRAINING_CORPORA: Final[dict[str, Kind]] = CORPORA


class Truth(BaseModel):
    """A document's gold fields; None where the gold gives none that can be scored."""

    model_config = ConfigDict(frozen=True)

    kind: Kind
    issuer: str | None = None
    issue_date: date | None = None
    total: float | None = None
    invoice_number: str | None = None
    #: An agreement's effective date; None is an answer too: the agreement names none.
    effective_date: date | None = None
    #: An agreement's parties as the benchmark compares them (:func:`~.scoring.pair`).
    parties: tuple[str, ...] = ()

    def matches(self, field: str, value: object) -> bool:
        """Whether ``value`` is right for ``field`` by the evaluation's matching rules."""
        if field == "issuer":
            return isinstance(value, str) and self._same_issuer(value)
        if field == "issue_date":
            return self.issue_date is not None and value == self.issue_date
        if field == "total":
            return (
                self.total is not None
                and isinstance(value, float)
                and abs(value - self.total) < 0.005
            )
        if field == "effective_date":
            return self.kind == "kleister" and value == self.effective_date
        if field == "party":
            return isinstance(value, str) and pair("party", value) in self.parties
        if field == "invoice_number":
            return self.invoice_number is not None and _token(str(value)) == _token(
                self.invoice_number
            )
        raise ValueError(f"no gold for the field {field!r}")

    def has(self, field: str) -> bool:
        if field in ("effective_date", "party"):
            return self.kind == "kleister"
        return getattr(self, field) is not None

    def _same_issuer(self, value: str) -> bool:
        if self.issuer is None:
            return False
        if self.kind == "receipts":
            return receipts.issuer_key(value) == receipts.issuer_key(self.issuer)
        return invoices.same_issuer(self.issuer, value)


class LabelledDocument(BaseModel):
    model_config = ConfigDict(frozen=True)

    corpus: str
    path: Path
    truth: Truth


def development_documents(root: Path, corpora: tuple[str, ...]) -> list[LabelledDocument]:
    """The development documents of ``corpora`` under ``root`` with their gold, sorted."""
    found = []
    for corpus in corpora:
        folder = corpus_folder(root, corpus)
        if not folder.is_dir():
            continue
        split = load_split(corpus)
        for document in documents(folder, split, ("development",)):
            found.append(
                LabelledDocument(
                    corpus=corpus, path=document.path, truth=_truth(corpus, document.path)
                )
            )
    return sorted(found, key=lambda d: (d.corpus, d.path.name))


def _truth(corpus: str, path: Path) -> Truth:
    if TRAINING_CORPORA[corpus] == "kleister":
        return Truth(
            kind="kleister",
            effective_date=kleister.gold_effective_date(path),
            parties=kleister.gold_parties(path),
        )
    if TRAINING_CORPORA[corpus] == "receipts":
        gold = receipts.read_gold(path)
        return Truth(
            kind="receipts",
            issuer=gold.company.strip() if receipts.issuer_key(gold.company) else None,
            issue_date=receipts.gold_date(gold.date),
            total=receipts.gold_total(gold.total),
        )
    expected = invoices.read_gold(path)
    return Truth(
        kind="invoices",
        issuer=expected.issuer,
        issue_date=expected.date,
        total=expected.amount,
        invoice_number=expected.invoice_number,
    )


def _token(value: str) -> str:
    return "".join(ch for ch in value if ch.isalnum() or ch == "_").upper()
