"""Parties: the opening's list, letters, signature blocks, and the terms defined for parties."""

import pytest

from docflow_text.clean import clean, flatten
from docflow_text.names import clean_name
from docflow_text.parties import defined_parties, find_parties


def test_between_two_organisations_with_descriptions_and_defined_terms() -> None:
    text = (
        "MUTUAL CONFIDENTIALITY AGREEMENT\nThis Mutual Confidentiality Agreement (\u201cAgreement"
        "\u201d) is effective as of February 10, 2017, between Kite Pharma, Inc., a Delaware"
        " corporation having a place of business at 2225 Colorado Avenue, Santa Monica, CA 90404"
        " (\u201cKite\u201d) and Gilead Sciences, Inc., a Delaware corporation having a place of"
        " business at 333 Lakeside Drive, Foster City, CA 94404 (\u201cCompany\u201d).\n"
    )
    assert find_parties(text) == ["Kite Pharma Inc.", "Gilead Sciences Inc."]


def test_three_parties_among() -> None:
    text = (
        "MUTUAL NON-DISCLOSURE AGREEMENT dated as of September 23, 2009 among ALTIMO HOLDINGS &"
        " INVESTMENTS LIMITED, a company organized under the laws of the British Virgin Islands"
        ' ("Altimo"), TELENOR ASA, a company organized under the laws of Norway ("Telenor"), and'
        ' Beeline Holdings LLC, a Delaware limited liability company ("Beeline" and, together'
        ' with Altimo and Telenor, the "Parties").'
    )
    assert find_parties(text) == [
        "ALTIMO HOLDINGS and INVESTMENTS Ltd.",
        "TELENOR ASA",
        "Beeline Holdings LLC",
    ]


def test_organisation_and_person_with_degree() -> None:
    text = (
        "This Agreement dated this 6th day of January, 2012 is entered into by and between"
        " Maher Albitar, M.D., an individual who resides at the address set forth on the"
        ' signature page hereof ("Contractor") and NeoGenomics Laboratories, Inc., a Florida'
        ' corporation ("NeoGenomics").'
    )
    assert find_parties(text) == ["Maher Albitar", "NeoGenomics Laboratories Inc."]


def test_the_undersigned_is_found_in_the_signature_block() -> None:
    body = "\n".join(
        f"{n}. The Second Party shall keep information confidential." for n in range(30)
    )
    text = (
        "NON-DISCLOSURE AGREEMENT\nTHIS AGREEMENT is made by and between Heidrick & Struggles,"
        " Inc., a Delaware Corporation (hereinafter H&S), and the undersigned (hereinafter"
        f' "Second Party").\n{body}\nIN WITNESS WHEREOF, the parties hereto have executed this'
        " agreement.\nHEIDRICK & STRUGGLES, INC.\nBy: /s/ L. Kevin Kelly\nSECOND PARTY\n"
        "By: /s/ Richard W. Pehlke\n"
    )
    assert find_parties(text) == ["Heidrick and Struggles Inc.", "Richard W. Pehlke"]


def test_affiliates_named_in_the_opening_do_not_become_parties() -> None:
    text = (
        "PARTIES: Eric Dean Sprunk (\u201cEMPLOYEE\u201d) and NIKE, Inc., divisions, subsidiaries"
        " and affiliates. (\u201cNIKE\u201d): RECITALS: A. This Agreement is executed upon"
        " initial employment."
    )
    assert find_parties(text) == ["Eric Dean Sprunk", "NIKE Inc."]


def test_letter_agreement_addressee_and_signing_organisations() -> None:
    body = "\n".join(f"{n}. You will keep the Information confidential." for n in range(30))
    text = (
        "CONFIDENTIALITY AGREEMENT\nDecember 11, 2014\nFortune Brands Home & Security, Inc.\n"
        "520 Lake Cook Road\nDeerfield, IL 60015\nLadies and Gentlemen:\nIn connection with your"
        " consideration of a possible transaction with Norcraft Companies, Inc. (the"
        f' "Company"), you agree as follows:\n{body}\nVery truly yours,\n'
        "Norcraft Companies, Inc.\nBy: /s/ Mark Buller\nName: Mark Buller\nAccepted and Agreed"
        " To:\nFortune Brands Home & Security, Inc.\nBy: /s/ Robert K. Biggart\n"
        "Name: Robert K. Biggart\n"
    )
    assert find_parties(text) == [
        "Fortune Brands Home and Security Inc.",
        "Norcraft Companies Inc.",
    ]


