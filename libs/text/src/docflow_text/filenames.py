"""File names people and mail programs give documents: shown, never used to name storage."""

import re
from typing import Final

MAX_FILENAME_LENGTH: Final = 255
_UNPRINTABLE: Final = re.compile(r"[\x00-\x1f\x7f]")


def clean_filename(raw: str | None) -> str | None:
    """A display name: no path, no control characters, bounded; never used to name storage."""
    if raw is None:
        return None
    name = _UNPRINTABLE.sub("", raw.replace("\\", "/").rsplit("/", 1)[-1]).strip()
    return name[:MAX_FILENAME_LENGTH] or None
