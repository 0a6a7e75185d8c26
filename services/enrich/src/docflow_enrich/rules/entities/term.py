"""The agreement's term: how long it, or the confidentiality it imposes, lasts.

Contracts state many durations (non-solicitation periods, notice periods, payment periods);
the term is the one tied to the agreement itself: "the term of this Agreement shall be one (1)
year", "this Agreement shall expire two (2) years from the date hereof", "obligations hereunder
shall terminate five (5) years after ...", "until the third anniversary of the Effective Date".
Each duration is scored by the words that state or end the term before it and by what it runs
from: the agreement's own date counts for it, any later event ("after termination",
"thereafter") rules it out. Durations tied to employment or pay, renewals, and the periods of
covenants (not to solicit, hire, compete or buy shares) describe those, not the term.
"""

import re
from typing import Literal, NamedTuple

from docflow_text.clean import sentences
from docflow_text.dates import ORDINAL_WORDS

_UNITS = (
    "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven",
    "twelve", "thirteen", "fourteen", "fifteen", "sixteen", "seventeen", "eighteen", "nineteen",
)  # fmt: skip
_TENS = ("twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety")
_NUMBERS = {word: number for number, word in enumerate(_UNITS, 1)} | {
    word: number for number, word in zip(range(20, 100, 10), _TENS, strict=True)
}
# "twenty-four", "thirty six": every number a contract spells out below a hundred.
_NUMBERS |= {
    f"{tens}{joint}{unit}": _NUMBERS[tens] + _NUMBERS[unit]
    for tens in _TENS
    for unit in _UNITS[:9]
    for joint in ("-", " ")
}
_WORD = "|".join(re.escape(w) for w in sorted(_NUMBERS, key=len, reverse=True))
_DURATION = re.compile(
    rf"\b(?:(?P<word>{_WORD})\s*(?:\(\s*(?P<paren>\d{{1,3}})\s*\))?|(?P<num>\d{{1,3}}))"
    r"[\s-]*(?P<unit>year|month)s?\b(?!\s+(?:of\s+age|old))",
    re.I,
)
_ENDS = re.compile(
    r"\b(?:expire|expiration|terminate|survive|cease|remain\s+in\s+(?:full\s+)?(?:force|effect)"
    r"|continue\s+in\s+(?:full\s+)?(?:force|effect)|no\s+(?:further\s+)?force|be\s+binding"
    r"|(?:continue\s+to\s+)?be\s+bound|(?:be|is|remain)\s+valid|continue\s+for"
    r"|(?:continue|remain)\s+(?:in\s+(?:full\s+)?(?:force|effect)\s+)?until"
    # "shall be in force for", "be effective for a period of", "last for", "lapse", "end"
    r"|be\s+in\s+(?:full\s+)?(?:force|effect)|be\s+effective\s+for|last\s+for|lapse"
    r"|(?:shall|will)\s+end|apply\s+for|have\s+a\s+duration\s+of)"
    r"|\"term\"\s+means\b[^\"]{0,200}?\bending",
    re.I,
)
# The agreement stating its own length: "The term of this Agreement shall be one (1) year",
# "shall have a term of eighteen months", "the Term shall be for a period of two (2) years".
_STATED = re.compile(
    r"\bterm\s+of\s+this\s+(?:letter\s+)?agreement(?:\s*\([^()]{0,20}\))?\s+(?:(?:shall|will)\s+be|is)\b"
    r"|\b(?:shall|will)\s+have\s+a\s+term\s+of\b|\bthe\s+term\s+(?:shall|will)\s+be\b",
    re.I,
)
# "This Agreement shall terminate ...": the agreement itself ends, not one of its duties.
_ITSELF = re.compile(
    r"(?<!of\s)(?<!under\s)(?<!in\s)\bthis\s+(?:letter\s+)?(?:agreement|nda)\b", re.I
)
# "until the third anniversary of the Effective Date" is a term of three years.
_ORDINALS = {word: number for number, word in enumerate(ORDINAL_WORDS[:10], 1)} | {
    "1st": 1, "2nd": 2, "3rd": 3, "4th": 4, "5th": 5,
}  # fmt: skip
_ANNIVERSARY = re.compile(
    r"\b(?P<ordinal>" + "|".join(_ORDINALS) + r")\s+(?:\(\s*\w{1,4}\s*\)\s+)?anniversary\s+of\s+"
    r"(?:the\s+)?(?:date\s+(?:hereof|of\s+this)|effective\s+date|execution|this\s+agreement)",
    re.I,
)
_AGREEMENT = re.compile(
    r"\b(?:this\s+(?:letter\s+)?agreement|hereunder|hereof|obligations|confidential|nda)\b"
    r"|\"term\"",
    re.I,
)
# What a duration runs from. The agreement's own date makes it the agreement's term; the
# receipt of information leaves it open; any other event ("after termination", "after the
# Director ceases to be a director", "thereafter") makes it a period that starts later.
_START = re.compile(
    r"\s*(?:\([^()]{0,40}\)\s*)?(?:(?P<later>thereafter)\b|(?:from\s+and\s+after|from|after"
    r"|following|commencing\s+(?:on|with)|beginning\s+(?:on|with)|past|beyond)\s+(?P<start>.{0,60}))",
    re.I,
)
_OWN_DATE = re.compile(
    r"(?:the\s+|such\s+)?(?:date\s+(?:hereof|of\s+(?:this|execution)|first|signed|set\s+forth)"
    r"|effective\s+date(?!\s+of\s+(?!this))|execution|signing|(?:the\s+)?date\s+of\s+signature)"
    r"|(?:this|the\s+date\s+of\s+this)\s+(?:letter\s+)?agreement",
    re.I,
)
_RECEIPT = re.compile(
    r"(?:the\s+)?(?:date\s+(?:of\s+)?(?:the\s+)?)?(?:(?:first|initial)\s+)?"
    r"(?:receipt|disclosure|received|(?:the\s+|such\s+)?confidential\s+information)",
    re.I,
)
# Words just before a duration that tie it to something other than the agreement's life.
_NOT_TERM = re.compile(
    r"employ(?!ees?\b)|separation|resignation|salary|compensation|payment|paid|option|solicit"
    r"|hire|benefit|coverage|insurance"
    r"|standstill|purchase|acquir|vot(?:e|ing)|bonus|severance|notice|prior\s+to|preceding"
    r"|within|\bage\b|change\s+in\s+control|compet|renew",
    re.I,
)
# Words just after a duration that make it the period of a covenant ("for a period of one year
# from the Effective Date, neither party shall solicit"; "two years following the termination
# of employment"), not the term of the agreement; so does naming the period after a covenant
# ("(the "Restricted Period")").
_COVENANT_AFTER = re.compile(
    r"\b(?:solicit|hire|employ(?!ees?\b)|compet|acquir|purchas|standstill)|\([^()\"]{0,40}\"[^\"]*Period\"",
    re.I,
)
_FOR_A_PERIOD = re.compile(r"\b(?:for|during)\s+(?:a|the)\s+period\s+of\s+$", re.I)
_ENDS_BEFORE_CHARS = 300
_STATED_BEFORE_CHARS = 80
_ITSELF_BEFORE_CHARS = 100
_NOT_TERM_BEFORE_CHARS = 120
_COVENANT_AFTER_CHARS = 100
_MIN_SCORE = 4


