"""ZIP-based documents: which format an archive holds, decided from its members.

The central directory is read, never a member's data (apart from the few bytes of an
OpenDocument or EPUB ``mimetype``), and the zip guard checks the archive before any parser
opens it.
"""

import io
import zipfile

from docflow_extract.backends.errors import DocumentRejectedError
from docflow_extract.backends.local.formats import DocumentFormat
from docflow_extract.backends.local.limits import ParserLimits
from docflow_extract.backends.local.zip_guard import check_members

_MAIN_PARTS = {
    "word/document.xml": DocumentFormat.DOCX,
    "xl/workbook.xml": DocumentFormat.XLSX,
    "ppt/presentation.xml": DocumentFormat.PPTX,
}
_MIMETYPES = {
    b"application/vnd.oasis.opendocument.text": DocumentFormat.ODT,
    b"application/vnd.oasis.opendocument.spreadsheet": DocumentFormat.ODS,
    b"application/epub+zip": DocumentFormat.EPUB,
}
_EPUB_CONTAINER = "META-INF/container.xml"
_MIMETYPE_MAX = 100
_NAMES = {
    DocumentFormat.DOCX: "DOCX",
    DocumentFormat.XLSX: "XLSX",
    DocumentFormat.PPTX: "PPTX",
    DocumentFormat.ODT: "ODT",
    DocumentFormat.ODS: "ODS",
    DocumentFormat.EPUB: "EPUB",
}


def package_format(content: bytes, limits: ParserLimits) -> DocumentFormat:
    """The format of a safe archive; raises :class:`DocumentRejectedError` otherwise."""
    try:
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            members = archive.infolist()
            fmt = _format(archive, {member.filename for member in members})
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError, EOFError) as exc:
        raise DocumentRejectedError(
            "corrupt or truncated ZIP-based document: not a readable ZIP archive "
            f"({type(exc).__name__})"
        ) from None
    check_members(members, _NAMES[fmt], limits.max_docx_uncompressed_bytes, limits.max_zip_ratio)
    return fmt


def _format(archive: zipfile.ZipFile, names: set[str]) -> DocumentFormat:
    for part, fmt in _MAIN_PARTS.items():
        if part in names:
            return fmt
    if "mimetype" in names:
        with archive.open("mimetype") as member:
            declared = member.read(_MIMETYPE_MAX).strip()
        if declared in _MIMETYPES:
            return _MIMETYPES[declared]
    if _EPUB_CONTAINER in names:
        return DocumentFormat.EPUB
    raise DocumentRejectedError(
        "unsupported format: a ZIP archive that is none of DOCX, XLSX, PPTX, ODT, ODS or EPUB"
    )
