"""The real media type of a document, from its bytes: never the client's type or filename.

Ingest sniffs uploads with it, extract the attachments it splits off messages, so that a
document gets the same media type whichever way it enters the flow.

The sniffer is fed the content as it streams in. It keeps the first bytes for the magic
numbers, watches the zip entries go by (a DOCX is a zip holding ``word/document.xml``, an
OpenDocument or EPUB names itself in a first ``mimetype`` entry), looks for the property
stream every Outlook message has, and checks that the whole content is text in one Unicode
encoding, so nothing needs reading twice.
"""

from typing import Final

from docflow_text.mail import looks_like_mail
from docflow_text.sniff_text import (
    HEAD_SIZE,
    TextCheck,
    charset,
    looks_like_html,
)

PDF: Final = "application/pdf"
PNG: Final = "image/png"
JPEG: Final = "image/jpeg"
TIFF: Final = "image/tiff"
BMP: Final = "image/bmp"
GIF: Final = "image/gif"
WEBP: Final = "image/webp"
HEIC: Final = "image/heic"
DOCX: Final = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX: Final = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
PPTX: Final = "application/vnd.openxmlformats-officedocument.presentationml.presentation"
ODT: Final = "application/vnd.oasis.opendocument.text"
ODS: Final = "application/vnd.oasis.opendocument.spreadsheet"
EPUB: Final = "application/epub+zip"
RTF: Final = "application/rtf"
EML: Final = "message/rfc822"
MSG: Final = "application/vnd.ms-outlook"
HTML: Final = "text/html; charset=utf-8"
TEXT: Final = "text/plain; charset=utf-8"

