"""The corpora the evaluation knows, their documents by part, and each outcome judged.

| folder | documents | gold |
|---|---|---|
| ``kleister-nda/``, ``kleister-nda-more/`` | the PDFs named in ``expected.tsv`` | its items |
| ``receipts-sroie/`` | ``img/*.jpg`` | ``key/NNN.json`` |
| ``invoices/`` | ``*.pdf`` and ``*.png`` with a ``.json`` beside them | that file |
| ``invoices-generated/`` | as ``invoices/`` (written by ``docflow_tools.synth``) | as above |
"""

import sys
from pathlib import Path
from typing import Final, Literal

from pydantic import BaseModel, ConfigDict, computed_field

from docflow_tools.eval import invoices, kleister, receipts
from docflow_tools.eval.fields import FieldResult
from docflow_tools.eval.pipeline import Outcome, Route
from docflow_tools.eval.split import Part, Split
from docflow_tools.synth import invoices as synth

Kind = Literal["kleister", "receipts", "invoices"]
CORPORA: Final[dict[str, Kind]] = {
    "kleister-nda": "kleister",
    "kleister-nda-more": "kleister",
    "receipts-sroie": "receipts",
    "invoices": "invoices",
    "invoices-generated": "invoices",
}


class Document(BaseModel):
    model_config = ConfigDict(frozen=True)

    corpus: str
    path: Path
    part: Part

    @property
    def kind(self) -> Kind:
        return CORPORA[self.corpus]


class Judged(BaseModel):
    """One document's outcome against its gold values."""

    model_config = ConfigDict(frozen=True)

    corpus: str
    filename: str
    part: Part
    route: Route
    document_type: str | None
    findings: list[str]
    fields: list[FieldResult]
    case: kleister.Case | None = None
    seconds: float

    @computed_field  # type: ignore[prop-decorator]
    @property
    def wrong(self) -> bool:
        """A field read wrong, or a document the pipeline gave up on."""
        return self.route == "failed" or not all(field.right for field in self.fields)


def corpus_folder(root: Path, corpus: str) -> Path:
    """Where ``corpus`` lies: in ``root``, or for the generated invoices, when ``root`` holds
    none, in the folder they are written to on first use."""
    folder = root / corpus
    if folder.is_dir() or corpus != synth.FOLDER:
        return folder
    return synth.evaluation_set()


def documents(folder: Path, split: Split, parts: tuple[Part, ...]) -> list[Document]:
    """The documents of one corpus folder in ``parts``; those in no part are left out."""
    found = _files(folder, CORPORA[split.corpus])
    unlisted = [path.name for path in found if path.name not in split.names()]
    if unlisted:
        print(
            f"eval: {len(unlisted)} documents in {folder.name}/ are in no part of its split "
            "and are not scored (see eval/splits/README.md)",
            file=sys.stderr,
        )
    return [
        Document(corpus=split.corpus, path=path, part=split.part_of(path.name))
        for path in found
        if path.name not in unlisted and split.part_of(path.name) in parts
    ]


def _files(folder: Path, kind: Kind) -> list[Path]:
    if kind == "kleister":
        return [folder / name for name, _ in kleister.read_expected(folder / "expected.tsv")]
    if kind == "receipts":
        return sorted((folder / "img").glob("*.jpg"))
    return invoices.documents(folder)


def judge(document: Document, outcome: Outcome) -> Judged:
    fields, case = _fields(document, outcome)
    return Judged(
        corpus=document.corpus,
        filename=document.path.name,
        part=document.part,
        route=outcome.route,
        document_type=outcome.document_type,
        findings=outcome.findings,
        fields=fields,
        case=case,
        seconds=outcome.seconds,
    )


def _fields(document: Document, outcome: Outcome) -> tuple[list[FieldResult], kleister.Case | None]:
    path, entities = document.path, outcome.entities
    if document.kind == "receipts":
        return receipts.compare(receipts.read_gold(path), entities), None
    if document.kind == "invoices":
        return invoices.compare(invoices.read_gold(path), entities), None
    case = kleister.Case(
        filename=path.name,
        expected=kleister.gold_items(path),
        predicted=kleister.predicted_items(entities),
    )
    return kleister.field_results(case), case
