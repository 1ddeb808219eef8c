"""check(), progress() and export_answers() as a learner meets them in a notebook.

One feedback block per check, never a traceback in learner mode; strict mode raises on
anything but Correct (or Recorded for an open answer); results survive a kernel restart,
are listed in natural order, and export to one file.
"""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap

import pandas as pd
import pytest

from course.exercises import checks
from course.exercises.checks import CheckFailed
from helpers import ROOT, status_of
from test_judge import KEYS, MEGABYTE_TOKEN

RIGHT_TEXT = "Russia's special military action"


@pytest.fixture
def fake_keys(monkeypatch):
    """Make check(), progress() and export_answers() use the in-memory keys."""
    monkeypatch.setattr(checks, "_keys", lambda: KEYS)


def one_block(capsys) -> str:
    out, err = capsys.readouterr()
    assert err == ""
    assert out.endswith("\n")
    status_of(out)
    assert out.count("✓ ") + out.count("✗ ") + out.count("○ ") + out.count("◆ ") == 1, out
    return out


@pytest.mark.parametrize("answer", [..., None, "war", RIGHT_TEXT, 12345,
                                    pd.DataFrame({"x": [1]}), MEGABYTE_TOKEN], ids=lambda a: repr(a)[:20])
def test_check_prints_one_block_and_never_raises(learner_mode, fake_keys, capsys, answer):
    assert checks.check("t_text", answer) is None
    out = one_block(capsys)
    assert len(out) < 600 and out.count("\n") == 1


def test_open_answer_prints_one_block_with_the_rubric_and_the_model_after_rating(learner_mode, fake_keys, capsys):
    checks.check("t_open", "The writer frames China as balancing (S1, S9) and repeats P1 in P6.")
    out = one_block(capsys)
    assert out.startswith("◆ Recorded:") and "Rubric" in out and "Model answer" not in out
    checks.rate("t_open", [1, 2])
    assert "Model answer" not in capsys.readouterr().out   # a mark must be 1 or 0
    checks.rate("t_open", "10")
    out = capsys.readouterr().out
    assert "rated your answer 1 of 2" in out and "Model answer: The model answer." in out
    checks.progress("99")
    assert "you rated it 1 of 2" in capsys.readouterr().out


def test_rating_needs_a_recorded_answer_first(learner_mode, fake_keys, capsys):
    checks.rate("t_open", [1, 1])
    out = capsys.readouterr().out
    assert "run its check first" in out and "Model answer" not in out
    checks.rate("t_text", [1])
    assert "for open answers" in capsys.readouterr().out


def test_a_new_answer_needs_a_new_rating(learner_mode, fake_keys, capsys):
    checks.check("t_open", "The writer frames China as balancing (S1, S9) and repeats P1 in P6.")
    checks.rate("t_open", [1, 1])
    checks.check("t_open", "The journalist states the balance as fact (S1, S9), and P6 repeats P1 word for word.")
    capsys.readouterr()
    checks.progress("99")
    assert "not rated yet" in capsys.readouterr().out


def test_check_survives_a_crashing_judge(learner_mode, fake_keys, capsys, monkeypatch):
    from course.exercises import judge

    def crash(ex, answer, attempt):
        raise RuntimeError("internal detail the learner should not see")
    monkeypatch.setitem(judge._KINDS, "text", crash)
    checks.check("t_text", "war")
    out = one_block(capsys)
    assert status_of(out) == "Not yet"
    assert "internal detail" not in out and "Traceback" not in out
    assert "RuntimeError" in out


def test_check_survives_damaged_key_files(learner_mode, capsys, monkeypatch):
    from course.exercises.keys import AnswerKeyError

    def damaged():
        raise AnswerKeyError("The answer key course/keys/99.json is damaged.")
    monkeypatch.setattr(checks, "_keys", damaged)
    checks.check("t_text", "war")
    assert status_of(one_block(capsys)) == "Not yet"


