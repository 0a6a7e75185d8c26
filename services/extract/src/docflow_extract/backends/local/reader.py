"""What every format reader is handed: the limits it obeys and the process's OCR engine."""

from dataclasses import dataclass

from docflow_extract.backends.local.limits import ParserLimits
from docflow_extract.backends.local.ocr import OcrEngine


@dataclass(frozen=True)
class ReaderContext:
    limits: ParserLimits
    ocr: OcrEngine
    # Re-reads a page of short lines the first engine is unsure of (``auto``); else None.
    reread: OcrEngine | None = None
