"""Refuse ZIP bombs before any parser expands an archive.

The central directory declares every member's compressed and uncompressed size. Python's
zipfile never returns more than the declared size of a member, so checking the declarations
bounds what parsing can expand to. Every ZIP-based format (DOCX, XLSX, PPTX, ODT, ODS, EPUB)
passes here before its parser opens it.
"""

import zipfile

from docflow_extract.backends.errors import DocumentRejectedError

_MAX_MEMBERS = 10_000
# Small members compress extremely well (repeated XML) without being dangerous.
_RATIO_CHECK_FROM = 1024 * 1024


def check_members(
    members: list[zipfile.ZipInfo], kind: str, max_uncompressed: int, max_ratio: int
) -> None:
    """Raises :class:`DocumentRejectedError` for an archive that could expand too far."""
    if len(members) > _MAX_MEMBERS:
        raise DocumentRejectedError(
            f"{kind} refused: it has {len(members)} archive members, more than {_MAX_MEMBERS}"
        )
    total = sum(member.file_size for member in members)
    if total > max_uncompressed:
        raise DocumentRejectedError(
            f"{kind} refused as a zip bomb: it declares {total} bytes uncompressed, more than "
            f"the limit of {max_uncompressed}"
        )
    for member in members:
        ratio = member.file_size / max(member.compress_size, 1)
        if member.file_size >= _RATIO_CHECK_FROM and ratio > max_ratio:
            raise DocumentRejectedError(
                f"{kind} refused as a zip bomb: member {member.filename[:100]!r} expands "
                f"{ratio:.0f} times ({member.file_size} bytes), more than the ratio limit "
                f"of {max_ratio}"
            )
