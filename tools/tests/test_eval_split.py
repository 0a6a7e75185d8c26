"""The committed split: fixed, drawn by its written rule, one part per document."""

import random
from pathlib import Path

import pytest

from docflow_tools.eval import invoices, kleister
from docflow_tools.eval.corpora import CORPORA, documents
from docflow_tools.eval.split import (
    PARTS,
    Split,
    SplitError,
    all_development,
    draw,
    load_split,
    rank,
    write_split,
)
from docflow_tools.synth import invoices as synth

NAMES = [f"{n:03}.jpg" for n in range(40)]


def test_a_draw_does_not_depend_on_the_order_names_come_in() -> None:
    shuffled = NAMES.copy()
    random.Random(3).shuffle(shuffled)
    assert draw("c", shuffled, seed="s", kept_back_share=0.5) == draw(
        "c", NAMES, seed="s", kept_back_share=0.5
    )


def test_a_draw_depends_on_its_seed_and_keeps_back_its_share() -> None:
    one = draw("c", NAMES, seed="one", kept_back_share=0.5)
    other = draw("c", NAMES, seed="other", kept_back_share=0.5)
    assert one.kept_back != other.kept_back
    assert len(one.kept_back) == len(one.development) == 20
    assert len(draw("c", NAMES, seed="one", kept_back_share=0.25).kept_back) == 10


def test_a_rank_is_a_fixed_digest_not_a_hash_seed() -> None:
    # sha256("s/000.jpg"): the same on every machine and every run, unlike hash().
    assert rank("s", "000.jpg") == rank("s", "000.jpg")
    assert rank("s", "000.jpg").startswith("ad6c")


@pytest.mark.parametrize("corpus", list(CORPORA))
def test_every_document_lands_in_exactly_one_part(corpus: str) -> None:
    split = load_split(corpus)
    assert not set(split.development) & set(split.kept_back)
    for name in split.names():
        assert split.part_of(name) in PARTS
    with pytest.raises(SplitError, match="not in the split"):
        split.part_of("never-seen.pdf")


@pytest.mark.parametrize("corpus", ["kleister-nda-more", "receipts-sroie"])
def test_the_committed_split_is_what_its_rule_draws(corpus: str) -> None:
    split = load_split(corpus)
    assert split.seed is not None
    assert split.kept_back_share == 0.5
    assert draw(corpus, sorted(split.names()), seed=split.seed, kept_back_share=0.5) == split


def test_the_generated_invoices_split_is_drawn_over_the_generated_names() -> None:
    split = load_split(synth.FOLDER)
    names = synth.document_names(synth.EVALUATION_COUNT, synth.EVALUATION_SEED)
    assert split.seed is not None
    assert split == draw(synth.FOLDER, names, seed=split.seed, kept_back_share=0.5)
    assert CORPORA[synth.FOLDER] == "invoices"


@pytest.mark.parametrize("corpus", ["kleister-nda", "invoices"])
def test_the_tuned_on_corpora_are_all_development(corpus: str) -> None:
    split = load_split(corpus)
    assert split.kept_back == []
    assert split == all_development(corpus, sorted(split.names()))


def test_the_samples_are_development_documents(samples: Path) -> None:
    ndas = [name for name, _ in kleister.read_expected(samples / "kleister-nda" / "expected.tsv")]
    assert len(ndas) == 13
    assert {load_split("kleister-nda").part_of(name) for name in ndas} == {"development"}
    shipped = [path.name for path in invoices.documents(samples / "invoices")]
    assert len(shipped) == 9
    assert {load_split("invoices").part_of(name) for name in shipped} == {"development"}


def test_documents_leave_out_what_the_split_does_not_name(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = tmp_path / "receipts-sroie"
    (folder / "img").mkdir(parents=True)
    for name in ("000.jpg", "001.jpg", "new.jpg"):
        (folder / "img" / name).write_bytes(b"")
    split = Split(corpus="receipts-sroie", development=["000.jpg"], kept_back=["001.jpg"])
    found = documents(folder, split, ("development",))
    assert [(d.path.name, d.part) for d in found] == [("000.jpg", "development")]
    assert [d.part for d in documents(folder, split, PARTS)] == ["development", "kept-back"]
    assert "1 documents in receipts-sroie/ are in no part" in capsys.readouterr().err


def test_a_split_file_round_trips_and_refuses_overlap(tmp_path: Path) -> None:
    split = draw("c", NAMES, seed="s", kept_back_share=0.5)
    write_split(split, tmp_path)
    assert load_split("c", tmp_path) == split
    (tmp_path / "bad.json").write_text(
        '{"corpus": "bad", "development": ["a"], "kept-back": ["a"]}', encoding="utf-8"
    )
    with pytest.raises(SplitError, match="malformed"):
        load_split("bad", tmp_path)
    with pytest.raises(SplitError, match="no split"):
        load_split("missing", tmp_path)
