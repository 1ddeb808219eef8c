"""Exercise checks in a notebook: one call, one feedback block, never a traceback.

In a lesson, each exercise ends with a check cell::

    check("q01_2", answer)

which prints one block that starts with `Correct`, `Not yet`, `Not attempted` or
`Recorded` (after a symbol). Judging is done by `course.exercises.judge` (pure), your results
are kept by `course.exercises.progress` (saved beside your notebooks, so a restart loses
nothing), and `course.exercises.session` notices an answer cell that failed just before.

    progress("01")          lists a lesson's exercises and your latest result for each
    export_answers("01")    writes your answers and results to one file to hand in

Set COURSE_STRICT=1 to make anything but `Correct` (or `Recorded` for an open answer)
raise: the course's own tests run the solution notebooks this way.

>>> evaluate("q00_1", None).status
'Not attempted'
"""

from __future__ import annotations

import json
import os
import re
from pathlib import Path

from course.exercises import session
from course.exercises.answers import normalise  # noqa: F401  (re-exported for older lessons and tests)
from course.exercises.feedback import Feedback, told
from course.exercises.judge import canonical_value, judge
from course.exercises.keys import grading, load_keys
from course.exercises.lessons import exercise_number
from course.exercises.open_answers import model_block
from course.exercises.wording import say
from course.exercises.progress import ProgressStore, default_path, export_record, lesson_number, summary_lines

STRICT_ENV = "COURSE_STRICT"
_keys_cache: dict[str, dict] = {}
_store: list[ProgressStore] = []


class CheckFailed(AssertionError):
    """Raised in strict mode when a check does not report `Correct` (or `Recorded` for an open answer)."""


def strict() -> bool:
    """True when checks should raise instead of only printing (COURSE_STRICT=1)."""
    return os.environ.get(STRICT_ENV, "") == "1"


def _keys() -> dict[str, dict]:
    if grading():
        return {}   # no keys where the grader runs notebooks; the cells that read them carry on quietly
    if not _keys_cache:
        _keys_cache.update(load_keys())
    return _keys_cache


def store() -> ProgressStore:
    """This session's progress record, read from disk the first time it is needed."""
    if not _store or _store[0].path not in (None, default_path()):
        _store[:] = [ProgressStore(default_path())]
    return _store[0]


def evaluate(qid: str, answer: object, keys: dict[str, dict] | None = None, attempt: int = 1) -> Feedback:
    """Return the feedback for one answer without printing or recording it."""
    keys = _keys() if keys is None else keys
    if not isinstance(qid, str):
        return told("Not yet", "check.bad_qid")
    if qid not in keys:
        return told("Not yet", "check.unknown_qid", qid=repr(qid[:40]))
    return judge(keys[qid], answer, attempt, qid)


def passes(qid: str, status: str, keys: dict[str, dict]) -> bool:
    """What strict mode accepts: Correct, or Recorded for an open answer or a graded release."""
    ex = keys.get(qid, {})
    return status == "Correct" or (status == "Recorded" and (ex.get("kind") == "open" or ex.get("graded")))


def check(qid: str, answer: object = ...) -> None:
    """Check an answer, record the result, and print one feedback block. Never raises, except in strict mode.

    While grading (in the grader's sandbox) it checks nothing and says so: the grader judges the answers.
    """
    if grading():
        print(say("check.grading"))
        return
    keys: dict[str, dict] = {}
    judged = False  # only a judged answer is recorded, not a failed answer cell or a stale answer
    try:
        keys = _keys()
        titles = {q: ex["title"] for q, ex in keys.items()}
        attempt = store().attempt(qid, answer) if isinstance(qid, str) else 1
        feedback = session.before_checking(qid, answer, titles)
        if feedback is None:
            feedback, judged = evaluate(qid, answer, keys, attempt), True
            saved = store().status(qid) if isinstance(qid, str) else "Not attempted"
            if feedback.status == "Not attempted" and saved in ("Correct", "Recorded"):
                feedback = told("Not attempted", "check.saved_kept", saved=saved)
    except Exception as error:  # a learner should never see a traceback from a check
        if strict():
            raise
        feedback = told("Not yet", "check.unreadable", error=type(error).__name__)
    if isinstance(qid, str) and qid in keys:
        if judged:
            store().record(qid, keys[qid]["lesson"], feedback.status, answer)
        session.remember(qid, answer)
    print(feedback)
    problem = store().take_problem()
    if problem:
        print("Note: " + problem)
    if strict() and not passes(str(qid), feedback.status, keys):
        raise CheckFailed(f"{qid}: {feedback}")


def _lessons(lesson: object) -> list[str]:
    keys = _keys()
    if lesson is not None:
        return [lesson_number(lesson)]
    return sorted({lesson_number(keys[q]["lesson"]) for q in store().exercises if q in keys})


def progress(lesson: object = None) -> None:
    """Print each exercise's latest result, saved across kernel restarts.

    `lesson` is a lesson number such as "01"; by default, every lesson you have checked.
    """
    if grading():
        print(say("check.grading"))
        return
    lessons = _lessons(lesson)
    if not lessons:
        print("No exercises checked yet. Run a check cell, then try again.")
        return
    for number in lessons:
        print("\n".join(summary_lines(_keys(), store(), number)))