def test_check_survives_an_unhashable_qid(learner_mode, fake_keys, capsys):
    checks.check(["S1", "S2"], "t_set")
    assert status_of(one_block(capsys)) == "Not yet"


class _FakeShell:
    """Stands in for IPython after a cell that stopped with an error."""

    def __init__(self, error: BaseException | None):
        self.last_execution_result = type("Result", (), {"error_in_exec": error})()
        self.user_ns = {}


@pytest.mark.parametrize("error, advice", [
    (NameError("name 'S2' is not defined", name="S2"), 'needs quotation marks: "S2"'),
    (NameError("name 'long_quotes' is not defined", name="long_quotes"), "made by an earlier cell that has not run"),
    (ZeroDivisionError("division by zero"), "Fix that cell"),
])
def test_check_after_a_failed_cell_says_so(learner_mode, fake_keys, capsys, monkeypatch, error, advice):
    import IPython

    monkeypatch.setattr(IPython, "get_ipython", lambda: _FakeShell(error))
    checks.check("t_text", RIGHT_TEXT)  # right, but perhaps stale
    out = one_block(capsys)
    assert status_of(out) == "Not yet"
    assert type(error).__name__ in out and advice in out


def test_check_after_a_cell_that_ran_fine_checks_the_answer(learner_mode, fake_keys, capsys, monkeypatch):
    import IPython

    monkeypatch.setattr(IPython, "get_ipython", lambda: _FakeShell(None))
    checks.check("t_text", RIGHT_TEXT)
    assert status_of(one_block(capsys)) == "Correct"


def test_crashing_judge_raises_in_strict_mode(strict_mode, fake_keys, monkeypatch):
    from course.exercises import judge

    def crash(ex, answer, attempt):
        raise RuntimeError("boom")
    monkeypatch.setitem(judge._KINDS, "text", crash)
    with pytest.raises(RuntimeError):
        checks.check("t_text", "war")


@pytest.mark.parametrize("answer", ["war", ..., None, 12345])
def test_strict_mode_raises_check_failed(strict_mode, fake_keys, capsys, answer):
    with pytest.raises(CheckFailed) as raised:
        checks.check("t_text", answer)
    assert "t_text" in str(raised.value)
    assert status_of(one_block(capsys)) in ("Not yet", "Not attempted")


def test_strict_mode_passes_correct_answers_and_recorded_open_answers(strict_mode, fake_keys, capsys):
    checks.check("t_text", RIGHT_TEXT)
    assert status_of(one_block(capsys)) == "Correct"
    checks.check("t_open", "The writer frames China as balancing (S1, S9) and repeats P1 in P6.")
    assert status_of(one_block(capsys)) == "Recorded"


@pytest.mark.parametrize("value, expected", [("1", True), ("0", False), ("", False), ("yes", False)])
def test_strict_reads_the_environment(monkeypatch, value, expected):
    monkeypatch.setenv("COURSE_STRICT", value)
    assert checks.strict() is expected


def test_strict_is_off_without_the_variable(learner_mode):
    assert checks.strict() is False


# ---------------------------------------------------------------- escalation across tries

def test_a_second_different_wrong_answer_gets_more_help(learner_mode, fake_keys, capsys):
    checks.check("t_set", ["Moscow", "Beijing", "Paris"])
    first = one_block(capsys)
    checks.check("t_set", ["Moscow", "Beijing", "Paris"])   # the same answer run again: no more help
    again = one_block(capsys)
    checks.check("t_set", ["Moscow", "Beijing", "London"])  # a new wrong answer: one item named
    later = one_block(capsys)
    assert "'Paris'" not in first and "'Paris'" not in again
    assert "'London'" in later


# ---------------------------------------------------------------- progress()

def test_progress_before_any_check(learner_mode, fake_keys, capsys):
    checks.progress()
    assert "No exercises checked yet" in capsys.readouterr().out


