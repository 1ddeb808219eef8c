"""`python -m course grade`: grade learners' work with the full keys, never with their check cells.

    python -m course grade SUBMISSION... --out grades.csv [--feedback DIR] [--timeout-cell S]
                           [--timeout-notebook S] [--jobs N] [--lesson NN] [--keys DIR] [--run-as USER]
                           [--unsafe-no-sandbox]
    python -m course grade --merge grades.csv grades_marking_q01_8.csv ... --out final.csv

SUBMISSION is a notebook, an answers export (`export_answers`), or a folder holding them
(searched through, as `nbgrader collect` lays them out). Grading has two phases, kept apart:
learners' notebooks run in a bubblewrap sandbox that holds no answers (`course.grading.sandbox`,
`course.grading.runner`), which hands back only the value of `answer` where each exercise's
check cell stands; this process, which never runs learner code, judges those values with the
keys (`course.exercises.judge`).
Exports are judged directly. The grade sheet gets a row per submission as soon as it is
graded, each open exercise gets a marking sheet, and `--feedback` writes a file per learner.
Submissions are only ever read. See notebooks/solutions/GRADING.md.

>>> lesson_named("1", ["00_start_here", "01_the_source_text"])
'01_the_source_text'
"""

from __future__ import annotations

import argparse
import os
import signal
import sys
import time
from pathlib import Path

from course.exercises.answers import plural
from course.exercises.lessons import COURSE_ROOT as ROOT
from course.grading.plan import lesson_sources, plan_notebook, review_notes
from course.grading.results import (SubmissionResult, export_result, lesson_exercises, notebook_result,
                                  ungraded_result)
from course.grading.neutral import key_texts, one_line
from course.grading.runner import Job, Limits, Outcome, SlotError, run_notebooks
from course.grading.sandbox import UNSAFE_NOTE, sandbox_problem
from course.grading.sheet import GradeSheet, feedback_name, feedback_text, points_text
from course.exercises.keys import load_readable_keys, points_of
from course.grading.marking import MarkingSheets, MergeError, marks_in, merge
from course.exercises.progress import lesson_number
from course.grading.submissions import Submission, find_files, lesson_of, read_all

KEYS = ROOT / "notebooks" / "solutions" / "keys"


class GradeError(Exception):
    """Grading cannot start; the message says what to do. Nothing has been written."""


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """The `grade` command's options."""
    parser.add_argument("paths", nargs="*", type=Path, metavar="SUBMISSION",
                        help="notebooks, answer exports, or folders holding them (with --merge: the sheets)")
    parser.add_argument("--out", type=Path, required=True, help="the grade sheet to write (CSV)")
    parser.add_argument("--feedback", type=Path, metavar="DIR", help="also write one feedback file per learner here")
    parser.add_argument("--timeout-cell", type=float, default=Limits.cell, metavar="S",
                        help=f"seconds one cell may run (default {Limits.cell:g})")
    parser.add_argument("--timeout-notebook", type=float, default=Limits.notebook, metavar="S",
                        help=f"seconds one notebook may run in all (default {Limits.notebook:g})")
    parser.add_argument("--jobs", type=int, default=min(4, os.cpu_count() or 1), metavar="N",
                        help="notebooks run at the same time (default: the number of cores, at most 4)")
    parser.add_argument("--lesson", help="the lesson graded, such as 01 (default: the lesson most submissions are)")
    parser.add_argument("--keys", type=Path, default=KEYS, metavar="DIR",
                        help="the readable keys (default: %(default)s)")
    parser.add_argument("--run-as", metavar="USER", help="run learners' code as this user (the grader must run as "
                                                         "root, as in a container; for example: nobody)")
    parser.add_argument("--unsafe-no-sandbox", action="store_true",
                        help="run learners' code without a sandbox (it can then read the keys and your files); "
                             "every row says so")
    parser.add_argument("--merge", action="store_true", help="fold marking sheets into a grade sheet instead")


def lesson_named(name: str, lessons: list[str]) -> str:
    """The lesson a `--lesson` value names ("1", "01" or "01_the_source_text"), or ''."""
    number = lesson_number(name)
    return next((lesson for lesson in lessons if lesson == name or lesson_number(lesson) == number), "")


def load_keys(folder: Path) -> dict[str, dict]:
    """The solution side's readable keys, or a GradeError that says where they should be."""
    if not folder.is_dir() or not any(folder.glob("*.json")):
        raise GradeError(f"The grader needs the readable answer keys, and {folder} has none. Run it from the "
                         "course's full repository (with notebooks/solutions/), or give --keys DIR.")
    try:
        return load_readable_keys(folder)
    except (ValueError, KeyError, TypeError, AttributeError) as error:
        raise GradeError(f"The keys in {folder} cannot be read ({type(error).__name__}: {error}). Check them with "
                         "`python -m course build --check`.") from None


