"""E-mail attachments split off as documents of their own: the split, its limits, the ids."""

from collections.abc import Sequence
from datetime import UTC, datetime
from email.message import EmailMessage
from pathlib import Path
from types import SimpleNamespace

import pytest

from docflow_events import Envelope, EventData
from docflow_events.v1 import Cost, DocumentReceived, ExtractionCompleted, ExtractionResult
from docflow_extract.attachments import attachment_id
from docflow_extract.backends.base import (
    Attachment,
    Extraction,
    ExtractionBackend,
    ExtractionRequest,
)
from docflow_extract.backends.errors import DocumentRejectedError
from docflow_extract.backends.local.attachments import Split, walk_msg
from docflow_extract.backends.local.backend import LocalBackend
from docflow_extract.backends.local.limits import ParserLimits
from docflow_extract.backends.local.parse import parse
from docflow_extract.stage import Extract
from docflow_runtime.blobstore import LocalBlobStore
from docflow_testing.hostile import docx_zip_bomb

EML = "message/rfc822"
PNG = b"\x89PNG\r\n\x1a\n" + bytes(64)


def _message(
    subject: str = "Signed contract", body: str = "Please find it attached."
) -> EmailMessage:
    message = EmailMessage()
    message["From"] = "Alice <alice@example.com>"
    message["To"] = "bob@example.com"
    message["Subject"] = subject
    message["Message-ID"] = f"<{abs(hash(subject))}@example.com>"
    message.set_content(body)
    return message


def _attach(
    message: EmailMessage, data: bytes, name: str, kind: str = "application/octet-stream"
) -> None:
    main, sub = kind.split("/")
    message.add_attachment(data, maintype=main, subtype=sub, filename=name)


def _split(backend: LocalBackend, content: bytes, *, split: bool = True) -> Extraction:
    return backend.extract_with_attachments(
        ExtractionRequest(
            document_id="mail-1", media_type=EML, content=content, split_attachments=split
        )
    )


def test_each_attachment_comes_out_with_its_sniffed_type(
    backend: LocalBackend, samples: Path
) -> None:
    pdf = (samples / "invoices" / "AmazonWebServices.pdf").read_bytes()
    message = _message()
    _attach(message, pdf, "invoice.pdf")
    _attach(message, b"Payment due in 30 days.\n", "terms.txt", "text/plain")
    # The declared type lies; the bytes decide, as they do for uploads.
    _attach(message, PNG, "scan.pdf", "application/pdf")
    extraction = _split(backend, message.as_bytes())
    got = [(a.filename, a.media_type, a.parent) for a in extraction.attachments]
    assert got == [
        ("invoice.pdf", "application/pdf", None),
        ("terms.txt", "text/plain; charset=utf-8", None),
        ("scan.pdf", "image/png", None),
    ]
    assert extraction.attachments[0].content == pdf
    assert extraction.result.warnings == []
    assert "Attachments: invoice.pdf, terms.txt, scan.pdf" in extraction.result.pages[0].text


def test_file_names_lose_paths_and_control_characters(backend: LocalBackend) -> None:
    message = _message()
    _attach(message, b"hello\n", "..\\..\\windows\\evil\x07name.txt", "text/plain")
    (attachment,) = _split(backend, message.as_bytes()).attachments
    assert attachment.filename == "evilname.txt"


def test_a_message_that_is_itself_an_attachment_is_not_split_again(backend: LocalBackend) -> None:
    message = _message()
    _attach(message, b"hello\n", "a.txt", "text/plain")
    extraction = _split(backend, message.as_bytes(), split=False)
    assert extraction.attachments == []
    assert extraction.result.warnings == []


def test_a_thousand_tiny_attachments_split_off_the_first_fifty_and_warn_briefly(
    backend: LocalBackend,
) -> None:
    message = _message()
    for number in range(1000):
        _attach(message, f"note {number}\n".encode(), f"note-{number}.txt", "text/plain")
    extraction = _split(backend, message.as_bytes())
    assert len(extraction.attachments) == 50
    assert [a.filename for a in extraction.attachments[:2]] == ["note-0.txt", "note-1.txt"]
    warnings = extraction.result.warnings
    assert len(warnings) == 11
    assert (
        warnings[0]
        == "attachment 'note-50.txt' not split off: a message splits off at most 50 attachments"
    )
    assert warnings[-1] == "940 more attachments not split off (limits as above)"


