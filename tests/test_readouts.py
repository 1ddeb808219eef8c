"""datasets/readouts/: every readout has its provenance, marks what no stored copy shows, and
its table (built with the course's splitter) fits the course's annotation; every source resolves."""

from __future__ import annotations

import re

import pytest

from course.reading.data import DataFileError, load_sources
from course.reading.readouts import (HEADER_KEYS, READOUTS, label_topics, load_annotation, load_chinese_terms,
                             load_readout, load_renderings, readout_names, readout_table)
from course.reading.text import sentence_table

NAMES = readout_names()
SOURCE_KEYS = set(load_sources()["key"])


def test_the_three_readouts_are_there():
    assert NAMES == ["cn_mfa_en", "cn_readout_zh", "kremlin_en"]


@pytest.mark.parametrize("name", NAMES)
def test_every_readout_has_its_provenance(name):
    readout = load_readout(name)
    for key in HEADER_KEYS:
        assert readout.header[key], f"{name}: empty header line {key}"
    assert readout.header["url"].startswith("http") or readout.header["url"].startswith("assembled")
    for key in re.split(r"[;\s]+", readout.header["source"]):
        assert key in SOURCE_KEYS, f"{name}: unknown source key {key!r}"
    assert readout.gaps, f"{name}: every stored readout here is incomplete, and says where"


def test_the_foreign_ministry_english_stops_where_the_stored_copy_stops():
    mfa = load_readout("cn_mfa_en")
    assert mfa.text.rstrip().endswith("to work with other members of the international community to prom")
    assert "ends here" in mfa.gaps[0] and "not filled" in mfa.gaps[0]
    assert "red line" in mfa.text and "bottom line" not in mfa.text  # this copy's wording, kept


def test_every_kremlin_line_names_its_source_and_how_it_reports():
    kremlin = load_readout("kremlin_en")
    table = readout_table("kremlin_en")
    assert len(kremlin.line_sources) == len(table)
    for key, how in kremlin.line_sources:
        assert key in SOURCE_KEYS and how in ("quoted", "paraphrased")
    assert any("MISSING" in gap for gap in kremlin.gaps)
    assert "with respect" in kremlin.text and "genocide" in kremlin.text


@pytest.mark.parametrize("name", ["cn_mfa_en", "kremlin_en"])
def test_the_table_is_the_course_splitter_on_the_text_plus_the_annotation(name):
    table = readout_table(name)
    plain = sentence_table(load_readout(name).text, prefix=name[0].upper())
    assert table["sentence_id"].tolist() == plain["sentence_id"].tolist()
    assert table["text"].tolist() == plain["text"].tolist()
    assert {"speaker", "topic", "source", "rendering"} <= set(table.columns)
    assert set(table["speaker"]) <= {"Xi", "Putin", "both", "narrator"}
    assert set(table["source"]) <= SOURCE_KEYS


def test_ids_are_c_for_china_and_k_for_the_kremlin():
    assert readout_table("cn_mfa_en")["sentence_id"].tolist() == [f"C{i}" for i in range(1, 15)]
    assert readout_table("kremlin_en")["sentence_id"].tolist() == [f"K{i}" for i in range(1, 9)]


def test_the_chinese_original_splits_into_sentences():
    table = readout_table("cn_readout_zh")
    assert len(table) == 10 and table["sentence_id"].iloc[0] == "Z1"
    assert table["text"].str.endswith("。").all()
    assert "特别军事行动" in table["text"].iloc[2]


def test_annotation_covers_exactly_the_annotated_readouts():
    annotation = load_annotation()
    assert set(annotation["readout"]) == {"cn_mfa_en", "kremlin_en"}
    assert not annotation.duplicated(["readout", "sentence_id"]).any()


@pytest.mark.parametrize("loader", [load_renderings, load_chinese_terms])
def test_renderings_and_terms_cite_known_sources(loader):
    table = loader()
    assert len(table) >= 10
    for cell in table["source"]:
        keys = [k for k in cell.split(";") if k]
        assert keys and set(keys) <= SOURCE_KEYS, cell


def test_renderings_are_short_cited_phrases():
    renderings = load_renderings()
    assert (renderings["rendering"].str.split().str.len() <= 40).all()
    assert {"mfa_english", "afp", "press_note_english", "xinhua_english"} <= set(renderings["kind"])


def test_the_two_english_wordings_of_the_bottom_line_are_both_recorded():
    renderings = load_renderings()
    line = renderings[renderings["passage"] == "red_bottom_line"]["rendering"].str.cat(sep=" ")
    assert "red line" in line and "bottom line" in line


def test_key_chinese_terms_are_there():
    terms = " ".join(load_chinese_terms()["term_zh"])
    for term in ("特别军事行动", "合理安全关切", "战略底线", "同", "指出", "介绍", "表示"):
        assert term in terms


def test_an_unknown_readout_is_named_with_the_known_ones():
    with pytest.raises(DataFileError) as error:
        load_readout("white_house")
    assert "white_house" in str(error.value) and "kremlin_en" in str(error.value)


def test_a_damaged_readout_header_is_reported(tmp_path):
    (tmp_path / "x.txt").write_text("issuer: me\n---\nText.\n", encoding="utf-8")
    with pytest.raises(DataFileError) as error:
        load_readout("x", tmp_path)
    assert "lacks the header" in str(error.value) and "title" in str(error.value)


def test_an_annotation_that_does_not_fit_is_reported(tmp_path):
    import shutil
    shutil.copytree(READOUTS, tmp_path / "readouts")
    path = tmp_path / "readouts" / "annotation.csv"
    lines = path.read_text(encoding="utf-8").splitlines()
    path.write_text("\n".join(line for line in lines if not line.startswith("kremlin_en,K8")) + "\n",
                    encoding="utf-8")
    with pytest.raises(DataFileError) as error:
        readout_table("kremlin_en", tmp_path / "readouts")
    assert "does not fit" in str(error.value)


def test_label_topics_works_on_a_text_never_seen():
    text = ("President Ardan thanked President Veld for his congratulations on the national day. The two sides "
            "exchanged views on the border situation. Both leaders oppose unilateral sanctions.")
    assert label_topics(sentence_table(text))["topic"].tolist() == [
        "courtesies and the Olympics", "focus of the talk", "sanctions"]
