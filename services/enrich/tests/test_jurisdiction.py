import pytest

from docflow_enrich.rules.entities.jurisdiction import find_jurisdiction


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "This Agreement shall be governed by and construed in accordance with the laws of"
            " the State of New York, without giving effect to conflicts of laws.",
            "New York",
        ),
        (
            "construed and interpreted in accordance with the internal laws of the Commonwealth"
            " of Massachusetts, without giving effect to the principles of conflicts of law.",
            "Massachusetts",
        ),
        ("This NDA is governed by the laws of England and Wales.", "England and Wales"),
        ("governed by the laws of the state of Iowa without regard to conflicts", "Iowa"),
    ],
)
def test_governing_law_clause(text: str, expected: str) -> None:
    assert find_jurisdiction(text) == expected


def test_the_governing_clause_wins_over_places_mentioned_before_it() -> None:
    text = (
        "Altimo, a company organized under the laws of the British Virgin Islands, and Telenor,"
        " organized under the laws of Norway. ... 12. This Agreement shall be governed by, and"
        " construed in accordance with, the laws of the State of New York."
    )
    assert find_jurisdiction(text) == "New York"


def test_without_a_clause_the_most_named_state_decides() -> None:
    text = "Employee resides in the State of Idaho. Venue lies in the State of Idaho."
    assert find_jurisdiction(text) == "Idaho"


def test_no_place_no_jurisdiction() -> None:
    assert find_jurisdiction("This Agreement is binding on successors and assigns.") is None


def test_a_place_written_before_the_word_law() -> None:
    text = "This Agreement shall be governed by Kansas law, without regard to conflicts rules."
    assert find_jurisdiction(text) == "Kansas"
