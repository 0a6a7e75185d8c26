"""The parties named in an agreement's opening: "by and between X, a Delaware corporation
("X"), and Y ("Y")", "among X, Y and Z", "PARTIES: X and Y", "made by X in favor of Y".

The opening lists each party as a name followed by an optional description (", a Delaware
corporation having its principal place of business at ...") and an optional defined term in
parentheses; parties are separated by "and", commas or semicolons. A blank line left for a
name ("____") or "the undersigned" stands for a party whose name is only in the signature block.

:func:`read_preamble` reads the names; :func:`names_both_sides` only asks whether a "between X
and Y" clause names someone on each side, which holds also where the names are not spelled as
names ("between you and the Company").
"""

import re
from dataclasses import dataclass, field

from docflow_text.names import NAME, ORG, clean_name, is_name

# Words that open a list of the parties, wherever they stand.
_LIST = r"\b(?:by\s+and\s+)?(?:between|among)\s+|\bPARTIES\s*:\s*"
# "made by X", "entered into ... by X": open a list only where a name follows.
_MADE_BY = r"\bmade\s+by\s+(?-i:(?=[A-Z]))"
_ENTERED_BY = r"\b(?:entered\s+into|executed)\b[^.]{0,80}?\bby\s+(?-i:(?=[A-Z]))"
_ANCHOR = re.compile(rf"{_LIST}|{_MADE_BY}|\bcontract\s+between\s+|{_ENTERED_BY}", re.I)
_SIDES = r"(?P<first>[^;:]{1,300}?)\s*,?\s+and\s+(?P<second>[^;:]{1,120})"
_BOTH_SIDES = re.compile(rf"(?:{_LIST}){_SIDES}", re.I)
_NOT_A_PARTY = re.compile(
    r"^(?:the\s+)?(?:parties|party|us|them|you\s+and\s+us|each\s+other|the\s+two|both)\b",
    re.I,
)
_OPENING_CHARS = 2500
_MAX_PARTIES = 8
# Between parties: "and", punctuation, "in favor of", and the drafting aside "on the one hand".
# A parenthetical aside between parties ("(together with the Parent, the "Companies")") too.
_SEPARATOR = re.compile(
    r"(?:\s|,|;|:|\band\b|\bin\s+favou?r\s+of\b|\bwith\b"
    r"|\bon\s+the\s+(?:one|other)\s+hand\b|\((?:[^()]|\([^()]*\))*\))*",
    re.I,
)
_UNNAMED = re.compile(r"(?:the\s+undersigned\b[^(,]*|_{2,}[\s_]*|you\b|me\b)", re.I)
_DEFINITION = re.compile(r"\((?:[^()]|\([^()]*\))*\)")
_NEXT_PARTY = re.compile(r"\s*,?\s+and\s+(?=[A-Z_])|\s*;\s*(?:and\s+)?(?=[A-Z])")
_END = re.compile(r"\s*(?:\.\s|\.$|,?\s+(?:dated|regarding|relating|to\s|as\s+of|is\s|who\s))")
_DESCRIPTION_CHARS = 450
# What follows a defined term when the next party comes next; a comma that opens more
# description (", a Delaware corporation, and ...") does not.
_NAMED_NEXT = re.compile(
    r"\s*(?:,(?!\s*(?:a|an|its|having|with|located|whose|organi[sz]ed|incorporated|formerly"
    r"|which|who|each|both)\b)|;|and\b|in\s+favou?r\s+of\b|with\s+(?=[A-Z])|[A-Z_])"
)
_TERM_AFTER = re.compile(r"\s*,?\s*\((?:[^()\"]{0,60})\"(?P<term>[^\"]{2,40})\"")
_DEFINED_TERM = re.compile(r"\((?:[^()\"]{0,60})\"(?P<term>[^\"]{2,40})\"")
# A full stop before a capital ends the sentence, unless it closes an initial, a legal form or
# a title ("Philip J. Hawk ("Mr. Hawk") and Team Industrial Services, Inc.").
_SENTENCE_END = re.compile(
    r"(?<![A-Z])(?<!Inc)(?<!Co)(?<!Corp)(?<!Ltd)(?<!No)(?<!St)(?<!Mr)(?<!Mrs)(?<!Ms)(?<!Dr)"
    r"\.\s+(?=[A-Z])"
)
# A party's description that names its subsidiaries or affiliates ("for itself and its
# subsidiaries Endo Pharmaceuticals Solutions Inc. and ..."): those are not parties of their own.
_AFFILIATES = re.compile(r"\b(?:its|their)\s+(?:[\w-]+\s+)?(?:subsidiar|affiliat)", re.I)


@dataclass
class Preamble:
    """What the opening says about the parties."""

    names: list[str] = field(default_factory=list)
    unnamed: int = 0


