"""The field scorer's parts: lines placed on the page, candidates with their features, and the
JSON model evaluator (its agreement with scikit-learn is tested in tools, where it is)."""

import json
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

import pytest

from docflow_text.fields import (
    ModelFileError,
    candidates,
    document_lines,
    lines_of_text,
    row_texts,
)
from docflow_text.fields.model import FORMAT, load_model, parse_model
from docflow_text.fields.reading import read_lines

RECEIPT = """\
KEDAI ALPHA SDN BHD (123456-X)
NO 12 JALAN MAJU, 47100 PUCHONG
TAX INVOICE
Date: 25 / 12 / 2018 10:22
ITEM 2 x 4.50 9.00
Sub Total 9.00
TOTAL RM 9.00
CASH 20.00
CHANGE 11.00
"""


@dataclass
class _Box:
    left: float
    top: float
    width: float
    height: float


@dataclass
class _Line:
    text: str
    confidence: float | None
    box: _Box | None


@dataclass
class _Page:
    text: str
    lines: list[_Line] = field(default_factory=list)


def test_lines_are_placed_by_their_boxes_and_pages() -> None:
    boxed = _Page(
        "", [_Line("TOTAL 9.00", 0.9, _Box(0.1, 0.5, 0.3, 0.02)), _Line("  ", None, None)]
    )
    plain = _Page("first\n\nsecond")
    lines = document_lines([boxed, plain])
    assert [line.text for line in lines] == ["TOTAL 9.00", "first", "second"]
    assert lines[0].top == pytest.approx(0.25)
    assert lines[0].has_box
    assert lines[0].confidence == 0.9
    assert lines[1].top == pytest.approx(0.5)
    assert not lines[1].has_box
    assert lines[2].top == pytest.approx(0.75)


def test_rows_gather_lines_side_by_side_left_to_right() -> None:
    # Extraction's order: the values' column after the labels' column, and a lone line.
    page = _Page(
        "",
        [
            _Line("30064443", None, _Box(0.40, 0.300, 0.2, 0.010)),
            _Line("Rechnungsnr.", None, _Box(0.10, 0.302, 0.2, 0.010)),
            _Line("Rechnungsdatum", None, _Box(0.10, 0.330, 0.2, 0.010)),
            _Line("7. Mai 2014", None, _Box(0.40, 0.331, 0.2, 0.008)),
            _Line("Gelnhausen", None, _Box(0.10, 0.500, 0.2, 0.010)),
            _Line("no box", None, None),
        ],
    )
    assert row_texts([page]) == ["Rechnungsnr.   30064443", "Rechnungsdatum   7. Mai 2014"]


def test_candidates_of_each_field_with_rules_as_features() -> None:
    found = candidates(lines_of_text(RECEIPT))
    totals = {c.value: c.features for c in found["total"]}
    assert set(totals) == {4.5, 9.0, 11.0, 20.0}
    assert totals[9.0]["label_total"] == 1.0
    assert totals[9.0]["occurrences"] == 3.0
    assert totals[9.0]["cash_less_change"] == 1.0
    assert totals[20.0]["cash_less_change"] == 0.0
    assert totals[20.0]["label_cash"] == 1.0
    assert totals[20.0]["rank"] == 0.0
    dates = [c.value for c in found["issue_date"]]
    assert dates == [date(2018, 12, 25)]
    issuers = {c.value: c.features for c in found["issuer"]}
    assert "KEDAI ALPHA SDN BHD" in issuers  # cut after its legal form
    assert issuers["KEDAI ALPHA SDN BHD"]["legal_form"] == 1.0
    assert issuers["NO 12 JALAN MAJU, 47100 PUCHONG"]["address"] == 1.0


