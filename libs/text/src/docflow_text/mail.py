"""Whether a text is an e-mail message (RFC 5322), from its start: ingest's sniffing and
extract's format detection must agree on it."""

from typing import Final

# Header fields only a mail system writes: a typed memo has From and To, never these.
MAIL_FIELDS: Final = frozenset({"message-id", "mime-version", "received", "return-path"})


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