def test_progress_lists_exercises_and_counts(learner_mode, fake_keys, capsys):
    checks.check("t_text", RIGHT_TEXT)
    checks.check("t_number", 12)
    checks.check("t_other", "elsewhere")
    checks.check("t_open", "The writer frames China as balancing (S1, S9) and repeats P1 in P6.")
    checks.check("q99_nope", "x")  # an unknown qid is not listed
    capsys.readouterr()
    checks.progress()
    out = capsys.readouterr().out
    ours = [q for q in KEYS if KEYS[q]["lesson"] == "99_test_lesson"]
    assert f"Lesson 99: 1 of {len(ours)} correct, 1 recorded (open answers), 1 not yet" in out
    assert "Lesson 98: 1 of 1 correct" in out
    for qid in KEYS:
        assert qid in out and KEYS[qid]["title"] in out
    assert "q99_nope" not in out
    lines = {line.split()[-2] if False else next((w for w in line.split() if w.startswith("t_")), ""): line
             for line in out.splitlines()}
    assert "✓ Correct" in lines["t_text"]
    assert "✗ Not yet" in lines["t_number"]
    assert "○ Not attempted" in lines["t_choice"]
    assert "◆ Recorded" in lines["t_open"]


def test_progress_for_one_lesson(learner_mode, fake_keys, capsys):
    checks.check("t_text", RIGHT_TEXT)
    capsys.readouterr()
    checks.progress("98")
    out = capsys.readouterr().out
    assert "Lesson 98: 0 of 1 correct" in out
    assert "Lesson 99" not in out and "t_text" not in out


def test_progress_sorts_naturally(learner_mode, monkeypatch, capsys):
    keys = {f"q05_{n}": {"lesson": "05_x", "title": f"E{n}", "kind": "text", "answer": "a"} for n in (1, 2, 9, 10, 11)}
    monkeypatch.setattr(checks, "_keys", lambda: keys)
    checks.progress("05")
    order = [line.split()[3] for line in capsys.readouterr().out.splitlines()[1:]]
    assert order == ["q05_1", "q05_2", "q05_9", "q05_10", "q05_11"]


@pytest.mark.slow
def test_progress_survives_a_kernel_restart(learner_mode, private_progress_file, tmp_path):
    """Two real Python processes: the second, like a restarted kernel, sees the first one's results."""
    script = textwrap.dedent("""
        import sys
        from course import check, progress
        if sys.argv[1] == "answer":
            check("q00_2", "S3")
            check("q00_3", 10)
        else:
            progress("00")
    """)
    run = lambda step: subprocess.run([sys.executable, "-c", script, step], capture_output=True, text=True,
                                      cwd=tmp_path, timeout=60, env={**__import__("os").environ})
    first = run("answer")
    assert first.returncode == 0, first.stderr
    second = run("progress")
    assert second.returncode == 0, second.stderr
    assert "1 of 4 correct" in second.stdout and "1 not yet" in second.stdout
    assert "✓ Correct       q00_3" in second.stdout and "✗ Not yet       q00_2" in second.stdout


def test_default_progress_file_sits_in_the_notebook_folder(learner_mode, monkeypatch, tmp_path):
    monkeypatch.delenv("COURSE_PROGRESS_FILE")
    monkeypatch.chdir(tmp_path)
    from course.exercises.progress import default_path
    assert default_path() == tmp_path / ".course_progress.json"


def test_progress_file_is_ignored_by_git():
    ignored = subprocess.run(["git", "check-ignore", "-q", "notebooks/.course_progress.json"], cwd=ROOT)
    assert ignored.returncode == 0


def test_an_unreadable_progress_file_is_reported_once_and_never_overwritten(learner_mode, fake_keys, capsys,
                                                                             private_progress_file):
    private_progress_file.write_text("{ not json", encoding="utf-8")
    checks.check("t_text", RIGHT_TEXT)
    checks.check("t_text", RIGHT_TEXT)
    out = capsys.readouterr().out
    assert out.count("could not be read") == 1
    assert private_progress_file.read_text(encoding="utf-8") == "{ not json"
    checks.progress("99")
    assert "✓ Correct" in capsys.readouterr().out  # kept in memory


