"""Which format a document really is, from its bytes: the declared type is only a hint."""

from enum import StrEnum

from docflow_extract.backends.errors import DocumentRejectedError

_EXECUTABLES: tuple[tuple[bytes, str], ...] = (
    (b"\x7fELF", "an ELF executable"),
    (b"MZ", "a Windows (PE/DOS) executable"),
    (b"\xfe\xed\xfa\xce", "a Mach-O executable"),
    (b"\xfe\xed\xfa\xcf", "a Mach-O executable"),
    (b"\xce\xfa\xed\xfe", "a Mach-O executable"),
    (b"\xcf\xfa\xed\xfe", "a Mach-O executable"),
    (b"\xca\xfe\xba\xbe", "a Mach-O universal binary or Java class file"),
)
_HTML_STARTS = (b"<!doctype html", b"<html", b"<head", b"<body")
_TEXT_PROBE = 8192


class DocumentFormat(StrEnum):
    """The formats the local backend reads; values are the canonical media types."""

    PDF = "application/pdf"
    PNG = "image/png"
    JPEG = "image/jpeg"
    TIFF = "image/tiff"
    DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    HTML = "text/html"
    TEXT = "text/plain"


def detect_format(content: bytes, declared: str) -> DocumentFormat:
    """The format of ``content``, or :class:`DocumentRejectedError` saying what it is instead."""
    if not content:
        raise DocumentRejectedError("empty document: the content has 0 bytes")
    binary = _binary_format(content)
    if binary is not None:
        return binary
    if looks_like_text(content[:_TEXT_PROBE]):
        return _text_format(content, declared)
    raise DocumentRejectedError(_what_binary(content, declared))


def _binary_format(content: bytes) -> DocumentFormat | None:
    # PDF readers accept a header anywhere in the first KiB; so do we.
    if b"%PDF-" in content[:1024]:
        return DocumentFormat.PDF
    if content.startswith(b"\x89PNG\r\n\x1a\n"):
        return DocumentFormat.PNG
    if content.startswith(b"\xff\xd8\xff"):
        return DocumentFormat.JPEG
    if content.startswith((b"II*\x00", b"MM\x00*")):
        return DocumentFormat.TIFF
    if content.startswith(b"PK\x03\x04"):
        return DocumentFormat.DOCX  # the DOCX reader refuses other ZIP archives
    return None


def _what_binary(content: bytes, declared: str) -> str:
    for magic, what in _EXECUTABLES:
        if content.startswith(magic):
            return f"unsupported content: {what}, not a document"
    if content.startswith(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"):
        return "unsupported format: legacy Microsoft Office (OLE2) file; convert it to DOCX or PDF"
    return (
        "unsupported format: binary content that is none of PDF, PNG, JPEG, TIFF, DOCX, "
        f"HTML or text (declared as {declared[:100]!r})"
    )


def _text_format(content: bytes, declared: str) -> DocumentFormat:
    start = content[:_TEXT_PROBE].lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if declared.startswith(DocumentFormat.HTML) or start.startswith(_HTML_STARTS):
        return DocumentFormat.HTML
    return DocumentFormat.TEXT


def looks_like_text(probe: bytes) -> bool:
    """Text has no NUL bytes and few control characters (UTF-16 with a BOM aside)."""
    if probe.startswith((b"\xff\xfe", b"\xfe\xff")):
        return True
    if b"\x00" in probe:
        return False
    controls = sum(1 for b in probe if b < 32 and b not in (9, 10, 12, 13))
    return controls <= len(probe) // 100
