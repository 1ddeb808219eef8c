"""The course data is here, intact, and every table loads with the columns the lessons use."""

from __future__ import annotations

import pytest

from conftest import ROOT
from course.reading import data, readouts

LOADERS = [data.load_seed, data.load_sentences, data.load_reporting_cues, data.load_war_names,
           data.load_loaded_terms, data.load_glossary, data.load_sources, data.load_frame_dimensions,
           readouts.load_readout_topics, readouts.load_annotation, readouts.load_renderings,
           readouts.load_chinese_terms]


def test_a_notebook_in_this_folder_finds_this_folders_data(monkeypatch):
    monkeypatch.delenv("COURSE_DATA", raising=False)
    assert data.data_folder(ROOT / "notebooks") == (ROOT / "datasets").resolve()
    assert data.data_folder(ROOT / "my-work") == (ROOT / "datasets").resolve()


def test_the_text_is_intact():
    seed = data.load_seed(ROOT / "datasets")   # raises if the text's sha256 checksum differs
    assert seed.strip()


@pytest.mark.parametrize("loader", LOADERS, ids=lambda f: f.__name__)
def test_every_table_loads(loader, monkeypatch):
    monkeypatch.setenv("COURSE_DATA", str(ROOT / "datasets"))
    table = loader()
    assert len(table) > 0


def test_the_sentence_table_fits_the_text(monkeypatch):
    monkeypatch.setenv("COURSE_DATA", str(ROOT / "datasets"))
    seed, sentences = data.load_seed(), data.load_sentences()
    for row in sentences.itertuples(index=False):
        assert seed[row.start:row.end] == row.text, row.sentence_id


def test_every_readout_loads(monkeypatch):
    monkeypatch.setenv("COURSE_DATA", str(ROOT / "datasets"))
    names = readouts.readout_names()
    assert names
    for name in names:
        assert readouts.load_readout(name).text.strip()
