"""Extraction results of the training documents, cached on disk so that retraining is quick.

OCR of a hundred receipts takes minutes; the features and the model take seconds. A result is
kept under ``.docflow/train-cache/`` (git-ignored with the rest of ``.docflow/``), keyed by
the file's SHA-256 and by the extraction code's version: a digest of the OCR engine's name and
of the local backend's modules that read text from scans and PDFs (and of its limits, such as
the OCR resolution), so
that a change to OCR or to the text layer's reading never trains on stale text, while work on
other formats (mail, office files) does not throw the cache away.
"""

import hashlib
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Final

import docflow_extract
from docflow_events.v1 import ExtractionResult
from docflow_extract.backends.local.limits import OcrEngineName

#: Where the cache lives unless told otherwise: beside the other local state of the checkout.
DEFAULT_CACHE: Final = Path(".docflow") / "train-cache"

Extractor = Callable[[Path], ExtractionResult]


#: The local backend's modules whose code decides the text of a scan or a PDF (with either OCR
#: engine), and where its lines and words stand (``layout``: the scorer reads positions).
TEXT_MODULES: Final = ("ocr", "rapidocr_engine", "images", "pdf", "pdf_layout", "pdf_regions",
                       "text_cleanup", "limits", "key_values", "layout")  # fmt: skip


def code_version(engine: OcrEngineName) -> str:
    """A digest of the OCR engine's name and of the modules that read scans and PDFs: the
    engine and their code decide the text, so each engine's results are kept apart."""
    package = Path(docflow_extract.__file__).resolve().parent
    local = package / "backends" / "local"
    digest = hashlib.sha256(engine.encode())
    for path in sorted(local / f"{name}.py" for name in TEXT_MODULES):
        digest.update(path.relative_to(package).as_posix().encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


def file_digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


class ExtractionCache:
    """Extraction results on disk, one JSON file per document content and code version."""

    def __init__(self, directory: Path, version: str) -> None:
        self._directory = directory / version

    def path_for(self, document: Path) -> Path:
        return self._directory / f"{file_digest(document)}.json"

    def get(self, document: Path) -> ExtractionResult | None:
        path = self.path_for(document)
        if not path.is_file():
            return None
        return ExtractionResult.model_validate_json(path.read_text(encoding="utf-8"))

    def put(self, document: Path, result: ExtractionResult) -> None:
        path = self.path_for(document)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(result.model_dump_json(), encoding="utf-8")

    def extract_all(
        self, documents: list[Path], extract: Extractor, *, workers: int
    ) -> list[ExtractionResult]:
        """Each document's result, from the cache or extracted (``workers`` at a time)."""
        with ThreadPoolExecutor(max_workers=workers) as pool:
            return list(pool.map(lambda d: self._one(d, extract), documents))

    def _one(self, document: Path, extract: Extractor) -> ExtractionResult:
        cached = self.get(document)
        if cached is not None:
            return cached
        result = extract(document)
        self.put(document, result)
        return result
