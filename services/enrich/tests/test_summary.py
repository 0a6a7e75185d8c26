from docflow_enrich.rules.summary import summarize

TEXT = (
    "This Confidentiality Agreement governs the exchange of confidential information between"
    " the companies. The weather on the day of signing was pleasant and sunny for everyone."
    " Confidential information must be kept confidential by the receiving company for two years."
    " Lunch was served at noon in the large meeting room downstairs today. Each company shall"
    " return all confidential information when the discussions between the companies end."
)


def test_keeps_the_most_representative_sentences_in_order() -> None:
    summary = summarize(TEXT, max_sentences=2)
    assert "weather" not in summary
    assert "Lunch" not in summary
    first, second = summary.split(". ", 1)
    assert TEXT.index(first) < TEXT.index(second.rstrip("."))


def test_empty_text_has_an_empty_summary() -> None:
    assert summarize("") == ""