def choose_lesson(submissions: list[Submission], keys: dict[str, dict], wanted: str | None) -> str:
    """The lesson to grade: the one named, else the one most submissions belong to."""
    lessons = sorted({ex["lesson"] for ex in keys.values()})
    if wanted:
        lesson = lesson_named(wanted, lessons)
        if not lesson:
            raise GradeError(f"--lesson {wanted}: no such lesson; the keys have {', '.join(lessons)}.")
        return lesson
    counts: dict[str, int] = {}
    for submission in submissions:
        found = lesson_of(submission, keys) if not submission.problem else ""
        if found:
            counts[found] = counts.get(found, 0) + 1
    if not counts:
        raise GradeError(f"None of the {len(submissions)} files is a lesson notebook or an answers export of this "
                         "course (first problem: " + next((s.problem for s in submissions if s.problem),
                                                          "no exercise found") + ").")
    best = sorted(counts, key=lambda lesson: (-counts[lesson], lesson))
    if len(best) > 1 and counts[best[0]] == counts[best[1]]:
        raise GradeError(f"As many submissions are {best[0]} as {best[1]}: say which to grade with --lesson.")
    return best[0]


def run_as(user: str | None) -> tuple[int, int] | None:
    """The (uid, gid) of the user named by --run-as, checked before anything runs."""
    if not user:
        return None
    import pwd

    try:
        entry = pwd.getpwnam(user)
    except KeyError:
        raise GradeError(f"--run-as {user}: there is no such user on this machine.") from None
    if os.geteuid() != 0:
        raise GradeError(f"--run-as {user} needs the grader to run as root (as in a container); leave it out "
                         "otherwise.")
    closed = unreadable_folder([Path(sys.base_prefix), Path(sys.prefix), ROOT])
    if closed:
        raise GradeError(f"--run-as {user}: other users cannot open {closed}, so the learners' code could not "
                         "load Python or the course there. Install them where every user can read (as in a usual "
                         "container image), or leave --run-as out.")
    return entry.pw_uid, entry.pw_gid


def toolkit_folders() -> tuple[Path, Path]:
    """The toolkit's folder and the course data's folder, as the sandboxes mount them."""
    import course
    from course.reading.data import DataFileError, data_folder

    try:
        return Path(course.__file__).resolve().parent, data_folder(ROOT)
    except DataFileError as error:
        raise GradeError(str(error)) from None


def unreadable_folder(paths: list[Path]) -> str:
    """The first folder on the way to `paths` that users other than its owner cannot enter, or ''."""
    for path in paths:
        for folder in [*reversed(path.resolve().parents), path.resolve()]:
            if folder.is_dir() and not folder.stat().st_mode & 0o001:
                return str(folder)
    return ""


def check_outputs(out: Path, exercises: dict[str, dict]) -> None:
    """Refuse to start if a marking sheet that would be overwritten already holds marks."""
    from course.grading.marking import sheet_path

    if out.suffix.lower() != ".csv":
        raise GradeError(f"--out {out}: the grade sheet is a CSV file; give a name ending in .csv.")
    for qid, ex in exercises.items():
        path = sheet_path(out, qid)
        if ex.get("kind") == "open" and path.exists() and marks_in(path):
            raise GradeError(f"{path} already holds {plural(marks_in(path), 'mark')} typed in, and grading would "
                             "overwrite it. Merge it first, or move it away, or write this run elsewhere (another "
                             "--out).")


