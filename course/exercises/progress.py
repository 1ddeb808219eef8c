"""Record-keeping: each exercise's latest status and answer, saved so a restart loses nothing.

The record is a small JSON file, `.course_progress.json`, in the folder the notebook runs
in (beside your notebooks; git ignores it). Set the environment variable
COURSE_PROGRESS_FILE to keep it elsewhere. If the file cannot be read or written, the
course says so once and keeps your progress in memory for the session: it never
overwrites a file it could not read.

>>> store = ProgressStore(path=None)        # memory only
>>> store.record("q00_2", "00_start_here", "Not yet", "S3")
>>> store.attempt("q00_2", "S1")
2
"""

from __future__ import annotations

import hashlib
import json
import os
import uuid
from pathlib import Path

from course.exercises.answers import jsonable
from course.exercises.feedback import STATUSES, SYMBOLS
from course.exercises.judge import natural

PROGRESS_ENV = "COURSE_PROGRESS_FILE"
FILE_NAME = ".course_progress.json"
RANK = {"Correct": 3, "Recorded": 2, "Not yet": 1, "Not attempted": 0}


def default_path() -> Path:
    """Where progress is saved: $COURSE_PROGRESS_FILE, else .course_progress.json in this folder."""
    return Path(os.environ.get(PROGRESS_ENV) or Path.cwd() / FILE_NAME)


def fingerprint(answer: object) -> str:
    """A short fingerprint of an answer, to tell a new try from the same one run again."""
    text = json.dumps(jsonable(answer), sort_keys=True, ensure_ascii=False, default=str)
    return hashlib.sha1(text.encode("utf-8")).hexdigest()[:12]


class ProgressStore:
    """Each exercise's latest status and answer, and the distinct wrong answers tried."""

    def __init__(self, path: Path | None = None):
        self.path = path
        self.exercises: dict[str, dict] = {}
        self.problem = ""          # why the file could not be used, said once
        self._said_problem = False
        self._read()

    def _read(self) -> None:
        if self.path is None or not self.path.exists():
            return
        try:
            data = json.loads(self.path.read_text(encoding="utf-8"))
            self.exercises = {str(k): dict(v) for k, v in data["exercises"].items()}
        except (OSError, ValueError, KeyError, TypeError, AttributeError):
            self.problem = (f"your saved progress in {self.path} could not be read, so this session's progress is "
                            "kept in memory only. Rename or delete that file to start a new record.")
            self.path = None

    def _write(self) -> None:
        if self.path is None:
            return
        try:
            on_disk = {}
            if self.path.exists():  # another notebook may have saved since: keep its exercises
                on_disk = json.loads(self.path.read_text(encoding="utf-8")).get("exercises", {})
            merged = {**on_disk, **self.exercises}
            # A temporary file of this process's own: two kernels saving at once (two lessons open) must not
            # write into the same temporary file and leave a damaged record behind.
            temporary = self.path.with_name(f".{self.path.name}.{os.getpid()}.{uuid.uuid4().hex[:8]}.tmp")
            temporary.write_text(json.dumps({"version": 1, "exercises": merged}, indent=1, sort_keys=True,
                                            ensure_ascii=False), encoding="utf-8")
            os.replace(temporary, self.path)
            self.exercises = merged
        except (OSError, ValueError, AttributeError) as error:
            self.problem = (f"your progress could not be saved to {self.path} ({type(error).__name__}); it is kept "
                            "in memory for this session only.")
            self.path = None

    def take_problem(self) -> str:
        """The problem to report, once; empty when there is none or it was already said."""
        if self.problem and not self._said_problem:
            self._said_problem = True
            return self.problem
        return ""

    def attempt(self, qid: str, answer: object) -> int:
        """1 + the number of different wrong answers tried before this one."""
        wrong = self.exercises.get(qid, {}).get("wrong", [])
        return len([w for w in wrong if w != fingerprint(answer)]) + 1

    def record(self, qid: str, lesson: str, status: str, answer: object) -> None:
        """Save one check's result.

        The latest try is always kept; the best one (Correct, then Recorded, then Not yet)
        is kept too, so a later slip, or a check run again on another exercise's answer,
        never loses a good result. An untouched answer (Not attempted) changes nothing.
        """
        if status == "Not attempted":
            return
        entry = dict(self.exercises.get(qid, {}))
        entry.update(lesson=lesson, latest_status=status, latest_answer=jsonable(answer))
        if RANK[status] >= RANK[entry.get("status", "Not attempted")]:
            if entry.get("answer") != jsonable(answer):
                entry.pop("self_rating", None)   # a new answer: the learner's marks were for the old one
            entry.update(status=status, answer=jsonable(answer))
        if status == "Not yet":
            wrong = list(entry.get("wrong", []))
            if fingerprint(answer) not in wrong:
                wrong = (wrong + [fingerprint(answer)])[-20:]
            entry["wrong"] = wrong
        self.exercises[qid] = entry
        self._write()

    def rate(self, qid: str, marks: list[int]) -> None:
        """Keep the learner's own marks for their recorded open answer (one per rubric point)."""
        entry = dict(self.exercises.get(qid, {}))
        entry["self_rating"] = list(marks)
        self.exercises[qid] = entry
        self._write()

    def self_rating(self, qid: str) -> list[int] | None:
        """The learner's own marks for an open answer, or None if not rated."""
        return self.exercises.get(qid, {}).get("self_rating")

    def wrong_tries(self, qid: str) -> int:
        """How many different wrong answers have been tried (the last 20 are remembered)."""
        return len(self.exercises.get(qid, {}).get("wrong", []))

    def status(self, qid: str) -> str:
        """The best result so far."""
        return self.exercises.get(qid, {}).get("status", "Not attempted")

    def latest_status(self, qid: str) -> str:
        """The result of the latest try."""
        entry = self.exercises.get(qid, {})
        return entry.get("latest_status", entry.get("status", "Not attempted"))

    def answer(self, qid: str) -> object:
        """The answer that earned the best result (as saved: JSON-safe)."""
        return self.exercises.get(qid, {}).get("answer")

    def latest_answer(self, qid: str) -> object:
        """The answer of the latest try (as saved: JSON-safe)."""
        entry = self.exercises.get(qid, {})
        return entry.get("latest_answer", entry.get("answer"))


