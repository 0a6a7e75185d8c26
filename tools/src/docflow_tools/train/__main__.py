"""``make train``: fit the field scorer on development documents and commit it with a report.

    python -m docflow_tools.train [--corpus DIR] [--workers N] [--folds K] [--cache DIR]
                                  [--output DIR]

Extracts the development documents of the receipt, invoice and agreement corpora with the
local backend (results cached under ``.docflow/train-cache/``), builds every field's
candidates (an invoice's or receipt's issuer, date of issue and total; an agreement's
effective date and parties), labels them against the gold by the evaluation's matching rules,
measures the scorer by grouped k-fold, then fits it on all of them and writes ``fields.json`` and
``fields-training.md`` into ``docflow_text/fields/models/``. Kept-back documents are never
read.
"""

import argparse
import json
import sys
from collections import Counter
from pathlib import Path

from docflow_events.v1 import ExtractionResult
from docflow_extract.settings import ExtractSettings
from docflow_text.fields.model import FORMAT, PACKAGED
from docflow_tools.corpus import choose_corpus
from docflow_tools.train.cache import DEFAULT_CACHE, ExtractionCache, code_version
from docflow_tools.train.dataset import FieldData, build, build_agreements, build_parties
from docflow_tools.train.extraction import local_extractor
from docflow_tools.train.fit import choose_threshold, cross_validate, export, fit
from docflow_tools.train.report import FieldOutcome, SetOutcome, render
from docflow_tools.train.rules import rule_answers
from docflow_tools.train.sets import choose_set_bar, cross_validate_set
from docflow_tools.train.truth import TRAINING_CORPORA, LabelledDocument, development_documents

MODELS_DIR = Path(__file__).resolve().parents[4] / "libs/text/src/docflow_text/fields/models"
REPORT = "fields-training.md"


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    corpus = choose_corpus(args.corpus)
    documents = development_documents(corpus, tuple(TRAINING_CORPORA))
    if not documents:
        print("train: no development documents of the training corpora", file=sys.stderr)
        return 1
    missing = sorted(set(TRAINING_CORPORA) - {d.corpus for d in documents})
    if missing and args.output.resolve() == MODELS_DIR.resolve():
        # samples/ holds invoices only: a model fitted on them would silently replace the
        # committed one, which knows receipts.
        print(
            f"train: {', '.join(missing)} missing from {corpus}; the committed model is left as "
            "it is (give --corpus DIR with every training corpus, or --output DIR to write "
            "elsewhere)",
            file=sys.stderr,
        )
        return 2
    settings = ExtractSettings(extract_backend="local", extract_pool_size=args.workers)
    results = _extract(documents, args.cache, settings)
    named = [
        (f"{d.corpus}/{d.path.name}", r, d.truth) for d, r in zip(documents, results, strict=True)
    ]
    billing = build([(n, r, t, rule_answers(r)) for n, r, t in named if t.kind != "kleister"])
    agreements = [(n, r, t) for n, r, t in named if t.kind == "kleister"]
    effective = build_agreements(agreements)
    outcomes = [_train_field(data, args.folds) for data in [*billing.values(), effective]]
    sets = [_train_set(build_parties(agreements), args.folds)]
    corpora = Counter(d.corpus for d in documents)
    report = render(corpora, args.folds, outcomes, sets, settings.extract_ocr_engine)
    _write(args.output, [*outcomes, *sets], report)
    return 0


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m docflow_tools.train",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--corpus", type=Path, default=None, help="folder with the corpora")
    parser.add_argument("--workers", type=int, default=2, help="parser processes (default 2)")
    parser.add_argument("--folds", type=int, default=5, help="cross-validation folds")
    parser.add_argument("--cache", type=Path, default=DEFAULT_CACHE, help="extraction cache")
    parser.add_argument("--output", type=Path, default=MODELS_DIR, help="where to write")
    return parser


def _extract(
    documents: list[LabelledDocument], cache_dir: Path, settings: ExtractSettings
) -> list[ExtractionResult]:
    cache = ExtractionCache(cache_dir, code_version(settings.extract_ocr_engine))
    print(
        f"train: {len(documents)} development documents, OCR by {settings.extract_ocr_engine}",
        file=sys.stderr,
    )
    with local_extractor(settings) as extract:
        paths = [d.path for d in documents]
        return cache.extract_all(paths, extract, workers=settings.extract_pool_size)


def _train_field(data: FieldData, folds: int) -> FieldOutcome:
    predictions = cross_validate(data, folds)
    return FieldOutcome(data, predictions, choose_threshold(predictions))


def _train_set(data: FieldData, folds: int) -> SetOutcome:
    predictions = cross_validate_set(data, folds)
    return SetOutcome(data, predictions, choose_set_bar(predictions))


def _write(output: Path, outcomes: list[FieldOutcome | SetOutcome], report: str) -> None:
    fields = {}
    for outcome in outcomes:
        names = outcome.data.feature_names()
        fields[outcome.data.name] = export(
            fit(outcome.data.examples, names), names, outcome.min_confidence
        )
    output.mkdir(parents=True, exist_ok=True)
    model = {"format": FORMAT, "fields": fields}
    (output / PACKAGED).write_text(
        json.dumps(model, separators=(",", ":")) + "\n", encoding="utf-8"
    )
    (output / REPORT).write_text(report, encoding="utf-8")
    print(report)


if __name__ == "__main__":
    sys.exit(main())
