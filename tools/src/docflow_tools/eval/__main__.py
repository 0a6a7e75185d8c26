"""``make eval``: the pipeline's own decisions on documents, scored per field and per part.

    python -m docflow_tools.eval [--corpus DIR] [--part development|kept-back|all]
                                 [--json FILE] [--workers N] [--only CORPUS] [--verbose]

Each document goes through extract (local backend, OCR for scans), validate (the rule pack the
stage would choose) and enrich (local rules) as the stages run them, without Kafka; the
evaluation records whether it would be stored or sent to review and what it read. Every corpus
is split once, for good, into development and kept-back documents (``eval/splits/``): tune on
development documents only; kept-back figures are for reporting.

The corpus is ``--corpus DIR``, else ``../shared/corpus`` beside the checkout, else the
repository's ``samples/`` (see :mod:`docflow_tools.corpus`). Generated invoices
(``invoices-generated/``, :mod:`docflow_tools.synth.invoices`) are read from it when it has
them, else written once under ``.docflow/generated/``.
"""

import argparse
import os
import sys
import time
from pathlib import Path
from typing import get_args

from docflow_testing.samples import samples_dir
from docflow_tools.corpus import choose_corpus
from docflow_tools.eval.corpora import CORPORA, Document, Judged, corpus_folder, judge
from docflow_tools.eval.corpora import documents as corpus_documents
from docflow_tools.eval.report import Report, corpus_report
from docflow_tools.eval.runner import run_documents
from docflow_tools.eval.split import PARTS, Part, load_split
from docflow_tools.eval.table import render

KEPT_BACK_NOTICE = (
    "eval: kept-back documents are scored: these figures are for reporting, not for tuning. "
    "Do not look at those documents or their misses, and do not change a rule because of them."
)


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    parts: tuple[Part, ...] = PARTS if args.part == "all" else (args.part,)
    if "kept-back" in parts:
        _say(KEPT_BACK_NOTICE)
    root = choose_corpus(args.corpus)
    found = _documents(root, args.only, parts)
    if not found:
        _say(f"eval: no documents of the part {args.part} in {root}: nothing to score")
        return 1
    started = time.perf_counter()
    outcomes = run_documents(
        [(d.path, d.corpus) for d in found], workers=args.workers, progress=_progress
    )
    judged = [judge(d, o) for d, o in zip(found, outcomes, strict=True)]
    report = _report(root, parts, args.workers, time.perf_counter() - started, judged)
    print(render(report))
    if args.verbose:
        _print_misses(report.development_documents)
    if args.json is not None:
        args.json.write_text(report.model_dump_json(indent=2) + "\n", encoding="utf-8")
    if "kept-back" in parts:
        _say(KEPT_BACK_NOTICE)
    return 0


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m docflow_tools.eval",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--corpus", type=Path, default=None, help="folder with the corpora")
    parser.add_argument(
        "--part", choices=[*get_args(Part), "all"], default="development",
        help="which documents to score (default: development)",
    )  # fmt: skip
    parser.add_argument("--json", type=Path, default=None, help="also write the report here")
    parser.add_argument(
        "--workers", type=int, default=os.cpu_count() or 1, help="processes (default: cores)"
    )
    parser.add_argument("--only", choices=list(CORPORA), action="append", help="these corpora")
    parser.add_argument(
        "--verbose", action="store_true", help="print the misses of development documents"
    )
    return parser


def _documents(root: Path, only: list[str] | None, parts: tuple[Part, ...]) -> list[Document]:
    if root.resolve() == samples_dir().resolve():
        _say("eval: samples/ only: every document in it is development, and the rules were "
             "written on them; these figures say nothing about unseen documents")  # fmt: skip
    found: list[Document] = []
    for corpus in only or CORPORA:
        folder = corpus_folder(root, corpus)
        if not folder.is_dir():
            _say(f"eval: no {corpus}/ in the corpus: not scored")
            continue
        found += corpus_documents(folder, load_split(corpus), parts)
    return found


def _report(
    root: Path, parts: tuple[Part, ...], workers: int, seconds: float, judged: list[Judged]
) -> Report:
    corpora = [
        corpus_report(corpus, [j for j in judged if j.corpus == corpus], parts)
        for corpus in CORPORA
        if any(j.corpus == corpus for j in judged)
    ]
    return Report(
        corpus_root=str(root),
        samples_only=root.resolve() == samples_dir().resolve(),
        parts=list(parts),
        workers=workers,
        wall_seconds=seconds,
        corpora=corpora,
        development_documents=[j for j in judged if j.part == "development"],
    )


def _print_misses(judged: list[Judged]) -> None:
    print("\nMisses (development documents only)")
    for doc in judged:
        misses = [f for f in doc.fields if not f.right]
        if misses or doc.route == "failed":
            print(f"  {doc.corpus}/{doc.filename} [{doc.route}]")
            for miss in misses:
                print(f"    {miss.field}: expected {miss.expected!r}, got {miss.got!r}")


def _progress(done: int, total: int) -> None:
    if done == total or done % 25 == 0:
        _say(f"eval: {done}/{total} documents")


def _say(line: str) -> None:
    print(line, file=sys.stderr, flush=True)


if __name__ == "__main__":
    raise SystemExit(main())