def lesson_number(lesson: object) -> str:
    """'02' from '02_framing', '2' or 2.

    >>> lesson_number("02_framing"), lesson_number(2), lesson_number("2")
    ('02', '02', '02')
    """
    text = str(lesson).strip()
    digits = text.split("_")[0]
    return digits.zfill(2) if digits.isdigit() else text


def summary_lines(keys: dict[str, dict], store: ProgressStore, lesson: str) -> list[str]:
    """The progress listing of one lesson, as lines of text."""
    qids = sorted((q for q, ex in keys.items() if lesson_number(ex["lesson"]) == lesson), key=natural)
    counts = {s: sum(store.status(q) == s for q in qids) for s in STATUSES}
    lines = [f"Lesson {lesson}: {counts['Correct']} of {len(qids)} correct, {counts['Recorded']} recorded "
             f"(open answers), {counts['Not yet']} not yet, {counts['Not attempted']} not attempted"]
    width = max((len(q) for q in qids), default=0)
    for qid in qids:
        status, latest = store.status(qid), store.latest_status(qid)
        note = f"  (latest try: {latest})" if latest != status else ""
        if status == "Recorded" and keys[qid].get("kind") == "open" and not keys[qid].get("graded"):
            marks = store.self_rating(qid)
            note += f"  (you rated it {sum(marks)} of {len(marks)})" if marks else "  (not rated yet: rate(...))"
        lines.append(f"  {SYMBOLS[status]} {status:<13} {qid:<{width}}  {keys[qid]['title']}{note}")
    return lines


def export_record(keys: dict[str, dict], store: ProgressStore, lesson: str, learner: str = "") -> dict:
    """A learner's answers and statuses for one lesson, ready to save as JSON and hand in.

    `status` and `answer` are the best result so far; `latest_status` and `latest_answer` the
    latest try.
    """
    qids = sorted((q for q, ex in keys.items() if lesson_number(ex["lesson"]) == lesson), key=natural)
    lesson_name = next((keys[q]["lesson"] for q in qids), lesson)
    return {
        "format": "reading-diplomatic-readouts answers, version 1",
        "lesson": lesson_name,
        "learner": learner,
        "answers": {q: {"title": keys[q]["title"], "kind": keys[q]["kind"], "status": store.status(q),
                        "answer": store.answer(q), "latest_status": store.latest_status(q),
                        "latest_answer": store.latest_answer(q), "self_rating": store.self_rating(q)}
                    for q in qids},
    }