_Start = Literal["own", "open", "later"]


class _Candidate(NamedTuple):
    score: int
    position: int
    term: str


def find_term(flat: str) -> str | None:
    """The term as "2 years", "18 months" or "1 year", or None when the text states none."""
    candidates = [c for i, s in enumerate(sentences(flat)) for c in _candidates(s, i)]
    if not candidates:
        return None
    best = max(candidates, key=lambda c: (c.score, -c.position))
    return best.term


def _candidates(sentence: str, position: int) -> list[_Candidate]:
    found = []
    for match in _DURATION.finditer(sentence):
        score = _score(sentence, match)
        if score >= _MIN_SCORE:
            found.append(_Candidate(score, position, _spell(match)))
    for match in _ANNIVERSARY.finditer(sentence):
        score = _anniversary_score(sentence, match)
        if score >= _MIN_SCORE:
            count = _ORDINALS[match.group("ordinal").lower()]
            found.append(_Candidate(score, position, _years(count)))
    return found


def _anniversary_score(sentence: str, match: re.Match[str]) -> int:
    """An anniversary of the agreement's own date, where the agreement or its duties end."""
    start = match.start()
    if _NOT_TERM.search(sentence, max(0, start - _NOT_TERM_BEFORE_CHARS), start):
        return 0
    ends = _ENDS.search(sentence, max(0, start - _ENDS_BEFORE_CHARS), start)
    return 5 + (1 if _AGREEMENT.search(sentence) else 0) + _itself(sentence, start) if ends else 0


def _score(sentence: str, match: re.Match[str]) -> int:
    """Evidence that this duration is how long the agreement (or its duties) lasts: words
    that end or state the term before it, and the agreement's own date as its start."""
    start, end = match.start(), match.end()
    stated = _STATED.search(sentence, max(0, start - _STATED_BEFORE_CHARS), start)
    if not stated and _NOT_TERM.search(sentence, max(0, start - _NOT_TERM_BEFORE_CHARS), start):
        return 0
    runs_from = _runs_from(sentence, end)
    if runs_from == "later" or _COVENANT_AFTER.search(sentence, end, end + _COVENANT_AFTER_CHARS):
        return 0
    score = _ending_evidence(sentence, start, stated=stated is not None)
    score += 1 if _FOR_A_PERIOD.search(sentence, max(0, start - 20), start) else 0
    return score + (2 if runs_from == "own" else 0)


def _ending_evidence(sentence: str, start: int, *, stated: bool) -> int:
    """5 for a stated term, 3 for a duration after words that end the agreement or its
    duties, more when the agreement is the one that ends; 0 without such words."""
    if stated:
        return 5 + _itself(sentence, start)
    if not _ENDS.search(sentence, max(0, start - _ENDS_BEFORE_CHARS), start):
        return 0
    return 3 + (1 if _AGREEMENT.search(sentence) else 0) + _itself(sentence, start)


def _itself(sentence: str, start: int) -> int:
    return 1 if _ITSELF.search(sentence, max(0, start - _ITSELF_BEFORE_CHARS), start) else 0


def _runs_from(sentence: str, end: int) -> _Start:
    """Where the duration starts: "own" from the agreement's date, "later" from another event,
    "open" when the text does not say or it runs from the receipt of information."""
    found = _START.match(sentence, end)
    if found is None:
        return "open"
    if found.group("later"):
        return "later"
    begins = found.group("start")
    if _OWN_DATE.match(begins):
        return "own"
    return "open" if _RECEIPT.match(begins) else "later"


def _spell(match: re.Match[str]) -> str:
    if match.group("num"):
        count = int(match.group("num"))
    elif match.group("paren"):
        count = int(match.group("paren"))
    else:
        count = _NUMBERS[match.group("word").lower()]
    unit = match.group("unit").lower()
    return f"{count} {unit}" if count == 1 else f"{count} {unit}s"


def _years(count: int) -> str:
    return "1 year" if count == 1 else f"{count} years"
