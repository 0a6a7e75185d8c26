"""Candidates for an agreement's parties: every name some reading of the agreement offers.

The readings are those of :mod:`docflow_text.parties`: the opening's list of parties, a
letter's addressees, the organisations the opening gives a defined term, the organisations
and the people of the signature blocks, and any organisation the opening names. A name more
than one reading offers is one candidate (:func:`~docflow_text.names.same_party`), spelled as
the first reading in that order spells it. Its features say which readings offer it and
where in each, how the document writes it and how often, and what the document as a whole
offers (how many names its opening lists, whether it is a letter, whether its opening leaves
a party unnamed). How :func:`~docflow_text.parties.parties_in` weighs the readings is not a
feature: that weighing was written while reading the development documents the scorer
learns from.

An agreement has any number of parties: the scorer names every candidate at or above its bar,
and its best one when none reaches it. Another document (a memo, a form) may bind no one, so
there it names only those at or above the bar.
"""

import re
from typing import Final, NamedTuple

from docflow_text.dates import find_dates
from docflow_text.fields.candidate import Candidate, flag
from docflow_text.fields.reading import packaged_field
from docflow_text.names import ORG, PERSON, clean_name, is_name, same_party
from docflow_text.parties import as_written, defined_organisations, speaks_unnamed
from docflow_text.preamble import read_preamble
from docflow_text.signatures import (
    letter_addressees,
    signature_lines,
    signing_organisations,
    signing_people,
)

FIELD: Final = "party"
_OPENING_CHARS = 1500
# An agreement's readings name a handful each (14 at most on the development documents); a text
# naming thousands would cost time quadratic in them, since every pair is compared.
_MAX_PER_READING = 20
#: The readings, in the order that decides a name's spelling.
READINGS: Final = (
    "preamble", "addressee", "defined_org", "signing_org", "signing_person", "opening_org",
)  # fmt: skip


def party_candidates(
    flat: str, all_lines: list[str], original: str | None = None
) -> list[Candidate]:
    """Every party name of an agreement (``flat``: cleaned, flattened, without its filing
    header; ``all_lines``: its cleaned lines) with its features; names keep the ``original``
    text's apostrophes as :func:`~docflow_text.parties.parties_in` keeps them."""
    readings, document = _readings(flat, all_lines)
    groups = _grouped(readings)
    return [
        Candidate(
            FIELD,
            as_written(name, original) if original else name,
            (),
            _features(flat, name, found, readings) | document | _order(rank, len(groups)),
        )
        for rank, (name, found) in enumerate(groups)
    ]


def _readings(flat: str, all_lines: list[str]) -> tuple[dict[str, list[str]], dict[str, float]]:
    """Each reading's names, and the features of the whole document."""
    block = signature_lines(all_lines)
    preamble = read_preamble(flat)
    addressees = letter_addressees(all_lines)
    opening = flat[:_OPENING_CHARS]
    readings = {
        "preamble": list(preamble.names),
        "addressee": addressees or [],
        "defined_org": defined_organisations(opening),
        "signing_org": signing_organisations(block),
        "signing_person": signing_people(block),
        "opening_org": [clean_name(m.group()) for m in ORG.finditer(opening) if is_name(m.group())],
    }
    document = {
        "unnamed": float(preamble.unnamed),
        "letter": flag(addressees is not None),
        "speaks_unnamed": flag(speaks_unnamed(flat, preamble.names)),
    }
    return {name: found[:_MAX_PER_READING] for name, found in readings.items()}, document


def _grouped(readings: dict[str, list[str]]) -> list[tuple[str, dict[str, int]]]:
    """Distinct parties in reading order, each with the first index each reading gives it."""
    groups: list[tuple[str, dict[str, int]]] = []
    for reading in READINGS:
        for index, name in enumerate(readings[reading]):
            if not name or find_dates(name):
                # A date run into a name is a letterhead's: "CONFIDENTIAL April 11 2012 Acme LP".
                continue
            group = next((g for g in groups if same_party(g[0], name)), None)
            if group is None:
                groups.append((name, {reading: index}))
            else:
                group[1].setdefault(reading, index)
    return groups


def _features(
    flat: str, name: str, found: dict[str, int], readings: dict[str, list[str]]
) -> dict[str, float]:
    features: dict[str, float] = {}
    for reading in READINGS:
        features[f"from_{reading}"] = flag(reading in found)
        features[f"{reading}_index"] = float(found.get(reading, -1))
        features[f"{reading}_count"] = float(len(readings[reading]))
    mentions = [m.start() for m in _spelled(name).finditer(flat)]
    return features | {
        "readings": float(len(found)),
        "is_org": flag(bool(ORG.search(name))),
        "is_person": flag(bool(PERSON.fullmatch(name)) and not ORG.search(name)),
        "words": float(len(name.split())),
        "upper": flag(name.upper() == name),
        "mentions": float(len(mentions)),
        "position": mentions[0] / max(len(flat), 1) if mentions else 1.0,
        "in_opening": flag(bool(mentions) and mentions[0] < _OPENING_CHARS),
    }


def _order(rank: int, candidates: int) -> dict[str, float]:
    return {"rank": float(rank), "candidates": float(candidates)}


def _spelled(name: str) -> re.Pattern[str]:
    """The name as the text may write it: any case, its words apart by spaces or commas."""
    return re.compile(r"[\s,]+".join(re.escape(word) for word in name.split()), re.I)


def chosen(confidences: list[float], bar: float, *, at_least_one: bool = True) -> list[int]:
    """The candidates named, by index: every one at or above ``bar``, in order; with
    ``at_least_one`` (an agreement binds someone), the most confident one when none reaches it."""
    named = [index for index, confidence in enumerate(confidences) if confidence >= bar]
    if named or not confidences or not at_least_one:
        return named
    return [max(range(len(confidences)), key=confidences.__getitem__)]


class Weighed(NamedTuple):
    """An agreement's party candidates, the packaged scorer's confidence in each, and its bar."""

    candidates: list[Candidate]
    confidences: list[float]
    bar: float

    def named(self, *, at_least_one: bool = True) -> list[str]:
        """The names :func:`chosen` picks."""
        picked = chosen(self.confidences, self.bar, at_least_one=at_least_one)
        return [str(self.candidates[index].value) for index in picked]


def weighed_parties(flat: str, all_lines: list[str], original: str | None = None) -> Weighed | None:
    """:func:`party_candidates` weighed by the packaged scorer; None when it has no party
    ensemble (the hand rules then name the parties)."""
    model = packaged_field(FIELD)
    if model is None:
        return None
    found = party_candidates(flat, all_lines, original)
    confidences = [model.probability(candidate.features) for candidate in found]
    return Weighed(found, confidences, model.min_confidence)
