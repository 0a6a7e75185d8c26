"""Hostile and broken inputs: each is refused with a reason a person can act on."""

import hashlib
import io
import struct
import zipfile
import zlib
from pathlib import Path

import pypdfium2 as pdfium  # type: ignore[import-untyped]
import pytest

from docflow_extract.backends.base import ExtractionRequest
from docflow_extract.backends.errors import DocumentRejectedError
from docflow_extract.backends.local.backend import LocalBackend
from docflow_runtime.errors import PermanentError

DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
_PASSWORD_PAD = bytes.fromhex("28BF4E5E4E758A4164004E56FFFA01082E2E00B6D0683E802F0CA9FE6453697A")


def _rejection(backend: LocalBackend, content: bytes, media_type: str) -> str:
    with pytest.raises(DocumentRejectedError) as caught:
        backend.extract(
            ExtractionRequest(document_id="bad", media_type=media_type, content=content)
        )
    assert isinstance(caught.value, PermanentError)
    return caught.value.reason


def test_truncated_pdf(backend: LocalBackend, corpus: Path) -> None:
    content = (corpus / "invoices" / "AmazonWebServices.pdf").read_bytes()
    reason = _rejection(backend, content[: len(content) // 2], "application/pdf")
    assert reason.startswith("truncated PDF")


def test_corrupt_pdf_structure(backend: LocalBackend) -> None:
    reason = _rejection(
        backend, b"%PDF-1.7\n" + b"garbage " * 100 + b"\n%%EOF\n", "application/pdf"
    )
    assert reason.startswith("corrupt PDF")


def test_encrypted_pdf(backend: LocalBackend) -> None:
    content = _encrypted_pdf(b"secret")
    # The file is really encrypted: it opens with its password, and only with it.
    assert len(pdfium.PdfDocument(content, password="secret")) == 1
    reason = _rejection(backend, content, "application/pdf")
    assert reason == "encrypted PDF: a password is required to open it"


def test_png_claiming_fifty_thousand_pixels_square(backend: LocalBackend) -> None:
    reason = _rejection(backend, _png_header(50_000, 50_000), "image/png")
    assert reason.startswith("PNG image refused as a decompression bomb")
    assert "2500000000 pixels" in reason


def test_png_above_the_pixel_limit_but_below_pillow_error(backend: LocalBackend) -> None:
    # 120 Mpx: Pillow by itself would only warn; the warning is an error in the children.
    reason = _rejection(backend, _png_header(12_000, 10_000), "image/png")
    assert reason.startswith("PNG image refused as a decompression bomb")


def test_truncated_png(backend: LocalBackend, corpus: Path) -> None:
    content = (corpus / "invoices" / "oyo.png").read_bytes()
    reason = _rejection(backend, content[:5000], "image/png")
    assert reason.startswith("corrupt or truncated PNG image")


def test_docx_zip_bomb(backend: LocalBackend) -> None:
    reason = _rejection(backend, _docx_zip_bomb(300), DOCX_TYPE)
    assert reason.startswith("DOCX refused as a zip bomb")
    declared = 300 * 1024 * 1024 + len("<Types/>")
    assert f"it declares {declared} bytes uncompressed" in reason


def test_docx_member_with_extreme_ratio(backend: LocalBackend) -> None:
    reason = _rejection(backend, _docx_zip_bomb(20), DOCX_TYPE)
    assert "word/document.xml" in reason
    assert "ratio limit" in reason


def test_zip_that_is_not_a_word_document(backend: LocalBackend) -> None:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("readme.txt", "hello")
    reason = _rejection(backend, out.getvalue(), DOCX_TYPE)
    assert (
        reason
        == "unsupported format: a ZIP archive that is not a Word document (no word/document.xml)"
    )


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


# --- generators ----------------------------------------------------------------------------


def _rc4(key: bytes, data: bytes) -> bytes:
    state = list(range(256))
    j = 0
    for i in range(256):
        j = (j + state[i] + key[i % len(key)]) % 256
        state[i], state[j] = state[j], state[i]
    i = j = 0
    out = bytearray()
    for byte in data:
        i = (i + 1) % 256
        j = (j + state[i]) % 256
        state[i], state[j] = state[j], state[i]
        out.append(byte ^ state[(state[i] + state[j]) % 256])
    return bytes(out)


def _padded(password: bytes) -> bytes:
    return (password + _PASSWORD_PAD)[:32]


def _encrypted_pdf(user_password: bytes) -> bytes:
    """A one-page PDF under the standard security handler (RC4, 40 bit, revision 2).

    /O and /U follow the PDF specification's algorithms 3.3 and 3.4; the page has no strings
    or streams, so nothing else needs encrypting.
    """
    doc_id = bytes(range(16))
    owner = _rc4(hashlib.md5(_padded(b"owner")).digest()[:5], _padded(user_password))
    permissions = -4
    material = _padded(user_password) + owner + struct.pack("<i", permissions) + doc_id
    user = _rc4(hashlib.md5(material).digest()[:5], _PASSWORD_PAD)
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] >>",
        b"<< /Filter /Standard /V 1 /R 2 /O <%s> /U <%s> /P %d >>"
        % (owner.hex().encode(), user.hex().encode(), permissions),
    ]
    ids = doc_id.hex().encode()
    return _pdf_file(objects, b"/Encrypt 4 0 R /ID [<%s> <%s>]" % (ids, ids))


def _pdf_file(objects: list[bytes], trailer_extra: bytes) -> bytes:
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    for offset in offsets:
        out += b"%010d 00000 n \n" % offset
    out += b"trailer\n<< /Size %d /Root 1 0 R %s >>\n" % (len(objects) + 1, trailer_extra)
    return bytes(out + b"startxref\n%d\n%%%%EOF\n" % xref)


def _png_header(width: int, height: int) -> bytes:
    """A PNG whose header claims ``width`` x ``height`` grayscale pixels."""
    header = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + _png_chunk(b"IHDR", header)
        + _png_chunk(b"IDAT", zlib.compress(b"\x00" * 1024))
    )


def _png_chunk(kind: bytes, data: bytes) -> bytes:
    crc = zlib.crc32(kind + data) & 0xFFFFFFFF
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", crc)


def _docx_zip_bomb(expanded_mib: int) -> bytes:
    """A DOCX-shaped archive whose body expands to ``expanded_mib`` MiB of zeros."""
    out = io.BytesIO()
    chunk = b"\x00" * (1024 * 1024)
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        with archive.open("word/document.xml", "w", force_zip64=True) as member:
            for _ in range(expanded_mib):
                member.write(chunk)
    return out.getvalue()