def test_a_blank_party_stays_unnamed() -> None:
    text = (
        "CONFIDENTIALITY AND NON-COMPETITION AGREEMENT (the Agreement), dated as of , 2007,"
        " between ______________ (\u201cEmployee\u201d), and Xinyuan Real Estate Co., Ltd., a"
        " limited company duly registered under the laws of the Cayman Islands (the Company)."
    )
    assert find_parties(text) == ["Xinyuan Real Estate Co. Ltd."]


_BODY = "\n".join(f"{n}. I shall keep the information confidential." for n in range(30))


def test_side_by_side_signatures_keep_the_employee_and_drop_the_officer() -> None:
    text = (
        "NON-COMPETITION AGREEMENT\nI, Hewes, Hap, in consideration of my employment by Rubicon"
        f' Technology, Inc. (the "Company"), agree as follows:\n{_BODY}\nIN WITNESS WHEREOF,'
        " the parties have executed this Agreement.\nEMPLOYEE RUBICON TECHNOLOGY, INC.\n"
        "/s/ Hap Hewes /s/ William F. Weissman\nHap Hewes William F. Weissman, Chief Financial"
        " Officer\n"
    )
    assert find_parties(text) == ["Rubicon Technology Inc.", "Hap Hewes"]


def test_a_signature_in_capitals_takes_the_fuller_typed_name_and_witnesses_are_not_parties() -> (
    None
):
    text = (
        "As a condition of my employment with Dolby Laboratories, Inc., its subsidiaries (together"
        f' the "Company"), I agree to the following:\n{_BODY}\n'
        "Date: November 19, 2004 /s/ RAY DOLBY\nSignature\nRAY M. DOLBY\nACKNOWLEDGED AND"
        " AGREED:\nDolby Laboratories, Inc.\n/s/ N. W. JASPER, JR.\nWitness:\n"
        "/s/ LARA M. HOPWOOD\nSignature\nLara M. Hopwood\n"
    )
    assert find_parties(text) == ["Dolby Laboratories Inc.", "Ray M. Dolby"]


def test_on_the_one_hand_and_a_description_after_the_defined_term() -> None:
    text = (
        "This Agreement is entered into as of November 19, 2009, between Diedrich Coffee, Inc."
        ' ("Diedrich"), on the one hand, and Green Mountain Coffee Roasters, Inc. ("Green'
        ' Mountain"), on the other.'
    )
    assert find_parties(text) == ["Diedrich Coffee Inc.", "Green Mountain Coffee Roasters Inc."]
    text = (
        "This Non-Disclosure Agreement dated April 15, 2014, between World Energy Solutions, Inc.,"
        ' a Delaware corporation ("World Energy") with offices at 100 Front Street, Worcester,'
        " Massachusetts 01608 and EnerNOC, Inc., a Delaware corporation located at One Marina Park"
        ' Drive, Boston, Massachusetts 02210 ("ENOC").'
    )
    assert find_parties(text) == ["World Energy Solutions Inc.", "EnerNOC Inc."]


def test_a_party_defined_by_its_own_name_stays_a_party() -> None:
    text = (
        'This Agreement is made by and among Glacier Bancorp, Inc. ("GBCI"), Glacier Bank, a'
        ' wholly owned subsidiary of GBCI ("Glacier Bank"), Heritage Bancorp ("HB"), Heritage'
        ' Bank of Nevada, a wholly owned subsidiary of HB ("Heritage Bank"), and the undersigned.'
    )
    assert find_parties(text)[:4] == [
        "Glacier Bancorp Inc.",
        "Glacier Bank",
        "Heritage Bancorp",
        "Heritage Bank of Nevada",
    ]


def test_and_co_board_of_directors_and_signature_organisations() -> None:
    assert clean_name("the Board of Directors of Interactive Data Corporation") == (
        "Interactive Data Corporation"
    )
    text = (
        'In order for Sears, Roebuck and Co., including its subsidiaries (the "Company"), to'
        " maintain a competitive edge, I agree as follows."
    )
    assert find_parties(text) == ["Sears Roebuck and Co."]


def test_made_by_names_the_parties() -> None:
    text = (
        "This Confidentiality Agreement is made by Acme Holdings LLC, a Delaware limited"
        ' liability company ("Acme"), in favor of Beta Partners, Inc. ("Beta").'
    )
    assert find_parties(text) == ["Acme Holdings LLC", "Beta Partners Inc."]


