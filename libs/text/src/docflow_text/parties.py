"""The parties to an agreement: the organisations and people bound by it, by hand rules.

The readings here are the candidates of the learned scorer that names the parties
(:mod:`docflow_text.fields.parties`); :func:`parties_in`, which weighs them by hand, names
them where no scorer is packaged, and tells validate whether an agreement names two.

Evidence, strongest first: the opening's list of parties (:mod:`.preamble`); for a letter
agreement, the addressee and the organisations that sign (:mod:`.signatures`); organisations
the opening gives a defined term ("Dolby Laboratories, Inc. (the "Company")"); the
organisations heading the signature blocks, when the opening yields fewer than two; and, where
the opening leaves a party unnamed ("the undersigned", "____", "I", "you"), the person who signs.

:func:`defined_parties` reads a weaker kind of evidence, for a check that parties are there at
all: the terms a text defines for its parties, ``("Acme")`` after an organisation or a person,
or a role such as ``(the "Recipient")``.
"""

import re
from collections.abc import Iterable

from docflow_text.clean import flat_and_lines
from docflow_text.names import ORG, ORG_SUFFIX, PARTY_ROLES, PERSON, is_name, same_party
from docflow_text.names import clean_name as _clean
from docflow_text.preamble import read_preamble
from docflow_text.signatures import (
    letter_addressees,
    signature_lines,
    signing_organisations,
    signing_people,
)

# The aside before the term may be long ("(together with all other affiliated and/or related
# entities of the foregoing, the "Employer")").
_DEFINED = re.compile(r"[^.;]{0,200}?\((?:[^()]{0,120}?)\"[A-Z][^\"]{0,40}\"[^()]{0,20}\)")
_FIRST_PERSON = re.compile(
    r"\b(?:my\s+employment|I\s+agree|I\s+acknowledge|I,|you\s+agree|your\s+employment)\b"
)
_DEFINED_OPENING_CHARS = 1500
_MAX_DEFINED = 2
# ("Acme"), (the "Company"), (hereinafter referred to as "Recipient"), ('Buyer')
_DEFINED_AS = r"\(\s*(?:the\s+|hereinafter\s+(?:referred\s+to\s+as\s+)?(?:the\s+)?)?"
_DEFINITION = re.compile(_DEFINED_AS + r"[\"']+(?P<term>[^\"'()]{1,40})[\"']+", re.I)
# What a party's description ends with just before its defined term: a legal form, in any case
# ("a Delaware corporation"), or a word that makes it one ("an individual").
_ENTITY_WORD = rf"(?:{ORG_SUFFIX}|(?:bank|trust|partners|individual)\b\.?)"
_ENTITY = re.compile(rf"\b{_ENTITY_WORD}[\s,]*\S{{0,40}}$", re.I)
_ENTITY_CHARS = 120
_APOSTROPHE_CHARS = "'\u2019\u2018`"
_APOSTROPHES = f"[{_APOSTROPHE_CHARS}]"


def find_parties(text: str) -> list[str]:
    """Cleaned party names in the order the document introduces them, without repeats."""
    return parties_in(*flat_and_lines(text), original=text)


def parties_in(flat: str, all_lines: list[str], original: str | None = None) -> list[str]:
    """:func:`find_parties` on text already prepared: flattened without its filing header,
    and as cleaned lines. With the ``original`` text, names keep its typographic
    apostrophes, since a name is spelled as its document writes it."""
    found = _unique(_parties(flat, all_lines))
    return [as_written(name, original) for name in found] if original else found


def _parties(flat: str, all_lines: list[str]) -> list[str]:
    block = signature_lines(all_lines)
    preamble = read_preamble(flat)
    found = list(preamble.names)
    addressees = letter_addressees(all_lines)
    if addressees is not None:
        found += addressees + _writer(signing_organisations(block))
    if not found:
        found = defined_organisations(flat[:_DEFINED_OPENING_CHARS])
    if len(_unique(found)) < 2 and not preamble.unnamed and addressees is None:
        # The organisations heading the signature blocks are parties the opening missed
        # (a letter's were weighed above).
        found += signing_organisations(block)
    # A letter's addressee is the "you" its opening leaves unnamed.
    unnamed = (preamble.unnamed or speaks_unnamed(flat, preamble.names)) and not addressees
    if unnamed or len(_unique(found)) < 2:
        found += signing_people(block)
    return found


def speaks_unnamed(flat: str, listed: list[str]) -> bool:
    """Whether the opening speaks to someone ("your employment", "I agree") its list of
    parties does not name: a list that names a person already holds the one spoken to."""
    named_person = any(PERSON.fullmatch(name) and not ORG.search(name) for name in listed)
    return not named_person and bool(_FIRST_PERSON.search(flat[:600]))


def _writer(signing: list[str]) -> list[str]:
    """The organisation that writes a letter, which signs first. Those signing after it accept
    the letter (the addressee, or funds an addressee manages) and are not named as parties
    unless its address block names them."""
    return signing[:1]


def as_written(name: str, original: str) -> str:
    """The name with the apostrophes the original text gives it, where clean-up had
    straightened them: a typographic apostrophe stays typographic."""
    if "'" not in name:
        return name
    words = (re.escape(word).replace("'", _APOSTROPHES) for word in name.split())
    written = re.search(r"[\s,]+".join(words), original)
    if written is None:
        return name
    marks = iter(char for char in written.group() if char in _APOSTROPHE_CHARS)
    return re.sub("'", lambda _: next(marks, "'"), name)


def defined_organisations(opening: str) -> list[str]:
    """Organisations of the opening that are given a defined term in parentheses."""
    found: list[str] = []
    for match in ORG.finditer(opening):
        if _DEFINED.match(opening, match.end()) and is_name(match.group()):
            found.append(_clean(match.group()))
        if len(found) == _MAX_DEFINED:
            break
    return found


def defined_parties(flat: str, roles: Iterable[str] = PARTY_ROLES) -> set[str]:
    """The terms cleaned, flattened text defines for parties: each term defined just after an
    organisation or a person, or naming one of ``roles``."""
    known = {role.casefold() for role in roles}
    parties: set[str] = set()
    for match in _DEFINITION.finditer(flat):
        term = " ".join(match.group("term").split()).strip(" ,.")
        before = flat[max(0, match.start() - _ENTITY_CHARS) : match.start()]
        if term.casefold() in known or _ENTITY.search(before):
            parties.add(term)
    return parties


def _unique(names: list[str]) -> list[str]:
    kept: list[str] = []
    for name in names:
        if name and not any(same_party(name, other) for other in kept):
            kept.append(name)
    return kept
