"""Refuse ZIP bombs before any parser expands an archive.

The central directory declares every member's compressed and uncompressed size. Python's
zipfile never returns more than the declared size of a member, so checking the declarations
bounds what parsing can expand to.
"""

import io
import zipfile

from docflow_extract.backends.errors import DocumentRejectedError

_MAX_MEMBERS = 10_000
# Small members compress extremely well (repeated XML) without being dangerous.
_RATIO_CHECK_FROM = 1024 * 1024


def check_archive(content: bytes, max_uncompressed: int, max_ratio: int) -> list[str]:
    """The member names of a safe archive; raises :class:`DocumentRejectedError` otherwise."""
    try:
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            members = archive.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError) as exc:
        raise DocumentRejectedError(f"corrupt DOCX: not a readable ZIP archive ({exc})") from None
    if len(members) > _MAX_MEMBERS:
        raise DocumentRejectedError(
            f"DOCX refused: it has {len(members)} archive members, more than {_MAX_MEMBERS}"
        )
    _check_sizes(members, max_uncompressed, max_ratio)
    return [member.filename for member in members]


def _check_sizes(members: list[zipfile.ZipInfo], max_uncompressed: int, max_ratio: int) -> None:
    total = sum(member.file_size for member in members)
    if total > max_uncompressed:
        raise DocumentRejectedError(
            f"DOCX refused as a zip bomb: it declares {total} bytes uncompressed, more than "
            f"the limit of {max_uncompressed}"
        )
    for member in members:
        ratio = member.file_size / max(member.compress_size, 1)
        if member.file_size >= _RATIO_CHECK_FROM and ratio > max_ratio:
            raise DocumentRejectedError(
                f"DOCX refused as a zip bomb: member {member.filename[:100]!r} expands "
                f"{ratio:.0f} times ({member.file_size} bytes), more than the ratio limit "
                f"of {max_ratio}"
            )
