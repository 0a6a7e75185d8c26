"""Hostile documents for tests: each is what an attacker or a broken client might upload."""

import hashlib
import io
import struct
import zipfile
import zlib

#: The padding string of the PDF standard security handler (PDF 1.7, algorithm 3.2).
_PASSWORD_PAD = bytes.fromhex("28BF4E5E4E758A4164004E56FFFA01082E2E00B6D0683E802F0CA9FE6453697A")
ELF_EXECUTABLE = b"\x7fELF\x02\x01\x01\x00" + b"\x00" * 200
PE_EXECUTABLE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00" + b"\x00" * 200


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


def encrypted_pdf(user_password: bytes) -> bytes:
    """A one-page PDF under the standard security handler (RC4, 40 bit, revision 2).

    /O and /U follow the PDF specification's algorithms 3.3 and 3.4; the page has no strings
    or streams, so nothing else needs encrypting.
    """
    doc_id = bytes(range(16))
    owner_key = hashlib.md5(_padded(b"owner"), usedforsecurity=False).digest()[:5]
    owner = _rc4(owner_key, _padded(user_password))
    permissions = -4
    material = _padded(user_password) + owner + struct.pack("<i", permissions) + doc_id
    user = _rc4(hashlib.md5(material, usedforsecurity=False).digest()[:5], _PASSWORD_PAD)
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


def png_header(width: int, height: int) -> bytes:
    """A PNG whose header claims ``width`` x ``height`` grayscale pixels."""
    header = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + _chunk(b"IHDR", header)
        + _chunk(b"IDAT", zlib.compress(b"\x00" * 1024))
    )


def _chunk(kind: bytes, data: bytes) -> bytes:
    crc = zlib.crc32(kind + data) & 0xFFFFFFFF
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", crc)


def docx_zip_bomb(expanded_mib: int) -> bytes:
    """A DOCX-shaped archive whose body expands to ``expanded_mib`` MiB of zeros."""
    return package_zip_bomb("word/document.xml", expanded_mib)


def package_zip_bomb(main_part: str, expanded_mib: int, *, mimetype: bytes = b"") -> bytes:
    """An Office, OpenDocument or EPUB-shaped archive whose ``main_part`` expands to
    ``expanded_mib`` MiB of zeros (``xl/workbook.xml``, ``ppt/presentation.xml``, or
    ``content.xml`` with an OpenDocument or EPUB ``mimetype``)."""
    out = io.BytesIO()
    chunk = b"\x00" * (1024 * 1024)
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        if mimetype:
            archive.writestr(zipfile.ZipInfo("mimetype"), mimetype)  # stored, first
        archive.writestr("[Content_Types].xml", "<Types/>")
        with archive.open(main_part, "w", force_zip64=True) as member:
            for _ in range(expanded_mib):
                member.write(chunk)
    return out.getvalue()