ACCEPTED: Final = (
    "PDF; PNG, JPEG, TIFF, BMP, GIF, WebP and HEIC images; DOCX, XLSX, PPTX, ODT, ODS, "
    "EPUB, RTF; EML and MSG e-mail; HTML and text in UTF-8, UTF-16 or UTF-32"
)
#: PDF readers accept a header anywhere in the first kilobyte, so the sniffer does too.
PDF_WINDOW: Final = 1024
MAGIC: Final[tuple[tuple[bytes, str], ...]] = (
    (b"\x89PNG\r\n\x1a\n", PNG),
    (b"\xff\xd8\xff", JPEG),
    (b"II*\x00", TIFF),
    (b"MM\x00*", TIFF),
    (b"GIF87a", GIF),
    (b"GIF89a", GIF),
    (b"{\\rtf", RTF),
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
ZIP_MAIN_PARTS: Final = {
    b"word/document.xml": DOCX,
    b"xl/workbook.xml": XLSX,
    b"ppt/presentation.xml": PPTX,
}
EPUB_CONTAINER: Final = b"META-INF/container.xml"
#: An OpenDocument or EPUB starts with a stored (uncompressed) ``mimetype`` entry.
ZIP_MIMETYPES: Final = {
    b"application/vnd.oasis.opendocument.text": ODT,
    b"application/vnd.oasis.opendocument.spreadsheet": ODS,
    b"application/epub+zip": EPUB,
}
OLE_HEADER: Final = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
#: Every Outlook item stores its top-level properties in this stream (MS-OXMSG 2.4).
MSG_PROPERTIES: Final = "__properties_version1.0".encode("utf-16-le")
#: Sizes of the BMP information headers Windows and OS/2 write, at byte 14.
BMP_INFO_SIZES: Final = frozenset({12, 16, 40, 52, 56, 64, 108, 124})
HEIF_BRANDS: Final = frozenset({b"heic", b"heix", b"heim", b"heis", b"hevc", b"hevx"})
HEIF_CONTAINERS: Final = frozenset({b"mif1", b"msf1"})


class UnsupportedContentError(ValueError):
    """The content is not a document docflow accepts; the message says what it is instead
    (:data:`ACCEPTED` lists what is)."""


class EmptyContentError(UnsupportedContentError):
    def __init__(self) -> None:
        super().__init__("the document is empty")


class MarkerScanner:
    """Whether any of some byte strings occurs in a stream, across chunk boundaries."""

    def __init__(self, markers: tuple[bytes, ...]) -> None:
        self._markers = markers
        self._keep = max(map(len, markers)) + 30  # a zip header before the name, if any
        self._tail = b""
        self.found: set[bytes] = set()

    def feed(self, chunk: bytes) -> None:
        window = self._tail + chunk
        self.found.update(marker for marker in self._markers if marker in window)
        # Enough of the end is kept for a marker split across two chunks.
        self._tail = window[-self._keep :]


class ZipEntryScanner(MarkerScanner):
    """Finds the main parts of Office packages among the local file headers of a zip."""

    def __init__(self) -> None:
        super().__init__((*ZIP_MAIN_PARTS, EPUB_CONTAINER))

    def feed(self, chunk: bytes) -> None:
        window = self._tail + chunk
        self.found.update(name for name in self._markers if _has_entry(window, name))
        self._tail = window[-self._keep :]


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


class Sniffer:
    """Feed every chunk, then ask :meth:`media_type`."""

    def __init__(self) -> None:
        self._head = bytearray()
        self._zip = ZipEntryScanner()
        self._ole = MarkerScanner((MSG_PROPERTIES,))
        self._text = TextCheck()
        self.size = 0

    def feed(self, chunk: bytes) -> None:
        """Raises :class:`UnsupportedContentError` as soon as the head shows an executable."""
        if len(self._head) < HEAD_SIZE:
            self._head += chunk[: HEAD_SIZE - len(self._head)]
            _refuse_executables(bytes(self._head))
        self.size += len(chunk)
        # Entries are looked for only while the head may still be a zip or an OLE file.
        if ZIP_LOCAL_HEADER.startswith(self._head[: len(ZIP_LOCAL_HEADER)]):
            self._zip.feed(chunk)
        if OLE_HEADER.startswith(self._head[: len(OLE_HEADER)]):
            self._ole.feed(chunk)
        self._text.feed(chunk)

    def media_type(self) -> str:
        """The media type of everything fed; raises for empty or unsupported content."""
        self._text.feed(b"", final=True)
        if self.size == 0:
            raise EmptyContentError
        head = bytes(self._head)
        found = (
            _by_magic(head) or self._zip_type(head) or self._ole_type(head) or self._text_type(head)
        )
        if found is None and head.startswith(DOS_HEADER):
            raise UnsupportedContentError("executables are not accepted")
        if found is None:
            raise UnsupportedContentError("the content is not a supported document type")
        return found

    def _zip_type(self, head: bytes) -> str | None:
        if not head.startswith(ZIP_LOCAL_HEADER):
            return None
        found = next((ZIP_MAIN_PARTS[n] for n in ZIP_MAIN_PARTS if n in self._zip.found), None)
        found = found or ZIP_MIMETYPES.get(_zip_mimetype(head) or b"")
        if found is None and EPUB_CONTAINER in self._zip.found:
            found = EPUB
        if found is None:
            raise UnsupportedContentError(
                "a zip archive that is not a DOCX, XLSX, PPTX, ODT, ODS or EPUB document"
            )
        return found

    def _ole_type(self, head: bytes) -> str | None:
        if not head.startswith(OLE_HEADER):
            return None
        if not self._ole.found:
            raise UnsupportedContentError(
                "legacy Microsoft Office (OLE2) files other than Outlook messages are not "
                "accepted: save it as DOCX, XLSX or PPTX"
            )
        return MSG

    def _text_type(self, head: bytes) -> str | None:
        text = self._text
        if not text.ok:
            # Mail in a legacy 8-bit charset is not UTF-8, but it is text all the same.
            mail = text.clean_bytes and looks_like_mail(head.decode("latin-1"))
            return EML if mail else None
        if looks_like_html(text.head):
            return f"text/html; charset={charset(text.encoding)}"
        if looks_like_mail(text.head):
            return EML
        return f"text/plain; charset={charset(text.encoding)}"


def _refuse_executables(head: bytes) -> None:
    for magic in EXECUTABLES:
        if head.startswith(magic):
            raise UnsupportedContentError("executables are not accepted")


def _by_magic(head: bytes) -> str | None:
    if b"%PDF-" in head[:PDF_WINDOW]:
        return PDF
    found = next((media for magic, media in MAGIC if head.startswith(magic)), None)
    if found is not None:
        return found
    if head.startswith(b"RIFF") and head[8:12] == b"WEBP":
        return WEBP
    if head.startswith(b"BM") and int.from_bytes(head[14:18], "little") in BMP_INFO_SIZES:
        return BMP
    return HEIC if _is_heic(head) else None


def _is_heic(head: bytes) -> bool:
    """An ISO media file whose brands say HEIF with HEVC-coded images."""
    size = int.from_bytes(head[:4], "big")
    if head[4:8] != b"ftyp" or not 16 <= size <= 256:
        return False
    brand = head[8:12]
    compatible = {head[i : i + 4] for i in range(16, min(size, len(head)), 4)}
    return brand in HEIF_BRANDS or (brand in HEIF_CONTAINERS and bool(compatible & HEIF_BRANDS))


def _zip_mimetype(head: bytes) -> bytes | None:
    """The content of a first, stored ``mimetype`` entry (OpenDocument, EPUB)."""
    name_length = int.from_bytes(head[26:28], "little")
    extra_length = int.from_bytes(head[28:30], "little")
    stored = head[8:10] == b"\x00\x00"
    if not stored or head[30 : 30 + name_length] != b"mimetype":
        return None
    start = 30 + name_length + extra_length
    size = int.from_bytes(head[18:22], "little")
    return head[start : start + min(size, 100)].strip()


def sniff(content: bytes) -> str:
    """The media type of content already in memory; raises :class:`UnsupportedContentError`."""
    sniffer = Sniffer()
    sniffer.feed(content)
    return sniffer.media_type()
