"""Generated invoices with their gold values, for figures on invoices nobody tuned on.

    python -m docflow_tools.synth.invoices --output DIR --count N --seed S

writes ``DIR/invoices-generated/NNN.pdf`` (about a quarter as ``NNN.png`` scans instead) and,
beside each, ``NNN.json`` in the shape of the real invoices' gold values. Each document is
drawn from its own generator seeded with ``"<seed>/<index>"``: document 7 is the same whatever
``--count`` is, and the same seed gives the same bytes. Each draw is independent per document:
locale and language, currency and number format, date format, company names, layout, fonts,
items, taxes, discounts, distractors (customer, due and delivery dates, order and customer
numbers, VAT ids), pages and, for scans, skew, blur and grain.

A scanned invoice is only a PNG, never also a PDF, so that no invoice is in both parts of a
split (a split draws file names one by one).
"""

import argparse
import hashlib
import json
import random
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Final

import pypdfium2  # type: ignore[import-untyped]

from docflow_tools.corpus import REPOSITORY
from docflow_tools.synth.layouts import draw_style, render
from docflow_tools.synth.model import Invoice, draw_invoice
from docflow_tools.synth.scan import draw_degradation, scan

FOLDER: Final = "invoices-generated"
#: The set the evaluation's split of ``invoices-generated`` was drawn over (eval/splits/).
EVALUATION_COUNT: Final = 100
EVALUATION_SEED: Final = "docflow-invoices-2026-12-02"
SCAN_SHARE: Final = 0.25
#: Invoices to be scanned are drawn short enough for one page: a scan is one image.
MAX_SCAN_ROWS: Final = 8
MAX_ROWS: Final = 40
#: Where the evaluation keeps the set it generated, one folder per version of the generator.
GENERATED_CACHE: Final = REPOSITORY / ".docflow" / "generated"
_SCAN_ATTEMPTS: Final = 20
_NAME_DIGITS: Final = 3


@dataclass(frozen=True)
class Generated:
    name: str
    content: bytes
    invoice: Invoice

    @property
    def gold(self) -> list[dict[str, object]]:
        return [self.invoice.gold()]


def is_scan(index: int, seed: str) -> bool:
    """Drawn apart from the content, so that the names follow from seed and count alone."""
    return random.Random(f"{seed}/{index}/medium").random() < SCAN_SHARE  # noqa: S311


def document_name(index: int, seed: str) -> str:
    return f"{index:0{_NAME_DIGITS}}" + (".png" if is_scan(index, seed) else ".pdf")


def document_names(count: int, seed: str) -> list[str]:
    """The file names ``--count count --seed seed`` writes (not the gold files)."""
    return [document_name(index, seed) for index in range(count)]


def generate_document(index: int, seed: str) -> Generated:
    rng = random.Random(f"{seed}/{index}")  # noqa: S311 - a seeded draw, not a secret
    name = document_name(index, seed)
    if not is_scan(index, seed):
        invoice = draw_invoice(rng, max_rows=MAX_ROWS)
        return Generated(name, render(invoice, draw_style(rng, invoice)), invoice)
    for _ in range(_SCAN_ATTEMPTS):
        invoice = draw_invoice(rng, max_rows=MAX_SCAN_ROWS)
        pdf = render(invoice, draw_style(rng, invoice))
        if page_count(pdf) == 1:
            return Generated(name, scan(pdf, draw_degradation(rng), rng), invoice)
    raise RuntimeError(f"no one-page invoice for the scan {name} in {_SCAN_ATTEMPTS} draws")


def page_count(pdf: bytes) -> int:
    document = pypdfium2.PdfDocument(pdf)
    try:
        return len(document)
    finally:
        document.close()


def generate(output: Path, count: int, seed: str) -> list[Path]:
    """Write ``count`` documents and their gold files under ``output/invoices-generated``."""
    folder = output / FOLDER
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for index in range(count):
        document = generate_document(index, seed)
        path = folder / document.name
        path.write_bytes(document.content)
        gold = json.dumps(document.gold, indent=2, ensure_ascii=False) + "\n"
        path.with_suffix(".json").write_text(gold, encoding="utf-8")
        written.append(path)
    return written


def evaluation_set(cache: Path = GENERATED_CACHE) -> Path:
    """The folder of the set the evaluation's split was drawn over, generated on first use
    and again whenever the generator's code changes (its digest names the folder)."""
    output = cache / generator_digest()
    folder = output / FOLDER
    names = document_names(EVALUATION_COUNT, EVALUATION_SEED)
    if not all((folder / name).with_suffix(".json").is_file() for name in names):
        print(f"synth: generating {FOLDER}/ in {output} (once, about 15 s)", file=sys.stderr)
        generate(output, EVALUATION_COUNT, EVALUATION_SEED)
    return folder


def generator_digest() -> str:
    """A digest of the generator's modules: the same code writes the same documents."""
    digest = hashlib.sha256()
    for module in sorted(Path(__file__).parent.glob("*.py")):
        digest.update(module.name.encode() + b"\0" + module.read_bytes())
    return digest.hexdigest()[:16]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m docflow_tools.synth.invoices",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--output", type=Path, required=True, help="folder to write into")
    parser.add_argument("--count", type=int, required=True, help="how many invoices")
    parser.add_argument("--seed", required=True, help="the same seed gives the same files")
    args = parser.parse_args(argv)
    if args.count < 1:
        parser.error("--count must be at least 1")
    started = time.perf_counter()
    written = generate(args.output, args.count, args.seed)
    scans = sum(path.suffix == ".png" for path in written)
    print(
        f"synth: {len(written)} invoices ({scans} scans) in {args.output / FOLDER} "
        f"in {time.perf_counter() - started:.1f} s",
        file=sys.stderr,
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
