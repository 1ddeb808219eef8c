"""Marking open answers: one sheet per open exercise, then the marks folded into the grade sheet.

`grade` writes, beside the grade sheet `grades.csv`, one sheet per open exercise,
`grades_marking_q01_8.csv`: every learner's answer beside the rubric and an empty `score`
column (an unanswered exercise is already marked 0). The instructor types a score for each
answer, from 0 to `out_of` (halves are fine), then runs

    python -m course grade --merge grades.csv grades_marking_q01_8.csv --out final.csv

which checks every mark and writes the grade sheet again with the marks in and the totals
recomputed. A bad mark stops the merge with one line per problem, and nothing is written.

>>> parse_score("2.5", 4), parse_score("", 4)
(2.5, None)
"""

from __future__ import annotations

import csv
import re
from pathlib import Path
from typing import TextIO

from course.grading.neutral import answer_text, cell
from course.grading.results import SubmissionResult
from course.grading.sheet import exercise_number, points_text

csv.field_size_limit(64 * 2**20)   # a sheet's cells may be long (answers are capped, but older sheets were not)
MARKING_COLUMNS = ["learner", "answer", "score", "out_of", "rubric", "comment", "check", "exercise", "submission"]
QID = re.compile(r"^q\d+_\d+$")
UNMARKED = "not marked yet:"


class MergeError(Exception):
    """The sheets cannot be merged; the message lists every problem, one per line."""


def sheet_path(grades: Path, qid: str) -> Path:
    """Where the marking sheet of one open exercise goes, beside the grade sheet.

    >>> sheet_path(Path("out/grades.csv"), "q01_8").as_posix()
    'out/grades_marking_q01_8.csv'
    """
    return grades.with_name(f"{grades.stem}_marking_{qid}.csv")


def rubric_text(ex: dict) -> str:
    """The rubric points, numbered, as one cell of text (the model answers are in RUBRICS.md).

    >>> rubric_text({"rubric": ["cites S1", "names the voice"]})
    '1. cites S1\\n2. names the voice'
    """
    return "\n".join(f"{n}. {p}" for n, p in enumerate(ex.get("rubric", []), start=1))


def _is_mark(row: dict) -> bool:
    """True for a score an instructor typed (not the 0 the grader puts beside a missing answer)."""
    score = (row.get("score") or "").strip()
    prefilled = (row.get("check") or "").startswith(("Not attempted", "Not graded")) and score == "0"
    return bool(score) and not prefilled


def marks_in(path: Path) -> int:
    """How many marks an instructor has typed into an existing marking sheet (0 if it cannot be read)."""
    try:
        with path.open(encoding="utf-8", newline="") as file:
            return sum(1 for row in csv.DictReader(file) if _is_mark(row))
    except (OSError, UnicodeDecodeError, csv.Error):
        return 0


class MarkingSheets:
    """One marking sheet per open exercise, each getting a row as each submission is graded."""

    def __init__(self, grades: Path, exercises: dict[str, dict]):
        self.open = {q: ex for q, ex in exercises.items() if ex.get("kind") == "open"}
        self.paths = {q: sheet_path(grades, q) for q in self.open}
        self.files: dict[str, TextIO] = {}
        self.writers: dict[str, csv.DictWriter] = {}
        for qid, path in self.paths.items():
            self.files[qid] = path.open("w", encoding="utf-8", newline="")
            self.writers[qid] = csv.DictWriter(self.files[qid], fieldnames=MARKING_COLUMNS)
            self.writers[qid].writeheader()
            self.files[qid].flush()

    def add(self, result: SubmissionResult) -> None:
        for qid, ex in self.open.items():
            outcome = result.exercises.get(qid)
            if outcome is None:
                continue
            answer = outcome.answer if isinstance(outcome.answer, str) else (
                "" if outcome.answer is None or outcome.answer is Ellipsis else repr(outcome.answer)[:2000])
            self.writers[qid].writerow({
                "learner": cell(result.learner), "answer": cell(answer_text(answer)),
                "score": "" if outcome.points is None else points_text(outcome.points),
                "out_of": points_text(outcome.possible), "rubric": rubric_text(ex), "comment": "",
                "check": cell(f"{outcome.status}: {outcome.message}"), "exercise": qid,
                "submission": cell(result.path)})
            self.files[qid].flush()

    def close(self) -> None:
        for file in self.files.values():
            file.close()


def parse_score(text: str, out_of: float) -> float | None:
    """A mark typed in a sheet: a number from 0 to `out_of`, or None when the cell is empty; else ValueError."""
    text = text.strip()
    if not text:
        return None
    try:
        value = float(text.replace(",", ".")) if text.count(",") <= 1 else float("nan")
    except ValueError:
        raise ValueError(f"{text!r} is not a number") from None
    if not 0 <= value <= out_of:  # also false for nan
        raise ValueError(f"{text!r} is outside 0 to {points_text(out_of)}")
    return value