def test_oversized_and_empty_attachments_are_warnings_not_failures() -> None:
    message = _message()
    _attach(message, b"x" * 2000, "big.txt", "text/plain")
    _attach(message, b"", "empty.txt", "text/plain")
    _attach(message, b"small\n", "small.txt", "text/plain")
    limits = ParserLimits(max_attachment_bytes=1000)
    extraction = parse(
        ExtractionRequest(document_id="m", media_type=EML, content=message.as_bytes()),
        context=SimpleNamespace(limits=limits),  # type: ignore[arg-type]  # mail needs no OCR
    )
    assert [a.filename for a in extraction.attachments] == ["small.txt"]
    assert extraction.result.warnings == [
        "attachment 'big.txt' not split off: 2000 bytes, more than the limit of 1000 bytes",
        "attachment 'empty.txt' not split off: it is empty",
    ]


def test_a_zip_bomb_named_pdf_is_split_off_and_fails_on_its_own(backend: LocalBackend) -> None:
    bomb = docx_zip_bomb(300)
    message = _message()
    _attach(message, bomb, "invoice.pdf", "application/pdf")
    extraction = _split(backend, message.as_bytes())
    (attachment,) = extraction.attachments
    assert attachment.media_type.endswith("wordprocessingml.document")  # what the bytes are
    assert extraction.result.pages[0].text.startswith("From: Alice")
    with pytest.raises(DocumentRejectedError, match="refused as a zip bomb"):
        backend.extract(
            ExtractionRequest(document_id="child", media_type=attachment.media_type, content=bomb)
        )


def test_unknown_content_is_split_off_as_octet_stream_and_refused_when_read(
    backend: LocalBackend,
) -> None:
    message = _message()
    _attach(message, b"MZ\x90\x00" + bytes(200), "setup.exe")
    (attachment,) = _split(backend, message.as_bytes()).attachments
    assert attachment.media_type == "application/octet-stream"
    with pytest.raises(DocumentRejectedError, match="executable"):
        backend.extract(
            ExtractionRequest(
                document_id="c", media_type=attachment.media_type, content=attachment.content
            )
        )


def _nested(levels: int) -> EmailMessage:
    """A message holding a message holding ... ``levels`` deep, each with a text file."""
    inner = _message("level 0")
    _attach(inner, b"deepest\n", "level-0.txt", "text/plain")
    for level in range(1, levels):
        outer = _message(f"level {level}")
        _attach(outer, f"file of level {level}\n".encode(), f"level-{level}.txt", "text/plain")
        outer.add_attachment(inner, filename=f"forward-{level}.eml")
        inner = outer
    return inner


def test_nested_messages_are_split_to_the_depth_limit(backend: LocalBackend) -> None:
    extraction = _split(backend, _nested(20).as_bytes())
    got = [(a.filename, a.media_type, a.parent) for a in extraction.attachments]
    # Depth 1: the message's own files; 2 and 3: those of the messages attached to it.
    assert got == [
        ("level-19.txt", "text/plain; charset=utf-8", None),
        ("forward-19.eml", EML, None),
        ("level-18.txt", "text/plain; charset=utf-8", 1),
        ("forward-18.eml", EML, 1),
        ("level-17.txt", "text/plain; charset=utf-8", 3),
        ("forward-17.eml", EML, 3),
    ]
    too_deep = "not split off: it is inside messages nested deeper than 3"
    assert extraction.result.warnings == [
        f"attachment 'level-16.txt' {too_deep}",
        f"attachment 'forward-16.eml' {too_deep}",
    ]


def test_outlook_attachments_and_embedded_items_are_split_like_mail() -> None:
    # No installed library writes .msg files: extract-msg's objects are stood in for by objects
    # with the same attributes (attachments with data bytes; an embedded message as data).
    embedded = SimpleNamespace(
        exportBytes=lambda: b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(504),
        attachments=[SimpleNamespace(longFilename="inner.txt", data=b"inner text\n")],
    )
    message = SimpleNamespace(attachments=[
        SimpleNamespace(longFilename="C:\\docs\\nda.pdf", data=b"%PDF-1.7\n%%EOF\n"),
        SimpleNamespace(longFilename="forwarded.msg", data=embedded),
        SimpleNamespace(longFilename="link.url", data=None),
    ])  # fmt: skip
    split = Split(ParserLimits())
    walk_msg(message, split, depth=1, parent=None)
    got = [(a.filename, a.media_type, a.parent) for a in split.finished().attachments]
    assert got == [
        ("nda.pdf", "application/pdf", None),
        # An OLE file without Outlook's property stream is nothing docflow reads.
        ("forwarded.msg", "application/octet-stream", None),
        ("inner.txt", "text/plain; charset=utf-8", 1),
    ]
    assert split.warnings == [
        "attachment 'link.url' not split off: an embedded item of a kind docflow does not read"
    ]


