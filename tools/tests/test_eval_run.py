"""The evaluation end to end: documents through the real stages (text layer and OCR), scored
per part, printed and written as JSON. The corpus is made here from ``samples/`` and generated
receipt scans, laid out as the real corpora are."""

import json
import shutil
from pathlib import Path

import pytest
from PIL import Image, ImageDraw, ImageFont

from docflow_tools.eval import kleister
from docflow_tools.eval.__main__ import KEPT_BACK_NOTICE, main
from docflow_tools.eval.split import load_split

RECEIPT = {"company": "KEDAI RUNCIT MAJU SDN BHD", "date": "25/12/2018", "total": "12.50"}
RECEIPT_LINES = [
    "KEDAI RUNCIT MAJU SDN BHD", "NO 12 JALAN BESAR", "RECEIPT", "DATE: 25/12/2018",
    "BREAD        3.50", "MILK         9.00", "TOTAL       12.50", "THANK YOU",
]  # fmt: skip


def _receipt(folder: Path, name: str) -> None:
    image = Image.new("L", (900, 60 + 60 * len(RECEIPT_LINES)), 255)
    draw = ImageDraw.Draw(image)
    font = ImageFont.load_default(size=36)
    for row, line in enumerate(RECEIPT_LINES):
        draw.text((40, 30 + 60 * row), line, font=font, fill=0)
    image.save(folder / "img" / name, quality=90)
    (folder / "key" / name).with_suffix(".json").write_text(json.dumps(RECEIPT))


@pytest.fixture
def corpus(tmp_path: Path, samples: Path) -> tuple[Path, str, str]:
    """Two sample NDAs, and one receipt in each part of the committed receipts split."""
    ndas = tmp_path / "corpus" / "kleister-nda"
    ndas.mkdir(parents=True)
    rows = kleister.read_expected(samples / "kleister-nda" / "expected.tsv")[:2]
    for name, _ in rows:
        shutil.copy(samples / "kleister-nda" / name, ndas / name)
    (ndas / "expected.tsv").write_text(
        "".join(f"{name}\t{' '.join(items)}\n" for name, items in rows)
    )
    receipts = tmp_path / "corpus" / "receipts-sroie"
    (receipts / "img").mkdir(parents=True)
    (receipts / "key").mkdir()
    split = load_split("receipts-sroie")
    developed, kept = split.development[0], split.kept_back[0]
    for name in (developed, kept):
        _receipt(receipts, name)
    return tmp_path / "corpus", developed, kept


@pytest.mark.slow
def test_every_part_is_scored_and_written(
    corpus: tuple[Path, str, str], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root, developed, kept = corpus
    out = tmp_path / "report.json"
    args = ["--corpus", str(root), "--part", "all", "--json", str(out), "--workers", "2"]
    only = ["--only", "kleister-nda", "--only", "receipts-sroie", "--only", "invoices"]
    assert main([*args, *only]) == 0
    printed = capsys.readouterr()
    assert KEPT_BACK_NOTICE in printed.err
    assert "no invoices/ in the corpus" in printed.err
    assert "receipts-sroie" in printed.out
    assert "straight through (stored)" in printed.out

    report = json.loads(out.read_text())
    assert report["parts"] == ["development", "kept-back"]
    assert report["workers"] == 2
    by_corpus = {c["corpus"]: c for c in report["corpora"]}
    assert set(by_corpus) == {"kleister-nda", "receipts-sroie"}

    ndas = by_corpus["kleister-nda"]["parts"]
    assert list(ndas) == ["development"]
    assert ndas["development"]["documents"] == 2
    assert set(ndas["development"]["f1"]) == {*kleister.KEYS, "overall"}
    assert ndas["development"]["f1"]["overall"]["f1"] > 0.5

    receipts = by_corpus["receipts-sroie"]["parts"]
    for part in ("development", "kept-back"):
        routed = receipts[part]["routing"]
        assert routed["documents"] == 1
        assert routed["stored"] + routed["review"] + routed["failed"] == 1
        assert {f: t["scored"] for f, t in receipts[part]["fields"].items()} == {
            "issuer": 1, "date": 1, "total": 1
        }  # fmt: skip

    documents = {d["filename"]: d for d in report["development_documents"]}
    assert kept not in documents, "a kept-back document's details must not be shown"
    receipt = documents[developed]
    assert receipt["route"] in {"stored", "review"}
    assert receipt["wrong"] is False
    assert {f["field"]: f["right"] for f in receipt["fields"]} == {
        "issuer": True, "date": True, "total": True
    }  # fmt: skip


def test_a_part_with_no_documents_says_so(
    samples: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # The samples are all development documents: there is nothing kept back to score.
    only = ["--only", "kleister-nda", "--only", "invoices"]
    assert main(["--corpus", str(samples), "--part", "kept-back", "--workers", "1", *only]) == 1
    assert "nothing to score" in capsys.readouterr().err