def test_an_unwritable_progress_folder_keeps_progress_in_memory(learner_mode, fake_keys, capsys, monkeypatch,
                                                               tmp_path):
    monkeypatch.setenv("COURSE_PROGRESS_FILE", str(tmp_path / "missing-folder" / "progress.json"))
    checks.check("t_text", RIGHT_TEXT)
    out = capsys.readouterr().out
    assert out.startswith("✓ Correct") and "could not be saved" in out


# ---------------------------------------------------------------- export_answers()

def test_export_answers_writes_one_file_with_answers_and_statuses(learner_mode, fake_keys, capsys, monkeypatch,
                                                                 tmp_path):
    monkeypatch.chdir(tmp_path)
    checks.check("t_text", RIGHT_TEXT)
    checks.check("t_mapping", pd.Series({"P1": 45, "P2": 50}))
    checks.export_answers("99", learner="Ada")
    assert "Wrote answers_99.json" in capsys.readouterr().out
    record = json.loads((tmp_path / "answers_99.json").read_text(encoding="utf-8"))
    assert record["learner"] == "Ada" and record["lesson"] == "99_test_lesson"
    assert record["answers"]["t_text"] == {"title": "Find the euphemism", "kind": "text", "status": "Correct",
                                           "answer": RIGHT_TEXT, "latest_status": "Correct",
                                           "latest_answer": RIGHT_TEXT, "self_rating": None}
    assert record["answers"]["t_mapping"]["answer"] == {"P1": 45, "P2": 50}
    assert record["answers"]["t_choice"]["status"] == "Not attempted"


