"""The effective date: when the agreement takes effect.

Evidence, strongest first: the opening's "effective as of <date>"; the date after the opening's
first "dated", "made ... as of", "entered into as of" that dates this agreement rather than
another one it names (a blank there, "as of ____, 20__", means no date); a "DATE:" field at the
head; the date the closing "IN WITNESS WHEREOF" gives; then the latest date written beside the
signatures ("Date: 8/11/08", "ACCEPTED AND AGREED TO THIS 11 DAY OF October, 2007"), since an
agreement that states no date of its own takes effect when the last party signs; and last, the
date a letter agreement opens with, above its address block. An opening that ties the start to
an event ("effective upon the closing", "effective immediately prior to ...") states no
calendar date.
"""

import re
from datetime import date

from docflow_text.dates import find_dates, writes_month_first

_EFFECTIVE = re.compile(r"\beffective\s+(?:as\s+of|on|from|for\s+all\s+purposes\s+as\s+of)?", re.I)
_EVENT = re.compile(
    r"\b(?:become|be|is|are)?\s*effective\s+(?:only\s+)?(?:upon|immediately|when|if|subject\s+to)\b",
    re.I,
)
_AGREEMENT_DATE = re.compile(
    r"\b(?:dated|made|entered\s+into|executed|as\s+of|DATE\s*:|made\s+and\s+entered\s+into)\b",
    re.I,
)
_BLANK = re.compile(
    r"^[\s,]*(?:as\s+of\s+|on\s+|this\s+)?(?:the\s+)?_*\s*(?:day\s+of|,\s*(?:19|20)[_\d]{0,2}\b|_{2,})",
    re.I,
)
# A defined term of another agreement just before "dated": the date is that agreement's.
_OTHER_AGREEMENT = re.compile(
    r"\(\s*(?:the\s+)?\"[^\"]*\w\s+(?:Agreement|Letter)\"\s*\),?\s*(?:dated\s+)?$", re.I
)
# Street numbers and postal codes: the head is an address block, not a title.
_ADDRESS_DIGITS = re.compile(r"\d{3,}")
_LETTER_HEAD_CHARS = 120
_WITNESS = re.compile(r"IN\s+WITNESS\s+WHEREOF", re.I)
# A signature's date field: "Date: 8/11/08", "DATED 04/18/01", or the caption under the line
# ("January 3, 2007 Date"). Capitalised, so that prose ("dated August 6, 2008") is not taken.
_SIGNED_ON = re.compile(r"\b(?:Date|DATE|Dated|DATED)\b\s*:?\s*")
_ACCEPTED = re.compile(
    r"\b(?:accepted|agreed|acknowledged|consented|confirmed)\s+(?:to\s+)?"
    r"(?:as\s+of\s+|on\s+)?(?:this|the)\b",
    re.I,
)
_ACCEPTED_GAP = 3
_CAPTION_AFTER = re.compile(r"\s*\b(?:Date|DATE)\b(?!\s*:)")
_WITNESS_CHARS = 160
_DATE_WINDOW = 60
_FIELD_WINDOW = 25
_OPENING_CHARS = 2000
_HEAD_CHARS = 600
_EVENT_CHARS = 1200
# Signatures stand after the body; dates in the first part of a document are the body's own.
_SIGNATURES_FROM = 0.5


def find_effective_date(flat: str) -> date | None:
    """When the agreement takes effect, from its opening, else from its signatures."""
    opening = flat[:_OPENING_CHARS]
    # Numeric dates ("dated 6/1/2010") are read the way the document spells its dates out.
    month_first = writes_month_first(flat)
    for effective in _EFFECTIVE.finditer(opening):
        found = _date_after(opening, effective.end(), month_first)
        if found:
            return found
    match = _own_agreement_date(opening)
    if match and _BLANK.match(opening, match.end()):
        return None
    found = _date_after(opening, match.end(), month_first) if match else None
    found = found or _dated_heading(opening, month_first) or _witness_date(flat, month_first)
    if found or _EVENT.search(opening[:_EVENT_CHARS]):
        return found
    return signature_date(flat) or _letter_date(opening, month_first)


def _own_agreement_date(opening: str) -> re.Match[str] | None:
    """The first "dated", "made as of" ... that dates this agreement, not another one the
    opening refers to ("the Nomination Agreement (the "Nomination Agreement"), dated as of")."""
    for match in _AGREEMENT_DATE.finditer(opening):
        if not _OTHER_AGREEMENT.search(opening, max(0, match.start() - 60), match.start()):
            return match
    return None


def _letter_date(opening: str, month_first: bool) -> date | None:
    """The date a letter agreement opens with, above its address block ("CONFIDENTIALITY
    AGREEMENT Exhibit (d)(2) December 11, 2014 Fortune Brands ..."): with no signature
    dates, the letter takes effect when written. A date below a letterhead's address is
    not taken: there it can as well be a cover letter's."""
    found = find_dates(opening[:_LETTER_HEAD_CHARS], month_first=month_first)
    if not found or _ADDRESS_DIGITS.search(opening, 0, found[0].start):
        return None
    return found[0].value


def signature_date(flat: str) -> date | None:
    """The latest date written in a date field beside the signatures."""
    start = int(len(flat) * _SIGNATURES_FROM)
    tail = flat[start:]
    month_first = writes_month_first(flat)
    dates = [
        *_field_dates(tail, month_first),
        *_captioned_dates(tail, month_first),
        *_accepted_dates(tail),
    ]
    return max(dates, default=None)


def _accepted_dates(tail: str) -> list[date]:
    """Dates of a countersignature written as prose: "ACCEPTED AND AGREED TO THIS 11 DAY OF
    October, 2007", "Received and consented to this 9th day of August, 2016"."""
    found = []
    for accepted in _ACCEPTED.finditer(tail):
        dates = find_dates(tail[accepted.end() : accepted.end() + _FIELD_WINDOW + 10])
        if dates and dates[0].start <= _ACCEPTED_GAP:
            found.append(dates[0].value)
    return found


def _field_dates(tail: str, month_first: bool) -> list[date]:
    found = []
    for label in _SIGNED_ON.finditer(tail):
        window = tail[label.end() : label.end() + _FIELD_WINDOW]
        dates = find_dates(window, month_first=month_first, short_years=True)
        if dates and dates[0].start == 0:
            found.append(dates[0].value)
    return found


def _captioned_dates(tail: str, month_first: bool) -> list[date]:
    return [
        found.value
        for found in find_dates(tail, month_first=month_first)
        if _CAPTION_AFTER.match(tail, found.end)
    ]


def _date_after(text: str, pos: int, month_first: bool) -> date | None:
    window = text[pos : pos + _DATE_WINDOW]
    found = find_dates(window, month_first=month_first)
    if not found or "." in window[: found[0].start].replace("Inc.", ""):
        return None
    return found[0].value


def _dated_heading(opening: str, month_first: bool) -> date | None:
    """A "DATE:" field at the head of the agreement."""
    field = re.search(r"\bDATE\s*:", opening[:_HEAD_CHARS])
    return _date_after(opening, field.end(), month_first) if field else None


def _witness_date(flat: str, month_first: bool) -> date | None:
    """The date of "IN WITNESS WHEREOF, the parties have executed this Agreement this 16th day
    of May, 2011" (not "as of the date first written above", which points back to the opening)."""
    witness = _WITNESS.search(flat)
    if witness is None:
        return None
    clause = flat[witness.end() : witness.end() + _WITNESS_CHARS]
    found = find_dates(clause, month_first=month_first)
    return found[0].value if found else None
