"""Whether streamed content is text, in which Unicode encoding, and what kind of text.

The encoding is chosen once from the first kilobyte (a byte-order mark, or where the zero
bytes of UTF-16 and UTF-32 fall), then the whole content must decode in it without binary
control characters. HTML (also after an XML prolog) and e-mail are told from the decoded start.
"""

import codecs
import re
from typing import Final

from docflow_text.encoding import unicode_encoding

HEAD_SIZE: Final = 1024
#: Control characters text may not contain (tab, line feed, form feed, return are allowed).
CONTROLS: Final = re.compile("[\x00-\x08\x0b\x0e-\x1f\x7f]")
CONTROL_BYTES: Final = re.compile(b"[\x00-\x08\x0b\x0e-\x1f\x7f]")
#: The tags the WHATWG sniffing algorithm takes as the start of an HTML document.
HTML_STARTS: Final = (
    "<!doctype html", "<html", "<head", "<script", "<iframe", "<h1", "<div", "<font",
    "<table", "<a", "<style", "<title", "<b", "<body", "<br", "<p", "<!--",
)  # fmt: skip
HTML_TAG_ENDS: Final = (" ", ">", "\t", "\n", "\r", "\x0c")


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