def test_export_answers_for_an_unknown_lesson_says_so(learner_mode, fake_keys, capsys, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    checks.export_answers("42")
    assert "There is no lesson '42'" in capsys.readouterr().out
    assert not list(tmp_path.glob("answers_*.json"))


def test_export_answers_to_an_unwritable_place_says_what_to_do(learner_mode, fake_keys, capsys, tmp_path):
    checks.export_answers("99", tmp_path / "no" / "such" / "folder" / "a.json")
    assert "Could not write" in capsys.readouterr().out


# ---------------------------------------------------------------- a good result is never lost

def test_a_later_wrong_try_keeps_the_best_result_and_shows_the_latest(learner_mode, fake_keys, capsys):
    checks.check("t_text", RIGHT_TEXT)
    checks.check("t_text", "war")
    capsys.readouterr()
    checks.progress("99")
    line = next(l for l in capsys.readouterr().out.splitlines() if "t_text" in l)
    assert "✓ Correct" in line and "(latest try: Not yet)" in line


def test_running_a_check_again_on_an_untouched_answer_changes_nothing(learner_mode, fake_keys, capsys):
    checks.check("t_open", "The writer frames China as balancing (S1, S9) and repeats P1 in P6.")
    checks.check("t_open", "...")                     # the answer cell reset, or a fresh kernel
    checks.check("t_open", ["S1", "S5", "S6"])        # another exercise's answer, checked by mistake
    capsys.readouterr()
    from course.exercises.progress import export_record
    record = export_record(KEYS, checks.store(), "99")["answers"]["t_open"]
    assert record["status"] == "Recorded" and record["answer"].startswith("The writer frames")
    assert record["latest_status"] == "Not yet"


def test_a_failed_answer_cell_is_not_recorded(learner_mode, fake_keys, capsys, monkeypatch):
    import IPython

    checks.check("t_text", RIGHT_TEXT)
    monkeypatch.setattr(IPython, "get_ipython", lambda: _FakeShell(KeyError("voice")))
    checks.check("t_text", "war")
    assert "stopped with an error" in capsys.readouterr().out
    assert checks.store().latest_status("t_text") == "Correct"


def test_checked_answer_gives_the_latest_checked_answer_for_drawing(learner_mode, fake_keys, capsys):
    assert checks.checked_answer("t_mapping") == (None, "Not attempted")
    checks.check("t_mapping", pd.Series({"P1": 45, "P2": 50}))
    assert checks.checked_answer("t_mapping") == ({"P1": 45, "P2": 50}, "Not yet")


def test_an_untouched_answer_after_a_restart_says_the_saved_result_is_kept(learner_mode, fake_keys, capsys):
    checks.check("t_text", RIGHT_TEXT)
    capsys.readouterr()
    checks.check("t_text", ...)
    out = capsys.readouterr().out
    assert out.startswith("○ Not attempted") and "saved result for this exercise, Correct, is kept" in out


@pytest.mark.slow
def test_two_kernels_saving_at_once_never_damage_the_record(tmp_path):
    """Two lessons open at once save to the same record; neither may find it damaged (a shared temporary
    file once let their writes interleave)."""
    record = tmp_path / "progress.json"
    script = ("import sys\nfrom pathlib import Path\nfrom course.exercises.progress import ProgressStore\n"
              "store = ProgressStore(Path(sys.argv[1]))\n"
              "for n in range(80):\n"
              "    store.record(f'q{sys.argv[2]}_{n}', 'lesson', 'Not yet', n)\n"
              "    again = ProgressStore(Path(sys.argv[1]))\n"
              "    assert not store.problem and not again.problem, store.problem or again.problem\n")
    runs = [subprocess.Popen([sys.executable, "-c", script, str(record), lesson], stderr=subprocess.PIPE, text=True)
            for lesson in ("01", "02")]
    for run in runs:
        assert run.wait(timeout=120) == 0, run.stderr.read()[-1500:]
    saved = json.loads(record.read_text(encoding="utf-8"))["exercises"]
    assert {q[:3] for q in saved} == {"q01", "q02"}
    assert not list(tmp_path.glob("*.tmp")), "no temporary file is left behind"


# ---------------------------------------------------------------- readings open after an attempt

@pytest.fixture
def keys_with_reading(monkeypatch):
    keys = {q: dict(ex) for q, ex in KEYS.items()}
    keys["t_number"]["reading"] = "One reading: thirty-seven, the number of sentences in the text."
    keys["t_graded"] = {**{k: v for k, v in keys["t_number"].items() if k != "reading"}, "graded": True}
    monkeypatch.setattr(checks, "_keys", lambda: keys)
    return keys


def test_a_reading_stays_shut_until_the_exercise_is_tried(keys_with_reading, capsys):
    assert checks.after_trying("t_number") is False
    out = capsys.readouterr().out
    assert "opens once you have tried it" in out and "thirty-seven" not in out


def test_a_reading_opens_on_a_right_answer(keys_with_reading, learner_mode, capsys):
    checks.check("t_number", 37)
    capsys.readouterr()
    assert checks.one_reading("t_number") is None   # nothing for the notebook to display
    assert "thirty-seven" in capsys.readouterr().out


def test_a_reading_opens_after_two_different_wrong_tries_not_one(keys_with_reading, learner_mode, capsys):
    checks.check("t_number", 12)
    checks.check("t_number", 12)   # the same try again does not count twice
    capsys.readouterr()
    assert checks.after_trying("t_number") is False
    checks.check("t_number", 13)
    capsys.readouterr()
    assert checks.after_trying("t_number") is True
    assert "thirty-seven" in capsys.readouterr().out


def test_a_graded_release_has_no_readings(keys_with_reading, capsys):
    assert checks.after_trying("t_graded") is False
    assert "no readings" in capsys.readouterr().out


def test_while_grading_readings_are_off(keys_with_reading, monkeypatch, capsys):
    monkeypatch.setenv("COURSE_GRADING", "1")
    assert checks.after_trying("t_number") is False
    assert "off while grading" in capsys.readouterr().out
