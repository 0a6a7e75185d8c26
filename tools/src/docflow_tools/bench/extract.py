"""Benchmark: the local backend against the raw libraries it is built on.

``python -m docflow_tools.bench.extract`` reads the NDA PDFs of the corpus twice in one run: raw
pypdfium2 text extraction in this process, then the local backend (child-process pool, table and
OCR decisions, key-values, JSON result). It then OCRs a few rendered pages with raw tesserocr
and through the backend's scanned-PDF path, and prints both ratios. Targets: text at least 0.5
of raw pypdfium2 speed, OCR at least 0.9 of raw Tesseract speed. Last, where the corpus has
``receipts-sroie/``, it reads a few development receipts with each OCR engine (``tesseract``,
``auto``) and prints seconds per receipt: the price of PP-OCR's second reading.
"""

import argparse
import io
import time
from collections.abc import Callable, Sequence
from functools import partial
from pathlib import Path

import pypdfium2 as pdfium  # type: ignore[import-untyped]
import tesserocr  # type: ignore[import-untyped]
from PIL import Image
from pydantic import BaseModel

from docflow_extract.backends.base import ExtractionRequest
from docflow_extract.backends.local.backend import LocalBackend
from docflow_extract.backends.local.limits import OcrEngineName, ParserLimits
from docflow_tools.corpus import choose_corpus
from docflow_tools.eval.split import load_split

_RECEIPT_ENGINES: tuple[OcrEngineName, ...] = ("tesseract", "auto")


class Throughput(BaseModel):
    pages: int
    seconds: float

    @property
    def pages_per_second(self) -> float:
        return self.pages / self.seconds

    @property
    def seconds_per_page(self) -> float:
        return self.seconds / self.pages


def raw_text(documents: Sequence[bytes]) -> Throughput:
    started = time.perf_counter()
    pages = 0
    for content in documents:
        pdf = pdfium.PdfDocument(content)
        for page in pdf:
            page.get_textpage().get_text_range()
            pages += 1
        pdf.close()
    return Throughput(pages=pages, seconds=time.perf_counter() - started)


def backend_text(backend: LocalBackend, documents: Sequence[bytes]) -> Throughput:
    started = time.perf_counter()
    pages = 0
    for number, content in enumerate(documents):
        request = ExtractionRequest(
            document_id=f"bench-{number}", media_type="application/pdf", content=content
        )
        pages += len(backend.extract(request).pages)
    return Throughput(pages=pages, seconds=time.perf_counter() - started)


def rendered_pages(content: bytes, count: int, dpi: int) -> list[Image.Image]:
    pdf = pdfium.PdfDocument(content)
    images = [pdf[index].render(scale=dpi / 72, grayscale=True).to_pil() for index in range(count)]
    pdf.close()
    return images


def ocr_comparison(
    backend: LocalBackend, scans: Sequence[bytes], limits: ParserLimits, rounds: int
) -> tuple[Throughput, Throughput]:
    """Raw Tesseract and the backend, alternating page by page so both see the same load."""
    images = [rendered_pages(scan, 1, limits.ocr_dpi)[0] for scan in scans]
    raw_seconds = ours_seconds = 0.0
    with tesserocr.PyTessBaseAPI(path=f"{limits.tessdata_path}/", lang=limits.ocr_language) as api:
        for _ in range(rounds):
            for image, scan in zip(images, scans, strict=True):
                raw_seconds += _timed(partial(_raw_ocr, api, image))
                ours_seconds += _timed(partial(_backend_ocr, backend, scan))
    pages = rounds * len(scans)
    return Throughput(pages=pages, seconds=raw_seconds), Throughput(
        pages=pages, seconds=ours_seconds
    )


def _timed(work: Callable[[], object]) -> float:
    started = time.perf_counter()
    work()
    return time.perf_counter() - started


def _raw_ocr(api: tesserocr.PyTessBaseAPI, image: Image.Image) -> str:
    api.SetImage(image)
    return str(api.GetUTF8Text())


def _backend_ocr(backend: LocalBackend, scan: bytes) -> None:
    request = ExtractionRequest(document_id="bench-ocr", media_type="application/pdf", content=scan)
    result = backend.extract(request)
    if [page.method for page in result.pages] != ["ocr"]:
        raise RuntimeError("the backend did not read the scanned page with OCR")


def image_only_pdf(images: Sequence[Image.Image], dpi: int) -> bytes:
    out = io.BytesIO()
    images[0].save(out, format="PDF", save_all=True, append_images=images[1:], resolution=dpi)
    return out.getvalue()


