import pytest

from docflow_enrich.rules.entities.term import find_term


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # The common ways of stating how long the agreement or its duties last.
        (
            "This Agreement shall be in force for a period of two years from the date hereof.",
            "2 years",
        ),
        (
            "This Agreement shall be effective for a period of one year from the date first written"
            " above.",
            "1 year",
        ),
        ("This Agreement shall remain in force for fifty (50) years.", "50 years"),
        ("This Agreement shall have a duration of thirty-six (36) months.", "36 months"),
        (
            "The Receiving Party's obligations shall last for five years from the date hereof.",
            "5 years",
        ),
        (
            "This Agreement and the obligations hereunder shall lapse two years after the date"
            " hereof.",
            "2 years",
        ),
        ("The term of this Agreement is two (2) years from the Effective Date.", "2 years"),
        (
            "The restrictions in this Agreement shall end three (3) years from the date of this"
            " Agreement.",
            "3 years",
        ),
        (
            "The confidentiality obligations herein shall apply for a period of twenty one months"
            " from the date of this Agreement.",
            "21 months",
        ),
        (
            "This Agreement shall expire upon the date that is two years after the date of this"
            " Agreement.",
            "2 years",
        ),
        (
            "11. Second Party's obligations under this Agreement shall terminate five (5) years"
            " from the date the Confidential Information was obtained.",
            "5 years",
        ),
        (
            "This Agreement shall terminate on the earlier of (i) the signing of the definitive"
            " documentation and (ii) a period of twelve (12) months from the execution date of"
            " this Agreement.",
            "12 months",
        ),
        (
            "The obligations of this Agreement shall remain in effect for one (1) year from the"
            " Effective Date.",
            "1 year",
        ),
        (
            "Unless otherwise expressly stated herein, the obligations set forth in this Agreement"
            " shall continue until the third anniversary of the Effective Date.",
            "3 years",
        ),
        (
            "This Agreement shall become effective on the date hereof and shall continue until the"
            " earlier of (i) the signing of definitive documentation and (ii) a period of twelve"
            " (12) months from the execution date of this Agreement.",
            "12 months",
        ),
        (
            'c. The "Term" means the period of time beginning on the Effective Date and ending on'
            " the later to occur of (i) two years after the Effective Date or (ii) one year"
            " following the termination of any service by such Director.",
            "2 years",
        ),
    ],
)
def test_term_of_the_agreement(text: str, expected: str) -> None:
    assert find_term(text) == expected


def test_employment_covenant_periods_are_not_the_term() -> None:
    text = (
        "During the term of Employee's employment and for a period of twelve (12) months after"
        " termination of employment, Employee shall not solicit customers. This Agreement shall"
        " be governed by the laws of the State of Delaware."
    )
    assert find_term(text) is None


def test_a_non_solicitation_period_is_not_the_term() -> None:
    text = (
        "For a period of one year from the Effective Date, neither Receiving Party nor its"
        " affiliates shall solicit to employ any officer of the Company. The obligations set forth"
        " in this Agreement shall continue until the third anniversary of the Effective Date."
    )
    assert find_term(text) == "3 years"


def test_a_restriction_after_the_end_of_employment_is_not_the_term() -> None:
    text = (
        "The Contractor shall not compete with the Company, for a period of two years following"
        " the earlier of the termination of any employment relationship between them."
    )
    assert find_term(text) is None


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "The term of this Agreement shall be one (1) year beginning with the Effective Date,"
            " unless terminated earlier by either party upon thirty (30) days written notice.",
            "1 year",
        ),
        (
            "This Agreement shall commence when executed and continue for a period of one (1)"
            " year.",
            "1 year",
        ),
        (
            "Employee agrees that the Term shall be for a period of two (2) years from the date"
            " of this Agreement.",
            "2 years",
        ),
        (
            "The obligations set forth in this Agreement shall remain in effect until the second"
            " (2nd) anniversary of the date hereof.",
            "2 years",
        ),
    ],
)
def test_a_term_the_agreement_states(text: str, expected: str) -> None:
    assert find_term(text) == expected


def test_the_agreement_ending_wins_over_obligations_surviving_it() -> None:
    text = (
        "This Agreement will terminate 12 months from the effective date of this Agreement."
        " The obligations hereunder shall survive any such termination and continue for a"
        " period of three years from the effective date of this Agreement."
    )
    assert find_term(text) == "12 months"


@pytest.mark.parametrize(
    "text",
    [
        # Periods that start with a later event, not the agreement's own date.
        "The provisions of this Agreement relating to confidentiality shall terminate one (1)"
        " year after the Director ceases to be a director of the Company.",
        "Your obligations shall survive termination of this Agreement for a period of five (5)"
        " years after such termination.",
        "During the term of this Agreement and for a period of one (1) year thereafter, neither"
        " party shall disclose the terms hereof.",
        # A covenant's period, named as such.
        "Stockholder agrees that for a period of one (1) year from the date of this Agreement"
        ' ("Restricted Period") it shall keep the terms hereof confidential.',
        # A period with no word that ends or states the term.
        "For a period of three (3) years following the date hereof, Seller shall keep secret"
        " and hold in confidence all information relating to the Business.",
        # A renewal is not the term.
        "Following the Initial Term, this Agreement shall renew for successive three-year"
        " periods unless either party gives notice.",
    ],
)
def test_durations_that_are_not_the_term(text: str) -> None:
    assert find_term(text) is None
