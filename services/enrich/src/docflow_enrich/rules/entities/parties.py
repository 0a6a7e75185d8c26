"""The parties to an agreement: the organisations and people bound by it.

Evidence, strongest first: the opening's list of parties (:mod:`.preamble`); for a letter
agreement, the addressee and the organisations that sign (:mod:`.signatures`); organisations
the opening gives a defined term ("Dolby Laboratories, Inc. (the "Company")"); the
organisations heading the signature blocks, when the opening yields fewer than two; and, where
the opening leaves a party unnamed ("the undersigned", "____", "I", "you"), the person who signs.
"""

import re

from docflow_enrich.rules.entities.names import ORG, is_name, same_party
from docflow_enrich.rules.entities.names import clean_name as _clean
from docflow_enrich.rules.entities.preamble import read_preamble
from docflow_enrich.rules.entities.signatures import (
    letter_addressees,
    signature_lines,
    signing_organisations,
    signing_people,
)
from docflow_enrich.rules.text import clean, flatten, lines, strip_filing_header

_DEFINED = re.compile(r"[^.;]{0,200}?\((?:[^()]{0,60}?)\"[A-Z][^\"]{0,40}\"[^()]{0,20}\)")
_FIRST_PERSON = re.compile(
    r"\b(?:my\s+employment|I\s+agree|I\s+acknowledge|I,|you\s+agree|your\s+employment)\b"
)
_DEFINED_OPENING_CHARS = 1500
_MAX_DEFINED = 2


def find_parties(text: str) -> list[str]:
    """Cleaned party names in the order the document introduces them, without repeats."""
    cleaned = clean(text)
    return parties_in(strip_filing_header(flatten(cleaned)), lines(cleaned))


def parties_in(flat: str, all_lines: list[str]) -> list[str]:
    """:func:`find_parties` on text already prepared: flattened without its filing header,
    and as cleaned lines."""
    block = signature_lines(all_lines)
    preamble = read_preamble(flat)
    found = list(preamble.names)
    addressees = letter_addressees(all_lines)
    if addressees is not None:
        found += addressees + signing_organisations(block)
    if not found:
        found = defined_organisations(flat[:_DEFINED_OPENING_CHARS])
    if len(found) < 2 and not preamble.unnamed:
        # The organisations heading the signature blocks are parties the opening missed.
        found += signing_organisations(block)
    if preamble.unnamed or len(found) < 2 or _FIRST_PERSON.search(flat[:600]):
        found += signing_people(block)
    return _unique(found)


def defined_organisations(opening: str) -> list[str]:
    """Organisations of the opening that are given a defined term in parentheses."""
    found: list[str] = []
    for match in ORG.finditer(opening):
        if _DEFINED.match(opening, match.end()) and is_name(match.group()):
            found.append(_clean(match.group()))
        if len(found) == _MAX_DEFINED:
            break
    return found


def _unique(names: list[str]) -> list[str]:
    kept: list[str] = []
    for name in names:
        if name and not any(same_party(name, other) for other in kept):
            kept.append(name)
    return kept