class Reporter:
    """Writes each result to the grade sheet, the marking sheets and feedback, and a progress line."""

    def __init__(self, args: argparse.Namespace, lesson: str, exercises: dict[str, dict], count: int,
                 secrets: frozenset):
        self.lesson, self.exercises, self.count, self.done = lesson, exercises, count, 0
        self.secrets = secrets
        self.sheet = GradeSheet(args.out, list(exercises), secrets)
        self.marking = MarkingSheets(args.out, exercises)
        self.feedback: Path | None = args.feedback
        self.names: set[str] = set()
        self.statuses: dict[str, int] = {}
        self.auto = sum(points_of(ex) for ex in exercises.values() if ex.get("kind") != "open")

    def add(self, result: SubmissionResult) -> None:
        self.sheet.add(result)
        self.marking.add(result)
        if self.feedback is not None:
            name = feedback_name(result.learner, self.names)
            (self.feedback / name).write_text(feedback_text(result, self.exercises, self.lesson, self.secrets),
                                              encoding="utf-8")
        self.done += 1
        self.statuses[result.status] = self.statuses.get(result.status, 0) + 1
        pending = sum(1 for r in result.exercises.values() if r.points is None)
        marks = f", {pending} to mark" if pending else ""
        width = len(str(self.count))
        bar = "#" * (20 * self.done // self.count)
        print(f"[{bar:<20}] {self.done:>{width}}/{self.count} {one_line(result.learner)[:24]:<24} {result.status:<16} "
              f"{points_text(result.total)}/{points_text(self.auto)}{marks}  {result.seconds:.1f} s",
              file=sys.stderr, flush=True)

    def close(self) -> None:
        self.sheet.close()
        self.marking.close()


def grade(args: argparse.Namespace) -> int:
    """Run the whole grading; returns the exit code."""
    started = time.monotonic()
    if not hasattr(os, "fork"):
        raise GradeError("The grader runs each notebook in a forked process, which needs Linux (or macOS with "
                         "--unsafe-no-sandbox). On Windows, run it in WSL or in a Linux container.")
    keys = load_keys(args.keys)
    found = find_files(args.paths)
    groups = found.groups
    if found.missing:
        raise GradeError(f"No such file or folder: {', '.join(map(one_line, found.missing))}. Nothing was graded.")
    for path, why in found.skipped:
        print(f"Skipped {one_line(path)}: {why}.", file=sys.stderr)
    if not groups:
        raise GradeError("No notebook (.ipynb) or answers export (.json) found in "
                         f"{', '.join(map(str, args.paths)) or 'the paths given'}.")
    submissions = read_all(groups)
    lesson = choose_lesson(submissions, keys, args.lesson)
    exercises = lesson_exercises(keys, lesson)
    check_outputs(args.out, exercises)
    if not (args.timeout_cell > 0 and args.timeout_notebook > 0 and args.jobs > 0):
        raise GradeError("--timeout-cell, --timeout-notebook and --jobs must be more than 0.")
    limits = Limits(cell=args.timeout_cell, notebook=args.timeout_notebook, jobs=args.jobs, user=run_as(args.run_as),
                    sandboxed=not args.unsafe_no_sandbox)
    package, data = toolkit_folders()
    if limits.sandboxed:
        problem = sandbox_problem(package, data, limits.user)
        if problem:
            raise GradeError(problem)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    if args.feedback is not None:
        args.feedback.mkdir(parents=True, exist_ok=True)
    print(f"Grading {len(submissions)} submissions of {lesson} ({len(exercises)} exercises), {limits.jobs} at a "
          f"time; rows go to {args.out} as they are graded.", file=sys.stderr, flush=True)
    shipped = lesson_sources(lesson)
    reporter = Reporter(args, lesson, exercises, len(submissions), key_texts(keys))
    jobs: list[Job] = []
    try:
        for submission in submissions:
            found = lesson_of(submission, keys) if not submission.problem else ""
            if submission.problem:
                reporter.add(ungraded_result(submission, exercises, "unreadable", submission.problem))
            elif found != lesson:
                why = (f"this is lesson {found}, not {lesson}" if found else
                       f"no exercise of {lesson} found in it (no answer or check cells)")
                reporter.add(ungraded_result(submission, exercises, "wrong-lesson", why))
            elif submission.kind == "export":
                reporter.add(export_result(submission, exercises))
            else:
                plan = plan_notebook(submission.cells, list(exercises))
                plan.notes += review_notes(submission.cells, shipped)
                if not limits.sandboxed:
                    plan.notes.insert(0, UNSAFE_NOTE)
                sources = {c.number: c.source for c in submission.cells if c.kind == "code"}
                jobs.append(Job(submission, submission.path, sources, plan, submission.text))

        def deliver(job: Job, outcome: Outcome) -> None:
            try:
                result = notebook_result(job.key, job.plan, outcome, exercises, limits)
            except Exception as error:  # a grader bug must not stop the batch
                result = ungraded_result(job.key, exercises, "grader-error", f"{type(error).__name__}: {error}")
            reporter.add(result)

        try:
            run_notebooks(jobs, limits, deliver, package, data)
        except SlotError as error:
            raise GradeError(f"The sandbox that runs learners' notebooks would not start: {error}. Nothing more was "
                             "graded.") from None
    finally:
        reporter.close()
    summary = ", ".join(f"{n} {status}" for status, n in sorted(reporter.statuses.items()))
    print(f"Graded {reporter.done} submissions in {time.monotonic() - started:.1f} s ({summary}).")
    print(f"Grade sheet: {args.out}")
    for path in reporter.marking.paths.values():
        print(f"Marking sheet (open answers): {path}")
    if args.feedback is not None:
        print(f"Feedback files: {args.feedback}/")
    return 0


def merge_command(args: argparse.Namespace) -> int:
    """`grade --merge`: fold marking sheets into the grade sheet."""
    possible = {}
    if args.keys.is_dir():
        possible = {q: points_of(ex) for q, ex in load_keys(args.keys).items()}
    count = merge(args.paths, args.out, possible)
    print(f"Merged {count} rows of marking sheets; wrote {args.out}.")
    return 0


def _stop(signum: int, frame: object) -> None:
    raise KeyboardInterrupt


def main(args: argparse.Namespace) -> int:
    """The `grade` command: never a traceback for bad input, and nothing destroyed."""
    signal.signal(signal.SIGTERM, _stop)  # so that a stopped run still cleans up its temporary copies
    try:
        if args.merge:
            return merge_command(args)
        if not args.paths:
            raise GradeError("Name the submissions to grade: notebooks, answer exports, or folders holding them.")
        return grade(args)
    except MergeError as error:
        print(f"Nothing merged, nothing written:\n{error}", file=sys.stderr)
        return 2
    except GradeError as error:
        print(str(error), file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print(f"\nStopped. The rows graded so far are in {args.out}.", file=sys.stderr)
        return 130
    except OSError as error:
        print(f"The grader could not write or read a file: {error}. Nothing else was changed.", file=sys.stderr)
        return 2