@pytest.mark.parametrize(
    ("head", "name"),
    [
        # Cut after the last legal form, not the first ("CO."), before the registration.
        ("AEON CO. (M) BHD (126926-H)\nJLN JEJAKA, TAMAN MALURI", "AEON CO. (M) BHD"),
        # A name that runs on to the next line, by "&" or by a legal form there.
        (
            "HOME MASTER HARDWARE&\nELECTRICAL\nNO 12, JALAN SETIA",
            "HOME MASTER HARDWARE& ELECTRICAL",
        ),
        ("KEDAI BETA\nSDN BHD\nNO 12, JALAN MAJU", "KEDAI BETA SDN BHD"),
        # The legal form's letters as OCR misreads them.
        ("WAHIN HARDWARE SIN BHD\nNO 12, JALAN MAJU", "WAHIN HARDWARE SDN BHD"),
        ("Timeless Kitchenette San Bhd\nNO 12, JALAN MAJU", "Timeless Kitchenette Sdn Bhd"),
        # The document's title printed after the name.
        ("Amazon Web Services Invoice\nInvoice Number: 42183017", "Amazon Web Services"),
        ("Kedai Gamma Tax Invoice:\nNO 12, JALAN MAJU", "Kedai Gamma"),
        ("FACTURE SARL Cèdre Nettoyage\n12 rue des Lilas", "SARL Cèdre Nettoyage"),
        ("Dimiliki: banh mi cafe Sdn Bhd\nNO 12, JALAN MAJU", "banh mi cafe Sdn Bhd"),
        # Letters OCR read as digits, or as a capital I; numbers and codes stay as printed.
        ("URBAN 1DEA SDN BHD\nNO 12, JALAN MAJU", "URBAN IDEA SDN BHD"),
        ("AEON C0. (M) BHD.\nNO 12, JALAN MAJU", "AEON CO. (M) BHD."),
        ("Taste Of The WorId Sdn Bhd\nNO 12, JALAN MAJU", "Taste Of The World Sdn Bhd"),
        ("TRIPLE SIX POINT ENTERPRISE 666\nNO.1, JALAN MAJU", "TRIPLE SIX POINT ENTERPRISE 666"),
    ],
)
def test_an_issuer_candidate_is_the_whole_name(head: str, name: str) -> None:
    issuers = [c.value for c in candidates(lines_of_text(head + "\nTOTAL 9.00"))["issuer"]]
    assert name in issuers


def test_a_customers_block_is_marked() -> None:
    head = "Tulptec B.V.\nBill To\nPatel Traders Ltd.\n215, Nehru Nagar\nTOTAL 9.00"
    issuers = {c.value: c.features for c in candidates(lines_of_text(head))["issuer"]}
    assert issuers["Patel Traders Ltd."]["customer_label"] == 1.0
    assert issuers["Tulptec B.V."]["customer_label"] == 0.0


def test_a_fields_label_is_marked_as_one() -> None:
    head = "Account number:\n296664039561\nAmazon Web Services\nTOTAL 9.00"
    issuers = {c.value: c.features for c in candidates(lines_of_text(head))["issuer"]}
    assert issuers["Account number"]["field_label"] == 1.0
    assert issuers["Amazon Web Services"]["field_label"] == 0.0


def _model(threshold: float = 0.5, min_confidence: float = 0.0) -> dict[str, object]:
    """One stump on ``label_total``: 0.9 for a labelled amount, 0.1 otherwise."""
    stump = {"feature": [0, 0, 0], "threshold": [threshold, 0, 0], "left": [1, -1, -1],
             "right": [2, -1, -1], "value": [0.0, -2.1972, 2.1972]}  # fmt: skip
    total = {"features": ["label_total"], "bias": 0.0, "learning_rate": 1.0,
             "min_confidence": min_confidence, "trees": [stump]}  # fmt: skip
    return {"format": FORMAT, "fields": {"total": total}}


def test_the_evaluator_walks_the_trees() -> None:
    scorer = parse_model(json.dumps(_model()))
    assert scorer.fields["total"].probability({"label_total": 1.0}) == pytest.approx(0.9, abs=1e-4)
    assert scorer.fields["total"].probability({}) == pytest.approx(0.1, abs=1e-4)


