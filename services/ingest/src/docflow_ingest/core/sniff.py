"""The real media type of an upload, from its bytes: never the client's type or filename.

The sniffer is fed the content as it streams in. It keeps the first bytes for the magic
numbers, watches the zip entries go by (a DOCX is a zip holding ``word/document.xml``) and
checks that the whole content is UTF-8 text, so nothing needs reading twice.
"""

import codecs
from http import HTTPStatus
from typing import Final

from docflow_ingest.core.problems import ProblemError

PDF: Final = "application/pdf"
PNG: Final = "image/png"
JPEG: Final = "image/jpeg"
TIFF: Final = "image/tiff"
DOCX: Final = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
HTML: Final = "text/html; charset=utf-8"
TEXT: Final = "text/plain; charset=utf-8"

HEAD_SIZE: Final = 1024
#: PDF readers accept a header anywhere in the first kilobyte, so the sniffer does too.
PDF_WINDOW: Final = 1024
MAGIC: Final[tuple[tuple[bytes, str], ...]] = (
    (b"\x89PNG\r\n\x1a\n", PNG),
    (b"\xff\xd8\xff", JPEG),
    (b"II*\x00", TIFF),
    (b"MM\x00*", TIFF),
)
#: Signatures that no text or supported document starts with, refused on the first bytes.
EXECUTABLES: Final[tuple[bytes, ...]] = (
    b"\x7fELF",  # Linux, BSD
    b"\xfe\xed\xfa\xce", b"\xfe\xed\xfa\xcf", b"\xce\xfa\xed\xfe", b"\xcf\xfa\xed\xfe",  # Mach-O
    b"\xca\xfe\xba\xbe",  # Mach-O universal, Java class
    b"#!",  # scripts
    b"\x00asm",  # WebAssembly
)  # fmt: skip
#: Windows executables; "MZ" may also start a text, so only binary content is refused for it.
DOS_HEADER: Final = b"MZ"
ZIP_LOCAL_HEADER: Final = b"PK\x03\x04"
DOCX_MAIN_PART: Final = b"word/document.xml"
#: The tags the WHATWG sniffing algorithm takes as the start of an HTML document.
HTML_STARTS: Final = (
    b"<!doctype html", b"<html", b"<head", b"<script", b"<iframe", b"<h1", b"<div", b"<font",
    b"<table", b"<a", b"<style", b"<title", b"<b", b"<body", b"<br", b"<p", b"<!--",
)  # fmt: skip
HTML_TAG_ENDS: Final = (b" ", b">", b"\t", b"\n", b"\r", b"\x0c")
UTF8_BOM: Final = b"\xef\xbb\xbf"
#: Control characters text may contain: tab, line feed, form feed, carriage return.
ALLOWED_CONTROLS: Final = frozenset(b"\t\n\x0c\r")
CONTROL_BYTES: Final = bytes(b for b in range(32) if b not in ALLOWED_CONTROLS) + b"\x7f"


class EmptyContentError(ProblemError):
    def __init__(self) -> None:
        super().__init__(HTTPStatus.BAD_REQUEST, "empty-content", "the document is empty")


class UnsupportedMediaTypeError(ProblemError):
    def __init__(self, what: str) -> None:
        super().__init__(
            HTTPStatus.UNSUPPORTED_MEDIA_TYPE,
            "unsupported-media-type",
            f"{what}; accepted: PDF, PNG, JPEG, TIFF, DOCX, HTML and UTF-8 text",
        )


class ZipEntryScanner:
    """Finds ``word/document.xml`` among the local file headers of a streaming zip."""

    _KEEP: Final = len(ZIP_LOCAL_HEADER) + 26 + len(DOCX_MAIN_PART)

    def __init__(self) -> None:
        self._tail = b""
        self.found = False

    def feed(self, chunk: bytes) -> None:
        if self.found:
            return
        window = self._tail + chunk
        self.found = _has_entry(window, DOCX_MAIN_PART)
        # Enough of the end is kept for a header split across two chunks.
        self._tail = window[-self._KEEP :]


def _has_entry(window: bytes, name: bytes) -> bool:
    start = window.find(ZIP_LOCAL_HEADER)
    while start != -1:
        header = window[start : start + 30]
        if len(header) == 30:
            name_length = int.from_bytes(header[26:28], "little")
            if window[start + 30 : start + 30 + name_length] == name:
                return True
        start = window.find(ZIP_LOCAL_HEADER, start + 1)
    return False


class TextCheck:
    """Whether the whole content is UTF-8 without binary control characters."""

    def __init__(self) -> None:
        self._decoder = codecs.getincrementaldecoder("utf-8")("strict")
        self.ok = True

    def feed(self, chunk: bytes, *, final: bool = False) -> None:
        if not self.ok:
            return
        try:
            self._decoder.decode(chunk, final=final)
        except UnicodeDecodeError:
            self.ok = False
            return
        if chunk.translate(None, CONTROL_BYTES) != chunk:
            self.ok = False


class Sniffer:
    """Feed every chunk, then ask :meth:`media_type`."""

    def __init__(self) -> None:
        self._head = bytearray()
        self._zip = ZipEntryScanner()
        self._text = TextCheck()
        self.size = 0

    def feed(self, chunk: bytes) -> None:
        """Raises :class:`UnsupportedMediaTypeError` as soon as the head shows an executable."""
        if len(self._head) < HEAD_SIZE:
            self._head += chunk[: HEAD_SIZE - len(self._head)]
            _refuse_executables(bytes(self._head))
        self.size += len(chunk)
        # Only a zip can be a DOCX: once the head shows otherwise, its entries are not looked for.
        if ZIP_LOCAL_HEADER.startswith(self._head[: len(ZIP_LOCAL_HEADER)]):
            self._zip.feed(chunk)
        self._text.feed(chunk)

    def media_type(self) -> str:
        """The media type of everything fed; raises for empty or unsupported content."""
        self._text.feed(b"", final=True)
        if self.size == 0:
            raise EmptyContentError
        head = bytes(self._head)
        found = _by_magic(head) or self._zip_type(head) or self._text_type(head)
        if found is None and head.startswith(DOS_HEADER):
            raise UnsupportedMediaTypeError("executables are not accepted")
        if found is None:
            raise UnsupportedMediaTypeError("the content is not a supported document type")
        return found

    def _zip_type(self, head: bytes) -> str | None:
        if not head.startswith(ZIP_LOCAL_HEADER):
            return None
        if not self._zip.found:
            raise UnsupportedMediaTypeError("a zip archive that is not a DOCX document")
        return DOCX

    def _text_type(self, head: bytes) -> str | None:
        if not self._text.ok:
            return None
        return HTML if _looks_like_html(head) else TEXT


def _refuse_executables(head: bytes) -> None:
    for magic in EXECUTABLES:
        if head.startswith(magic):
            raise UnsupportedMediaTypeError("executables are not accepted")


def _by_magic(head: bytes) -> str | None:
    if b"%PDF-" in head[:PDF_WINDOW]:
        return PDF
    return next((media for magic, media in MAGIC if head.startswith(magic)), None)


def _looks_like_html(head: bytes) -> bool:
    text = head.removeprefix(UTF8_BOM).lstrip(b" \t\n\r\x0c").lower()
    return any(
        text.startswith(start) and text[len(start) : len(start) + 1] in HTML_TAG_ENDS
        for start in HTML_STARTS
    )
