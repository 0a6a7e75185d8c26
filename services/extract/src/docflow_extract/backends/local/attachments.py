"""Splitting an e-mail message (EML or Outlook MSG) into the files attached to it.

Each attachment becomes a document of its own (the extract stage announces it). A message
attached to a message is an attachment too, and its own attachments are split off with it, as
its children, down to ``max_attachment_depth``. Every attachment of the tree counts against
``max_attachments``; one refused (over a limit, empty, or nested too deep) is a warning on the
message, never its failure. Media types are sniffed as ingest sniffs uploads; content nobody
can read is still split off (as ``application/octet-stream``), to fail on its own with the
reason extract gives.
"""

from dataclasses import dataclass, field
from email import policy
from email.message import EmailMessage
from email.parser import BytesParser
from typing import Final

import extract_msg

from docflow_extract.backends.base import Attachment
from docflow_extract.backends.local.limits import ParserLimits
from docflow_text.filenames import clean_filename
from docflow_text.sniff import EML, MSG, UnsupportedContentError, sniff

UNKNOWN_TYPE: Final = "application/octet-stream"
#: Refusals named one by one; more are counted in one warning, so 1000 tiny attachments cannot
#: flood the result.
_NAMED_REFUSALS: Final = 10


@dataclass
class Split:
    """The attachments of one message, in document order (a message before its own)."""

    limits: ParserLimits
    attachments: list[Attachment] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    refused: int = 0

    def add(self, name: str | None, content: bytes, parent: int | None) -> int | None:
        """The new attachment's index, or None (and a warning) when it is refused."""
        problem = self._problem(content)
        if problem is not None:
            self.refuse(name, problem)
            return None
        self.attachments.append(Attachment(
            filename=clean_filename(name), media_type=_sniffed(content), content=content,
            parent=parent,
        ))  # fmt: skip
        return len(self.attachments) - 1

    def refuse(self, name: str | None, problem: str) -> None:
        self.refused += 1
        if self.refused <= _NAMED_REFUSALS:
            shown = clean_filename(name) or "unnamed"
            self.warnings.append(f"attachment {shown[:200]!r} not split off: {problem}")

    def finished(self) -> "Split":
        unnamed = self.refused - _NAMED_REFUSALS
        if unnamed > 0:
            self.warnings.append(f"{unnamed} more attachments not split off (limits as above)")
        return self

    def _problem(self, content: bytes) -> str | None:
        limits = self.limits
        if len(self.attachments) >= limits.max_attachments:
            return f"a message splits off at most {limits.max_attachments} attachments"
        if not content:
            return "it is empty"
        if len(content) > limits.max_attachment_bytes:
            return (
                f"{len(content)} bytes, more than the limit of {limits.max_attachment_bytes} bytes"
            )
        return None


def split_eml(content: bytes, limits: ParserLimits) -> Split:
    split = Split(limits)
    _walk_eml(_parsed_eml(content), split, depth=1, parent=None)
    return split.finished()


def split_msg(content: bytes, limits: ParserLimits) -> Split:
    split = Split(limits)
    message = extract_msg.openMsg(content)
    try:
        walk_msg(message, split, depth=1, parent=None)
    finally:
        message.close()
    return split.finished()


def _parsed_eml(content: bytes) -> EmailMessage:
    # The default policy (not compat32) makes EmailMessage objects and decodes RFC 2047 words.
    message = BytesParser(policy=policy.default).parsebytes(content)
    assert isinstance(message, EmailMessage), "the default policy makes EmailMessage objects"
    return message


def _walk_eml(message: EmailMessage, split: Split, *, depth: int, parent: int | None) -> None:
    for part in message.iter_attachments():
        name, content = _eml_part(part)
        if depth > split.limits.max_attachment_depth:
            split.refuse(name, _too_deep(split.limits))
            continue
        index = split.add(name, content, parent)
        if index is not None:
            _open_nested(split, index, depth=depth)


def _eml_part(part: EmailMessage) -> tuple[str | None, bytes]:
    """A part's file name and bytes; an attached message (message/rfc822) as it was sent."""
    name = part.get_filename()
    if part.get_content_type() == "message/rfc822":
        inner = part.get_payload()
        nested = inner[0] if isinstance(inner, list) and inner else None
        content = nested.as_bytes() if isinstance(nested, EmailMessage) else b""
        return name or "message.eml", content
    payload = part.get_payload(decode=True)
    return name, payload if isinstance(payload, bytes) else b""


def _open_nested(split: Split, index: int, *, depth: int) -> None:
    """Split off the attachments of an attachment that is itself a message."""
    attachment = split.attachments[index]
    try:
        if attachment.media_type == EML:
            _walk_eml(_parsed_eml(attachment.content), split, depth=depth + 1, parent=index)
        elif attachment.media_type == MSG:
            nested = extract_msg.openMsg(attachment.content)
            try:
                walk_msg(nested, split, depth=depth + 1, parent=index)
            finally:
                nested.close()
    except MemoryError:
        raise
    except Exception as exc:
        # The message itself is split off all the same; its own reading explains its failure.
        split.warnings.append(
            f"attachments of the attached message {attachment.filename or 'unnamed'!r} not "
            f"split off: reading it raised {type(exc).__name__}"
        )


def walk_msg(message: object, split: Split, *, depth: int, parent: int | None) -> None:
    """The attachments of an extract-msg message (or an object shaped like one)."""
    for item in getattr(message, "attachments", None) or []:
        name = getattr(item, "longFilename", None) or getattr(item, "shortFilename", None)
        if depth > split.limits.max_attachment_depth:
            split.refuse(name, _too_deep(split.limits))
            continue
        data = getattr(item, "data", None)
        if isinstance(data, bytes):
            index = split.add(name, data, parent)
            if index is not None:
                _open_nested(split, index, depth=depth)
        else:
            _embedded_msg(split, name, data, depth=depth, parent=parent)


def _embedded_msg(
    split: Split, name: str | None, data: object, *, depth: int, parent: int | None
) -> None:
    """An Outlook item embedded in a message: split off as a .msg file of its own."""
    export = getattr(data, "exportBytes", None)
    if not callable(export):
        split.refuse(name, "an embedded item of a kind docflow does not read")
        return
    content = export()
    index = split.add(name or "message.msg", content if isinstance(content, bytes) else b"", parent)
    if index is not None:
        walk_msg(data, split, depth=depth + 1, parent=index)


def _too_deep(limits: ParserLimits) -> str:
    return f"it is inside messages nested deeper than {limits.max_attachment_depth}"


def _sniffed(content: bytes) -> str:
    try:
        return sniff(content)
    except UnsupportedContentError:
        return UNKNOWN_TYPE
