"""Score the local backend on the shared corpus.

    python -m docflow_enrich.evaluate [--corpus DIR] [--dev-count 40] [--verbose]

Kleister-NDA is scored with the benchmark's own rule (F1 over upper-cased ``key=value``
items), per key and overall, on the development files (the first ``--dev-count``, which the
rules were written against), the held-out rest, and all. Invoices are scored as the share of
fields (issuer, amount, date, number) found right. Text comes from the PDF text layer.
"""

import argparse
import sys
from pathlib import Path

from docflow_enrich.backends import LocalBackend
from docflow_enrich.evaluate import invoices, kleister
from docflow_enrich.evaluate.pdf_text import read_pdf
from docflow_enrich.evaluate.scoring import Score
from docflow_events.v1.results import Entities

_DEFAULT_DEV_COUNT = 40


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    corpus = args.corpus or _find_corpus()
    if corpus is None:
        print(
            "corpus not found: pass --corpus DIR (the folder holding kleister-nda/)",
            file=sys.stderr,
        )
        return 2
    backend = LocalBackend()

    def entities_of(path: Path) -> Entities:
        return backend.enrich(read_pdf(path)).entities

    cases = kleister.evaluate(corpus / "kleister-nda", entities_of)
    _report_kleister(cases, args.dev_count, args.verbose, args.show_held_out)
    _report_invoices(invoices.evaluate(corpus / "invoices", entities_of), args.verbose)
    return 0


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m docflow_enrich.evaluate", description=__doc__)
    parser.add_argument(
        "--corpus", type=Path, default=None, help="folder with kleister-nda/ and invoices/"
    )
    parser.add_argument("--dev-count", type=int, default=_DEFAULT_DEV_COUNT)
    parser.add_argument("--verbose", action="store_true", help="print the misses on dev files")
    parser.add_argument(
        "--show-held-out", action="store_true", help="with --verbose, held-out misses too"
    )
    return parser


def _find_corpus() -> Path | None:
    for folder in (Path.cwd(), *Path.cwd().parents):
        for candidate in (folder / "shared" / "corpus", folder.parent / "shared" / "corpus"):
            if (candidate / "kleister-nda").is_dir():
                return candidate
    return None


def _report_kleister(
    cases: list[kleister.Case], dev_count: int, verbose: bool, held_out: bool
) -> None:
    splits = {"dev": cases[:dev_count], "held-out": cases[dev_count:], "all": cases}
    print(f"Kleister-NDA ({len(cases)} documents; dev = first {dev_count}, held-out = the rest)")
    print(f"{'key':<16}" + "".join(f"{f'{name} F1':>14}" for name in splits))
    for key in kleister.KEYS:
        row = [kleister.per_key(split)[key] for split in splits.values()]
        print(f"{key:<16}" + "".join(f"{_pct(score):>14}" for score in row))
    print(f"{'overall':<16}" + "".join(f"{_pct(kleister.total(s)):>14}" for s in splits.values()))
    if verbose:
        for case in cases if held_out else cases[:dev_count]:
            _print_misses(case)


def _print_misses(case: kleister.Case) -> None:
    missing = sorted(set(case.expected) - {p.upper() for p in case.predicted}, key=str.upper)
    wrong = sorted({p.upper() for p in case.predicted} - {e.upper() for e in case.expected})
    missing = [m for m in missing if m.upper() not in {p.upper() for p in case.predicted}]
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