def warm_up(backend: LocalBackend, image: Image.Image, dpi: int) -> None:
    """Start the child's Tesseract before timing, as a long-running worker has it."""
    small = image.crop((0, 0, image.width, image.height // 8))
    backend.extract(
        ExtractionRequest(
            document_id="warm-up",
            media_type="application/pdf",
            content=image_only_pdf([small], dpi),
        )
    )


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--corpus", type=Path, default=None, help="folder with kleister-nda/")
    parser.add_argument("--ocr-pages", type=int, default=3)
    parser.add_argument("--ocr-rounds", type=int, default=2)
    parser.add_argument("--pool-size", type=int, default=1, help="1 compares like with like")
    parser.add_argument("--receipts", type=int, default=10, help="receipts per OCR engine")
    args = parser.parse_args(argv)
    limits = ParserLimits()
    corpus = choose_corpus(args.corpus)
    folder = corpus / "kleister-nda"
    documents = [path.read_bytes() for path in sorted(folder.glob("*.pdf"))]
    if not documents:
        raise SystemExit(f"no PDFs in {folder}")
    images = rendered_pages(documents[0], args.ocr_pages, limits.ocr_dpi)
    backend = LocalBackend(
        limits, pool_size=args.pool_size, timeout_seconds=600, max_documents_per_child=10_000
    )
    try:
        warm_up(backend, images[0], limits.ocr_dpi)
        _report_text(documents, backend, lines_only_text(documents, args.pool_size))
        scans = [image_only_pdf([image], limits.ocr_dpi) for image in images]
        _report_ocr(*ocr_comparison(backend, scans, limits, args.ocr_rounds), limits)
    finally:
        backend.close()
    receipts = development_receipts(corpus, args.receipts)
    if receipts:
        _report_receipts({e: receipt_ocr(e, receipts) for e in _RECEIPT_ENGINES}, len(receipts))


def development_receipts(corpus: Path, count: int) -> list[bytes]:
    """The first ``count`` development receipt scans, none if the corpus lacks them."""
    folder = corpus / "receipts-sroie" / "img"
    if not folder.is_dir():
        return []
    names = sorted(load_split("receipts-sroie").development)[:count]
    return [(folder / name).read_bytes() for name in names]


def receipt_ocr(engine: OcrEngineName, receipts: Sequence[bytes]) -> Throughput:
    """Receipts read one at a time by a child with ``engine``, its models loaded beforehand."""
    backend = LocalBackend(ParserLimits(ocr_engine=engine), pool_size=1, timeout_seconds=600)
    try:
        read = partial(_read_receipt, backend)
        read(receipts[0])  # loads the engines, as in a long-running worker
        return Throughput(
            pages=len(receipts), seconds=sum(_timed(partial(read, r)) for r in receipts)
        )
    finally:
        backend.close()


def _read_receipt(backend: LocalBackend, content: bytes) -> None:
    backend.extract(
        ExtractionRequest(document_id="receipt", media_type="image/jpeg", content=content)
    )


def lines_only_text(documents: Sequence[bytes], pool_size: int) -> Throughput:
    """The text layer as a deployment without word boxes reads it (max_layout_words 0)."""
    limits = ParserLimits(max_layout_words=0)
    backend = LocalBackend(limits, pool_size=pool_size, max_documents_per_child=10_000)
    try:
        backend_text(backend, documents[:1])  # its child's first document, as after a warm-up
        return backend_text(backend, documents)
    finally:
        backend.close()


def _report_text(documents: Sequence[bytes], backend: LocalBackend, by_lines: Throughput) -> None:
    raw = raw_text(documents)
    ours = backend_text(backend, documents)
    print(f"text layer, {len(documents)} PDFs, {raw.pages} pages")
    print(f"  raw pypdfium2     {raw.pages_per_second:8.1f} pages/s")
    for name, found in (("words and lines", ours), ("lines only", by_lines)):
        ratio = found.pages_per_second / raw.pages_per_second
        print(f"  {name:17} {found.pages_per_second:8.1f} pages/s, ratio {ratio:.2f}")
    print("  (target: ratio >= 0.50; lines only: DOCFLOW_EXTRACT_MAX_LAYOUT_WORDS=0)")


def _report_ocr(raw: Throughput, ours: Throughput, limits: ParserLimits) -> None:
    ratio = raw.seconds_per_page / ours.seconds_per_page
    print(f"OCR, {raw.pages} pages rendered at {limits.ocr_dpi} dpi")
    print(f"  raw tesserocr     {raw.seconds_per_page:8.2f} s/page")
    print(f"  local backend     {ours.seconds_per_page:8.2f} s/page (render, OCR, result)")
    print(f"  speed ratio       {ratio:8.2f} (target >= 0.90)")


def _report_receipts(by_engine: dict[OcrEngineName, Throughput], count: int) -> None:
    print(f"receipt scans, {count} development receipts, one child")
    for engine, throughput in by_engine.items():
        print(f"  {engine:<17} {throughput.seconds_per_page:8.2f} s/receipt")


if __name__ == "__main__":
    main()