def _read_csv(path: Path) -> tuple[list[str], list[dict[str, str]]]:
    try:
        with path.open(encoding="utf-8-sig", newline="") as file:
            reader = csv.DictReader(file)
            return list(reader.fieldnames or []), list(reader)
    except FileNotFoundError:
        raise MergeError(f"{path}: no such file") from None
    except (OSError, UnicodeDecodeError, csv.Error) as error:
        raise MergeError(f"{path}: cannot be read as a CSV sheet ({type(error).__name__})") from None


def _split_sheets(paths: list[Path]) -> tuple[tuple[Path, list[str], list[dict]], list[tuple[Path, list[dict]]]]:
    grade_sheets, marking, problems = [], [], []
    for path in paths:
        header, rows = _read_csv(path)
        if {"total", "status", "submission"} <= set(header):
            grade_sheets.append((path, header, rows))
        elif {"score", "exercise", "submission"} <= set(header):
            marking.append((path, rows))
        else:
            problems.append(f"{path}: neither a grade sheet nor a marking sheet (it has no 'total' and no 'score' "
                            "column)")
    if len(grade_sheets) != 1:
        problems.append(f"give exactly one grade sheet (the --out file of `grade`), not {len(grade_sheets)}: "
                        + (", ".join(str(g[0]) for g in grade_sheets) or "none found"))
    if problems:
        raise MergeError("\n".join(problems))
    return grade_sheets[0], marking


def _fold(grade_sheet: tuple[Path, list[str], list[dict]], marking: list[tuple[Path, list[dict]]],
          possible: dict[str, float]) -> tuple[list[str], list[dict]]:
    grade_path, header, rows = grade_sheet
    qids = [c for c in header if QID.match(c)]
    by_submission = {r["submission"]: r for r in rows}
    problems, seen, unmarked = [], {}, {}
    for path, sheet in marking:
        for number, mark in enumerate(sheet, start=2):  # row 1 is the header
            where = f"{path}, row {number} ({mark.get('learner', '')})"
            qid, target = mark.get("exercise", ""), by_submission.get(mark.get("submission", ""))
            if qid not in qids:
                problems.append(f"{where}: exercise {qid!r} is not a column of {grade_path}")
                continue
            if target is None:
                problems.append(f"{where}: this submission is not in {grade_path}; was the sheet made by another run?")
                continue
            if (qid, mark["submission"]) in seen:
                problems.append(f"{where}: marked twice (also {seen[(qid, mark['submission'])]})")
                continue
            seen[(qid, mark["submission"])] = where
            out_of = possible.get(qid) or _number(mark.get("out_of", ""))
            try:
                score = parse_score(mark.get("score") or "", out_of)
            except ValueError as error:
                problems.append(f"{where}: the score {error}; write a number from 0 to {points_text(out_of)}, or "
                                "leave it empty")
                continue
            if score is None:
                unmarked.setdefault(mark["submission"], []).append(qid)
            target[qid] = "" if score is None else points_text(score)
    if problems:
        raise MergeError("\n".join(problems))
    for row in rows:
        notes = [n for n in (row.get("notes") or "").split("; ") if n and not n.startswith(UNMARKED)]
        missing = unmarked.get(row["submission"])
        row["notes"] = "; ".join(notes + ([f"{UNMARKED} {', '.join(exercise_number(q) for q in missing)}"]
                                          if missing else []))
    for row in rows:
        row["total"] = points_text(sum(_number(row.get(q, "")) for q in qids))
    return header, rows


def _number(text: str) -> float:
    try:
        return float(text)
    except (TypeError, ValueError):
        return 0.0


def merge(paths: list[Path], out: Path, possible: dict[str, float]) -> int:
    """Fold the marks of the marking sheets among `paths` into the grade sheet among them; write `out`.

    `possible` gives each exercise's points from the keys (a sheet's own `out_of` is used otherwise).
    Returns the number of marks folded in; raises MergeError, writing nothing, if any mark is wrong.
    """
    if out.resolve() in {p.resolve() for p in paths}:
        raise MergeError(f"--out {out} is one of the sheets being merged; give a new file name, such as final.csv")
    grade_sheet, marking = _split_sheets(paths)
    if not marking:
        raise MergeError("no marking sheet given: add the grades_marking_<exercise>.csv files after the grade sheet")
    header, rows = _fold(grade_sheet, marking, possible)
    with out.open("w", encoding="utf-8", newline="") as file:
        writer = csv.DictWriter(file, fieldnames=header, extrasaction="ignore")
        writer.writeheader()
        writer.writerows(rows)
    return sum(len(rows) for _, rows in marking)