def _flat(text: str) -> str:
    return flatten(clean(text))


@pytest.mark.parametrize(
    ("text", "defined"),
    [
        ('Acme Holdings LLC ("Acme") and the undersigned (the \u201cRecipient\u201d)',
         {"Acme", "Recipient"}),
        ("Jane Doe, an individual (hereinafter referred to as 'Doe')", {"Doe"}),
        ('Beta S.A.R.L., a societe a responsabilite limitee ("Beta")', set()),
        ('Gamma SARL ("Gamma"), the ("Confidential Information")', {"Gamma"}),
        ('a Delaware corporation (the "Company")', {"Company"}),
        ('the lessor (the "Lessor") and the ("Holder")', {"Lessor", "Holder"}),
    ],
)  # fmt: skip
def test_terms_defined_for_parties(text: str, defined: set[str]) -> None:
    assert defined_parties(_flat(text)) == defined


def test_only_the_given_roles_count_without_a_name_before_them() -> None:
    text = _flat('the undersigned (the "Recipient") and the other (the "Buyer")')
    assert defined_parties(text, roles=["buyer"]) == {"Buyer"}


def test_names_keep_the_apostrophes_the_document_writes() -> None:
    text = (
        "This Agreement is made by and between Roundy\u2019s, Inc., a Wisconsin corporation"
        ' ("Roundy\u2019s"), and Mark Smith ("Executive").'
    )
    assert find_parties(text) == ["Roundy\u2019s Inc.", "Mark Smith"]


def test_an_aside_between_parties_and_a_description_after_a_defined_term() -> None:
    text = (
        "This Agreement, dated as of February 28, 2006, among Gentiva Health Services, Inc., a"
        ' Delaware corporation ("Gentiva"), The Healthfield Group, Inc., a Delaware corporation'
        ' ("Healthfield"), (together with Gentiva, the "Companies") and Tony Strange'
        ' ("Executive"). By and between nStor Corporation, Inc. ("nStor"), a Delaware'
        " corporation."
    )
    assert find_parties(text) == [
        "Gentiva Health Services Inc.",
        "The Healthfield Group Inc.",
        "Tony Strange",
    ]


def test_a_defined_term_taken_from_a_party_name_is_not_another_party() -> None:
    text = (
        'This is an Agreement by and among DeAnn O\'Donovan ("Executive"), AHP Servicing, LLC'
        ' ("Servicing"), and AHP Capital Management, LLC ("Capital Management"), Servicing and'
        ' Capital Management are referred to as "the Companies".'
    )
    assert find_parties(text) == [
        "DeAnn O'Donovan",
        "AHP Servicing LLC",
        "AHP Capital Management LLC",
    ]


def test_schedules_after_the_signatures_are_not_signing_organisations() -> None:
    body = "\n".join(f"{n}. You shall keep information confidential." for n in range(30))
    text = (
        "In consideration of your employment with J. Crew Group, Inc. you agree as follows:\n"
        f"{body}\nAGREED TO AND ACCEPTED J. Crew Group, Inc.\nSignature: /s/ Lynda Markoe\n"
        "Title: EVP\nSCHEDULE A\nCompetitors:\nGap, Inc.\nCoach, Inc.\n"
    )
    assert "Gap Inc." not in find_parties(text)
    assert "J. Crew Group Inc." in find_parties(text)


def test_an_officer_under_the_organisations_address_is_not_a_party() -> None:
    body = "\n".join(f"{n}. Employee shall keep information confidential." for n in range(30))
    text = (
        'This Agreement is made between Inspire Pharmaceuticals, Inc. ("Inspire"), and the'
        f" person whose name is set forth below.\n{body}\nIN WITNESS WHEREOF\n"
        "INSPIRE PHARMACEUTICALS, INC.\n4222 Emperor Boulevard\nDurham, North Carolina 27703\n"
        "By: /s/ Christy L. Shaffer\nEMPLOYEE:\n/s/ Barry G. Pea\n"
    )
    assert find_parties(text) == ["Inspire Pharmaceuticals Inc.", "Barry G. Pea"]


