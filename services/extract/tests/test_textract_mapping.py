"""Recorded Textract responses mapped into docflow's pages, tables and key-values."""

import copy

import pytest

from docflow_events.v1 import ExtractionResult, KeyValue
from docflow_events.v1.results import MergedCell
from docflow_extract.backends.errors import DocumentRejectedError
from docflow_extract.backends.textract.mapping import Mapped, combined, mapped
from docflow_testing.textract_server import job_pages

from .textract_answers import expense_answer, response


def _values(result: Mapped) -> dict[str, str]:
    return {value.key: value.value for value in result.key_values}


def test_forms_become_key_values_with_confidence_and_page() -> None:
    result = mapped(response("employment-application"))

    assert _values(result) == {
        "Full Name:": "Jane Doe",
        "Phone Number:": "555-0100",
        "Home Address:": "123 Any Street, Any Town, USA",
        "Mailing Address:": "same as home address",
    }
    first = result.key_values[0]
    assert first.box is not None
    assert 0 < first.box.width < 1
    assert first.model_copy(update={"box": None}) == KeyValue(
        key="Full Name:", value="Jane Doe", page=1, source="form", confidence=0.87
    )
    assert all(value.confidence is not None for value in result.key_values)


def test_a_plain_table_keeps_its_rows_and_has_no_merged_cells() -> None:
    result = mapped(response("employment-application"))

    [table] = result.tables
    assert table.page == 1
    assert table.rows[0] == [
        "Start Date",
        "End Date",
        "Employer Name",
        "Position Held",
        "Reason for leaving",
    ]
    assert table.rows[1] == [
        "1/15/2009",
        "6/30/2011",
        "Any Company",
        "Assistant Baker",
        "Family relocated",
    ]
    assert len(table.rows) == 4
    assert table.merged_cells == []


def test_a_merged_title_cell_holds_the_text_and_names_its_span() -> None:
    result = mapped(response("tables_with_headers_and_merged_cells"))

    [table] = result.tables
    assert table.merged_cells == [MergedCell(row=1, column=1, row_span=1, column_span=5)]
    assert table.rows[0] == ["Previous Employment History", "", "", "", ""]
    assert table.rows[1][0] == "Start Date"
    assert len(table.rows) == 5
    assert all(len(row) == 5 for row in table.rows)


def test_multi_page_forms_keep_each_page_with_its_values_checkboxes_and_tables() -> None:
    result = mapped(response("multi-page-forms-samples-2-page"))

    assert [page.number for page in result.pages] == [1, 2]
    assert result.billed_pages == 2
    assert result.pages[0].text.startswith("Patient Information\n")
    assert "Employment Application" in result.pages[1].text
    by_page = {(value.page, value.key, value.value) for value in result.key_values}
    assert (1, "First Name:", "ALEJANDRO") in by_page
    assert (2, "Full Name:", "Jane Doe") in by_page
    assert (2, "Job fair", "selected") in by_page
    assert (2, "Website", "not selected") in by_page
    assert [table.page for table in result.tables] == [1, 2]
    # Page 1: a yes/no questionnaire whose first and last columns are merged down all rows.
    assert result.tables[0].merged_cells == [
        MergedCell(row=1, column=1, row_span=6, column_span=1),
        MergedCell(row=1, column=4, row_span=6, column_span=1),
    ]
    assert result.tables[0].rows[0][1] == "Did you feel fever or feverish lately?"
    assert result.tables[1].merged_cells == [MergedCell(row=1, column=1, row_span=1, column_span=5)]


def test_a_plain_text_page_has_its_lines_and_nothing_else() -> None:
    result = mapped(response("little_women_page_1"))

    [page] = result.pages
    assert page.method == "textract"
    assert page.text.splitlines()[0] == (
        "The Project Gutenberg EBook of Little Women, by Louisa M. Alcott"
    )
    assert len(page.lines) == 22
    assert [line.text for line in page.lines] == page.text.splitlines()
    assert all(line.confidence is not None and 0.5 < line.confidence <= 1 for line in page.lines)
    assert all(line.box is not None and line.words for line in page.lines)
    first = page.lines[0]
    assert first.text == " ".join(word.text for word in first.words)
    tops = [line.box.top for line in page.lines if line.box is not None]
    assert tops == sorted(tops)
    assert page.ocr_confidence is not None
    assert 90 < page.ocr_confidence <= 100
    assert result.tables == []
    assert result.key_values == []


def test_the_mapped_result_fits_the_extraction_result_contract() -> None:
    found = mapped(response("multi-page-forms-samples-2-page"))
    result = ExtractionResult(
        document_id="d",
        media_type="application/pdf",
        backend="textract",
        pages=found.pages,
        tables=found.tables,
        key_values=found.key_values,
        cost={"backend": "textract"},
    )

    assert ExtractionResult.model_validate_json(result.model_dump_json()) == result


def test_result_pages_of_a_job_combine_into_the_whole_answer() -> None:
    whole = response("multi-page-forms-samples-2-page")

    assert mapped(combined(job_pages(copy.deepcopy(whole), 3))) == mapped(whole)


def test_textract_warnings_are_kept() -> None:
    answer = response("little_women_page_1")
    answer["Warnings"] = [{"ErrorCode": "PAGE_NOT_PROCESSED", "Pages": [2, 3]}]

    assert mapped(answer).warnings == ["Textract: PAGE_NOT_PROCESSED on pages 2, 3"]


def test_expense_summary_fields_become_expense_key_values() -> None:
    result = mapped(expense_answer())

    assert result.key_values == [
        KeyValue(key="TOTAL", value="42.50", page=1, source="expense", confidence=0.985),
        KeyValue(
            key="INVOICE_RECEIPT_ID", value="R-1001", page=1, source="expense", confidence=0.97
        ),
        KeyValue(
            key="VENDOR_NAME",
            value="Any Company Coffee",
            page=1,
            source="expense",
            confidence=0.9525,
        ),
        KeyValue(key="Table", value="12", page=1, source="expense", confidence=0.8),
    ]
    assert result.pages[0].text == "TOTAL 42.50"


def test_an_answer_textractor_cannot_read_is_refused_for_good() -> None:
    answer = {"DocumentMetadata": {"Pages": 1}, "Blocks": [{"BlockType": "PAGE", "Id": "p"}]}

    with pytest.raises(DocumentRejectedError, match="unreadable"):
        mapped(answer)


def test_pages_textract_reports_but_did_not_return_are_billed_not_invented() -> None:
    # A job ending in PARTIAL_SUCCESS bills every page and returns blocks for those it read.
    answer = response("multi-page-forms-samples-2-page")
    answer["DocumentMetadata"] = {"Pages": 5}
    answer["Warnings"] = [{"ErrorCode": "PAGE_NOT_PROCESSED", "Pages": [3, 4, 5]}]

    result = mapped(answer)

    assert result.billed_pages == 5
    assert [page.number for page in result.pages] == [1, 2]
    assert result.warnings == ["Textract: PAGE_NOT_PROCESSED on pages 3, 4, 5"]
