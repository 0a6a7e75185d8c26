"""What an organisation's or a person's name looks like in legal drafting, and its clean form."""

import re

_LEGAL_FORMS = (
    "Inc", "Incorporated", "Corp", "Corporation", "Co", "Company", "LLC", "L.L.C", "LLP",
    "L.L.P", "LP", "L.P", "Ltd", "Limited", "N.A", "plc", "P.L.C", "AG", "GmbH", "S.A", "SA",
    "S.A.S", "SAS", "SARL", "B.V", "BV", "N.V", "NV", "ASA", "AB", "SE", "S.p.A", "SpA",
    "Pty Ltd", "Pte Ltd", "Pte. Ltd", "Pvt Ltd", "Pvt. Ltd", "Private Limited",
)  # fmt: skip


def _form(spelling: str) -> str:
    return re.escape(spelling).replace("\\ ", r"\s+") + r"\.?(?!\w)"


#: Legal forms that end an organisation's name ("Kite Pharma, Inc.", "Telenor ASA"), as
#: written or in capitals; never in lower case, which is a description ("a Delaware corporation").
ORG_SUFFIX = (
    "(?:"
    + "|".join(
        _form(f)
        for f in sorted({*_LEGAL_FORMS, *(f.upper() for f in _LEGAL_FORMS)}, key=len, reverse=True)
    )
    + ")"
)
# A word of a name: initials keep their dots ("R. J.", "U.S."), other words only inner ones
# ("Talk.com"), so that a sentence's full stop ends the name.
# Brand spellings that open in lower case ("nStor", "eBay") and "&" written against the next
# word ("Deposit &Trust Company") are words of a name too.
_WORD = r"(?:(?:[A-Z]\.)+|(?:[a-z]{1,2}(?=[A-Z])|&)?[A-Z0-9][\w'&¢/-]*(?:\.[A-Za-z0-9]+)*|&)"
_CONNECTOR = r"(?:and|of|de|du|la|for|the|von|van|der|&)"
_LOOSE_CONNECTOR = r"(?:of|de|du|la|for|the|von|van|der|&)"
_LOOSE_NAME = rf"{_WORD}(?:\s+(?:{_LOOSE_CONNECTOR}\s+)?{_WORD}){{0,9}}"
# "AZZ incorporated": in lower case a legal form only straight after the name, not where a
# description goes on ("incorporated in Delaware").
_INCORPORATED = r"(?:incorporated(?!\s+(?:in|under|as|on|pursuant|with|by|and|to)\b))"
#: An organisation: capitalised words ending in a legal form, commas allowed inside
#: ("Sears, Roebuck and Co.", "Net Talk.com, Inc.", "Lehman Brothers & Co.").
ORG = re.compile(
    rf"{_WORD}(?:(?:\s+|,\s+)(?:{_CONNECTOR}\s+)?{_WORD}){{0,8}}?"
    rf"(?:,?\s+(?:(?:and|&)\s+)?{ORG_SUFFIX}|\s+{_INCORPORATED})"
    rf"(?:(?:\s+[IVX]{{1,4}})?,?\s+{ORG_SUFFIX})?"
)
#: Any capitalised name without commas: a person, or an organisation without a legal form.
NAME = re.compile(_LOOSE_NAME)
# A person's name word: "Mahaffy", "McGhie", "O'Brien", in capitals "DOLBY", or an initial.
_PERSON_WORD = r"(?:[A-Z](?:[a-z'-]+(?:[A-Z][a-z]+)?|[A-Z'-]+)|[A-Z]\.)"
PERSON = re.compile(rf"{_PERSON_WORD}(?:\s+{_PERSON_WORD}){{1,3}}(?:\s+I{{2,3}}|,?\s+J[Rr]\.)?")

