"""E-mail (EML and Outlook MSG): the headers people read, then the message text, one page.

Attachments are named in an ``Attachments`` line, not read here: each is split off as a
document of its own (:mod:`~docflow_extract.backends.local.attachments`).
"""

import time
from dataclasses import dataclass
from email import policy
from email.message import EmailMessage, Message
from email.parser import BytesParser

import extract_msg

from docflow_events.v1 import Page
from docflow_extract.backends.local.document import ParsedDocument
from docflow_extract.backends.local.formats import DocumentFormat
from docflow_extract.backends.local.markup import html_text
from docflow_extract.backends.local.reader import ReaderContext
from docflow_extract.backends.local.text_cleanup import clean_text

HEADERS = ("From", "To", "Cc", "Date", "Subject")


@dataclass(frozen=True)
class Attachment:
    name: str
    media_type: str
    size: int


@dataclass
class Mail:
    headers: dict[str, str]
    body: str
    attachments: list[Attachment]


def read_eml(content: bytes, context: ReaderContext) -> ParsedDocument:  # noqa: ARG001
    started = time.perf_counter()
    # The default policy (not compat32) makes EmailMessage objects and decodes RFC 2047 words.
    message = BytesParser(policy=policy.default).parsebytes(content)
    headers = {name: " ".join(str(message.get(name, "")).split()) for name in HEADERS}
    mail = Mail(headers, _eml_body(message), _eml_attachments(message))
    return mail_document(DocumentFormat.EML, mail, started)


def _eml_body(message: EmailMessage) -> str:
    part = message.get_body(preferencelist=("plain", "html"))
    if part is None:
        return ""
    text = _decoded(part)
    return html_text(text)[0] if part.get_content_subtype() == "html" else text


def _decoded(part: Message) -> str:
    payload = part.get_payload(decode=True)
    data = payload if isinstance(payload, bytes) else b""
    try:
        return data.decode(part.get_content_charset() or "utf-8", errors="replace")
    except LookupError:  # a charset Python does not know
        return data.decode("utf-8", errors="replace")


def _eml_attachments(message: EmailMessage) -> list[Attachment]:
    found = []
    for part in message.iter_attachments():
        payload = part.get_payload(decode=True)
        size = len(payload) if isinstance(payload, bytes) else 0
        name = part.get_filename() or "unnamed"
        found.append(Attachment(name, part.get_content_type(), size))
    return found


def read_msg(content: bytes, context: ReaderContext) -> ParsedDocument:  # noqa: ARG001
    started = time.perf_counter()
    message = extract_msg.openMsg(content)
    try:
        mail = msg_mail(message)
    finally:
        message.close()
    return mail_document(DocumentFormat.MSG, mail, started)


def msg_mail(message: object) -> Mail:
    """What an extract-msg message holds; other Outlook items (tasks, contacts) lack fields."""
    values = {
        "From": getattr(message, "sender", None),
        "To": getattr(message, "to", None),
        "Cc": getattr(message, "cc", None),
        "Date": getattr(message, "date", None),
        "Subject": getattr(message, "subject", None),
    }
    headers = {name: " ".join(str(value or "").split()) for name, value in values.items()}
    body = getattr(message, "body", None) or ""
    attachments = [_msg_attachment(item) for item in getattr(message, "attachments", [])]
    return Mail(headers, str(body), attachments)


def _msg_attachment(item: object) -> Attachment:
    name = getattr(item, "longFilename", None) or getattr(item, "shortFilename", None)
    data = getattr(item, "data", None)
    size = len(data) if isinstance(data, bytes) else 0
    media_type = getattr(item, "mimetype", None) or "application/octet-stream"
    return Attachment(str(name or "unnamed"), str(media_type), size)


def mail_document(fmt: DocumentFormat, mail: Mail, started: float) -> ParsedDocument:
    lines = [f"{name}: {value}" for name, value in mail.headers.items() if value]
    if mail.attachments:
        lines.append("Attachments: " + ", ".join(item.name for item in mail.attachments))
    text = clean_text("\n".join([*lines, "", mail.body]))
    page = Page(number=1, text=text, method="text", seconds=time.perf_counter() - started)
    return ParsedDocument(media_type=fmt, pages=[page])
