"""The grader's parts, without running any notebook: reading submissions, the plan of what runs
and where `answer` is read, carrying answers between processes, scoring, and the command
line's messages for bad input (one line, no traceback, nothing written)."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from course.__main__ import main
from course.grading.plan import plan_notebook
from course.grading.results import lesson_exercises, score
from course.grading.sheet import feedback_text
from course.grading.values import MAX_ITEMS, DecodeError, Missing, TooLarge, decode, encode
from course.exercises.keys import load_readable_keys
from course.grading.submissions import Cell, find_files, learner_names, lesson_of, read_submission
from helpers import NOTEBOOKS, READABLE_KEYS

KEYS = load_readable_keys(READABLE_KEYS)


# ---------------------------------------------------------------- the plan

def code(number: int, source: str = "x = 1", *tags: str) -> Cell:
    return Cell(number, "code", source, list(tags))


def test_plan_resets_before_the_answer_cell_and_reads_where_the_check_stands():
    cells = [code(1), code(2, "answer = 'c'", "answer:q01_1"), code(3, "y = answer"),
             code(4, 'check("q01_1", answer)', "check:q01_1"), code(5, "answer = 'later'")]
    plan = plan_notebook(cells, ["q01_1"])
    assert plan.actions == [("run", 1), ("reset", "q01_1"), ("run", 2), ("run", 3), ("read", "q01_1"), ("run", 5)]
    assert plan.answer_cells == {"q01_1": [2]} and plan.notes == []


def test_plan_never_runs_check_cells_and_notes_an_edited_one():
    cells = [code(1, "answer = 1", "answer:q01_1"), code(2, "print('✓ Correct')", "check:q01_1")]
    plan = plan_notebook(cells, ["q01_1"])
    assert ("run", 2) not in plan.actions
    assert plan.notes == ["the check cell of q01_1 (cell 2) was edited; the grader ignores check cells"]


def test_plan_without_a_check_cell_reads_where_the_next_exercise_starts():
    cells = [code(1, "answer = 1", "answer:q01_1"), Cell(2, "markdown", "text"), code(3, "z = 2"),
             code(4, "answer = 2", "answer:q01_2"), code(5, 'check("q01_2", answer)', "check:q01_2")]
    plan = plan_notebook(cells, ["q01_1", "q01_2"])
    assert plan.actions == [("reset", "q01_1"), ("run", 1), ("run", 3), ("read", "q01_1"),
                            ("reset", "q01_2"), ("run", 4), ("read", "q01_2")]
    assert any("check cell of q01_1 is gone" in note for note in plan.notes)


def test_plan_notes_a_missing_answer_cell_and_ignores_other_lessons_tags():
    cells = [code(1, "answer = 1", "answer:q02_1"), code(2, 'check("q01_1", answer)', "check:q01_1")]
    plan = plan_notebook(cells, ["q01_1"])
    assert plan.actions == [("run", 1)]
    assert plan.notes == ["no answer cell for q01_1 (the cell tagged answer:q01_1 is gone)"]


def test_plan_runs_a_second_copy_of_an_answer_cell_as_an_ordinary_cell():
    cells = [code(1, "answer = 1", "answer:q01_1"), code(2, 'check("q01_1", answer)', "check:q01_1"),
             code(3, "answer = 9", "answer:q01_1")]
    plan = plan_notebook(cells, ["q01_1"])
    assert plan.actions == [("reset", "q01_1"), ("run", 1), ("read", "q01_1"), ("run", 3)]
    assert "second answer cell" in plan.notes[0]


# ---------------------------------------------------------------- answers between processes

@pytest.mark.parametrize("value", [
    None, ..., True, 3, -2**70, 0.25, "S1", ["S1", "S2"], ("a", 1), {"x", "y"}, frozenset({1}),
    {"the crisis": "journalist", "S2": ...}, {1: [1, (2, 3)]},
])
def test_plain_answers_cross_unchanged(value):
    assert decode(json.loads(json.dumps(encode(value)))) == value


def test_pandas_and_numpy_answers_cross_as_themselves():
    series = pd.Series([45, 55], index=["P1", "P2"], name="words")
    back = decode(json.loads(json.dumps(encode(series))))
    assert isinstance(back, pd.Series) and back.to_dict() == {"P1": 45, "P2": 55} and back.name == "words"
    assert decode(encode(np.int64(7))) == 7 and type(decode(encode(np.int64(7)))) is int
    assert np.isnan(decode(encode(np.float64("nan"))))
    assert list(decode(encode(pd.DataFrame({"a": [1], "b": [2]}))).columns) == ["a", "b"]
    assert decode(encode(pd.Index(["S1"]))).tolist() == ["S1"]


def test_other_objects_keep_only_their_type_name():
    class Sneaky:
        def __eq__(self, other):
            return True
    assert type(decode(encode(Sneaky()))).__name__ == "Sneaky"


def test_answers_too_large_or_too_deep_become_too_large():
    assert isinstance(decode(encode(list(range(MAX_ITEMS + 1)))), TooLarge)
    assert isinstance(decode(encode("x" * 10**6)), TooLarge)
    deep: list = []
    for _ in range(100):
        deep = [deep]
    assert isinstance(decode(encode(deep)), TooLarge)
    assert isinstance(decode(encode(Missing())), Missing)


@pytest.mark.parametrize("data", [
    [], "str", ["pickle", "cos\nsystem"], ["int", "1e9"], ["int", 5], ["str", 5], ["dict", [[["list", []], ["none"]]]],
    ["series", [["int", "1"]], [], ["none"]], ["object", "x; import os"], ["list", "not a list"],
])
def test_hostile_data_is_refused_or_made_harmless(data):
    try:
        value = decode(data)
    except DecodeError:
        return
    assert type(value).__name__ == "object"


# ---------------------------------------------------------------- reading submissions

def test_reading_never_raises(tmp_path):
    cases = {"not_json.ipynb": "{ broken", "list.json": "[1, 2]", "binary.ipynb": b"\xff\xfe\x00",
             "old.ipynb": json.dumps({"worksheets": [], "nbformat": 3}),
             "v3cells.ipynb": json.dumps({"cells": [], "nbformat": 3}),
             "bad_cells.ipynb": json.dumps({"cells": ["not a cell"], "nbformat": 4}), "notes.txt": "hello"}
    problems = {}
    for name, content in cases.items():
        path = tmp_path / name
        path.write_bytes(content if isinstance(content, bytes) else content.encode("utf-8"))
        problems[name] = read_submission(path).problem
    assert "not valid JSON (line 1" in problems["not_json.ipynb"]
    assert "neither a notebook nor an answers export" in problems["list.json"]
    assert "not text" in problems["binary.ipynb"]
    assert "old notebook format" in problems["old.ipynb"] and "old notebook format" in problems["v3cells.ipynb"]
    assert "damaged notebook" in problems["bad_cells.ipynb"]
    assert "not a notebook (.ipynb)" in problems["notes.txt"]


def test_a_learner_notebook_and_an_export_are_read():
    learner = read_submission(NOTEBOOKS / "01_the_source_text.ipynb")
    assert learner.kind == "notebook" and not learner.problem
    assert lesson_of(learner, KEYS) == "01_the_source_text"
    assert any(c.qids("answer:") == ["q01_3"] for c in learner.cells)


def test_export_lesson_and_learner(tmp_path):
    path = tmp_path / "answers_02.json"
    path.write_text(json.dumps({"format": "reading-diplomatic-readouts answers, version 1", "lesson": "02_framing",
                                "learner": "Ana", "answers": {"q02_1": {"answer": "S6"}, "q02_2": "odd"}}))
    export = read_submission(path)
    assert (export.kind, export.named_learner, lesson_of(export, KEYS)) == ("export", "Ana", "02_framing")
    assert export.answers == {"q02_1": "S6", "q02_2": None}


def test_learner_names_come_from_the_part_of_the_path_that_differs():
    nbgrader = [Path(f"/c/submitted/{s}/lesson01/01_the_source_text.ipynb") for s in ("ana", "ben")]
    assert learner_names(nbgrader) == ["ana", "ben"]
    assert learner_names([Path("/in/ana.ipynb"), Path("/in/ben/answers_01.json")]) == ["ana", "ben"]
    assert learner_names([Path("/in/ana/01_the_source_text.ipynb")]) == ["ana"]


def test_folders_are_searched_without_hidden_files_or_checkpoints(tmp_path):
    for name in ("a/01_x.ipynb", "a/.ipynb_checkpoints/01_x-checkpoint.ipynb", "a/.course_progress.json",
                 "b/answers_01.json", "b/timestamp.txt"):
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text("{}")
    found = find_files([tmp_path, tmp_path / "nope", tmp_path / "a" / "01_x.ipynb"])
    assert [[p.relative_to(tmp_path).as_posix() for p in g] for g in found.groups] == \
        [["a/01_x.ipynb", "b/answers_01.json"]]
    assert found.missing == [str(tmp_path / "nope")]
    why = dict(found.skipped)
    assert "hidden file" in why[str(tmp_path / "a" / ".course_progress.json")]
    assert "1 JupyterLab checkpoint" in why[str(tmp_path)]


def test_learners_are_told_apart_within_each_folder_named(tmp_path):
    from course.grading.submissions import read_all

    for name in ("day1/ana/01_x.ipynb", "day1/ben/01_x.ipynb", "day2/cy.ipynb", "dan.ipynb"):
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text("{}")
    found = find_files([tmp_path / "day1", tmp_path / "day2", tmp_path / "dan.ipynb"])
    assert [s.learner for s in read_all(found.groups)] == ["ana", "ben", "cy", "dan"]


# ---------------------------------------------------------------- scoring and feedback

def test_scores_come_from_the_keys_points():
    exercises = lesson_exercises(KEYS, "01_the_source_text")
    assert list(exercises)[:2] == ["q01_1", "q01_2"] and list(exercises)[-1] == "q01_9"
    open_answer = score("q01_8", exercises["q01_8"], "I think so.")
    assert (open_answer.status, open_answer.points, open_answer.possible) == ("Not yet", None, 4)
    assert score("q01_8", exercises["q01_8"], ...).points == 0
    assert score("q01_1", exercises["q01_1"], "c").points == 1
    assert score("q01_1", {**exercises["q01_1"], "points": 3}, "c").points == 3
    assert score("q01_1", exercises["q01_1"], TooLarge()).status == "Not yet"


def test_feedback_never_shows_the_model_answer_or_an_unanswered_key():
    from course.grading.results import SubmissionResult

    exercises = lesson_exercises(KEYS, "01_the_source_text")
    result = SubmissionResult("ana", Path("ana.ipynb"))
    for qid, ex in exercises.items():
        result.exercises[qid] = score(qid, ex, "S1" if ex["kind"] != "open" else "S1 " * 40)
    text = feedback_text(result, exercises, "01_the_source_text")
    assert exercises["q01_8"]["model"][:60] not in text
    assert "Exercise 1.8" in text and "Exercise 1.9" in text


# ---------------------------------------------------------------- the command line on bad input

@pytest.mark.parametrize("args, says", [
    (["grade", "--out", "{out}/g.csv"], "Name the submissions"),
    (["grade", "{tmp}/nowhere", "--out", "{out}/g.csv"], "No such file or folder"),
    (["grade", "{tmp}/empty", "--out", "{out}/g.csv"], "No notebook (.ipynb) or answers export"),
    (["grade", "{tmp}/junk", "--out", "{out}/g.csv"], "None of the 1 files"),
    (["grade", "{tmp}/good", "--out", "{out}/g.csv", "--lesson", "42"], "--lesson 42: no such lesson"),
    (["grade", "{tmp}/good", "--out", "{out}/g.txt"], "ending in .csv"),
    (["grade", "{tmp}/good", "--out", "{out}/g.csv", "--keys", "{tmp}/empty"], "needs the readable answer keys"),
    (["grade", "{tmp}/good", "--out", "{out}/g.csv", "--run-as", "no-such-user-here"], "no such user"),
    (["grade", "{tmp}/good", "--out", "{out}/g.csv", "--timeout-cell", "0"], "must be more than 0"),
    (["grade", "--merge", "{tmp}/binary.csv", "--out", "{out}/final.csv"], "cannot be read as a CSV"),
    (["grade", "--merge", "{tmp}/nowhere.csv", "--out", "{out}/final.csv"], "no such file"),
    (["grade", "--merge", "{tmp}/good/01_the_source_text.ipynb", "--out", "{out}/final.csv"], "neither a grade sheet"),
])
def test_bad_input_gets_one_clear_message_and_nothing_is_written(tmp_path, capsys, args, says):
    for folder in ("empty", "junk", "good"):
        (tmp_path / folder).mkdir()
    (tmp_path / "junk" / "x.ipynb").write_text("not json")
    (tmp_path / "good" / "01_the_source_text.ipynb").write_bytes((NOTEBOOKS / "01_the_source_text.ipynb").read_bytes())
    (tmp_path / "binary.csv").write_bytes(b"\xff\xfe not text")
    assert main([a.format(tmp=tmp_path, out=tmp_path / "out") for a in args]) == 2
    err = capsys.readouterr().err
    assert says in err and "Traceback" not in err
    assert not (tmp_path / "out").exists()