#: What drafting calls a party instead of naming it ("the Recipient", "the Service Provider").
PARTY_ROLES = (
    "company", "recipient", "receiving party", "discloser", "disclosing party", "employee",
    "employer", "executive", "consultant", "contractor", "client", "customer", "supplier",
    "vendor", "buyer", "seller", "purchaser", "investor", "landlord", "tenant", "lessor",
    "lessee", "licensor", "licensee", "counterparty", "director", "bidder", "service provider",
    "holder",
)  # fmt: skip
_DRAFTING_WORDS = {
    "this", "the", "that", "these", "whereas", "recitals", "now", "each", "in", "as", "if",
    "for", "agreement", "party", "parties", "you", "i", "we", "it", "our", "your", "his", "her",
    "its", "and", "by", "between", "among", "dated", "page", "name", "title", "date", "exhibit",
    "section", "article", "witness", "witnesseth", "&",
}  # fmt: skip
# A name never starts with a drafting word or a one-word role ("Buyer", "Company").
_STOP_WORDS = _DRAFTING_WORDS | {role for role in PARTY_ROLES if " " not in role}
_NEVER_IN_NAMES = {"exhibit", "agreement", "whereas", "recitals"}
_PLACEHOLDER = re.compile(r"X{3,}\W*$")
# A drafting term written before a name with a comma ("such Confidential Information, AOL
# Inc., with offices at"), which an organisation's pattern takes in as commas may join its words.
_LEADING_TERM = re.compile(r"^[\w\s]*?\b(?:Information|Materials?|Transaction)\s*,\s+")
_TITLES = re.compile(r"^(?:(?:Mr|Mrs|Ms|Dr|Prof)\.?\s+)+", re.I)
# "the Board of Directors of X" acts for X, which is the party.
_ACTING_FOR = re.compile(
    r"^(?:the\s+)?(?:Board\s+of\s+)?(?:Directors|Managers|Trustees)\s+of\s+", re.I
)
_TRAILERS = re.compile(
    r"(?:,?\s+(?:M\.D\.|Ph\.D\.|Esq\.|CPA|d/b/a\b.*|f/k/a\b.*|a/k/a\b.*))+$", re.I
)
_SUFFIX_SPELLING = (
    (re.compile(r"\bL\.L\.C\.?$|\bL\.L\.C\b", re.I), "LLC"),
    (re.compile(r"\bL\.P\.?$", re.I), "LP"),
    (re.compile(r"\bLimited$", re.I), "Ltd."),
    (re.compile(r"\bIncorporated$", re.I), "Inc."),
    (re.compile(r"\bInc$", re.I), "Inc."),
)
# A legal form written twice ("Interclick, Inc. Inc.") is a slip: no name repeats its form.
_REPEATED_FORM = re.compile(rf"(?P<form>\s+{ORG_SUFFIX})(?P=form)+$")


def is_name(text: str) -> bool:
    """Whether ``text`` can be a party's name rather than a drafting word. A capitalised
    "The" may open a name ("The Citizens Bank of Logan") when a name follows it."""
    words = text.split()
    if len(words) > 1 and words[0] in {"The", "THE"}:
        words = words[1:]
    if not words or len(text) < 3 or words[0].lower().strip(",.") in _STOP_WORDS:
        return False
    return not any(_never_in_names(word) for word in words)


def _never_in_names(word: str) -> bool:
    """A drafting word, a filing stamp, or a form's placeholder ("XXXX") left for a name."""
    stamp = word.startswith("EX-") or bool(_PLACEHOLDER.match(word))
    return word.lower() in _NEVER_IN_NAMES or stamp


def clean_name(name: str) -> str:
    """The canonical spelling: no titles or degrees, no commas, "&" as "and", short legal forms."""
    name = _LEADING_TERM.sub("", name.strip(" ,;:"))
    name = _TRAILERS.sub("", _TITLES.sub("", name)).strip(" ,;:")
    # "the" in lower case is drafting ("the Affiliated Companies"); "The" opens a name.
    name = re.sub(r"^the\s+", "", _ACTING_FOR.sub("", name))
    name = re.sub(r"\s*&\s*", " and ", name.replace(",", " "))
    name = re.sub(r"\s+", " ", name).strip()
    for pattern, spelling in _SUFFIX_SPELLING:
        name = pattern.sub(spelling, name)
    return _REPEATED_FORM.sub(r"\g<form>", name)


def same_party(a: str, b: str) -> bool:
    """Whether two cleaned names denote the same party (case and punctuation aside)."""
    return _key(a) == _key(b)


def _key(name: str) -> str:
    return re.sub(r"[^a-z0-9]", "", name.lower())
