"""Who signs, and to whom a letter agreement is addressed.

A signature block names an organisation on a line of its own, followed by "By:" and the
officer who signs for it (who is not a party); a person who signs for themself has no
organisation above the signature. A letter agreement names its addressee in the address block
above the salutation ("Dear Mr. Park:", "Ladies and Gentlemen:").
"""

import re

from docflow_enrich.rules.entities.names import ORG, PERSON, clean_name, is_name

_BLOCK_START = re.compile(
    r"IN\s+WITNESS\s+WHEREOF|Very\s+truly\s+yours|Sincerely|Accepted\s+and\s+agreed"
    r"|Agreed\s+(?:to\s+)?and\s+accepted|ACKNOWLEDGED\s+AND\s+AGREED|Signature\s+Page",
    re.I,
)
_SALUTATION = re.compile(r"^(?:Dear\s+[^:,]{1,60}[:,]|(?:Ladies\s+and\s+)?Gentlemen\s*[:,])", re.I)
_SIGNED = re.compile(r"^(?:By\s*:\s*)?/s/\s*(?P<name>.+?)\s*$|^Name\s*:\s*(?P<named>.+?)\s*$", re.I)
_BY = re.compile(r"^By\b\s*:?", re.I)
_CLOSING = re.compile(r"Very\s+truly\s+yours|Sincerely|Regards", re.I)
_CAPTION = re.compile(r"^(?:Title|Date|Its|Signature)\s*:?", re.I)
_ORG_CONTEXT_LINES = 3
_LETTER_HEAD_LINES = 30
_TAIL_LINES = 60


def signature_lines(lines: list[str]) -> list[str]:
    """The lines of the signature blocks: from the last closing formula, else the tail."""
    first = len(lines) * 3 // 5
    for index in range(first, len(lines)):
        if _BLOCK_START.search(lines[index]):
            return lines[index:]
    return lines[max(0, len(lines) - _TAIL_LINES) :]


def signing_organisations(block: list[str]) -> list[str]:
    """Organisations written on a line of their own in the signature blocks."""
    return [clean_name(line) for line in block if _is_org_line(line)]


def signing_people(block: list[str]) -> list[str]:
    """People who sign for themselves: a signature with no organisation just above it."""
    people = []
    for index, line in enumerate(block):
        match = _SIGNED.match(line)
        if match is None:
            continue
        name = (match.group("name") or match.group("named") or "").strip()
        person = PERSON.fullmatch(name) if name else None
        if person and not _signs_for_org(block, index):
            people.append(clean_name(person.group()))
    return people


def letter_addressees(lines: list[str]) -> list[str] | None:
    """Parties in a letter's address block, or None when the text is not a letter."""
    head = lines[:_LETTER_HEAD_LINES]
    salutation = next((i for i, line in enumerate(head) if _SALUTATION.match(line)), None)
    if salutation is None:
        return None
    address = head[:salutation]
    found = [clean_name(line) for line in address if _is_org_line(line)]
    if not found and re.match(r"Dear\s+(?:Mr|Mrs|Ms|Dr)\.?\s", head[salutation], re.I):
        found = _addressed_person(address, head[salutation])
    return found


def _addressed_person(address: list[str], salutation: str) -> list[str]:
    surname = salutation.rstrip(":,").split()[-1]
    for line in address:
        if PERSON.fullmatch(line) and line.endswith(surname):
            return [clean_name(line)]
    return []


def _is_org_line(line: str) -> bool:
    candidate = line.strip().rstrip(":,")
    return bool(ORG.fullmatch(candidate)) and is_name(candidate)


def _signs_for_org(block: list[str], index: int) -> bool:
    """Whether the block's heading above this signature is an organisation (so: an officer)."""
    for line in reversed(block[max(0, index - _ORG_CONTEXT_LINES) : index]):
        if not (_SIGNED.match(line) or _BY.match(line) or _CAPTION.match(line)):
            # Under a letter's closing formula signs the writer's representative.
            return _is_org_line(line) or bool(_CLOSING.search(line))
    return False
