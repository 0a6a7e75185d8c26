import pytest

from docflow_events.v1.results import Page


@pytest.mark.parametrize(
    ("method", "recognised"),
    [("ocr", True), ("textract", True), ("text_layer", False), ("docx", False), ("html", False)],
)
def test_a_page_read_from_pixels_is_recognised(method: str, recognised: bool) -> None:
    page = Page.model_validate({"number": 1, "text": "x", "method": method})
    assert page.recognised is recognised
