"""Which format a document really is, from its bytes: the declared type is only a hint.

ZIP-based formats (DOCX, XLSX, PPTX, ODT, ODS, EPUB) are told apart by their members, in
:mod:`~docflow_extract.backends.local.packages`, only after the zip guard has passed them.
"""

from enum import StrEnum

from docflow_extract.backends.errors import DocumentRejectedError
from docflow_text.encoding import unicode_encoding
from docflow_text.mail import looks_like_mail

_EXECUTABLES: tuple[tuple[bytes, str], ...] = (
    (b"\x7fELF", "an ELF executable"),
    (b"MZ", "a Windows (PE/DOS) executable"),
    (b"\xfe\xed\xfa\xce", "a Mach-O executable"),
    (b"\xfe\xed\xfa\xcf", "a Mach-O executable"),
    (b"\xce\xfa\xed\xfe", "a Mach-O executable"),
    (b"\xcf\xfa\xed\xfe", "a Mach-O executable"),
    (b"\xca\xfe\xba\xbe", "a Mach-O universal binary or Java class file"),
)
_HTML_STARTS = ("<!doctype html", "<html", "<head", "<body")
_TEXT_PROBE = 8192
ZIP_MAGIC = b"PK\x03\x04"
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
# Every Outlook item stores its top-level properties in this stream (MS-OXMSG 2.4).
_MSG_PROPERTIES = "__properties_version1.0".encode("utf-16-le")
# Sizes of the BMP information headers Windows and OS/2 write, at byte 14.
_BMP_INFO_SIZES = frozenset({12, 16, 40, 52, 56, 64, 108, 124})
_HEIF_BRANDS = frozenset({b"heic", b"heix", b"heim", b"heis", b"hevc", b"hevx"})
_HEIF_CONTAINERS = frozenset({b"mif1", b"msf1"})
_MAIL_PROBE = 4096


class DocumentFormat(StrEnum):
    """The formats the local backend reads; values are the canonical media types."""

    PDF = "application/pdf"
    PNG = "image/png"
    JPEG = "image/jpeg"
    TIFF = "image/tiff"
    BMP = "image/bmp"
    GIF = "image/gif"
    WEBP = "image/webp"
    HEIC = "image/heic"
    DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    PPTX = "application/vnd.openxmlformats-officedocument.presentationml.presentation"
    ODT = "application/vnd.oasis.opendocument.text"
    ODS = "application/vnd.oasis.opendocument.spreadsheet"
    EPUB = "application/epub+zip"
    RTF = "application/rtf"
    EML = "message/rfc822"
    MSG = "application/vnd.ms-outlook"
    HTML = "text/html"
    TEXT = "text/plain"
    #: Not a format read as such: a ZIP archive whose members decide the format.
    ZIP = "application/zip"


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


_MAGIC: tuple[tuple[bytes, DocumentFormat], ...] = (
    (b"\x89PNG\r\n\x1a\n", DocumentFormat.PNG),
    (b"\xff\xd8\xff", DocumentFormat.JPEG),
    (b"II*\x00", DocumentFormat.TIFF),
    (b"MM\x00*", DocumentFormat.TIFF),
    (b"GIF87a", DocumentFormat.GIF),
    (b"GIF89a", DocumentFormat.GIF),
    (ZIP_MAGIC, DocumentFormat.ZIP),
)


def _binary_format(content: bytes) -> DocumentFormat | None:
    # PDF readers accept a header anywhere in the first KiB; so do we.
    if b"%PDF-" in content[:1024]:
        return DocumentFormat.PDF
    found = next((fmt for magic, fmt in _MAGIC if content.startswith(magic)), None)
    if found is not None:
        return found
    if content.startswith(OLE_MAGIC) and _MSG_PROPERTIES in content:
        return DocumentFormat.MSG
    return _image_format(content)


def _image_format(content: bytes) -> DocumentFormat | None:
    if content.startswith(b"RIFF") and content[8:12] == b"WEBP":
        return DocumentFormat.WEBP
    if is_bmp(content):
        return DocumentFormat.BMP
    if is_heif(content):
        return DocumentFormat.HEIC
    return None


def is_bmp(content: bytes) -> bool:
    """ "BM" may start a text; a BMP also has a known information-header size at byte 14."""
    return content.startswith(b"BM") and (
        int.from_bytes(content[14:18], "little") in _BMP_INFO_SIZES
    )


def is_heif(content: bytes) -> bool:
    """An ISO media file whose brands say HEIF with HEVC-coded images (HEIC)."""
    size = int.from_bytes(content[:4], "big")
    if content[4:8] != b"ftyp" or not 16 <= size <= 256:
        return False
    brand = content[8:12]
    compatible = {content[i : i + 4] for i in range(16, min(size, len(content)), 4)}
    if brand in _HEIF_BRANDS:
        return True
    return brand in _HEIF_CONTAINERS and bool(compatible & _HEIF_BRANDS)


def _what_binary(content: bytes, declared: str) -> str:
    for magic, what in _EXECUTABLES:
        if content.startswith(magic):
            return f"unsupported content: {what}, not a document"
    if content.startswith(OLE_MAGIC):
        return "unsupported format: legacy Microsoft Office (OLE2) file; convert it to DOCX or PDF"
    return (
        "unsupported format: binary content that is none of the accepted formats (PDF, "
        "images, Office, OpenDocument, EPUB, RTF, e-mail, HTML or text; "
        f"declared as {declared[:100]!r})"
    )


def _text_format(content: bytes, declared: str) -> DocumentFormat:
    probe = content[:_TEXT_PROBE]
    if probe.startswith(b"{\\rtf"):
        return DocumentFormat.RTF
    start = probe_text(probe)
    if declared.startswith(DocumentFormat.HTML) or looks_like_html(start):
        return DocumentFormat.HTML
    if looks_like_mail(start[:_MAIL_PROBE]):
        return DocumentFormat.EML
    return DocumentFormat.TEXT


def probe_text(probe: bytes) -> str:
    """The start of a text, decoded as well as a probe cut anywhere allows."""
    encoding = unicode_encoding(probe) or "utf-8-sig"
    return probe.decode(encoding, errors="ignore")


def looks_like_html(text: str) -> bool:
    """HTML, also after an XML prolog (XHTML), comments or a byte-order mark."""
    start = _skip_prolog(text.lstrip("\ufeff \t\r\n").lower())
    return start.startswith(_HTML_STARTS)


def _skip_prolog(text: str) -> str:
    while text.startswith(("<?xml", "<!--")):
        end = text.find("?>" if text.startswith("<?") else "-->")
        if end == -1:
            return text
        text = text[end + (2 if text.startswith("<?") else 3) :].lstrip()
    return text


def looks_like_text(probe: bytes) -> bool:
    """Text has no NUL bytes and few control characters (UTF-16 and UTF-32 aside)."""
    if unicode_encoding(probe) is not None:
        return True
    if b"\x00" in probe:
        return False
    controls = sum(1 for b in probe if b < 32 and b not in (9, 10, 12, 13))
    return controls <= len(probe) // 100
