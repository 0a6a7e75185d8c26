"""``make eval``: score the local enrichment backend on a corpus.

    python -m docflow_tools.eval [--corpus DIR] [--folds 3] [--verbose [--fold N]]

The corpus is ``--corpus DIR``, else ``../shared/corpus`` beside the checkout, else the
repository's ``samples/`` (see :mod:`docflow_tools.corpus`).

Kleister-NDA is scored with the benchmark's own rule (F1 over upper-cased ``key=value``
items), per key, on each of ``--folds`` contiguous folds of the files (sorted by name) and on
all of them; the spread across folds shows how well the rules generalise. Work on the misses of
one fold (``--verbose --fold N``) and check the other folds do not drop. Invoices are scored as
the share of fields (issuer, amount, date, number) found right. Text comes from the PDF text
layer.
"""

import argparse
from pathlib import Path

from docflow_enrich.backends import LocalBackend
from docflow_events.v1.results import Entities
from docflow_testing.samples import read_pdf
from docflow_tools.corpus import choose_corpus
from docflow_tools.eval import invoices, kleister
from docflow_tools.eval.scoring import Score

_DEFAULT_FOLDS = 3
_COLUMN = 10


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    corpus = choose_corpus(args.corpus)
    backend = LocalBackend()

    def entities_of(path: Path) -> Entities:
        return backend.enrich(read_pdf(path)).entities

    cases = kleister.evaluate(corpus / "kleister-nda", entities_of)
    splits = kleister.folds(cases, args.folds)
    _report_kleister(cases, splits)
    if args.verbose:
        for case in splits[args.fold - 1] if args.fold else cases:
            _print_misses(case)
    _report_invoices(invoices.evaluate(corpus / "invoices", entities_of), args.verbose)
    return 0


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m docflow_tools.eval", description=__doc__)
    parser.add_argument(
        "--corpus", type=Path, default=None, help="folder with kleister-nda/ and invoices/"
    )
    parser.add_argument("--folds", type=int, default=_DEFAULT_FOLDS)
    parser.add_argument("--verbose", action="store_true", help="print the misses")
    parser.add_argument(
        "--fold", type=int, default=None, help="with --verbose, only this fold's misses (1-based)"
    )
    return parser


def _report_kleister(cases: list[kleister.Case], splits: list[list[kleister.Case]]) -> None:
    columns = {f"fold {i}": split for i, split in enumerate(splits, start=1)} | {"all": cases}
    sizes = "/".join(str(len(split)) for split in splits)
    print(f"Kleister-NDA ({len(cases)} documents in {len(splits)} folds of {sizes}), F1")
    print(f"{'key':<16}" + "".join(f"{name:>{_COLUMN}}" for name in columns) + "    spread")
    by_key = [kleister.per_key(split) for split in columns.values()]
    for key in kleister.KEYS:
        row = [scores[key] for scores in by_key]
        print(f"{key:<16}" + _cells(row) + _spread(row[:-1]))
    row = [kleister.total(split) for split in columns.values()]
    print(f"{'overall':<16}" + _cells(row) + _spread(row[:-1]))


def _cells(scores: list[Score]) -> str:
    return "".join(f"{_pct(score):>{_COLUMN}}" for score in scores)


def _spread(scores: list[Score]) -> str:
    """Lowest to highest fold F1, and the gap between them."""
    values = [100 * score.f1 for score in scores]
    low, high = min(values), max(values)
    return f"    {low:.1f}-{high:.1f} ({high - low:.1f})"


def _print_misses(case: kleister.Case) -> None:
    predicted = {p.upper() for p in case.predicted}
    missing = sorted({e for e in case.expected if e.upper() not in predicted}, key=str.upper)
    wrong = sorted(predicted - {e.upper() for e in case.expected})
    if missing or wrong:
        print(
            f"  {case.filename}\n    expected: {' '.join(missing)}\n    got:      {' '.join(wrong)}"
        )


def _report_invoices(results: list[invoices.FieldResult], verbose: bool) -> None:
    right = sum(r.right for r in results)
    share = 100.0 * right / len(results) if results else 0.0
    print(f"\nInvoices: {right}/{len(results)} fields right ({share:.1f}%)")
    for field in invoices.FIELDS:
        of_field = [r for r in results if r.field == field]
        print(f"  {field:<16}{sum(r.right for r in of_field)}/{len(of_field)}")
    if verbose:
        for miss in (r for r in results if not r.right):
            print(f"  {miss.filename} {miss.field}: expected {miss.expected!r}, got {miss.got!r}")


def _pct(score: Score) -> str:
    return f"{100 * score.f1:.1f}"


if __name__ == "__main__":
    raise SystemExit(main())