def test_a_letter_names_its_writer_not_the_funds_that_accept_it() -> None:
    body = "\n".join(f"{n}. You will keep the Information confidential." for n in range(30))
    text = (
        "CONFIDENTIALITY AGREEMENT\nAcme Holdings, Inc.\n415 Holiday Drive\nPittsburgh, PA 15220\n"
        "February 12, 2016\nRiver Asset Management, LLC\n9401 Wilshire Blvd\nLadies and"
        f" Gentlemen:\nThis letter agreement sets out the terms.\n{body}\nVery truly yours,\n"
        "ACME HOLDINGS, INC.\nBy: /s/ Robert Bauer\nName: Robert Bauer\nAccepted and agreed:\n"
        "RIVER PARTNERS, LLC\nBy: River Partners Holdings, LLC\nBy: /s/ Brad Vizi\n"
        "RIVER ASSET MANAGEMENT, LLC\nBy: /s/ Brad Vizi\nName: Brad Vizi\n"
    )
    assert find_parties(text) == ["Acme Holdings Inc.", "River Asset Management LLC"]


def test_a_person_the_opening_names_is_not_joined_by_the_officers_who_sign() -> None:
    text = (
        "This Retirement Agreement, entered into by and between Charles H. Turner (\u201cyou\u201d"
        " or the \u201cEmployee\u201d) and Pier Services Company (\u201cCompany\u201d), arises"
        f" from your retirement and the termination of your employment.\n{_BODY}\n"
        "IN WITNESS WHEREOF, the parties have signed below.\nEMPLOYEE:\n"
        "Signature: /s/ Charles H. Turner\nDate: March 1, 2015\n/s/ Michael A. Carter\n"
    )
    assert find_parties(text) == ["Charles H. Turner", "Pier Services Company"]


def test_a_long_aside_before_the_defined_term_and_a_placeholder_name() -> None:
    opening = (
        "THIS AGREEMENT is made as of December 16, 2014, by the undersigned employee of American"
        " Realty Capital Properties, Inc. (together with all other affiliated and/or related"
        " entities of the foregoing, the \u201cEmployer\u201d) a Maryland corporation."
    )
    assert find_parties(opening) == ["American Realty Capital Properties Inc."]
    placeholder = (
        "This Agreement is made by and between The Travelers Companies, Inc., a Minnesota"
        " corporation (the \u201cCompany\u201d), and XXXX (the \u201cEmployee\u201d)."
    )
    assert find_parties(placeholder) == ["The Travelers Companies Inc."]


def test_a_party_named_by_a_term_defined_before_the_list() -> None:
    text = (
        "In consideration of his employment by INFRASTRUX GROUP, INC. (hereinafter \u201cCompany"
        "\u201d), this Agreement is made this 23rd day of June, 2009, by and between Craig Eudy"
        " (hereinafter \u201cEmployee\u201d) and the Company, a term which includes its"
        f" successors.\n{_BODY}\nEmployee Company\n"
        "Signature: /s/ Craig Eudy Signature: /s/ Lanny H. Michael\n"
    )
    assert find_parties(text) == ["Craig Eudy", "INFRASTRUX GROUP INC."]


def test_a_date_written_after_a_signature_is_not_part_of_the_name() -> None:
    text = (
        "As a condition of my employment with Interactive Data Corporation, a Delaware"
        f" corporation (the \u201cCompany\u201d), I agree to the following:\n{_BODY}\n"
        "I, Raymond L. D\u2019Arcy, have executed this Agreement on the date below:\n"
        "Date: /s/ Raymond L. D\u2019Arcy 11/4/10\nRaymond L. D\u2019Arcy\n"
    )
    assert find_parties(text) == ["Interactive Data Corporation", "Raymond L. D\u2019Arcy"]


def test_a_letter_speaks_to_its_addressee_not_to_the_officer_who_signs_for_it() -> None:
    body = "\n".join(f"{n}. You will keep the Information confidential." for n in range(30))
    text = (
        "CONFIDENTIAL\nApril 11, 2012\nOne Equity Partners IV, L.P.\n320 Park Avenue\n"
        "Ladies and Gentlemen:\nOne Equity Partners IV, L.P. has requested information from"
        " MModal Inc. (the \u201cCompany\u201d) for a possible transaction between you and the"
        f" Company.\n{body}\nVery truly yours,\nMMODAL INC.\nBy: /s/ Matthew Jenkins\n"
        "CONFIRMED AND AGREED TO:\nONE EQUITY PARTNERS IV, L.P.\nBy: OEP Parent LLC,\n"
        "as General Partner\nBy: /s/ Gregory A. Belinfanti\nName: Gregory A. Belinfanti\n"
    )
    assert find_parties(text) == ["One Equity Partners IV LP", "MMODAL INC."]
