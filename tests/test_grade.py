"""The autograder, `python -m course grade`, on honest and hostile submissions of lesson 01.

One batch of submissions (complete, half done, untouched, and one for each way a notebook can
go wrong) is graded once by the real command line, as an instructor runs it; each test then
reads its row. The batch also shows that one broken submission never stops the others.
No test measures speed: `python -m course bench --grade` does that.
"""

from __future__ import annotations

import copy
import csv
import hashlib
import json
import os
from pathlib import Path

import pytest

from course.grading.samples import answer_sources, submission
from helpers import NOTEBOOKS, READABLE_KEYS, SOLUTIONS, run_course

pytestmark = pytest.mark.slow

LESSON = "01_the_source_text"
QIDS = [f"q01_{n}" for n in range(1, 10)]
AUTO = [q for q in QIDS if q != "q01_8"]          # q01_8 is an open answer, marked by the instructor
CELL_LIMIT = "2"


def notebook(name: str) -> dict:
    return json.loads((NOTEBOOKS / f"{name}.ipynb").read_text(encoding="utf-8"))


def complete(name: str = LESSON) -> dict:
    answers = answer_sources(json.loads((SOLUTIONS / f"{name}.ipynb").read_text(encoding="utf-8")))
    return submission(notebook(name), answers, len(answers))


def index_of(nb: dict, tag: str) -> int:
    return next(i for i, c in enumerate(nb["cells"]) if tag in c.get("metadata", {}).get("tags", []))


def source(nb: dict, tag: str) -> str:
    cell = nb["cells"][index_of(nb, tag)]
    return cell["source"] if isinstance(cell["source"], str) else "".join(cell["source"])


def set_source(nb: dict, tag: str, text: str) -> dict:
    nb["cells"][index_of(nb, tag)]["source"] = text
    return nb


def insert_after(nb: dict, tag: str, text: str) -> dict:
    cell = {"cell_type": "code", "execution_count": None, "metadata": {}, "outputs": [], "source": text}
    nb["cells"].insert(index_of(nb, tag) + 1, cell)
    return nb


