"""make train on a tiny generated set: candidates labelled, an ensemble fitted, exported to the
JSON the services evaluate (which must agree with scikit-learn), cross-validated, reported."""

import json
from collections import Counter
from datetime import date
from pathlib import Path

import numpy as np
import pytest

from docflow_events.v1 import Cost, ExtractionResult, Page
from docflow_testing.samples import samples_dir
from docflow_text.fields import lines_of_text, read_lines
from docflow_text.fields.model import FORMAT, parse_model
from docflow_tools.eval.kleister import gold_effective_date, gold_parties
from docflow_tools.train.__main__ import MODELS_DIR, main
from docflow_tools.train.cache import ExtractionCache, code_version
from docflow_tools.train.dataset import FieldData, Rules, build, build_agreements, build_parties
from docflow_tools.train.fit import (
    TrainingDataError,
    choose_threshold,
    cross_validate,
    export,
    field_model,
    fit,
    matrix,
)
from docflow_tools.train.report import FieldOutcome, SetOutcome, render
from docflow_tools.train.sets import SetPrediction, choose_set_bar, cross_validate_set, set_score
from docflow_tools.train.truth import Truth

_SHOPS = ("KEDAI ALPHA SDN BHD", "BETA TRADING", "GAMMA MART SDN BHD", "DELTA ENTERPRISE")


def _receipt(number: int) -> tuple[str, Truth]:
    shop = _SHOPS[number % len(_SHOPS)]
    price, qty = 1.5 + number, 1 + number % 3
    total = round(price * qty, 2)
    day = date(2018, 1 + number % 12, 1 + number % 27)
    text = "\n".join([
        shop, "NO 12 JALAN MAJU, 47100 PUCHONG", "TEL: 03-8051 9514", "TAX INVOICE",
        f"Date: {day:%d/%m/%Y} 10:{number % 60:02d}:00", "Cashier: 7",
        f"ITEM {number} {qty} x {price:.2f} {total:.2f}", f"Sub Total {total:.2f}",
        f"TOTAL RM {total:.2f}", f"CASH {total + 10:.2f}", "CHANGE 10.00", "THANK YOU",
        f"Member valid until {day.year + 1}-12-31",
    ])  # fmt: skip
    return text, Truth(kind="receipts", issuer=shop, issue_date=day, total=total)


def _extraction(text: str) -> ExtractionResult:
    page = Page(number=1, text=text, method="text")
    return ExtractionResult(
        document_id="d",
        media_type="text/plain",
        backend="local",
        pages=[page],
        cost=Cost(backend="local"),
    )


@pytest.fixture(scope="module")
def data():  # type: ignore[no-untyped-def]
    documents = []
    for number in range(24):
        text, truth = _receipt(number)
        name = f"receipts-sroie/r{number:02d}"
        documents.append((name, _extraction(text), truth, Rules(None, None, None)))
    return build(documents)


def test_candidates_are_labelled_by_the_gold(data) -> None:  # type: ignore[no-untyped-def]
    totals = data["total"].examples
    assert len(totals) == 24
    assert all(example.reachable for example in totals)
    first = totals[0]
    right = [c.value for c, ok in zip(first.candidates, first.right, strict=True) if ok]
    assert right == [1.5]
    assert not any(example.rule_right for example in totals)  # the rules answered nothing


def test_the_exported_ensemble_gives_scikit_learns_probabilities(data) -> None:  # type: ignore[no-untyped-def]
    examples, names = data["total"].examples, data["total"].feature_names()
    model = fit(examples, names)
    features, _ = matrix(examples, names)
    ours = field_model(export(model, names, 0.0))
    rows = [c.features for e in examples for c in e.candidates]
    expected = model.predict_proba(features)[:, 1]
    got = np.array([ours.probability(row) for row in rows])
    assert np.allclose(got, expected, atol=1e-9)


def test_training_is_deterministic(data) -> None:  # type: ignore[no-untyped-def]
    names = data["issuer"].feature_names()
    first = export(fit(data["issuer"].examples, names), names, 0.1)
    second = export(fit(data["issuer"].examples, names), names, 0.1)
    assert json.dumps(first) == json.dumps(second)


