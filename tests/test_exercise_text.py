"""One source per exercise: the options and hints a lesson shows are written from its key.

The build writes each exercise's options (or offered items) and hints into the solution notebook
between two marker comments; these tests check that every lesson's text agrees with its key, and
that a disagreement (either side edited alone) is caught by `build --check` and named.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import nbformat
import pytest

from course.authoring.build import BuildError, plan, stale_files
from course.authoring.exercise_text import CLOSING, OPENING, regions, render
from helpers import ROOT, check_qids, read_notebook, solution_notebooks

LESSONS = solution_notebooks()


def key_of(path: Path) -> dict:
    return json.loads((path.parent / "keys" / f"{path.stem}.json").read_text(encoding="utf-8"))["exercises"]


@pytest.mark.parametrize("path", LESSONS, ids=[p.stem for p in LESSONS])
def test_every_exercise_shows_exactly_what_its_key_says(path):
    key, nb = key_of(path), read_notebook(path)
    checked = [q for cell in nb.cells for q in check_qids(cell)]
    shown = {}
    for cell in nb.cells:
        if cell.cell_type == "markdown":
            for qid in regions(cell.source):
                start = cell.source.index(OPENING.format(qid=qid))
                end = cell.source.index(CLOSING.format(qid=qid)) + len(CLOSING.format(qid=qid))
                shown[qid] = cell.source[start:end]
    assert sorted(shown) == sorted(checked), "each checked exercise has one region of options and hints"
    for qid in checked:
        assert shown[qid] == render(qid, key[qid]), f"{path.name}: {qid}'s options or hints differ from its key"


@pytest.fixture
def course_copy(tmp_path) -> Path:
    """The solution side and the generated files, copied so a test may edit them."""
    root = tmp_path / "course-copy"
    shutil.copytree(ROOT / "notebooks", root / "notebooks")
    shutil.copytree(ROOT / "course" / "keys", root / "course" / "keys")
    return root


def edit_key(root: Path, lesson: str, qid: str, change) -> None:
    path = root / "notebooks" / "solutions" / "keys" / f"{lesson}.json"
    spec = json.loads(path.read_text(encoding="utf-8"))
    change(spec["exercises"][qid])
    path.write_text(json.dumps(spec, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")


def test_the_copy_starts_up_to_date(course_copy):
    assert stale_files(plan(course_copy)) == []


def test_an_option_edited_in_the_key_alone_makes_the_lesson_stale(course_copy):
    edit_key(course_copy, "03_euphemism", "q03_1", lambda ex: ex["options"].update(a="A reworded option."))
    stale = [p.relative_to(course_copy).as_posix() for p in stale_files(plan(course_copy))]
    assert "notebooks/solutions/03_euphemism.ipynb" in stale and "notebooks/03_euphemism.ipynb" in stale


def test_an_option_edited_in_the_notebook_alone_makes_it_stale(course_copy):
    path = course_copy / "notebooks" / "solutions" / "03_euphemism.ipynb"
    nb = nbformat.read(path, as_version=4)
    cell = next(c for c in nb.cells if "q03_1" in regions(c.source) if c.cell_type == "markdown")
    cell.source = cell.source.replace("- **c.** It is an orthophemism", "- **c.** It is, edited here, an orthophemism")
    nbformat.write(nb, path)
    built = plan(course_copy)
    assert path in stale_files(built)
    assert "edited here" not in built.files[path], "the build writes the key's text back"


def test_a_hint_edited_in_the_key_reaches_both_notebooks(course_copy):
    edit_key(course_copy, "01_the_source_text", "q01_3", lambda ex: ex["hints"].append("A third hint, new."))
    built = plan(course_copy)
    for name in ("notebooks/solutions/01_the_source_text.ipynb", "notebooks/01_the_source_text.ipynb"):
        assert "<summary>Hint 3</summary>" in built.files[course_copy / name]
        assert "A third hint, new." in built.files[course_copy / name]


def test_an_exercise_without_its_region_stops_the_build(course_copy):
    path = course_copy / "notebooks" / "solutions" / "00_start_here.ipynb"
    nb = nbformat.read(path, as_version=4)
    for cell in nb.cells:
        if cell.cell_type == "markdown" and "q00_2" in regions(cell.source):
            cell.source = cell.source.replace(OPENING.format(qid="q00_2"), "").replace(CLOSING.format(qid="q00_2"), "")
    nbformat.write(nb, path)
    with pytest.raises(BuildError) as error:
        plan(course_copy)
    assert "00_start_here.ipynb" in str(error.value) and "q00_2" in str(error.value)


def test_an_exercise_without_hints_stops_the_build(course_copy):
    edit_key(course_copy, "02_framing", "q02_2", lambda ex: ex.pop("hints"))
    with pytest.raises(BuildError) as error:
        plan(course_copy)
    assert "q02_2" in str(error.value) and "hints" in str(error.value)
