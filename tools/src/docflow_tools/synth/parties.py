"""Companies and people on an invoice: names with legal forms, addresses, tax and bank ids."""

import random
import string
import unicodedata
from dataclasses import dataclass
from typing import Final

from docflow_tools.synth.vocab import Locale

_COINED_ENDINGS: Final = ("tek", "ware", "net", "line", "tec", "gate", "point", "soft", "lab", "ix")
_DOMAINS: Final = {"US": "com", "GB": "co.uk", "IN": "in", "DE": "de", "FR": "fr", "NL": "nl",
                   "ES": "es"}  # fmt: skip
#: IBAN country, length of the account part (BBAN) and whether it starts with a bank code.
_IBAN: Final = {"DE": ("DE", 18, ""), "FR": ("FR", 23, ""), "NL": ("NL", 10, "BANK"),
                "ES": ("ES", 20, ""), "GB": ("GB", 14, "BANK")}  # fmt: skip
_NL_BANKS: Final = ("INGB", "ABNA", "RABO", "SNSB", "KNAB")
_GB_BANKS: Final = ("NWBK", "BARC", "LOYD", "HBUK", "MIDL")


@dataclass(frozen=True)
class Party:
    """A company (or a person) as an invoice prints it."""

    #: The full name, with its legal form where it has one: the issuer's gold value.
    name: str
    #: The name without legal form, as a logo or a letterhead often shows it.
    brand: str
    address: tuple[str, ...]
    tax_id: str
    registration: tuple[str, ...]
    phone: str
    email: str
    web: str
    person: str


def digits(rng: random.Random, pattern: str) -> str:
    """``pattern`` with each ``#`` a random digit and each ``A`` a random capital letter."""
    return "".join(
        str(rng.randrange(10))
        if char == "#"
        else rng.choice(string.ascii_uppercase)
        if char == "A"
        else char
        for char in pattern
    )


def company(rng: random.Random, locale: Locale) -> Party:
    brand = _brand(rng, locale)
    form = rng.choice(locale.legal_forms)
    name = f"{form} {brand}" if locale.country == "FR" and rng.random() < 0.2 else f"{brand} {form}"
    if rng.random() < 0.12:
        name, brand = name.upper(), brand.upper()
    return _party(rng, locale, name, brand, person=_person(rng, locale))


def sole_trader(rng: random.Random, locale: Locale) -> Party:
    """A freelancer or shop trading under their own name, with no legal form."""
    person = _person(rng, locale)
    name = f"{person} {rng.choice(locale.trades)}" if rng.random() < 0.6 else person
    return _party(rng, locale, name, name, person=person)


def private_person(rng: random.Random, locale: Locale) -> Party:
    person = _person(rng, locale)
    return Party(person, person, address(rng, locale), "", (), "", "", "", "")


def _party(rng: random.Random, locale: Locale, name: str, brand: str, person: str) -> Party:
    domain = _slug(brand) + "." + _DOMAINS[locale.country]
    return Party(
        name=name,
        brand=brand,
        address=address(rng, locale),
        tax_id=tax_id(rng, locale.country),
        registration=registration(rng, locale),
        phone=digits(rng, locale.phone),
        email=f"{rng.choice(('info', 'billing', 'accounts', 'invoices', 'contact'))}@{domain}",
        web=f"www.{domain}",
        person=person,
    )


def _brand(rng: random.Random, locale: Locale) -> str:
    shape = rng.randrange(6)
    word, trade, surname = (
        rng.choice(locale.company_words),
        rng.choice(locale.trades),
        rng.choice(locale.surnames),
    )
    if shape == 0:
        return f"{word} {trade}"
    if shape == 1:
        return f"{surname} {trade}"
    if shape == 2:
        other = rng.choice([s for s in locale.surnames if s != surname])
        return f"{surname} & {other}"
    if shape == 3:
        return (word + rng.choice(_COINED_ENDINGS)).capitalize()
    if shape == 4:
        return f"{''.join(rng.choices(string.ascii_uppercase, k=rng.choice((2, 3))))} {trade}"
    second = rng.choice([w for w in locale.company_words if w != word])
    return f"{word} {second} {trade}"


def _person(rng: random.Random, locale: Locale) -> str:
    return f"{rng.choice(locale.first_names)} {rng.choice(locale.surnames)}"


