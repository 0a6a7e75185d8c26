"""Clean-up: one spelling of quotes, spaces and line breaks; lines and sentences of the result."""

from docflow_text.clean import clean, flatten, lines, sentences, strip_filing_header


def test_one_spelling_of_quotes_spaces_and_breaks() -> None:
    text = "\u201cAcme\u201d\u00a0 Corp.\r\n\r\n  it\u2019s  dis\u00adclosed\r"
    assert clean(text) == '"Acme" Corp.\nit\'s disclosed'


def test_lines_and_one_line() -> None:
    cleaned = clean("First line\n\n second  line \n")
    assert lines(cleaned) == ["First line", "second line"]
    assert flatten(cleaned) == "First line second line"


def test_sentences_end_before_a_capital_or_a_number() -> None:
    assert sentences("It ends here. Next one starts, e.g. here. 2. Numbered") == [
        "It ends here.", "Next one starts, e.g. here.", "2.", "Numbered"
    ]  # fmt: skip


def test_the_filing_stamp_is_not_content() -> None:
    assert strip_filing_header("EX-10.1 2 d123.htm AGREEMENT") == "AGREEMENT"
    assert strip_filing_header("AGREEMENT EX-10.1") == "AGREEMENT EX-10.1"
