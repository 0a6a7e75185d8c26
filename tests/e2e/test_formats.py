"""Formats people send, through the whole pipeline: sniffed by ingest, read by extract."""

import io

import openpyxl  # type: ignore[import-untyped]
from pptx import Presentation

from docflow_tools.stack import Stack

MAIL = (
    b"From: Alice Example <alice@example.com>\r\nTo: team@example.com\r\n"
    b"Date: Tue, 5 Mar 2024 10:00:00 +0000\r\nSubject: Planning meeting\r\n"
    b"Message-ID: <planning@example.com>\r\nMIME-Version: 1.0\r\n"
    b"Content-Type: text/plain; charset=utf-8\r\n\r\n"
    b"The planning meeting moves to Thursday morning in room four.\r\n"
)


def _workbook() -> bytes:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "Roster"
    sheet.append(["Name", "Team"])
    sheet.append(["Dana Scully", "Research"])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _slides() -> bytes:
    presentation = Presentation()
    slide = presentation.slides.add_slide(presentation.slide_layouts[1])
    slide.shapes.title.text = "Team offsite"
    slide.placeholders[1].text = "We meet in the north building."
    out = io.BytesIO()
    presentation.save(out)
    return out.getvalue()


def test_new_formats_reach_stored_with_their_text(stack: Stack) -> None:
    cases = {
        "roster.xlsx": (_workbook(), "Dana Scully\tResearch"),
        "offsite.pptx": (_slides(), "We meet in the north building."),
        "planning.eml": (MAIL, "Subject: Planning meeting"),
        "notice.txt": (
            "Notice: the office closes at noon on Friday.\n".encode("utf-16"),
            "the office closes at noon",
        ),
    }
    submitted = {}
    for name, (body, _) in cases.items():
        response = stack.post(name, body)
        assert response.status_code == 202, (name, response.text)
        submitted[name] = response.json()["id"]
    for name, document_id in submitted.items():
        document = stack.settle(document_id)
        assert document["status"] == "stored", (name, document, stack.diagnostics())
        text = "\n".join(page["text"] for page in document["result"]["pages"])
        assert cases[name][1] in text, (name, text)
    media_types = {
        name: stack.client.get(f"/v1/documents/{document_id}").json()["media_type"]
        for name, document_id in submitted.items()
    }
    assert media_types == {
        "roster.xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        "offsite.pptx": "application/vnd.openxmlformats-officedocument.presentationml.presentation",
        "planning.eml": "message/rfc822",
        "notice.txt": "text/plain; charset=utf-16",
    }
