"""Whether streamed content is text, in which Unicode encoding, and what kind of text.

The encoding is chosen once from the first kilobyte (a byte-order mark, or where the zero
bytes of UTF-16 and UTF-32 fall), then the whole content must decode in it without binary
control characters. HTML (also after an XML prolog) and e-mail are told from the decoded start.
"""

import codecs
import re
from typing import Final

HEAD_SIZE: Final = 1024
# Longest first: the UTF-32 little-endian mark starts with the UTF-16 one.
BOMS: Final[tuple[tuple[bytes, str], ...]] = (
    (b"\xff\xfe\x00\x00", "utf-32"),
    (b"\x00\x00\xfe\xff", "utf-32"),
    (b"\xff\xfe", "utf-16"),
    (b"\xfe\xff", "utf-16"),
)
_MIN_UNITS: Final = 8
# Text in a Latin script has a zero high byte in nearly every code unit; binary data does not.
_ZERO_SHARE: Final = 0.9
_STRAY_SHARE: Final = 0.05
#: Control characters text may not contain (tab, line feed, form feed, return are allowed).
CONTROLS: Final = re.compile("[\x00-\x08\x0b\x0e-\x1f\x7f]")
CONTROL_BYTES: Final = re.compile(b"[\x00-\x08\x0b\x0e-\x1f\x7f]")
#: The tags the WHATWG sniffing algorithm takes as the start of an HTML document.
HTML_STARTS: Final = (
    "<!doctype html", "<html", "<head", "<script", "<iframe", "<h1", "<div", "<font",
    "<table", "<a", "<style", "<title", "<b", "<body", "<br", "<p", "<!--",
)  # fmt: skip
HTML_TAG_ENDS: Final = (" ", ">", "\t", "\n", "\r", "\x0c")
# Header fields only a mail system writes: a typed memo has From and To, never these.
MAIL_FIELDS: Final = frozenset({"message-id", "mime-version", "received", "return-path"})


def unicode_encoding(head: bytes) -> str | None:
    """The codec of UTF-16 or UTF-32 text starting with ``head``, else ``None``."""
    for bom, codec in BOMS:
        if head.startswith(bom):
            return codec
    return _by_zero_bytes(head)


def _by_zero_bytes(head: bytes) -> str | None:
    head = head[: len(head) // 4 * 4]
    if len(head) < 4 * _MIN_UNITS or b"\x00" not in head:
        return None
    lanes = [head[lane::4].count(0) / (len(head) // 4) for lane in range(4)]
    if lanes[2] == lanes[3] == 1.0 and lanes[0] <= _STRAY_SHARE:
        return "utf-32-le"
    if lanes[0] == lanes[1] == 1.0 and lanes[3] <= _STRAY_SHARE:
        return "utf-32-be"
    odd, even = (lanes[1] + lanes[3]) / 2, (lanes[0] + lanes[2]) / 2
    if odd >= _ZERO_SHARE and even <= _STRAY_SHARE:
        return "utf-16-le"
    if even >= _ZERO_SHARE and odd <= _STRAY_SHARE:
        return "utf-16-be"
    return None


def charset(codec: str) -> str:
    """The IANA name of a Python codec name used here: utf-16-le is UTF-16LE."""
    return codec.replace("-le", "le").replace("-be", "be")


class TextCheck:
    """Feed every chunk; then ``ok`` says whether it all decoded as text in ``encoding``."""

    def __init__(self) -> None:
        self._pending = bytearray()
        self._decoder: codecs.IncrementalDecoder | None = None
        self.encoding = "utf-8"
        self.head = ""  # the decoded start, for telling HTML and e-mail from other text
        self.ok = True
        #: No control bytes at all: 8-bit text in a legacy charset (an e-mail) can be this.
        self.clean_bytes = True

    def feed(self, chunk: bytes, *, final: bool = False) -> None:
        if self.clean_bytes and self.encoding == "utf-8" and CONTROL_BYTES.search(chunk):
            self.clean_bytes = False
        if self._decoder is None:
            self._pending += chunk
            if len(self._pending) < HEAD_SIZE and not final:
                return
            chunk = bytes(self._pending)
            self._start(chunk)
        self._decode(chunk, final)

    def _start(self, head: bytes) -> None:
        self.encoding = unicode_encoding(head[:HEAD_SIZE]) or "utf-8"
        if self.encoding != "utf-8":
            self.clean_bytes = False  # zero bytes are how UTF-16 and UTF-32 look
        self._decoder = codecs.getincrementaldecoder(self.encoding)("strict")

    def _decode(self, chunk: bytes, final: bool) -> None:
        if not self.ok or self._decoder is None:
            return
        try:
            text = self._decoder.decode(chunk, final=final)
        except UnicodeDecodeError:
            self.ok = False
            return
        if len(self.head) < HEAD_SIZE:
            self.head += text[: HEAD_SIZE - len(self.head)]
        if CONTROLS.search(text):
            self.ok = False


def looks_like_html(text: str) -> bool:
    """The WHATWG start tags, also after a byte-order mark, an XML prolog or comments."""
    start = _skip_prolog(text.lstrip("\ufeff \t\n\r\x0c").lower())
    return any(
        start.startswith(tag) and start[len(tag) : len(tag) + 1] in HTML_TAG_ENDS
        for tag in HTML_STARTS
    )


def _skip_prolog(text: str) -> str:
    while text.startswith("<?xml"):
        end = text.find("?>")
        if end == -1:
            return text
        text = text[end + 2 :].lstrip(" \t\n\r\x0c")
    return text


def looks_like_mail(text: str) -> bool:
    """An RFC 5322 message: header fields up to a blank line, From and a mail system's field."""
    block, blank, _ = text.lstrip("\ufeff").replace("\r\n", "\n").partition("\n\n")
    lines = block.split("\n")
    if not blank:
        lines = lines[:-1]  # the head may end inside a field
    names: set[str] = set()
    for line in lines:
        if line[:1] in (" ", "\t"):
            continue  # a folded continuation of the field above
        name, colon, _ = line.partition(":")
        if not colon or not name or not all(33 <= ord(c) <= 126 for c in name):
            return False
        names.add(name.lower())
    return "from" in names and bool(names & MAIL_FIELDS)