def test_the_trained_scorer_reads_an_unseen_receipt(data) -> None:  # type: ignore[no-untyped-def]
    fields = {}
    for name in ("issuer", "issue_date", "total"):
        names = data[name].feature_names()
        fields[name] = export(fit(data[name].examples, names), names, 0.0)
    scorer = parse_model(json.dumps({"format": FORMAT, "fields": fields}))
    text, truth = _receipt(30)
    readings = read_lines(lines_of_text(text), scorer)
    assert {name: r.value for name, r in readings.items() if r} == {
        "issuer": truth.issuer, "issue_date": truth.issue_date, "total": truth.total,
    }  # fmt: skip


def test_cross_validation_scores_each_document_once_and_reports(data) -> None:  # type: ignore[no-untyped-def]
    predictions = cross_validate(data["total"], folds=4)
    assert sorted(p.document for p in predictions) == [
        f"receipts-sroie/r{n:02d}" for n in range(24)
    ]
    assert sum(p.right for p in predictions) >= 20
    outcome = FieldOutcome(data["total"], predictions, choose_threshold(predictions))
    report = render(Counter({"receipts-sroie": 24}), 4, [outcome], [], "auto")
    assert "receipts-sroie: 24 documents" in report
    assert "| total | 24 |" in report
    assert "| total | receipts-sroie | 24 |" in report  # by corpus


def test_too_few_documents_for_the_folds_is_an_error(data) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(TrainingDataError):
        cross_validate(data["total"], folds=100)


def test_nothing_right_to_learn_from_is_an_error(data) -> None:  # type: ignore[no-untyped-def]
    wrong = [
        type(e)(e.document, e.candidates, [False] * len(e.right)) for e in data["total"].examples
    ]
    with pytest.raises(TrainingDataError):
        fit(wrong, data["total"].feature_names())


def test_the_cache_extracts_once_per_content(tmp_path: Path) -> None:
    calls: list[str] = []

    def extract(path: Path) -> ExtractionResult:
        calls.append(path.name)
        return _extraction(path.read_text())

    first, second = tmp_path / "a.txt", tmp_path / "b.txt"
    first.write_text("TOTAL 1.00")
    second.write_text("TOTAL 1.00")  # the same content: one extraction
    cache = ExtractionCache(tmp_path / "cache", "v1")
    results = cache.extract_all([first, second], extract, workers=1)
    again = cache.extract_all([first], extract, workers=1)
    assert [r.text for r in results] == ["TOTAL 1.00", "TOTAL 1.00"]
    assert again[0].text == "TOTAL 1.00"
    assert len(calls) <= 2
    assert calls.count("a.txt") == 1
    assert ExtractionCache(tmp_path / "cache", "v2").get(first) is None  # new code, no cache


def test_each_ocr_engine_has_its_own_cache() -> None:
    # Both engines' text of one receipt differ: training on one must never read the other's.
    assert code_version("tesseract") != code_version("rapidocr")
    assert code_version("rapidocr") == code_version("rapidocr")


def test_training_without_every_corpus_leaves_the_committed_model(
    capsys: pytest.CaptureFixture[str],
) -> None:
    packaged = MODELS_DIR / "fields.json"
    before = packaged.read_bytes()
    assert main(["--corpus", str(samples_dir())]) == 2  # samples/ has invoices, no receipts
    assert packaged.read_bytes() == before
    assert "receipts-sroie missing" in capsys.readouterr().err


def test_every_agreement_is_an_effective_date_example_and_naming_none_can_be_right() -> None:
    dated = "This Agreement is made effective as of March 3, 2015 between Acme Inc. and Beta LLC."
    undated = "This Agreement is made between Acme Inc. and Beta LLC. Signed May 1, 2016."
    in_march = Truth(kind="kleister", effective_date=date(2015, 3, 3))
    data = build_agreements(
        [
            ("kleister-nda/a", _extraction(dated), in_march),
            ("kleister-nda/b", _extraction(undated), Truth(kind="kleister")),
        ]
    )
    first, second = data.examples
    assert [c.value for c, ok in zip(first.candidates, first.right, strict=True) if ok] == [
        date(2015, 3, 3)
    ]
    assert not first.rule_right
    assert [c.value for c in second.candidates] == [date(2016, 5, 1)]
    assert second.right == [False]
    assert second.rule_right  # below the bar no date is named, which is right here


