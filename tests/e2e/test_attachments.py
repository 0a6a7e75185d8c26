"""An e-mail message with attachments, through the whole pipeline: the message and each of its
attachments end up stored, as documents of their own, linked both ways."""

import time
from email.message import EmailMessage
from pathlib import Path
from typing import Any

from docflow_tools.stack import Stack


def _message(pdf: bytes) -> bytes:
    message = EmailMessage()
    message["From"] = "Alice Example <alice@example.com>"
    message["To"] = "accounts@example.com"
    message["Subject"] = "Papers for Thursday"
    message["Message-ID"] = "<papers-for-thursday@example.com>"
    message.set_content("Here are the papers for the meeting on Thursday morning.")
    message.add_attachment(pdf, maintype="application", subtype="pdf", filename="papers.pdf")
    notice = "Notice: the office closes at noon on Friday.\n"
    message.add_attachment(notice, filename="notice.txt")
    return message.as_bytes()


def _children(stack: Stack, document_id: str, count: int, timeout: float = 120) -> list[Any]:
    """The message's children once it lists ``count`` of them (the tracker creates each when it
    reads its ``document.received``, so they appear one by one)."""
    deadline = time.monotonic() + timeout
    while True:
        children: list[Any] = stack.client.get(f"/v1/documents/{document_id}").json()["children"]
        if len(children) >= count:
            return children
        assert time.monotonic() < deadline, f"{document_id} lists {children}"
        stack.check_running()
        time.sleep(0.5)


def test_attachments_become_stored_documents_linked_to_their_message(
    stack: Stack, samples: Path
) -> None:
    pdf = (samples / "kleister-nda" / "0564e5bce70dd2df5473d64da16ddbe3.pdf").read_bytes()
    response = stack.post("papers.eml", _message(pdf))
    assert response.status_code == 202, response.text
    message_id = response.json()["id"]
    message = stack.settle(message_id)
    assert message["status"] == "stored", (message, stack.diagnostics())
    assert "Attachments: papers.pdf, notice.txt" in message["result"]["pages"][0]["text"]
    children = _children(stack, message_id, 2)
    assert [(c["filename"], c["media_type"]) for c in children] == [
        ("papers.pdf", "application/pdf"),
        ("notice.txt", "text/plain; charset=utf-8"),
    ]
    for child in children:
        assert child["status_url"].endswith(f"/v1/documents/{child['id']}")
        document = stack.settle(child["id"])
        assert document["status"] == "stored", (document, stack.diagnostics())
        assert document["parent_id"] == message_id
        assert document["parent"]["status_url"].endswith(f"/v1/documents/{message_id}")
        assert document["children"] == []
    nda, notice = (stack.client.get(f"/v1/documents/{c['id']}").json() for c in children)
    assert nda["result"]["classification"]["type"] == "nda"
    assert "the office closes at noon" in notice["result"]["pages"][0]["text"]
    original = stack.client.get(f"/v1/documents/{children[0]['id']}/content")
    assert original.content == pdf
