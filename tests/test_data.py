"""course/reading/data.py: the loaders return what the lessons rely on, and a damaged file gives a
DataFileError that names the file and says how to restore it (on private tmp copies)."""

from __future__ import annotations

import pandas as pd
import pytest

import importlib
import re

from course.reading import data
from course.reading.data import COLUMNS, TABLES, DataFileError
from helpers import DATASETS

TABLE_LOADERS = {name: getattr(importlib.import_module(f"course.reading.{table.loader.split('.')[0]}"),
                               table.loader.split(".")[1]) for name, table in TABLES.items()}


def table_path(folder, name):
    """Where a table sits in a copy of datasets/."""
    return folder / TABLES[name].file


def loader_folder(folder, name):
    """The folder a table's loader takes: the table's own folder in a copy of datasets/."""
    return table_path(folder, name).parent


LEXICONS = {  # table -> the column naming each entry
    "reporting_cues.csv": "cue", "war_names.csv": "name", "loaded_terms.csv": "term", "glossary.csv": "term",
    "diplomatic_formulae.csv": "formula",
}


def test_every_table_has_a_loader_and_every_data_file_a_table():
    assert set(TABLE_LOADERS) == set(COLUMNS) and all(callable(load) for load in TABLE_LOADERS.values())
    files = {p.relative_to(DATASETS).as_posix() for p in DATASETS.rglob("*.csv")}
    assert files == {table.file for table in TABLES.values()}, "a CSV file in datasets/ that the registry lacks"


@pytest.mark.parametrize("name", sorted(TABLES))
def test_every_column_of_a_table_is_registered(name):
    """A column added to a CSV file must be added to TABLES too (and so to the datasheet)."""
    header = pd.read_csv(DATASETS / TABLES[name].file, nrows=0).columns.tolist()
    assert header == list(TABLES[name].columns), f"{name}: the file's columns differ from TABLES: {header}"


def datasheet_sections() -> dict[str, str]:
    """The datasheet's sections, by the file each heading names in `code`."""
    text = (DATASETS / "README.md").read_text(encoding="utf-8")
    sections, current = {}, None
    for line in text.splitlines():
        heading = re.match(r"^#{2,4} `([^`]+)`", line)
        if heading:
            current = heading.group(1)
            sections[current] = ""
        elif line.startswith("#") and current and not line.startswith("####"):
            current = None
        elif current:
            sections[current] += line + "\n"
    return sections


@pytest.mark.parametrize("name", sorted(TABLES))
def test_every_table_and_column_has_a_datasheet_entry(name):
    sections = datasheet_sections()
    file = TABLES[name].file
    assert file in sections, f"datasets/README.md has no section headed `{file}`"
    undocumented = [c for c in TABLES[name].columns if f"`{c}`" not in sections[file]]
    assert not undocumented, f"the datasheet's section on {file} does not describe {undocumented}"


def test_the_datasheet_check_fails_on_a_missing_column(monkeypatch):
    name = "glossary.csv"
    monkeypatch.setitem(TABLES, name, data.Table(TABLES[name].file, (*TABLES[name].columns, "invented_column"),
                                                 TABLES[name].loader))
    with pytest.raises(AssertionError, match="invented_column"):
        test_every_table_and_column_has_a_datasheet_entry(name)


def assert_helpful(error: pytest.ExceptionInfo, path) -> None:
    message = str(error.value)
    assert str(path) in message, f"the message should name {path}: {message}"
    assert "git checkout" in message, f"the message should say how to restore the file: {message}"
    assert "Traceback" not in message


# ---------------------------------------------------------------- shapes

def test_seed_loads_as_text():
    seed = data.load_seed()
    assert isinstance(seed, str)
    assert seed.startswith("As the crisis has worsened")
    assert "special military action" in seed


def test_sentences_shape_and_types():
    table = data.load_sentences()
    assert list(table.columns) == COLUMNS["sentences.csv"]
    assert len(table) == 10
    assert table["sentence_id"].tolist() == [f"S{n}" for n in range(1, 11)]
    assert sorted(table["paragraph_id"].unique()) == [f"P{n}" for n in range(1, 7)]
    for column in ("start", "end", "words"):
        assert pd.api.types.is_integer_dtype(table[column]), column
    assert (table["start"] < table["end"]).all()
    assert (table["words"] > 0).all()


@pytest.mark.parametrize("name", sorted(LEXICONS) + ["sources.csv"])
def test_tables_have_their_columns_and_rows(name):
    table = TABLE_LOADERS[name]()
    assert set(COLUMNS[name]) <= set(table.columns)
    assert len(table) >= 5
    entry = LEXICONS.get(name, "key")
    assert (table[entry].str.strip() != "").all(), f"{name}: an entry has an empty {entry}"


@pytest.mark.parametrize("name", sorted(LEXICONS) + ["sources.csv"])
def test_entries_are_unique(name):
    entry = LEXICONS.get(name, "key")
    table = TABLE_LOADERS[name]()
    values = table[entry].str.strip().str.casefold()
    if name == "reporting_cues.csv":  # one row per cue and genre
        values = values + " | " + table["genre"]
    assert not values.duplicated().any(), f"{name}: repeated {entry}: {sorted(set(values[values.duplicated()]))}"


