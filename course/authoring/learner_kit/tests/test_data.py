"""The course data is here, intact, and every table loads with the columns the lessons use."""

from __future__ import annotations

import importlib

import pytest

from conftest import ROOT
from course.reading import data, readouts

# Every table the course registers (course.reading.data.TABLES), loaded through its own loader.
LOADERS = [getattr(importlib.import_module(f"course.reading.{module}"), function)
           for module, function in (table.loader.split(".") for table in data.TABLES.values())]


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
    name = next(n for n, t in data.TABLES.items() if t.loader.endswith("." + loader.__name__))
    assert set(data.TABLES[name].columns) <= set(table.columns)


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
