"""`python -m course add-exercise`: one command writes a new exercise's cells and key, and the build agrees.

Tried on a copy of the course's solution side, for every kind: the cells carry both tags and the
marker lines, the key validates, the build is up to date afterwards, and the stub's own solution
is judged Correct (so `execute`, which runs in strict mode, passes on it). The TODOs left in it are
what the test suite then refuses to let land.
"""

from __future__ import annotations

import ast
import json
import shutil
from pathlib import Path

import nbformat
import pytest

from course.__main__ import main
from course.authoring.add_exercise import LABELS, AddExerciseError, add_exercise, next_qid
from course.authoring.build import plan, stale_files
from course.authoring.exercise_text import regions
from course.exercises.judge import judge
from course.exercises.keys import KINDS
from helpers import BEGIN, END, ROOT, check_qids


@pytest.fixture
def course_copy(tmp_path) -> Path:
    root = tmp_path / "course-copy"
    shutil.copytree(ROOT / "notebooks", root / "notebooks")
    shutil.copytree(ROOT / "course" / "keys", root / "course" / "keys")
    return root


def next_of(root: Path, lesson: str) -> str:
    """The id the lesson's next exercise will get, read from the copy's key (lessons grow)."""
    path = next((root / "notebooks" / "solutions" / "keys").glob(f"{lesson}_*.json"))
    return next_qid(list(json.loads(path.read_text(encoding="utf-8"))["exercises"]), lesson)


def heading(qid: str) -> str:
    """'### Exercise 3.10' for q03_10."""
    lesson, number = qid[1:].split("_")
    return f"### Exercise {int(lesson)}.{number} — "


def solution_value(source: str) -> object:
    """The value the solution region of an answer cell assigns to `answer`."""
    region = source.split(BEGIN, 1)[1].split(END, 1)[0]
    return ast.literal_eval(region.strip().removeprefix("answer =").strip())


@pytest.mark.parametrize("kind", sorted(KINDS))
def test_a_new_exercise_of_every_kind(course_copy, kind):
    expected_qid = next_of(course_copy, "03")
    qid, path, key_path = add_exercise("03", kind, "A new one", root=course_copy)
    assert qid == expected_qid
    nb = nbformat.read(path, as_version=4)
    tags = {t for cell in nb.cells for t in cell.metadata.get("tags", [])}
    assert {f"answer:{qid}", f"check:{qid}"} <= tags
    question = next(c for c in nb.cells if c.cell_type == "markdown" and qid in regions(c.source))
    assert question.source.startswith(heading(qid) + "A new one (" + LABELS[kind] + ")")
    assert stale_files(plan(course_copy)) == [], "the build already ran"
    learner = nbformat.read(course_copy / "notebooks" / path.name, as_version=4)
    assert qid in [q for cell in learner.cells for q in check_qids(cell)]
    ex = {"lesson": path.stem, **json.loads(key_path.read_text(encoding="utf-8"))["exercises"][qid]}
    answer_cell = next(c for c in nb.cells if f"answer:{qid}" in c.metadata.get("tags", []))
    expected = "Recorded" if kind == "open" else "Correct"
    assert judge(ex, solution_value(answer_cell.source)).status == expected, "execute (strict) would pass"
    assert "TODO" in key_path.read_text(encoding="utf-8"), "left for the author, and refused by the tests"


def test_it_goes_before_the_reflection(course_copy):
    qid, path, _ = add_exercise("03", "number", "Count them", root=course_copy)
    sources = [c.source for c in nbformat.read(path, as_version=4).cells]
    new = next(i for i, s in enumerate(sources) if s.startswith(heading(qid)))
    reflection = next(i for i, s in enumerate(sources) if s.startswith("## Reflection"))
    assert new + 3 == reflection


def test_next_ids_count_on_from_the_highest():
    assert next_qid([], "07") == "q07_1"
    assert next_qid(["q02_1", "q02_12", "q03_4"], "02") == "q02_13"


def test_a_bad_request_writes_nothing(course_copy):
    before = {p: p.read_bytes() for p in course_copy.rglob("*") if p.is_file()}
    with pytest.raises(AddExerciseError):
        add_exercise("42", "choice", root=course_copy)
    with pytest.raises(AddExerciseError):
        add_exercise("03", "essay", root=course_copy)
    with pytest.raises(AddExerciseError):
        add_exercise("03", "choice", after=999, root=course_copy)
    assert {p: p.read_bytes() for p in course_copy.rglob("*") if p.is_file()} == before


def test_the_command_says_what_to_do_next(capsys, monkeypatch, course_copy):
    import course.__main__ as cli

    monkeypatch.setattr(cli, "ROOT", course_copy)   # the command works on the copy, never on the course
    expected = next_of(course_copy, "01")
    assert main(["add-exercise", "01", "--kind", "set", "--title", "Find them", "--label", "transfer"]) == 0
    out = capsys.readouterr().out
    assert expected in out and "TODO" in out and "execute 01" in out
    lesson = next((course_copy / "notebooks" / "solutions").glob("01_*.ipynb"))
    assert any(c.source.startswith(heading(expected) + "Find them (transfer)")
               for c in nbformat.read(lesson, as_version=4).cells)
    assert main(["add-exercise", "99", "--kind", "set"]) == 2
    assert "nothing written" in capsys.readouterr().err