def test_reporting_cues_have_a_known_genre_and_stance():
    cues = data.load_reporting_cues()
    assert set(cues["genre"]) == {"news", "readout"}
    assert set(cues["stance"]) <= {"neutral", "endorsing", "distancing", "dramatising", "emphasising", "conceding",
                                   "protocol"}
    assert (cues.loc[cues["genre"] == "readout", "stance"] == "protocol").all()


def test_loaders_default_to_the_course_datasets(datasets_copy):
    assert data.load_seed() == data.load_seed(datasets_copy)
    for name, load in TABLE_LOADERS.items():
        pd.testing.assert_frame_equal(load(), load(loader_folder(datasets_copy, name)))
    assert data.load_sentences(str(datasets_copy)).shape == (10, 6)  # a str folder works too


@pytest.mark.parametrize("name", sorted(LEXICONS))
def test_every_source_key_is_in_sources(name):
    known = set(data.load_sources()["key"])
    used = {key.strip() for cell in TABLE_LOADERS[name]()["source"] for key in cell.split(";") if key.strip()}
    assert used, f"{name} cites no source at all"
    assert used <= known, f"{name} cites unknown sources: {sorted(used - known)}"


def test_every_row_cites_a_source():
    for name in LEXICONS:
        table = TABLE_LOADERS[name]()
        assert (table["source"].str.strip() != "").all(), f"{name}: a row has no source"


def test_glossary_first_lesson_is_a_lesson_number():
    assert data.load_glossary()["first_lesson"].str.fullmatch(r"\d\d").all()


# ---------------------------------------------------------------- damaged files

def test_missing_seed(datasets_copy):
    path = datasets_copy / "seed.txt"
    path.unlink()
    with pytest.raises(DataFileError) as error:
        data.load_seed(datasets_copy)
    assert_helpful(error, path)
    assert "missing" in str(error.value)


@pytest.mark.parametrize("change", ["flip one byte", "append a newline", "truncate"])
def test_changed_seed(datasets_copy, change):
    path = datasets_copy / "seed.txt"
    raw = bytearray(path.read_bytes())
    if change == "flip one byte":
        raw[0] = ord("a")  # "As the crisis" -> "as the crisis"
    elif change == "append a newline":
        raw += b"\n"
    else:
        raw = raw[:-1]
    path.write_bytes(bytes(raw))
    with pytest.raises(DataFileError) as error:
        data.load_seed(datasets_copy)
    assert_helpful(error, path)
    assert "changed" in str(error.value)


@pytest.mark.parametrize("name", sorted(TABLE_LOADERS))
def test_missing_table(datasets_copy, name):
    path = table_path(datasets_copy, name)
    path.unlink()
    with pytest.raises(DataFileError) as error:
        TABLE_LOADERS[name](path.parent)
    assert_helpful(error, path)
    assert "missing" in str(error.value)


@pytest.mark.parametrize("name", sorted(TABLE_LOADERS))
def test_table_with_a_missing_column(datasets_copy, name):
    path = table_path(datasets_copy, name)
    column = COLUMNS[name][-1]
    table = pd.read_csv(path, dtype=str, keep_default_na=False)
    table.drop(columns=[column]).to_csv(path, index=False)
    with pytest.raises(DataFileError) as error:
        TABLE_LOADERS[name](path.parent)
    assert_helpful(error, path)
    assert column in str(error.value)


GARBLED = {
    "binary": b"\x89PNG\r\n\x1a\n\x00\x00\xff\xfe\xfd not a table",
    "empty": b"",
    "unclosed quote": b'key,citation,url\nabc,"never closed\n',
    "json": b'{"key": "value"}\n',
    "ragged rows": b"a,b\n1,2,3,4,5\n6,7,8,9,10\n",
}


@pytest.mark.parametrize("name", sorted(TABLE_LOADERS))
@pytest.mark.parametrize("garble", sorted(GARBLED))
def test_garbled_table(datasets_copy, name, garble):
    path = table_path(datasets_copy, name)
    path.write_bytes(GARBLED[garble])
    with pytest.raises(DataFileError) as error:
        TABLE_LOADERS[name](path.parent)
    assert_helpful(error, path)


@pytest.mark.parametrize("bad", ["", "twelve", "1.5"])
def test_sentences_with_a_non_number_offset(datasets_copy, bad):
    path = datasets_copy / "sentences.csv"
    table = pd.read_csv(path, dtype=str, keep_default_na=False)
    table.loc[3, "start"] = bad
    table.to_csv(path, index=False)
    with pytest.raises(DataFileError) as error:
        data.load_sentences(datasets_copy)
    assert_helpful(error, path)
    assert "whole number" in str(error.value)


def test_a_folder_in_place_of_a_file_counts_as_missing(datasets_copy):
    path = datasets_copy / "glossary.csv"
    path.unlink()
    path.mkdir()
    with pytest.raises(DataFileError) as error:
        data.load_glossary(datasets_copy)
    assert_helpful(error, path)


def test_formula_warmth_is_a_whole_number_from_minus_two_to_two():
    warmth = data.load_diplomatic_formulae()["warmth"].astype(int)
    assert warmth.between(-2, 2).all()