def export_answers(lesson: object, path: str | Path | None = None, learner: str = "") -> None:
    """Write your answers and results for one lesson to a JSON file to hand in.

    By default the file is `answers_NN.json` in the notebook's folder. `learner` is your
    name or id, as your instructor asks.
    """
    if grading():
        print(say("check.grading"))
        return
    number = lesson_number(lesson)
    record = export_record(_keys(), store(), number, learner)
    if not record["answers"]:
        print(f"There is no lesson {number!r}. Give a lesson number such as \"01\".")
        return
    target = Path(path) if path else Path.cwd() / f"answers_{number}.json"
    try:
        target.write_text(json.dumps(record, indent=1, ensure_ascii=False), encoding="utf-8")
    except OSError as error:
        print(f"Could not write {target} ({type(error).__name__}). Give another path: "
              f"export_answers(\"{number}\", \"my_answers.json\").")
        return
    statuses = [a["status"] for a in record["answers"].values()]
    print(f"Wrote {target.name}: {len(statuses)} exercises, {statuses.count('Correct')} correct, "
          f"{statuses.count('Recorded')} recorded. Hand in this file.")


def _marks(value: object, points: int) -> list[int] | None:
    """Self-rating marks as a list of 0 and 1, from [1, 0, 1], (True, False), "101" or "1, 0, 1"; None if not that.

    >>> _marks("1 0 1", 3), _marks([True, 0, 1], 3), _marks([1, 2, 0], 3), _marks("10", 3)
    ([1, 0, 1], [1, 0, 1], None, None)
    """
    if isinstance(value, str):
        value = [c for c in value if c in "01"] if not re.search(r"[^01,;\s\[\]]", value) else None
    if not isinstance(value, (list, tuple)) or len(value) != points:
        return None
    marks = []
    for mark in value:
        if isinstance(mark, bool) or mark in (0, 1, "0", "1"):
            marks.append(int(mark))
        else:
            return None
    return marks


def rate(qid: str, marks: object = ...) -> None:
    """Rate your recorded open answer against its rubric (one 1 or 0 per point), then see the model answer.

    The check of an open answer records it and lists the rubric; the model answer is shown only
    once you have rated your own answer, so that you compare it with a reading of your own.
    `progress()` and `export_answers()` say which answers you rated, and how.
    """
    if grading():
        print(say("check.grading"))
        return
    keys = _keys()
    ex = keys.get(qid) if isinstance(qid, str) else None
    if ex is None:
        print(say("check.unknown_qid", qid=repr(str(qid)[:40])))
        return _strict_fail(qid, "unknown exercise")
    if ex["kind"] != "open":
        print(say("rate.not_open", qid=qid))
        return _strict_fail(qid, "not an open answer")
    if ex.get("graded"):
        print(say("open.graded_rate"))
        return
    if store().status(qid) != "Recorded":
        print(say("rate.no_answer", number=exercise_number(qid)))
        return _strict_fail(qid, "no recorded answer")
    points = len(ex.get("rubric", []))
    example = ", ".join(["1", "0"] * points)[: 3 * points - 2]
    given = _marks(marks, points) if marks is not Ellipsis else None
    if given is None:
        print(say("rate.bad_marks", points=points, qid=qid, example=example))
        return _strict_fail(qid, "no marks")
    store().rate(qid, given)
    print(say("rate.rated", score=sum(given), points=points))
    print(model_block(ex))


def _strict_fail(qid: object, why: str) -> None:
    if strict():
        raise CheckFailed(f"{qid}: rate(): {why}")


READING_AFTER = 2   # a reading opens on Correct (or Recorded), or after this many different wrong tries


def one_reading(qid: str) -> None:
    """Show one reading of an exercise's result, to compare with yours, once you have tried it.

    A lesson's reading cell runs `one_reading("q03_6")`: it prints the reading if the exercise is
    Correct (or Recorded), or after two different tries that were not; otherwise it says what to do
    first. A graded release ships no readings.
    """
    after_trying(qid)


def after_trying(qid: str) -> bool:
    """`one_reading`, and True when the reading opened: a cell draws a result's figure only then.

    ``if after_trying("q03_4"): ...`` shows the reading of 3.4 and its figure once 3.4 has been tried.
    """
    if grading():
        print(say("check.grading"))
        return False
    ex = _keys().get(qid) if isinstance(qid, str) else None
    if ex is None:
        print(say("check.unknown_qid", qid=repr(str(qid)[:40])))
        return False
    if ex.get("graded"):
        print(say("reading.graded"))
        return False
    status = store().status(qid)
    if status in ("Correct", "Recorded") or store().wrong_tries(qid) >= READING_AFTER:
        if ex.get("reading"):
            print(say("reading.shown", reading=ex["reading"]))
        return True
    print(say("reading.locked", number=exercise_number(qid)))
    return False



def standard_value(qid: str, value: object) -> object:
    """The spelling an exercise uses for a value a learner typed ("xi" -> "Xi"); other values unchanged.

    Lets a cell that draws a learner's answer treat accepted variants as the check does.
    """
    ex = _keys().get(qid, {})
    if not isinstance(value, str):
        return value
    norm = canonical_value(value, ex)
    return next((allowed for allowed in ex.get("allowed_values", []) if normalise(allowed) == norm), value)


def checked_answer(qid: str) -> tuple[object, str]:
    """Your latest checked answer to an exercise (as saved) and its result, for a cell that draws it.

    Returns (None, "Not attempted") until the exercise has been checked. Tables saved as
    dictionaries come back as dictionaries.
    """
    return store().latest_answer(qid), store().latest_status(qid)