def test_an_agreement_s_gold_effective_date_comes_from_expected_tsv() -> None:
    folder = samples_dir() / "kleister-nda"
    assert gold_effective_date(folder / "031470434423a8c40105a4b404ced88b.pdf") == date(2017, 2, 10)
    assert gold_effective_date(folder / "not-listed.pdf") is None
    assert Truth(kind="kleister").has("effective_date")
    assert not Truth(kind="invoices").has("effective_date")


_COMPANIES = ("Acme Inc.", "Beta LLC", "Gamma Corporation", "Delta Ltd.", "Kappa Holdings Inc.")


def _agreement(number: int) -> tuple[str, Truth]:
    """Two companies in the opening and, in every third, a third signing as guarantor."""
    first, second = _COMPANIES[number % 5], _COMPANIES[(number + 2) % 5]
    body = "\n".join(["The Recipient shall keep the Information secret."] * 20)
    signer = f"{_COMPANIES[(number + 1) % 5].upper()}\nBy: /s/ Ann Lee\n" if number % 3 else ""
    text = (
        f"NONDISCLOSURE AGREEMENT\nThis Agreement is made by and between {first}, a Delaware "
        f'corporation ("First"), and {second}, a Nevada company ("Second").\n{body}\n'
        f"IN WITNESS WHEREOF, the parties sign below.\n{signer}"
    )
    gold = tuple(f"PARTY={'_'.join(name.split()).upper()}" for name in (first, second))
    return text, Truth(kind="kleister", parties=gold)


def _parties() -> FieldData:
    named = [(f"kleister-nda/a{n:02d}", _extraction(t), truth)
             for n, (t, truth) in enumerate(map(_agreement, range(20)))]  # fmt: skip
    return build_parties(named)


def test_every_agreement_is_a_party_example_labelled_by_its_gold_parties() -> None:
    example = _parties().examples[0]
    assert example.expected == 2
    assert [c.value for c, ok in zip(example.candidates, example.right, strict=True) if ok] == [
        "Acme Inc.",
        "Gamma Corporation",
    ]
    assert Truth(kind="kleister").has("party")
    assert not Truth(kind="receipts").has("party")


def test_the_party_scorer_is_cross_validated_by_the_benchmark_s_f1_and_reported() -> None:
    data = _parties()
    predictions = cross_validate_set(data, folds=4)
    assert sorted(p.document for p in predictions) == [e.document for e in data.examples]
    bar = choose_set_bar(predictions)
    score = set_score(predictions, bar)
    assert score.expected == 40
    assert score.f1 >= 0.9
    assert set_score(predictions, 0.0).predicted > score.predicted  # signers left out
    report = render(
        Counter({"kleister-nda": 20}), 4, [], [SetOutcome(data, predictions, bar)], "auto"
    )
    assert "| party | all | 20 | 40 |" in report
    assert "- **party**: " in report


def test_a_document_s_set_score_counts_each_gold_value_once() -> None:
    prediction = SetPrediction(
        "d", confidences=[0.9, 0.8, 0.1], right=[True, True, False], expected=1
    )
    assert set_score([prediction], 0.5).model_dump() == {
        "true_positives": 1, "predicted": 2, "expected": 1,
    }  # fmt: skip
    assert prediction.reachable == 1
    nothing = SetPrediction("e", confidences=[0.2, 0.3], right=[False, True], expected=2)
    assert set_score([nothing], 0.5).model_dump() == {
        "true_positives": 1, "predicted": 1, "expected": 2,
    }  # fmt: skip


def test_an_agreement_s_gold_parties_come_from_expected_tsv() -> None:
    folder = samples_dir() / "kleister-nda"
    assert gold_parties(folder / "031470434423a8c40105a4b404ced88b.pdf") == (
        "PARTY=KITE_PHARMA_INC.",
        "PARTY=GILEAD_SCIENCES_INC.",
    )
    assert gold_parties(folder / "not-listed.pdf") == ()
