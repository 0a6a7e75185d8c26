"""Governing law: the state or country whose laws govern the agreement.

Reads "governed by the laws of the State of New York", "construed in accordance with the
internal laws of the Commonwealth of Massachusetts", "laws of England and Wales", "governed by
Kansas law". When no
governing-law clause names a place, the place most often written as "the State of X" decides.
"""

import re
from collections import Counter

US_STATES = (
    "Alabama", "Alaska", "Arizona", "Arkansas", "California", "Colorado", "Connecticut",
    "Delaware", "District of Columbia", "Florida", "Georgia", "Hawaii", "Idaho", "Illinois",
    "Indiana", "Iowa", "Kansas", "Kentucky", "Louisiana", "Maine", "Maryland", "Massachusetts",
    "Michigan", "Minnesota", "Mississippi", "Missouri", "Montana", "Nebraska", "Nevada",
    "New Hampshire", "New Jersey", "New Mexico", "New York", "North Carolina", "North Dakota",
    "Ohio", "Oklahoma", "Oregon", "Pennsylvania", "Rhode Island", "South Carolina",
    "South Dakota", "Tennessee", "Texas", "Utah", "Vermont", "Virginia", "Washington",
    "West Virginia", "Wisconsin", "Wyoming",
)  # fmt: skip
OTHER_PLACES = (
    "England and Wales", "England", "Scotland", "Ireland", "Ontario", "British Columbia",
    "Quebec", "Alberta", "Canada", "Germany", "France", "the Netherlands", "Switzerland",
    "Singapore", "Hong Kong", "Israel", "India", "Japan", "Luxembourg", "Bermuda",
    "the Cayman Islands", "the British Virgin Islands", "Norway", "Sweden", "Australia",
)  # fmt: skip

_PLACE = "|".join(re.escape(p) for p in sorted(US_STATES + OTHER_PLACES, key=len, reverse=True))
_LAWS_OF = re.compile(
    rf"\blaws?\s+(?:and\s+[\w\s]{{1,30}}?\s+)?of\s+(?:the\s+)?"
    rf"(?:(?:State|Commonwealth|Province)\s+of\s+)?(?P<place>{_PLACE})\b",
    re.I,
)
# "governed by Kansas law", "construed under New York law".
_PLACE_LAW = re.compile(
    rf"\b(?:governed|construed|interpreted)\s+(?:by|under|in\s+accordance\s+with)\s+(?:the\s+)?"
    rf"(?:internal\s+|substantive\s+)?(?P<place>{_PLACE})\s+law\b",
    re.I,
)
_CLAUSE = re.compile(
    r"govern(?:ed|ing)|constru(?:ed|ction)|interpret(?:ed|ation)|enforced|validity", re.I
)
_STATE_OF = re.compile(rf"\b(?:State|Commonwealth)\s+of\s+(?P<place>{_PLACE})\b", re.I)
_CLAUSE_WINDOW = 250


def find_jurisdiction(flat: str) -> str | None:
    """The governing law's place, spelled as in :data:`US_STATES` / :data:`OTHER_PLACES`."""
    for match in _LAWS_OF.finditer(flat):
        if _CLAUSE.search(flat, max(0, match.start() - _CLAUSE_WINDOW), match.start()):
            return _canonical(match.group("place"))
    named = _PLACE_LAW.search(flat)
    if named:
        return _canonical(named.group("place"))
    counts = Counter(_canonical(m.group("place")) for m in _STATE_OF.finditer(flat))
    return counts.most_common(1)[0][0] if counts else None


def _canonical(place: str) -> str:
    lowered = place.lower()
    for known in US_STATES + OTHER_PLACES:
        if known.lower() == lowered:
            return known.removeprefix("the ")
    return place