# -- the stage: ids, links and blobs --------------------------------------------------------


class _FixedBackend(ExtractionBackend):
    name = "fixed"

    def __init__(self, attachments: list[Attachment]) -> None:
        self._attachments = attachments

    def extract(self, request: ExtractionRequest) -> ExtractionResult:
        return ExtractionResult(
            document_id=request.document_id, media_type=EML, backend="fixed", pages=[],
            cost=Cost(backend="fixed", usd=0.0),
        )  # fmt: skip

    def extract_with_attachments(self, request: ExtractionRequest) -> Extraction:
        attachments = self._attachments if request.split_attachments else []
        return Extraction(result=self.extract(request), attachments=attachments)


def _mail_event(
    store: LocalBlobStore, *, run: int = 1, parent_id: str | None = None
) -> Envelope[EventData]:
    content = store.put_bytes("acme/mail-7/original", b"mail")
    data = DocumentReceived(
        document_id="mail-7", tenant="acme", content=content, filename="mail.eml",
        media_type=EML, received_at=datetime(2026, 3, 1, tzinfo=UTC), run=run,
        parent_id=parent_id,
    )  # fmt: skip
    return Envelope[EventData].wrap(data, id=f"evt-{run}", source="/docflow/ingest")


_TREE = [
    Attachment(filename="a.pdf", media_type="application/pdf", content=b"%PDF-a"),
    Attachment(filename="fwd.eml", media_type=EML, content=b"From: x"),
    Attachment(filename="b.txt", media_type="text/plain; charset=utf-8", content=b"b", parent=1),
]


def test_the_stage_announces_each_attachment_linked_to_its_parent(tmp_path: Path) -> None:
    store = LocalBlobStore(tmp_path)
    stage = Extract(store, _FixedBackend(_TREE))
    completed, *children = stage.handle(_mail_event(store))
    assert isinstance(completed, ExtractionCompleted)
    assert completed.document_id == "mail-7"
    assert all(isinstance(child, DocumentReceived) for child in children)
    received = [child for child in children if isinstance(child, DocumentReceived)]
    a, fwd = attachment_id("acme", "mail-7", 1, 0), attachment_id("acme", "mail-7", 1, 1)
    b = attachment_id("acme", fwd, 1, 0)  # a child of the attached message, of its first run
    assert [(c.document_id, c.parent_id, c.filename, c.run) for c in received] == [
        (a, "mail-7", "a.pdf", 1), (fwd, "mail-7", "fwd.eml", 1), (b, fwd, "b.txt", 1),
    ]  # fmt: skip
    assert len({a, fwd, b, "mail-7"}) == 4
    assert [store.read(c.content.url) for c in received] == [b"%PDF-a", b"From: x", b"b"]
    assert received[0].content.url.endswith(f"acme/2026/03/01/{a}/original")
    assert received[0].received_at < received[1].received_at < received[2].received_at


def test_a_redelivered_message_announces_the_same_documents_and_a_new_run_new_ones(
    tmp_path: Path,
) -> None:
    store = LocalBlobStore(tmp_path)
    stage = Extract(store, _FixedBackend(_TREE))
    first = stage.handle(_mail_event(store))[1:]
    again = stage.handle(_mail_event(store))[1:]
    second_run = stage.handle(_mail_event(store, run=2))[1:]

    def ids(events: Sequence[EventData]) -> list[str]:
        return [event.document_id for event in events]

    def refs(events: Sequence[EventData]) -> list[object]:
        return [getattr(event, "content", None) for event in events]

    assert ids(again) == ids(first)
    assert refs(again) == refs(first)
    assert not set(ids(second_run)) & set(ids(first))
    assert attachment_id("acme", "mail-7", 2, 0) in ids(second_run)


def test_an_attachment_that_is_a_message_announces_nothing_more(tmp_path: Path) -> None:
    store = LocalBlobStore(tmp_path)
    stage = Extract(store, _FixedBackend(_TREE))
    (completed,) = stage.handle(_mail_event(store, parent_id="mail-0"))
    assert isinstance(completed, ExtractionCompleted)