def read_preamble(flat: str) -> Preamble:
    """The parties listed after the first "between"/"among"/"PARTIES:" of the opening."""
    opening = flat[:_OPENING_CHARS]
    anchor = _ANCHOR.search(opening)
    if anchor is None:
        return Preamble()
    found = _read_list(opening, anchor.end())
    found.names = [
        name
        for name in found.names
        if not _is_alias(opening, name) and not _shortens(name, found.names, opening)
    ]
    return found


def _shortens(name: str, names: list[str], opening: str) -> bool:
    """Whether the name is a defined term that is part of another party's name
    ("AHP Servicing, LLC ("Servicing")"): it stands for that party."""
    inside = [other for other in names if other != name and name.lower() in other.lower()]
    defined = (m.group("term").lower() for m in _DEFINED_TERM.finditer(opening))
    return bool(inside) and name.lower() in defined


def names_both_sides(flat: str) -> bool:
    """Whether a "between X and Y" (or "PARTIES: X and Y") clause names someone on each side."""
    return any(
        _names_someone(match.group("first")) and _names_someone(match.group("second"))
        for match in _BOTH_SIDES.finditer(flat)
    )


def _names_someone(side: str) -> bool:
    """Whether a side of the clause names someone, not a blank ("______, a ______")."""
    side = side.strip()
    name = side.split(",", 1)[0]
    return any(char.isalpha() for char in name) and not _NOT_A_PARTY.match(side)


def _is_alias(opening: str, name: str) -> bool:
    """Whether the name is a defined term ("Buyer", "Recipient") given before it is used,
    so it stands for a party named elsewhere; a party may be defined by its own name
    ("Glacier Bank, a subsidiary of GBCI ("Glacier Bank")")."""
    for defined in _DEFINED_TERM.finditer(opening):
        if defined.group("term").lower() == name.lower():
            # Used on its own: not quoted, not the start of a longer name ("... Bank of Nevada").
            alone = rf"(?<!\")\b{re.escape(name)}\b(?!\s+(?:of\s+|and\s+)?(?-i:[A-Z]))"
            used = re.search(alone, opening, re.I)
            return used is None or defined.start() < used.start()
    return False


def _read_list(text: str, pos: int) -> Preamble:
    found = Preamble()
    for _ in range(_MAX_PARTIES):
        pos = _SEPARATOR.match(text, pos).end()  # type: ignore[union-attr]
        name_end = _read_party(text, pos, found)
        if name_end is None:
            break
        following = _skip_description(text, name_end)
        if following is None:
            break
        pos = following
    return found


def _read_party(text: str, pos: int, found: Preamble) -> int | None:
    """Record the party at ``pos``; the position after its name, or None if none is there."""
    unnamed = _UNNAMED.match(text, pos)
    if unnamed:
        found.unnamed += 1
        return unnamed.end()
    match = ORG.match(text, pos) or NAME.match(text, pos)
    if match is None or not is_name(match.group()):
        return _read_defined(text, pos, found)
    found.names.append(clean_name(match.group()))
    return match.end()


def _read_defined(text: str, pos: int, found: Preamble) -> int | None:
    """Record the organisation a term defined earlier stands for, where the list names a party
    by it ("In consideration of his employment by Acme, Inc. ("Company"), ... by and between
    Craig Eudy and the Company"); the position after the term, or None."""
    for term, name in _defined_organisations(text[:pos]).items():
        used = re.compile(rf"(?:the\s+)?{re.escape(term)}\b", re.I).match(text, pos)
        if used:
            found.names.append(name)
            return used.end()
    return None


def _defined_organisations(before: str) -> dict[str, str]:
    """The terms the text defines for organisations, each with the organisation's name."""
    defined: dict[str, str] = {}
    for match in ORG.finditer(before):
        term = _TERM_AFTER.match(before, match.end())
        if term and is_name(match.group()):
            defined.setdefault(term.group("term"), clean_name(match.group()))
    return defined


def _skip_description(text: str, pos: int) -> int | None:
    """The position of the next party after a party's description, or None at the list's end."""
    window = text[pos : pos + _DESCRIPTION_CHARS]
    definition = _DEFINITION.search(window)
    following = _NEXT_PARTY.search(window)
    stop = _SENTENCE_END.search(window)
    if stop:
        window = window[: stop.start()]
        definition = _DEFINITION.search(window)
        following = _NEXT_PARTY.search(window)
    if following and _next_comes_first(window, following, definition):
        return pos + following.end()
    if definition is None:
        return None
    after = pos + definition.end()
    if _END.match(text, after):
        return None
    if _NAMED_NEXT.match(text, after):
        return after
    # The description may go on after the defined term ("("Acme") with offices at ... and").
    following = _NEXT_PARTY.search(window, definition.end())
    return pos + following.end() if following else None


def _next_comes_first(
    window: str, following: re.Match[str], definition: re.Match[str] | None
) -> bool:
    """Whether the next party comes before this one's defined term; not where the
    description names its subsidiaries ("for itself and its subsidiaries X and Y")."""
    if definition is None:
        return True
    before = following.start() < definition.start()
    return before and not _AFFILIATES.search(window, 0, following.start())