def test_reading_picks_the_best_candidate_and_says_how_sure() -> None:
    readings = read_lines(lines_of_text(RECEIPT), parse_model(json.dumps(_model())))
    assert set(readings) == {"total"}  # only the fields the model has
    reading = readings["total"]
    assert reading is not None
    assert reading.value == 9.0
    assert reading.confidence == pytest.approx(0.9, abs=1e-3)
    assert reading.trusted
    doubtful = read_lines(
        lines_of_text(RECEIPT), parse_model(json.dumps(_model(min_confidence=0.95)))
    )
    assert doubtful["total"] is not None
    assert not doubtful["total"].trusted


def test_a_field_without_candidates_reads_as_none() -> None:
    readings = read_lines(lines_of_text("no money here"), parse_model(json.dumps(_model())))
    assert readings == {"total": None}


@pytest.mark.parametrize(
    "broken",
    [
        "not json",
        json.dumps({"format": "other/1", "fields": {}}),
        json.dumps({**_model(), "fields": {"total": {"features": []}}}),
        json.dumps(
            _model(threshold=0.5)
            | {
                "fields": {
                    "total": {
                        **_model()["fields"]["total"],  # type: ignore[index]
                        "trees": [
                            {
                                "feature": [0],
                                "threshold": [0],
                                "left": [5],
                                "right": [6],
                                "value": [0],
                            }
                        ],
                    }
                }
            }
        ),
    ],
)
def test_a_malformed_model_is_refused(broken: str) -> None:
    with pytest.raises(ModelFileError):
        parse_model(broken)


def test_a_missing_model_file_is_an_error_and_the_packaged_one_loads(tmp_path: Path) -> None:
    with pytest.raises(ModelFileError):
        load_model(tmp_path / "absent.json")
    packaged = load_model()  # make train writes it, and it is committed
    assert packaged is not None
    assert set(packaged.fields) == {"issuer", "issue_date", "total", "effective_date", "party"}


INVOICE = """\
ALEXINUX
27 rue Henri Rolland
Facture n° 2022089083
Total TTC : 56,02 €
Virement - Titulaire du compte : NETPRESSE
NETPRESSE
Sarl au capital de 10 000€
"""


def test_the_rules_issuer_is_a_candidate_marked_by_how_the_rule_found_it() -> None:
    issuers = {c.value: c.features for c in candidates(lines_of_text(INVOICE))["issuer"]}
    # Named most often (twice as the account holder) but below the head: still a candidate.
    assert issuers["NETPRESSE"]["rule_answer"] == 1.0  # a capitalised line
    assert issuers["ALEXINUX"]["rule_answer"] == 0.0
    labelled = candidates(lines_of_text("Sold by: Acme Trading Ltd\nBill to: Jane Roe"))
    marked = {c.value: c.features["rule_answer"] for c in labelled["issuer"]}
    assert max(marked.values()) == 3.0  # a labelled seller: the surest way
    assert all(c.value != "Jane Roe" or marked[c.value] == 0.0 for c in labelled["issuer"])


def _issuer_model(min_confidence: float) -> dict[str, object]:
    """A stump giving 0.1 to every issuer candidate: the model always doubts."""
    stump = {"feature": [0], "threshold": [0.0], "left": [-1], "right": [-1], "value": [-2.1972]}
    issuer = {"features": ["index"], "bias": 0.0, "learning_rate": 1.0,
              "min_confidence": min_confidence, "trees": [stump]}  # fmt: skip
    return {"format": FORMAT, "fields": {"issuer": issuer}}


def test_below_the_bar_the_model_is_trusted_only_where_the_rule_is_not_sure() -> None:
    doubting = parse_model(json.dumps(_issuer_model(min_confidence=0.5)))
    sure = read_lines(lines_of_text("Sold by: Acme Trading Ltd\nTOTAL 9.00"), doubting)["issuer"]
    unsure = read_lines(lines_of_text(INVOICE), doubting)["issuer"]
    assert sure is not None
    assert unsure is not None
    assert (sure.trusted, unsure.trusted) == (False, True)
