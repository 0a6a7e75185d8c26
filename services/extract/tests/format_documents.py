"""Small real documents of every format the local backend reads, written by the libraries
that read them (or by hand where the format is text), for tests and the benchmark."""

import datetime as dt
import io
import zlib

import openpyxl  # type: ignore[import-untyped]
import pillow_heif
from ebooklib import epub  # type: ignore[import-untyped]
from odf.opendocument import (  # type: ignore[import-untyped]
    OpenDocumentSpreadsheet,
    OpenDocumentText,
)
from odf.table import Table, TableCell, TableRow  # type: ignore[import-untyped]
from odf.text import H, P  # type: ignore[import-untyped]
from PIL import Image, ImageDraw, ImageFont
from pptx import Presentation
from pptx.util import Inches

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
PPTX = "application/vnd.openxmlformats-officedocument.presentationml.presentation"
ODT = "application/vnd.oasis.opendocument.text"
ODS = "application/vnd.oasis.opendocument.spreadsheet"
EPUB = "application/epub+zip"


def xlsx() -> bytes:
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "Invoices"
    sheet.append(["Invoice Number", "Total"])
    sheet.append(["INV-1001", 1250.5])
    sheet.append(["Due", dt.datetime(2024, 3, 1)])
    book.create_sheet("Parties").append(["Customer", "Globex Inc."])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def ods() -> bytes:
    document = OpenDocumentSpreadsheet()
    table = Table(name="Budget")
    for values in (["Item", "Cost"], ["Paper", "12"]):
        row = TableRow()
        for value in values:
            cell = TableCell()
            cell.addElement(P(text=value))
            row.addElement(cell)
        table.addElement(row)
    document.spreadsheet.addElement(table)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def odt() -> bytes:
    document = OpenDocumentText()
    document.text.addElement(H(outlinelevel=1, text="Lease Agreement"))
    document.text.addElement(P(text="Landlord: Acme Ltd"))
    document.text.addElement(P(text="The tenant pays on the first day of each month."))
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def pptx() -> bytes:
    presentation = Presentation()
    first = presentation.slides.add_slide(presentation.slide_layouts[1])
    first.shapes.title.text = "Quarterly Review"
    first.placeholders[1].text = "Revenue grew 12%"
    second = presentation.slides.add_slide(presentation.slide_layouts[5])
    second.shapes.title.text = "Figures"
    shape = second.shapes.add_table(2, 2, Inches(1), Inches(2), Inches(4), Inches(1))
    for (row, column), text in {(0, 0): "Region", (0, 1): "Sales", (1, 0): "North"}.items():
        shape.table.cell(row, column).text = text
    shape.table.cell(1, 1).text = "42"
    out = io.BytesIO()
    presentation.save(out)
    return out.getvalue()


def epub_book() -> bytes:
    book = epub.EpubBook()
    book.set_identifier("docflow-test")
    book.set_title("Handbook")
    book.set_language("en")
    first = epub.EpubHtml(title="One", file_name="one.xhtml")
    first.content = "<h1>Chapter One</h1><p>First words.</p>"
    second = epub.EpubHtml(title="Two", file_name="two.xhtml")
    second.content = "<h1>Chapter Two</h1><p>Second words.</p>"
    # Added in the wrong order on purpose: the spine, not the manifest, is the reading order.
    book.add_item(second)
    book.add_item(first)
    book.toc = [first, second]
    book.add_item(epub.EpubNcx())
    book.add_item(epub.EpubNav())
    book.spine = ["nav", first, second]
    out = io.BytesIO()
    epub.write_epub(out, book)
    return out.getvalue()


RTF = (
    rb"{\rtf1\ansi\ansicpg1252\deff0 {\fonttbl {\f0 Times;}}\f0 "
    rb"Invoice Number: INV-77\par Total: 5\'80 due\par}"
)

EML = (
    b"From: Alice Example <alice@example.com>\r\n"
    b"To: Bob Example <bob@example.com>\r\n"
    b"Date: Tue, 5 Mar 2024 10:00:00 +0000\r\n"
    b"Subject: =?utf-8?q?Contract_r=C3=A9vision?=\r\n"
    b"Message-ID: <1@example.com>\r\n"
    b"MIME-Version: 1.0\r\n"
    b'Content-Type: multipart/mixed; boundary="XX"\r\n'
    b"\r\n"
    b"--XX\r\n"
    b"Content-Type: text/plain; charset=utf-8\r\n"
    b"\r\n"
    b"Please sign the NDA by Friday.\r\n"
    b"--XX\r\n"
    b"Content-Type: application/pdf\r\n"
    b'Content-Disposition: attachment; filename="nda.pdf"\r\n'
    b"Content-Transfer-Encoding: base64\r\n"
    b"\r\n"
    b"JVBERi0xLjQK\r\n"
    b"--XX--\r\n"
)


def word_image(text: str, size: tuple[int, int] = (900, 140)) -> Image.Image:
    image = Image.new("L", size, color=255)
    ImageDraw.Draw(image).text((20, 30), text, fill=0, font=ImageFont.load_default(size=56))
    return image


# Pillow writes HEIC only through pillow-heif's plugin.
pillow_heif.register_heif_opener()


def image_bytes(image: Image.Image, fmt: str, **options: object) -> bytes:
    out = io.BytesIO()
    image.save(out, format=fmt, **options)
    return out.getvalue()


def pdf_with_image_region(words: str, *, in_form: bool = False) -> bytes:
    """A letter-size page with a text layer and, on 3% of its area, an image of ``words``;
    drawn by the page itself or through a form XObject placed by its matrix."""
    scan = word_image(words)
    text = b"".join(
        b"BT /F1 11 Tf 72 %d Td (%s) Tj ET\n" % (720 - 16 * n, line)
        for n, line in enumerate(
            [b"Mutual Non-Disclosure Agreement", b"The parties agree to the terms below."]
        )
    )
    image_dict = b"<< /Type /XObject /Subtype /Image /Width %d /Height %d " % scan.size
    image_dict += b"/ColorSpace /DeviceGray /BitsPerComponent 8 /Filter /FlateDecode"
    form = _stream(
        b"<< /Type /XObject /Subtype /Form /BBox [0 0 300 47] /Matrix [1 0 0 1 72 500] "
        b"/Resources << /XObject << /Im1 5 0 R >> >>",
        b"q 300 0 0 47 0 0 cm /Im1 Do Q",
    )
    draw = b"/Fm1 Do\n" if in_form else b"q 300 0 0 47 72 500 cm /Im1 Do Q\n"
    return _pdf(
        [
            b"<< /Type /Catalog /Pages 2 0 R >>",
            b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 6 0 R "
            b"/Resources << /Font << /F1 4 0 R >> /XObject << /Im1 5 0 R /Fm1 7 0 R >> >> >>",
            b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
            _stream(image_dict, zlib.compress(scan.tobytes())),
            _stream(b"<<", text + draw),
            form,
        ]
    )


def _stream(dictionary: bytes, data: bytes) -> bytes:
    return dictionary + b" /Length %d >>\nstream\n%s\nendstream" % (len(data), data)


def _pdf(objects: list[bytes]) -> bytes:
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\n" % (len(objects) + 1)
    return bytes(out + b"startxref\n%d\n%%%%EOF\n" % xref)