def variants() -> dict[str, dict | str]:
    """Every submission of the batch: a notebook as JSON, or raw text for a file that is not one."""
    good = complete()
    half = submission(notebook(LESSON), answer_sources(json.loads((SOLUTIONS / f"{LESSON}.ipynb").read_text(
        encoding="utf-8"))), 5)
    out: dict[str, dict | str] = {"complete": good, "half": half, "untouched": notebook(LESSON)}
    nb = copy.deepcopy(good)
    set_source(nb, "answer:q01_3", source(nb, "answer:q01_3") + "\nraise ValueError('a slip after the answer')")
    out["raises"] = insert_after(nb, "check:q01_1", "print(undefined_name)")
    out["loop"] = set_source(copy.deepcopy(good), "answer:q01_1",
                             "while True:\n    pass\n" + source(good, "answer:q01_1"))
    out["stubborn_loop"] = insert_after(copy.deepcopy(good), "check:q01_2",
                                        "import signal\nsignal.signal(signal.SIGALRM, signal.SIG_IGN)\n"
                                        "while True:\n    try:\n        pass\n    except BaseException:\n        pass")
    out["os_exit"] = set_source(copy.deepcopy(good), "answer:q01_4", "import os\nos._exit(3)\n"
                                + source(good, "answer:q01_4"))
    out["input"] = set_source(copy.deepcopy(good), "answer:q01_5", "answer = input('Which letter? ')")
    out["exits"] = insert_after(copy.deepcopy(good), "check:q01_3", "exit()")
    nb = set_source(copy.deepcopy(good), "answer:q01_6", "answer = ['Beijing']")
    set_source(nb, "check:q01_6", "import course.exercises.judge, course.exercises.checks\n"
                                  "course.exercises.judge.judge = lambda *args, **kwargs: 'Correct'\n"
                                  "print('✓ Correct: well done')")
    out["forged_check"] = nb
    nb = copy.deepcopy(good)
    del nb["cells"][index_of(nb, "check:q01_7")]
    out["deleted_check"] = nb
    nb = insert_after(copy.deepcopy(good), "check:q01_2", "answer = 'overwritten after the check'")
    out["overwritten"] = insert_after(nb, "check:q01_9", "del answer")
    nb = set_source(copy.deepcopy(good), "answer:q01_5", 'my_answer = "c"')  # q01_1's answer is "c" too
    out["renamed"] = nb
    nb = insert_after(copy.deepcopy(good), "check:q01_1", "print('x' * 20_000_000)\n"
                                                         "import sys\nsys.stderr.write('e' * 5_000_000)")
    out["prints_20_mb"] = insert_after(nb, "check:q01_3", "%time _ = 1\n!true")
    text = json.dumps(good)
    out["not_json"] = text[: len(text) // 2]
    out["other_lesson"] = complete("02_framing")
    return out


def export_record() -> dict:
    """What `export_answers("01")` writes, with two statuses that lie."""
    answers = {q: {"title": q, "kind": "", "status": "Not attempted", "answer": None} for q in QIDS}
    answers["q01_1"].update(status="Correct", answer="c")
    words = json.loads((READABLE_KEYS / f"{LESSON}.json").read_text(encoding="utf-8"))["exercises"]["q01_2"]["answer"]
    answers["q01_2"].update(status="Correct", answer=words)  # a Series, as export_answers saves it
    answers["q01_4"].update(status="Correct", answer="S9")
    answers["q01_5"].update(status="Correct", answer="a")  # wrong, whatever the file claims
    return {"format": "reading-diplomatic-readouts answers, version 1", "lesson": LESSON, "learner": "Eve",
            "answers": answers}


def fingerprints(folder: Path) -> dict[str, str]:
    return {str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


def read_csv(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as file:
        return list(csv.DictReader(file))


@pytest.fixture(scope="module")
def batch(tmp_path_factory) -> dict:
    """Write every submission, one folder per learner, and grade them all in one run."""
    root = tmp_path_factory.mktemp("grade")
    submitted = root / "submitted"
    for learner, content in variants().items():
        folder = submitted / learner
        folder.mkdir(parents=True)
        name = "02_framing.ipynb" if learner == "other_lesson" else f"{LESSON}.ipynb"
        (folder / name).write_text(content if isinstance(content, str) else json.dumps(content), encoding="utf-8")
    (submitted / "exported").mkdir()
    (submitted / "exported" / "answers_01.json").write_text(json.dumps(export_record()), encoding="utf-8")
    before = fingerprints(submitted)
    scratch = root / "tmp"
    scratch.mkdir()
    env_tmp = os.environ.get("TMPDIR")
    os.environ["TMPDIR"] = str(scratch)  # the grader's temporary copies go here, to see they are removed
    try:
        result = run_course("grade", str(submitted), "--out", str(root / "out" / "grades.csv"),
                            "--feedback", str(root / "out" / "feedback"), "--timeout-cell", CELL_LIMIT,
                            "--timeout-notebook", "60", "--jobs", "2", timeout=240)
    finally:
        if env_tmp is None:
            os.environ.pop("TMPDIR")
        else:
            os.environ["TMPDIR"] = env_tmp
    rows = {row["learner"]: row for row in read_csv(root / "out" / "grades.csv")}
    return {"result": result, "rows": rows, "root": root, "before": before, "after": fingerprints(submitted),
            "scratch": scratch}


def points(row: dict) -> dict[str, str]:
    return {q: row[q] for q in QIDS}


def full_marks_except(*qids: str) -> dict[str, str]:
    """The auto points of a complete submission, with 0 for the given exercises; q01_8 awaits marking."""
    return {q: ("" if q == "q01_8" else "0" if q in qids else "1") for q in QIDS}


# ---------------------------------------------------------------- the batch as a whole

def test_the_batch_finishes_with_one_row_per_submission(batch):
    assert batch["result"].returncode == 0, batch["result"].stderr
    assert len(batch["rows"]) == len(variants()) + 1
    header = next(csv.reader((batch["root"] / "out" / "grades.csv").open(encoding="utf-8")))
    assert header == ["learner", *QIDS, "total", "status", "notes", "seconds", "submission"]


def test_progress_goes_to_stderr_one_line_per_submission(batch):
    lines = [line for line in batch["result"].stderr.splitlines() if line.startswith("[")]
    assert len(lines) == len(batch["rows"])
    assert f"{len(lines)}/{len(lines)}" in lines[-1]


def test_submissions_are_never_modified(batch):
    assert batch["after"] == batch["before"]


def test_no_temporary_files_are_left(batch):
    assert list(batch["scratch"].iterdir()) == []


# ---------------------------------------------------------------- honest work

def test_complete(batch):
    row = batch["rows"]["complete"]
    assert points(row) == full_marks_except()
    assert (row["total"], row["status"], row["notes"]) == ("8", "ok", "")


def test_half_done(batch):
    row = batch["rows"]["half"]
    assert points(row) == {q: "1" if q in QIDS[:5] else "0" for q in QIDS}
    assert (row["total"], row["status"]) == ("5", "ok")


def test_untouched(batch):
    row = batch["rows"]["untouched"]
    assert points(row) == {q: "0" for q in QIDS}
    assert (row["total"], row["status"]) == ("0", "ok")


# ---------------------------------------------------------------- cells that go wrong

def test_a_cell_that_raises_costs_only_its_own_exercise(batch):
    row = batch["rows"]["raises"]
    assert points(row) == full_marks_except("q01_3")
    assert row["status"] == "ok"
    assert "NameError" in row["notes"]  # the stray cell after 1.1 is named, without costing a point


def test_an_infinite_loop_is_stopped_at_the_cell_limit(batch):
    row = batch["rows"]["loop"]
    assert points(row) == full_marks_except("q01_1")
    assert row["status"] == "cell-timeout"


def test_a_loop_that_ignores_the_alarm_is_killed_and_the_rest_still_graded(batch):
    row = batch["rows"]["stubborn_loop"]
    assert points(row) == full_marks_except()
    assert row["status"] == "cell-timeout"
    assert "killed" in row["notes"] and "ran again without it" in row["notes"]


def test_os_exit_costs_only_its_own_exercise(batch):
    row = batch["rows"]["os_exit"]
    assert points(row) == full_marks_except("q01_4")
    assert row["status"] == "kernel-died"
    assert "ended the Python process" in row["notes"]


def test_input_is_refused_not_waited_for(batch):
    row = batch["rows"]["input"]
    assert points(row) == full_marks_except("q01_5")
    assert float(row["seconds"]) < 60


def test_exit_stops_the_notebook_there_as_its_kernel_would(batch):
    row = batch["rows"]["exits"]
    assert points(row) == {q: "1" if q in QIDS[:3] else "0" for q in QIDS}
    assert "exit()" in row["notes"] and "AttributeError" not in row["notes"]


def test_twenty_megabytes_of_printing_and_magics_change_nothing(batch):
    row = batch["rows"]["prints_20_mb"]
    assert points(row) == full_marks_except()
    assert row["status"] == "ok", row["notes"]


# ---------------------------------------------------------------- attempts to game the checks

def test_a_forged_check_cell_changes_nothing(batch):
    row = batch["rows"]["forged_check"]
    assert points(row) == full_marks_except("q01_6")
    assert "the check cell of q01_6" in row["notes"] and "edited" in row["notes"]
    assert "uses the keys or the grader: worth a look" in row["notes"]  # it tried to patch course.exercises.judge


def test_a_deleted_check_cell_loses_nothing(batch):
    row = batch["rows"]["deleted_check"]
    assert points(row) == full_marks_except()
    assert "the check cell of q01_7 is gone" in row["notes"]


def test_an_answer_overwritten_or_deleted_after_its_check_keeps_its_points(batch):
    assert points(batch["rows"]["overwritten"]) == full_marks_except()


def test_an_answer_cell_that_no_longer_sets_answer_does_not_inherit_the_previous_one(batch):
    assert points(batch["rows"]["renamed"]) == full_marks_except("q01_5")


# ---------------------------------------------------------------- files that are not this lesson's notebook

def test_a_file_that_is_not_json(batch):
    row = batch["rows"]["not_json"]
    assert (row["status"], row["total"]) == ("unreadable", "0")
    assert "not valid JSON" in row["notes"]


def test_a_notebook_of_another_lesson(batch):
    row = batch["rows"]["other_lesson"]
    assert (row["status"], row["total"]) == ("wrong-lesson", "0")
    assert "02_framing" in row["notes"]


def test_an_export_is_judged_again_whatever_statuses_it_claims(batch):
    row = batch["rows"]["exported"]
    assert points(row) == {q: "1" if q in ("q01_1", "q01_2", "q01_4") else "0" for q in QIDS}
    assert row["status"] == "ok" and "answers export" in row["notes"] and "'Eve'" in row["notes"]


# ---------------------------------------------------------------- feedback and marking sheets

def test_feedback_file_per_learner(batch):
    folder = batch["root"] / "out" / "feedback"
    assert {p.stem for p in folder.glob("*.md")} == set(batch["rows"])
    text = (folder / "loop.md").read_text(encoding="utf-8")
    assert "Exercise 1.1" in text and "time limit" in text and "7 of 8" in text
    assert "to be marked" in text


def test_a_marking_sheet_for_the_open_answer(batch):
    rows = read_csv(batch["root"] / "out" / "grades_marking_q01_8.csv")
    assert {r["learner"] for r in rows} == set(batch["rows"])
    done = next(r for r in rows if r["learner"] == "complete")
    assert done["answer"].startswith("S1 mixes") and done["score"] == "" and done["out_of"] == "4"
    assert done["rubric"].startswith("1. ") and "\n4. " in done["rubric"]
    assert next(r for r in rows if r["learner"] == "untouched")["score"] == "0"


# ---------------------------------------------------------------- every lesson, and the notebook time limit

def run_grade(*args: str, timeout: int = 120):
    return run_course("grade", *args, timeout=timeout)


def test_the_notebook_time_limit_stops_a_slow_notebook_and_keeps_what_was_graded(tmp_path):
    nb = complete()
    for _ in range(5):
        nb = insert_after(nb, "check:q01_1", "import time\ntime.sleep(1)")
    (tmp_path / "slow").mkdir()
    (tmp_path / "slow" / f"{LESSON}.ipynb").write_text(json.dumps(nb), encoding="utf-8")
    result = run_grade(str(tmp_path / "slow"), "--out", str(tmp_path / "g.csv"), "--timeout-notebook", "3")
    assert result.returncode == 0, result.stderr
    (row,) = read_csv(tmp_path / "g.csv")
    assert row["status"] == "notebook-timeout"
    assert row["q01_1"] == "1" and {row[q] for q in QIDS[1:]} == {"0"}
    assert "time limit (3 s)" in row["notes"]


# ---------------------------------------------------------------- marking sheets merged into the grade sheet

def fill_marks(sheet: Path, marks: dict[str, str]) -> None:
    rows = read_csv(sheet)
    for row in rows:
        if row["learner"] in marks:
            row["score"] = marks[row["learner"]]
    with sheet.open("w", encoding="utf-8", newline="") as file:
        writer = csv.DictWriter(file, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)


@pytest.fixture
def sheets(batch, tmp_path) -> dict[str, Path]:
    """Copies of the batch's grade sheet and marking sheet, to mark."""
    grades, marking = tmp_path / "grades.csv", tmp_path / "grades_marking_q01_8.csv"
    grades.write_bytes((batch["root"] / "out" / "grades.csv").read_bytes())
    marking.write_bytes((batch["root"] / "out" / "grades_marking_q01_8.csv").read_bytes())
    return {"grades": grades, "marking": marking, "final": tmp_path / "final.csv"}


def merge(sheets: dict[str, Path]):
    from course.__main__ import main

    return main(["grade", "--merge", str(sheets["grades"]), str(sheets["marking"]), "--out", str(sheets["final"])])


def test_merge_folds_marks_in_and_recomputes_totals(sheets, capsys):
    fill_marks(sheets["marking"], {"complete": "3", "raises": "2.5", "loop": "4"})
    assert merge(sheets) == 0, capsys.readouterr().err
    rows = {r["learner"]: r for r in read_csv(sheets["final"])}
    assert (rows["complete"]["q01_8"], rows["complete"]["total"]) == ("3", "11")
    assert (rows["raises"]["q01_8"], rows["raises"]["total"]) == ("2.5", "9.5")
    assert (rows["untouched"]["q01_8"], rows["untouched"]["total"]) == ("0", "0")
    assert "not marked yet: 1.8" in rows["forged_check"]["notes"]   # answered, but no mark typed yet
    assert rows["forged_check"]["q01_8"] == "" and rows["forged_check"]["total"] == "7"
    assert "not marked yet" not in rows["complete"]["notes"]
    assert list(rows["complete"]) == list(read_csv(sheets["grades"])[0])


@pytest.mark.parametrize("mark, says", [("five", "'five' is not a number"), ("4.5", "outside 0 to 4"),
                                        ("-1", "outside 0 to 4"), ("nan", "outside 0 to 4")])
def test_merge_refuses_a_bad_mark_and_writes_nothing(sheets, capsys, mark, says):
    fill_marks(sheets["marking"], {"complete": "3", "loop": mark})
    assert merge(sheets) == 2
    err = capsys.readouterr().err
    assert says in err and "row " in err and "(loop)" in err and "Traceback" not in err
    assert not sheets["final"].exists()


def test_merge_refuses_rows_it_cannot_place(sheets, capsys):
    rows = read_csv(sheets["marking"])
    rows[0]["submission"] = "/elsewhere/someone.ipynb"
    rows.append(dict(rows[1]))           # the same learner marked twice
    rows[2]["exercise"] = "q01_99"
    with sheets["marking"].open("w", encoding="utf-8", newline="") as file:
        writer = csv.DictWriter(file, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    assert merge(sheets) == 2
    err = capsys.readouterr().err
    assert "is not in" in err and "marked twice" in err and "'q01_99' is not a column" in err
    assert not sheets["final"].exists()


def test_merge_will_not_overwrite_its_own_input(sheets, capsys):
    sheets["final"] = sheets["grades"]
    before = sheets["grades"].read_bytes()
    assert merge(sheets) == 2
    assert "one of the sheets being merged" in capsys.readouterr().err
    assert sheets["grades"].read_bytes() == before


def test_grading_again_will_not_overwrite_typed_marks(batch, sheets, capsys):
    from course.__main__ import main

    fill_marks(sheets["marking"], {"complete": "3"})
    before = sheets["marking"].read_bytes()
    code = main(["grade", str(batch["root"] / "submitted" / "complete"), "--out", str(sheets["grades"])])
    assert code == 2
    assert "already holds 1 mark" in capsys.readouterr().err
    assert sheets["marking"].read_bytes() == before