def _slug(name: str) -> str:
    # Domains are ASCII: "Müller & Söhne" is müller-sohne, as the owners would register it.
    decomposed = unicodedata.normalize("NFKD", name.lower().replace("ß", "ss").replace("&", " "))
    plain = decomposed.encode("ascii", "ignore").decode()
    return "-".join("".join(c for c in part if c.isalnum()) for part in plain.split()).strip("-")


def address(rng: random.Random, locale: Locale) -> tuple[str, ...]:
    street = rng.choice(locale.streets)
    number = rng.randint(1, 240)
    postcode_pattern, city, region = rng.choice(locale.cities)
    postcode = digits(rng, postcode_pattern)
    country = locale.country
    if country in {"US", "IN"}:
        first = f"{number} {street}" if country == "US" else f"{number}, {street}"
        last = (
            f"{city}, {region} {postcode}" if country == "US" else f"{city} - {postcode}, {region}"
        )
        return (first, last)
    if country == "GB":
        return (f"{number} {street}", city, postcode)
    if country == "FR":
        return (f"{number} {street}", f"{postcode} {city.upper() if rng.random() < 0.4 else city}")
    if country == "ES":
        return (f"{street}, {number}", f"{postcode} {city} ({region})")
    return (f"{street} {number}", f"{postcode} {city}")


def tax_id(rng: random.Random, country: str) -> str:
    patterns = {
        "US": "##-#######",
        "GB": "GB ### #### ##",
        "DE": "DE#########",
        "FR": "FR## #########",
        "NL": "NL#########B0#",
        "ES": rng.choice(("B########", "ESB########")),
    }
    if country == "IN":
        return gstin(rng)
    return digits(rng, patterns[country])


def gstin(rng: random.Random) -> str:
    """State code, PAN (five letters, four digits, a letter), entity number, Z, a check."""
    return digits(rng, rng.choice(("27", "29", "07", "33", "24")) + "AAAAA####A" + "1Z" + "#")


def registration(rng: random.Random, locale: Locale) -> tuple[str, ...]:  # noqa: PLR0911 - per country
    """The company-register lines a country's invoices carry in the footer."""
    country = locale.country
    city = locale.cities[0][1]
    if country == "DE":
        court = rng.choice(locale.cities)[1]
        return (rng.choice(locale.labels["register"]).format(city=court, num=digits(rng, "#####")),)
    if country == "FR":
        siren = digits(rng, "### ### ###")
        return (f"SIRET {siren} {digits(rng, '#####')}", f"RCS {city} B {siren}",
                f"Code APE {digits(rng, '####A')}")  # fmt: skip
    if country == "NL":
        return (f"KvK {digits(rng, '########')}",)
    if country == "GB":
        return (f"Registered in England and Wales No. {digits(rng, '########')}",)
    if country == "ES":
        text = rng.choice(locale.labels["register"]).format(city=city, num=digits(rng, "#####"))
        return (text,)
    if country == "IN":
        return (f"CIN: U{digits(rng, '#####')}MH{digits(rng, '####')}PTC{digits(rng, '######')}",
                f"PAN: {digits(rng, 'AAAAA####A')}")  # fmt: skip
    return ()


def bank_lines(rng: random.Random, country: str) -> tuple[str, ...]:
    """The account details an invoice asks to be paid to."""
    if country == "US":
        return (
            f"Routing No. {digits(rng, '#########')}",
            f"Account No. {digits(rng, '##########')}",
        )
    if country == "IN":
        ifsc = rng.choice(("HDFC", "ICIC", "SBIN", "UTIB")) + "0" + digits(rng, "######")
        return (f"A/c No. {digits(rng, '##############')}", f"IFSC: {ifsc}")
    bank = rng.choice(("Sparkasse", "Volksbank", "Deutsche Bank", "Commerzbank"))
    bank = {"FR": "Crédit Agricole", "NL": "ING Bank", "ES": "CaixaBank", "GB": "NatWest"}.get(
        country, bank
    )
    return (bank, f"IBAN {iban(rng, country)}", f"BIC {digits(rng, 'AAAA' + country + 'AA')}")


def iban(rng: random.Random, country: str) -> str:
    """An IBAN with valid check digits (ISO 13616), printed in groups of four."""
    code, length, bank = _IBAN[country]
    prefix = ""
    if bank:
        prefix = rng.choice(_NL_BANKS if country == "NL" else _GB_BANKS)
    bban = prefix + digits(rng, "#" * length)
    number = int("".join(str(int(c, 36)) for c in bban + code + "00"))
    compact = f"{code}{98 - number % 97:02}{bban}"
    return " ".join(compact[i : i + 4] for i in range(0, len(compact), 4))
