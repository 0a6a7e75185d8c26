"""The parser child process: confined by resource limits, it parses one document at a time.

A child is forked from a server process that imported this module (and so every parser)
once, which keeps starting a replacement cheap.
"""

import gc
import resource
import signal
from multiprocessing.connection import Connection
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from docflow_events.v1 import ExtractionResult
from docflow_extract.backends.base import Attachment, ExtractionRequest
from docflow_extract.backends.errors import DocumentRejectedError, ExtractionFailedError
from docflow_extract.backends.local.images import configure_pillow
from docflow_extract.backends.local.limits import ParserLimits
from docflow_extract.backends.local.ocr import OcrEngine, TesseractEngine
from docflow_extract.backends.local.parse import parse
from docflow_extract.backends.local.rapidocr_engine import RapidOcrEngine
from docflow_extract.backends.local.reader import ReaderContext

_MIB = 1024 * 1024


class ChildReply(BaseModel):
    """What a child answers for one request."""

    model_config = ConfigDict(frozen=True)

    outcome: Literal["ok", "rejected", "failed", "out_of_memory"]
    result: ExtractionResult | None = None
    attachments: list[Attachment] = Field(default_factory=list)
    reason: str = ""


def serve(conn: Connection, limits: ParserLimits) -> None:
    """Answer requests until told to stop (``None``) or the parent goes away."""
    confine(limits)
    context = ReaderContext(limits=limits, ocr=ocr_engine(limits), reread=reread_engine(limits))
    # What the child holds now (modules, schemas, engines) lives as long as it does. Frozen, it
    # is left out of the full collections that a text page's hundreds of word boxes set off;
    # walking it each time cost about a sixth of the child's time on such pages.
    gc.freeze()
    try:
        _loop(conn, context)
    finally:
        context.ocr.close()
        if context.reread is not None:
            context.reread.close()
        conn.close()


def ocr_engine(limits: ParserLimits) -> OcrEngine:
    """The engine the limits name; it loads its model when it reads its first page, inside
    the child's memory limit."""
    if limits.ocr_engine == "rapidocr":
        return RapidOcrEngine()
    return TesseractEngine(limits.tessdata_path, limits.ocr_language)


def reread_engine(limits: ParserLimits) -> OcrEngine | None:
    """PP-OCR behind Tesseract with ``auto`` (see :func:`ocr.needs_reread`); loaded only when a
    page first needs it."""
    return RapidOcrEngine() if limits.ocr_engine == "auto" else None


def confine(limits: ParserLimits) -> None:
    """Limit this process: address space, no core dumps, Pillow's bomb check as an error."""
    memory = limits.address_space_mib * _MIB
    resource.setrlimit(resource.RLIMIT_AS, (memory, memory))
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
    # Ctrl-C in a terminal reaches the whole process group; the parent decides for children.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    configure_pillow(limits.max_image_pixels)


def _loop(conn: Connection, context: ReaderContext) -> None:
    while True:
        try:
            request = conn.recv()
        except EOFError:
            return
        if not isinstance(request, ExtractionRequest):
            return
        reply = handle(request, context)
        conn.send_bytes(reply.model_dump_json().encode())
        if reply.outcome == "out_of_memory":
            return  # the heap may be in a bad state: let the parent start a fresh child


def handle(request: ExtractionRequest, context: ReaderContext) -> ChildReply:
    try:
        extraction = parse(request, context)
        return ChildReply(
            outcome="ok", result=extraction.result, attachments=extraction.attachments
        )
    except DocumentRejectedError as exc:
        return ChildReply(outcome="rejected", reason=exc.reason)
    except MemoryError:
        return ChildReply(outcome="out_of_memory")
    except ExtractionFailedError as exc:
        return ChildReply(outcome="failed", reason=str(exc))
    except Exception as exc:
        # The class only: a library's message may quote the document or show object reprs.
        return ChildReply(outcome="failed", reason=f"unexpected {type(exc).__name__}")
