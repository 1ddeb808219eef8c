"""Where the toolkit finds its data (course.reading.data.data_folder): COURSE_DATA, then datasets/ in the
current folder or above it, then the installed package, then the checkout; and one clear error
naming every place tried when none has the data."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from course.reading import data
from course.reading.data import DataFileError, data_folder


@pytest.fixture
def nowhere(monkeypatch, tmp_path):
    """No packaged data and no checkout data: only COURSE_DATA and the folder tree count."""
    monkeypatch.delenv("COURSE_DATA", raising=False)
    monkeypatch.setattr(data, "PACKAGED_DATA", tmp_path / "no-package" / "datasets")
    monkeypatch.setattr(data, "CHECKOUT_DATA", tmp_path / "no-checkout" / "datasets")


def course_folder(tmp_path: Path, datasets_copy: Path) -> Path:
    """A course folder as a learner has it: datasets/, notebooks/ and my-work/."""
    root = tmp_path / "a course"
    root.mkdir()
    shutil.move(str(datasets_copy), root / "datasets")
    (root / "notebooks").mkdir()
    (root / "my-work").mkdir()
    return root


def test_course_data_variable_comes_first(monkeypatch, datasets_copy, tmp_path, nowhere):
    root = course_folder(tmp_path, datasets_copy)
    elsewhere = tmp_path / "elsewhere"
    shutil.copytree(root / "datasets", elsewhere)
    monkeypatch.setenv("COURSE_DATA", str(elsewhere))
    assert data_folder(root / "my-work") == elsewhere


def test_a_course_data_variable_without_the_data_is_reported(monkeypatch, tmp_path):
    monkeypatch.setenv("COURSE_DATA", str(tmp_path))
    with pytest.raises(DataFileError) as error:
        data_folder()
    message = str(error.value)
    assert "COURSE_DATA" in message and str(tmp_path) in message and "seed.txt" in message


@pytest.mark.parametrize("where", ["my-work", "notebooks", "."])
def test_the_folder_tree_above_the_notebook_is_searched(datasets_copy, tmp_path, nowhere, where):
    root = course_folder(tmp_path, datasets_copy)
    assert data_folder(root / where) == (root / "datasets").resolve()


def test_the_installed_package_is_used_last_but_one(monkeypatch, datasets_copy, tmp_path, nowhere):
    monkeypatch.setattr(data, "PACKAGED_DATA", datasets_copy)
    empty = tmp_path / "only notebooks"
    empty.mkdir()
    assert data_folder(empty) == datasets_copy


def test_nothing_found_names_every_place_tried(tmp_path, nowhere):
    empty = tmp_path / "only notebooks"
    empty.mkdir()
    with pytest.raises(DataFileError) as error:
        data_folder(empty)
    message = str(error.value)
    for place in ("COURSE_DATA", str(empty.resolve()), str(data.PACKAGED_DATA), str(data.CHECKOUT_DATA)):
        assert place in message
    assert "set COURSE_DATA" in message


def test_loaders_read_from_the_folder_found(monkeypatch, datasets_copy):
    glossary = datasets_copy / "glossary.csv"
    glossary.write_text(glossary.read_text(encoding="utf-8").replace("\nreadout,", "\nreadout (copy),", 1),
                        encoding="utf-8")
    monkeypatch.setenv("COURSE_DATA", str(datasets_copy))
    assert data.load_glossary()["term"].str.contains("(copy)", regex=False).any()
    from course.reading.readouts import readout_names
    assert "kremlin_en" in readout_names()


def test_a_missing_table_in_the_folder_found_names_its_path(monkeypatch, datasets_copy):
    (datasets_copy / "war_names.csv").unlink()
    monkeypatch.setenv("COURSE_DATA", str(datasets_copy))
    with pytest.raises(DataFileError) as error:
        data.load_war_names()
    assert str(datasets_copy / "war_names.csv") in str(error.value)
