"""The grade sheet (one CSV row per submission, written as results arrive) and feedback files.

Columns: `learner`, one column per exercise (points earned; empty for an open answer that
waits for a mark), `total`, `status` (ok, cell-timeout, kernel-died, notebook-timeout,
unreadable, wrong-lesson, grader-error), `notes`, `seconds`, `submission` (the file graded).

>>> points_text(1.0), points_text(0.5), points_text(None)
('1', '0.5', '')
"""

from __future__ import annotations

import csv
import re
from pathlib import Path
from typing import TextIO

from course.exercises.lessons import exercise_number
from course.grading.neutral import capped, cell, one_line, printable
from course.grading.results import SubmissionResult

FIXED_BEFORE, FIXED_AFTER = ["learner"], ["total", "status", "notes", "seconds", "submission"]


def points_text(points: float | None) -> str:
    """Points as the sheet writes them: whole numbers without a decimal point, empty for none."""
    if points is None:
        return ""
    return f"{points:g}"


def columns(qids: list[str]) -> list[str]:
    """The grade sheet's header."""
    return FIXED_BEFORE + qids + FIXED_AFTER


def row(result: SubmissionResult, qids: list[str], secrets: frozenset = frozenset()) -> dict[str, str]:
    """One submission's row of the grade sheet: notes capped and scrubbed of key text, every cell neutralised."""
    values = {"learner": cell(result.learner), "total": points_text(result.total), "status": result.status,
              "notes": cell("; ".join(capped(result.notes, secrets))), "seconds": f"{result.seconds:.1f}",
              "submission": cell(result.path)}
    for qid in qids:
        values[qid] = points_text(result.exercises[qid].points) if qid in result.exercises else ""
    return values


class GradeSheet:
    """A CSV file that gets one row per submission as soon as the submission is graded."""

    def __init__(self, path: Path, qids: list[str], secrets: frozenset = frozenset()):
        self.qids, self.secrets = qids, secrets
        self.file: TextIO = path.open("w", encoding="utf-8", newline="")
        self.writer = csv.DictWriter(self.file, fieldnames=columns(qids))
        self.writer.writeheader()
        self.file.flush()

    def add(self, result: SubmissionResult) -> None:
        self.writer.writerow(row(result, self.qids, self.secrets))
        self.file.flush()

    def close(self) -> None:
        self.file.close()



def feedback_text(result: SubmissionResult, exercises: dict[str, dict], lesson: str,
                  secrets: frozenset = frozenset()) -> str:
    """A learner's feedback: each exercise's status, points and message (never a key's answer).

    The grader's notes are capped and scrubbed of key text; names and messages lose control characters.
    """
    auto = sum(r.possible for q, r in result.exercises.items() if exercises[q].get("kind") != "open")
    marked_later = [q for q, r in result.exercises.items() if r.points is None]
    notes = capped(result.notes, secrets)
    lines = [f"# {lesson}: feedback for {one_line(result.learner)}", ""]
    if result.status in ("unreadable", "wrong-lesson"):
        return "\n".join(lines + [f"This submission could not be graded: {'; '.join(notes)}.", ""])
    earned = sum(r.points or 0 for q, r in result.exercises.items() if exercises[q].get("kind") != "open")
    lines.append(f"Points from the automatic checks: {points_text(earned)} of {points_text(auto)}.")
    if marked_later:
        names = ", ".join(f"{exercise_number(q)} ({points_text(result.exercises[q].possible)} points)"
                          for q in marked_later)
        lines.append(f"Your instructor marks the open answers with a rubric: exercise {names}.")
    if notes:
        lines.append("Notes from the grader: " + "; ".join(notes) + ".")
    lines.append("")
    for qid, outcome in result.exercises.items():
        points = "to be marked" if outcome.points is None else f"{points_text(outcome.points)} of " \
                                                               f"{points_text(outcome.possible)}"
        message = "no answer was given." if outcome.status == "Not attempted" else outcome.message
        lines += [f"## Exercise {exercise_number(qid)}: {exercises[qid]['title']}", "",
                  f"{outcome.status} ({points}): {printable(message)}", ""]
    return "\n".join(lines)


def feedback_name(learner: str, taken: set[str]) -> str:
    """A safe, unused file name for a learner's feedback.

    >>> feedback_name("Ana María/../x", set()), feedback_name("bob", {"bob.md"})
    ('Ana_María_.._x.md', 'bob-2.md')
    """
    base = re.sub(r"[^\w.-]+", "_", learner).strip("._")[:80] or "learner"
    name, number = f"{base}.md", 1
    while name in taken:
        number += 1
        name = f"{base}-{number}.md"
    taken.add(name)
    return name
