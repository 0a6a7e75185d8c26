import pytest

from docflow_enrich.rules.entities.term import find_term


@pytest.mark.parametrize(
    ("text", "expected"),
    [
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
