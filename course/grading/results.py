"""Scoring a submission: each exercise's answer judged with the full keys, and its points.

Judging is `course.exercises.judge.judge`, the same function as the notebook checks, on the answer the
grader read itself. Points come from the keys (`points`, default 1; for an open exercise,
one per rubric point). `Correct` earns the points and anything else earns 0, except open
answers: those wait for the instructor's marks (`points` is None until then).

>>> ex = {"kind": "text", "title": "Where", "answer": "S9", "lesson": "99_x"}
>>> result = score("q99_1", ex, "S9")
>>> result.status, result.points
('Correct', 1)
>>> score("q99_1", ex, "S8").points
0
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from course.grading.plan import Plan, cell_label
from course.grading.runner import Limits, Outcome
from course.grading.values import Missing, TooLarge
from course.exercises.feedback import Feedback
from course.exercises.judge import judge, natural
from course.exercises.keys import points_of
from course.grading.submissions import Submission


JUDGE_FAILED = "the grader could not judge this answer"


@dataclass
class ExerciseResult:
    """One exercise of one submission."""
    qid: str
    status: str                  # Correct, Not yet, Not attempted, Recorded, or Not graded
    message: str
    points: float | None         # None: an open answer waiting for the instructor's mark
    possible: float
    answer: object = None        # the value judged (open answers go on the marking sheets)


@dataclass
class SubmissionResult:
    """One row of the grade sheet."""
    learner: str
    path: Path
    exercises: dict[str, ExerciseResult] = field(default_factory=dict)
    status: str = "ok"
    notes: list[str] = field(default_factory=list)
    seconds: float = 0.0

    @property
    def total(self) -> float:
        """The points earned so far (open answers count once marked)."""
        return sum(r.points or 0 for r in self.exercises.values())


def lesson_exercises(keys: dict[str, dict], lesson: str) -> dict[str, dict]:
    """The exercises of one lesson, in the order the lesson asks them."""
    return {q: keys[q] for q in sorted((q for q in keys if keys[q]["lesson"] == lesson), key=natural)}


def score(qid: str, ex: dict, answer: object, problem: Feedback | None = None) -> ExerciseResult:
    """Judge one answer (or take the `problem` found before judging) and give its points."""
    if problem is None:
        if isinstance(answer, TooLarge):
            problem = Feedback("Not yet", "the answer is far too large to be an answer to this exercise.")
        elif isinstance(answer, Missing):
            problem = Feedback("Not attempted", "`answer` was not defined when the exercise ended.")
    try:
        feedback = problem or judge(ex, answer)
    except Exception as error:  # a bug in judging must cost the learner nothing silently
        feedback = Feedback("Not graded", f"{JUDGE_FAILED} ({type(error).__name__}: {str(error)[:100]}).")
    open_answer = ex.get("kind") == "open"
    if open_answer and feedback.status not in ("Not attempted", "Not graded"):
        points = None
    else:
        points = points_of(ex) if feedback.status == "Correct" else 0
    kept = answer if not isinstance(answer, (TooLarge, Missing)) else None
    return ExerciseResult(qid, feedback.status, feedback.message, points, points_of(ex), kept)


def not_graded(qid: str, ex: dict, why: str) -> ExerciseResult:
    """An exercise the grader could not reach (the notebook stopped before it, or was unreadable)."""
    return score(qid, ex, None, Feedback("Not graded", why))


def answer_cell_problem(qid: str, cells: list[int], errors: dict[int, str], timed_out: list[int],
                        removed: list[int], limit: float) -> Feedback | None:
    """Why an exercise's answer cell gives no usable answer, as a learner's own check would say; else None.

    >>> answer_cell_problem("q1_1", [4], {4: "NameError: name 'x' is not defined"}, [], [], 30).message
    "the answer cell stopped with an error (NameError: name 'x' is not defined), so its answer was not used."
    """
    for cell in cells:
        if cell in removed:
            return Feedback("Not yet", "the answer cell ended or hung the notebook's process, so it was left out.")
        if cell in timed_out:
            return Feedback("Not yet", f"the answer cell did not finish within the time limit ({limit:g} s).")
        if cell in errors:
            return Feedback("Not yet", f"the answer cell stopped with an error ({errors[cell]}), so its answer was "
                                       "not used.")
    return None


def _flag_judging_failures(result: SubmissionResult) -> SubmissionResult:
    failed = [q for q, r in result.exercises.items() if r.message.startswith(JUDGE_FAILED)]
    if failed:
        result.status = "grader-error"
        result.notes.append(f"{JUDGE_FAILED} for {', '.join(failed)}; please report this")
    return result


def notebook_result(submission: Submission, plan: Plan, outcome: Outcome, exercises: dict[str, dict],
                    limits: Limits) -> SubmissionResult:
    """Judge the answers read from one notebook run."""
    result = SubmissionResult(submission.learner, submission.path, status=outcome.status,
                              notes=plan.notes + outcome.notes, seconds=outcome.seconds)
    for qid, ex in exercises.items():
        cells = plan.answer_cells.get(qid, [])
        if not cells:
            result.exercises[qid] = score(qid, ex, None, Feedback(
                "Not attempted", "the answer cell of this exercise is not in the notebook (its tag "
                                 f"answer:{qid} is gone), so there was no answer to judge."))
        elif qid not in outcome.reads:
            result.exercises[qid] = not_graded(qid, ex, "the notebook stopped before this exercise.")
        else:
            problem = answer_cell_problem(qid, cells, outcome.errors, outcome.timed_out, outcome.removed, limits.cell)
            result.exercises[qid] = score(qid, ex, outcome.reads[qid], problem)
    stops = {n: f"stopped with {text}" for n, text in outcome.errors.items()}
    stops.update({n: f"stopped at the cell time limit ({limits.cell:g} s)" for n in outcome.timed_out})
    lines = [f"{cell_label(plan, n)} {stops[n]}" for n in sorted(stops)]
    result.notes += lines[:4] + ([f"and {len(lines) - 4} more cells stopped"] if len(lines) > 4 else [])
    return _flag_judging_failures(result)


def export_result(submission: Submission, exercises: dict[str, dict]) -> SubmissionResult:
    """Judge the answers of an `export_answers` file (its own statuses are ignored)."""
    result = SubmissionResult(submission.learner, submission.path, notes=["graded from an answers export"])
    if submission.named_learner and submission.named_learner != submission.learner:
        result.notes.append(f"the export names the learner {submission.named_learner!r}")
    for qid, ex in exercises.items():
        result.exercises[qid] = score(qid, ex, submission.answers.get(qid))
    return _flag_judging_failures(result)


def ungraded_result(submission: Submission, exercises: dict[str, dict], status: str, why: str) -> SubmissionResult:
    """A row for a file that cannot be graded: every exercise 0, and why."""
    result = SubmissionResult(submission.learner, submission.path, status=status, notes=[why])
    for qid, ex in exercises.items():
        result.exercises[qid] = not_graded(qid, ex, why)
    return result
