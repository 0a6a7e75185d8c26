"""Who signs, and to whom a letter agreement is addressed.

A signature block names an organisation on a line of its own, followed by "By:" and the
officer who signs for it (who is not a party); a person who signs for themself has no
organisation above the signature. A letter agreement names its addressee in the address block
above the salutation ("Dear Mr. Park:", "Ladies and Gentlemen:").
"""

import re

from docflow_text.names import ORG, PERSON, clean_name, is_name

_BLOCK_START = re.compile(
    r"IN\s+WITNESS\s+WHEREOF|Very\s+truly\s+yours|Sincerely|Accepted\s+and\s+agreed"
    r"|Agreed\s+(?:to\s+)?and\s+accepted|ACKNOWLEDGED\s+AND\s+AGREED|Signature\s+Page",
    re.I,
)
_FORMULA = re.compile(
    r"^(?:Accepted\s+and\s+agreed|Agreed\s+(?:to\s+)?and\s+accepted|Acknowledged\s+and\s+agreed)"
    r"(?:\s+to)?(?:\s+(?:by|as\s+of\s+the\s+date\s+first\s+written\s+above))?\s*:?\s*",
    re.I,
)
_ATTACHMENT = re.compile(r"^(?:SCHEDULE|EXHIBIT|ANNEX|APPENDIX|ATTACHMENT)\b")
_SALUTATION = re.compile(r"^(?:Dear\s+[^:,]{1,60}[:,]|(?:Ladies\s+and\s+)?Gentlemen\s*[:,])", re.I)
_SIGNED = re.compile(r"^(?:By\s*:\s*)?/s/\s*(?P<name>.+?)\s*$|^Name\s*:\s*(?P<named>.+?)\s*$", re.I)
# Conformed signatures, several to a line where blocks stand side by side:
# "/s/ Eric Dean Sprunk By /s/ Jeffrey M. Cava". "By" before one marks an officer signing for
# an organisation.
_CONFORMED = re.compile(r"(?P<by>\bBy\b\s*:?\s*)?/s/\s*(?P<name>.+?)\s*(?=\bBy\b|/s/|$)", re.I)
_BY = re.compile(r"^By\b\s*:?", re.I)
_WITNESS_LABEL = re.compile(r"^(?:Witness|Attest)", re.I)
_TYPED_NAME = re.compile(r"^(?:Name\s*:\s*)?(?P<name>.+?)\s*$", re.I)
_TYPED_NAME_LINES = 3
_SIGNING_DATE = re.compile(r"\s+\d{1,4}[/.-]\d{1,2}[/.-]\d{2,4}$")
_OFFICE = (
    r"(?:Chief|President|Vice|Senior|Executive|Secretary|Treasurer|Director|Manager|Partner"
    r"|General\s+Counsel|CEO|CFO|COO|Chairman|Principal|Managing)"
)
_CLOSING = re.compile(r"Very\s+truly\s+yours|Sincerely|Regards", re.I)
_CAPTION = re.compile(r"^(?:Title|Date|Its|Signature)\s*:?", re.I)
_ORG_CONTEXT_LINES = 3
_ADDRESS = re.compile(r"\d{3,}")
_LETTER_HEAD_LINES = 30
_TAIL_LINES = 60


def signature_lines(lines: list[str]) -> list[str]:
    """The lines of the signature blocks: from the first closing formula or signature of the
    document's last part (with the heading lines above it), else the tail."""
    first = len(lines) * 3 // 5
    for index in range(first, len(lines)):
        if _BLOCK_START.search(lines[index]):
            return _until_attachment(lines[index:])
        if "/s/" in lines[index]:
            return _until_attachment(lines[max(first, index - _ORG_CONTEXT_LINES) :])
    return lines[max(0, len(lines) - _TAIL_LINES) :]


def _until_attachment(block: list[str]) -> list[str]:
    """The block without the schedules and exhibits attached after it, whose lists of
    organisations (competitors, affiliates) are not signatures."""
    for index, line in enumerate(block):
        if index > 0 and _ATTACHMENT.match(line):
            return block[:index]
    return block


def signing_organisations(block: list[str]) -> list[str]:
    """Organisations written on a line of their own in the signature blocks, also after a
    closing formula ("AGREED TO AND ACCEPTED J. Crew Group, Inc.")."""
    lines = (_FORMULA.sub("", line) for line in block)
    return [clean_name(line) for line in lines if _is_org_line(line)]


def signing_people(block: list[str]) -> list[str]:
    """People who sign for themselves: a signature with no organisation just above it (or,
    in blocks side by side, without "By"), nor a witness's label."""
    people = []
    for index, line in enumerate(block):
        for name in _own_signatures(block, index, line):
            # A date written after the signature on its line ("/s/ Raymond L. D'Arcy 11/4/10").
            person = PERSON.fullmatch(_SIGNING_DATE.sub("", name))
            if person:
                people.append(person_name(_typed_name(block, index, person.group())))
    return people


def person_name(name: str) -> str:
    """A person's clean name, in title case when written in capitals ("RAY M. DOLBY")."""
    name = clean_name(name)
    if name.upper() != name:
        return name
    return " ".join(_title(word) for word in name.split())


def _title(word: str) -> str:
    return word if re.fullmatch(r"[IVX]+", word) else word.capitalize()


def _own_signatures(block: list[str], index: int, line: str) -> list[str]:
    """Names of the signatures on this line given by people signing for themselves."""
    conformed = list(_CONFORMED.finditer(line))
    if len(conformed) > 1:
        below = " ".join(block[index + 1 : index + 1 + _TYPED_NAME_LINES])
        return [
            m.group("name")
            for m in conformed
            if not m.group("by") and not _holds_office(below, m.group("name"))
        ]
    if _signs_for_org(block, index):
        return []
    if conformed and not conformed[0].group("by") and conformed[0].start() > 0:
        return [conformed[0].group("name")]
    match = _SIGNED.match(line)
    return [(match.group("name") or match.group("named")).strip()] if match else []


def _holds_office(below: str, name: str) -> bool:
    """Whether the name is typed with an officer's title ("William F. Weissman, Chief
    Financial Officer"): an officer signs for an organisation, not for themself."""
    return bool(re.search(rf"{re.escape(name.strip())}\s*,\s*{_OFFICE}", below))


def _typed_name(block: list[str], index: int, signed: str) -> str:
    """The fuller name typed under a signature ("/s/ Ray Dolby" above "Ray M. Dolby")."""
    words = signed.lower().split()
    for line in block[index + 1 : index + 1 + _TYPED_NAME_LINES]:
        typed = _TYPED_NAME.match(line)
        candidate = typed.group("name") if typed else ""
        found = candidate.lower().split()
        if PERSON.fullmatch(candidate) and found[:1] == words[:1] and found[-1:] == words[-1:]:
            return candidate if len(found) > len(words) else signed
    return signed


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
    """Whether this signature is an officer's (under an organisation's heading) or a
    witness's, rather than a party's own."""
    if _WITNESS_LABEL.match(block[index]):
        return True
    for line in reversed(block[max(0, index - _ORG_CONTEXT_LINES) : index]):
        if _WITNESS_LABEL.match(line):
            return True
        # An organisation's address may stand between its name and the signature.
        if not (
            _SIGNED.match(line) or _BY.match(line) or _CAPTION.match(line) or _ADDRESS.search(line)
        ):
            # Under a letter's closing formula signs the writer's representative.
            return _is_org_line(line) or bool(_CLOSING.search(line))
    return False
