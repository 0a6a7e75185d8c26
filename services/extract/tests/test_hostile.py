"""Hostile and broken inputs: each is refused with a reason a person can act on."""

import io
import zipfile
from pathlib import Path

import pypdfium2 as pdfium  # type: ignore[import-untyped]
import pytest

from docflow_extract.backends.base import ExtractionRequest
from docflow_extract.backends.errors import DocumentRejectedError
from docflow_extract.backends.local.backend import LocalBackend
from docflow_runtime.errors import PermanentError
from docflow_testing.hostile import docx_zip_bomb, encrypted_pdf, png_header

DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def _rejection(backend: LocalBackend, content: bytes, media_type: str) -> str:
    with pytest.raises(DocumentRejectedError) as caught:
        backend.extract(
            ExtractionRequest(document_id="bad", media_type=media_type, content=content)
        )
    assert isinstance(caught.value, PermanentError)
    return caught.value.reason


def test_truncated_pdf(backend: LocalBackend, samples: Path) -> None:
    content = (samples / "invoices" / "AmazonWebServices.pdf").read_bytes()
    reason = _rejection(backend, content[: len(content) // 2], "application/pdf")
    assert reason.startswith("truncated PDF")


def test_corrupt_pdf_structure(backend: LocalBackend) -> None:
    reason = _rejection(
        backend, b"%PDF-1.7\n" + b"garbage " * 100 + b"\n%%EOF\n", "application/pdf"
    )
    assert reason.startswith("corrupt PDF")


def testencrypted_pdf(backend: LocalBackend) -> None:
    content = encrypted_pdf(b"secret")
    # The file is really encrypted: it opens with its password, and only with it.
    assert len(pdfium.PdfDocument(content, password="secret")) == 1
    reason = _rejection(backend, content, "application/pdf")
    assert reason == "encrypted PDF: a password is required to open it"


def test_png_claiming_fifty_thousand_pixels_square(backend: LocalBackend) -> None:
    reason = _rejection(backend, png_header(50_000, 50_000), "image/png")
    assert reason.startswith("PNG image refused as a decompression bomb")
    assert "2500000000 pixels" in reason


def test_png_above_the_pixel_limit_but_below_pillow_error(backend: LocalBackend) -> None:
    # 120 Mpx: Pillow by itself would only warn; the warning is an error in the children.
    reason = _rejection(backend, png_header(12_000, 10_000), "image/png")
    assert reason.startswith("PNG image refused as a decompression bomb")


def test_truncated_png(backend: LocalBackend, samples: Path) -> None:
    content = (samples / "invoices" / "oyo.png").read_bytes()
    reason = _rejection(backend, content[:5000], "image/png")
    assert reason == (
        "corrupt or truncated PNG image: its image data ends early or cannot be decoded (OSError)"
    )


def test_a_png_cut_inside_its_header(backend: LocalBackend, samples: Path) -> None:
    content = (samples / "invoices" / "oyo.png").read_bytes()
    reason = _rejection(backend, content[:40], "image/png")
    # Pillow says "cannot identify image file <_io.BytesIO object at 0x7f…>".
    assert reason == (
        "corrupt or truncated PNG image: its header cannot be read as PNG (UnidentifiedImageError)"
    )


@pytest.mark.parametrize(
    ("content", "media_type", "name"),
    [
        (b"\xff\xd8\xff" + b"\x00garbage" * 20, "image/jpeg", "JPEG"),
        (b"II*\x00" + b"garbage" * 20, "image/tiff", "TIFF"),
        (b"MM\x00*" + b"\xff" * 40, "image/tiff", "TIFF"),
    ],
)
def test_garbage_after_an_image_signature(
    backend: LocalBackend, content: bytes, media_type: str, name: str
) -> None:
    reason = _rejection(backend, content, media_type)
    assert reason.startswith(f"corrupt or truncated {name} image: its header cannot be read")
    assert "object at 0x" not in reason


def testdocx_zip_bomb(backend: LocalBackend) -> None:
    reason = _rejection(backend, docx_zip_bomb(300), DOCX_TYPE)
    assert reason.startswith("DOCX refused as a zip bomb")
    declared = 300 * 1024 * 1024 + len("<Types/>")
    assert f"it declares {declared} bytes uncompressed" in reason


def test_docx_member_with_extreme_ratio(backend: LocalBackend) -> None:
    reason = _rejection(backend, docx_zip_bomb(20), DOCX_TYPE)
    assert "word/document.xml" in reason
    assert "ratio limit" in reason


def test_zip_that_is_no_supported_package(backend: LocalBackend) -> None:
    reason = _rejection(backend, _archive({"readme.txt": "hello"}), DOCX_TYPE)
    assert reason == (
        "unsupported format: a ZIP archive that is none of DOCX, XLSX, PPTX, ODT, ODS or EPUB"
    )


def _archive(members: dict[str, str]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        for name, text in members.items():
            archive.writestr(name, text)
    return out.getvalue()


def _package(content_type: str) -> bytes:
    """A DOCX package whose main part declares ``content_type``."""
    return _archive(
        {
            "[Content_Types].xml": (
                '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
                '<Default Extension="rels" '
                'ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
                f'<Override PartName="/word/document.xml" ContentType="{content_type}"/></Types>'
            ),
            "_rels/.rels": (
                '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/'
                'relationships"><Relationship Id="rId1" Target="word/document.xml" '
                'Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
                'officeDocument"/></Relationships>'
            ),
            "word/document.xml": "<x/>",
        }
    )


def test_a_package_whose_main_part_is_no_word_document(backend: LocalBackend) -> None:
    sheet = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"
    reason = _rejection(backend, _package(sheet), DOCX_TYPE)
    # python-docx says "file '<_io.BytesIO object at 0x7f…>' is not a Word file".
    assert reason == (
        "corrupt DOCX: the package is malformed or its main part is not a Word document "
        "(ValueError)"
    )


def test_a_package_with_a_missing_part(backend: LocalBackend) -> None:
    reason = _rejection(backend, _archive({"word/document.xml": "<x/>"}), DOCX_TYPE)
    assert reason == (
        "corrupt DOCX: a part or relationship of the Word package is missing (KeyError)"
    )


def test_an_unforeseen_parser_error_is_named_by_its_class_only(backend: LocalBackend) -> None:
    broken = _archive({"[Content_Types].xml": "not xml <", "word/document.xml": "<x/>"})
    reason = _rejection(backend, broken, DOCX_TYPE)
    assert reason == f"cannot parse the document as {DOCX_TYPE}: the parser raised XMLSyntaxError"


def test_elf_executable(backend: LocalBackend) -> None:
    elf = b"\x7fELF\x02\x01\x01\x00" + b"\x00" * 8 + b"\x02\x00\x3e\x00" + b"\x00" * 200
    reason = _rejection(backend, elf, "application/pdf")
    assert reason == "unsupported content: an ELF executable, not a document"


def test_windows_executable(backend: LocalBackend) -> None:
    pe = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00" + b"\x00" * 200
    reason = _rejection(backend, pe, "application/octet-stream")
    assert reason == "unsupported content: a Windows (PE/DOS) executable, not a document"


def test_empty_file(backend: LocalBackend) -> None:
    assert _rejection(backend, b"", "text/plain") == "empty document: the content has 0 bytes"


def test_unknown_binary(backend: LocalBackend) -> None:
    reason = _rejection(backend, bytes(range(256)) * 4, "application/x-thing")
    assert reason.startswith("unsupported format: binary content")
