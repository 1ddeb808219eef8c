"""Finding and reading learners' submissions: notebooks and answer exports, never modified.

A submission is a notebook (`.ipynb`) or the file a learner wrote with `export_answers`
(`.json`). Folders are searched for both, skipping hidden files and checkpoints. Reading
never raises: a file that cannot be graded comes back with a `problem` saying why, in
words an instructor can act on.

The learner's name is the first part of the path that tells submissions apart: with
`submitted/alice/lesson01/01_the_source_text.ipynb` and `submitted/bob/...`, it is
`alice` and `bob`; with `alice.ipynb` and `bob.json` in one folder, `alice` and `bob`.

>>> learner_names([Path("in/alice/01_the_source_text.ipynb"), Path("in/bob/01_the_source_text.ipynb")])
['alice', 'bob']
>>> learner_names([Path("in/carol.ipynb"), Path("in/dan/answers_01.json")])
['carol', 'dan']
"""

from __future__ import annotations

import json
import os
import re
from dataclasses import dataclass, field
from pathlib import Path

from course.exercises.lessons import ANSWER_TAG, CHECK_TAG

EXPORT_FORMAT = "reading-diplomatic-readouts answers"
MAX_BYTES = 100 * 1024 * 1024
# File names that say which lesson a file is, not whose: the lesson's own name, or export_answers' default.
GENERIC_NAME = re.compile(r"^(\d\d_\w+|answers_\d\d)$")
_CHECK_CALL = re.compile(r"""check\(\s*["'](q\d\d_\d+)["']""")


@dataclass
class Cell:
    """One cell of a submitted notebook, numbered from 1 as the notebook shows them."""
    number: int
    kind: str             # "code", "markdown" or "raw"
    source: str
    tags: list[str] = field(default_factory=list)

    def qids(self, prefix: str) -> list[str]:
        """The exercise ids of this cell's tags that start with `prefix` ("answer:" or "check:")."""
        return [t[len(prefix):] for t in self.tags if t.startswith(prefix)]


@dataclass
class Submission:
    """One file to grade: a notebook (cells) or an export (answers), or a problem saying why not."""
    path: Path
    learner: str = ""
    kind: str = "unreadable"   # "notebook", "export" or "unreadable"
    cells: list[Cell] = field(default_factory=list)
    answers: dict[str, object] = field(default_factory=dict)
    lesson_hint: str = ""      # the lesson an export names
    named_learner: str = ""    # the learner an export names
    problem: str = ""
    text: str = ""             # a notebook's own text (a copy goes into the sandbox, for a lesson that reads itself)


@dataclass
class Found:
    """What the paths given to the grader hold: groups of submission files, and what was left out, with why."""
    groups: list[list[Path]] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)
    skipped: list[tuple[str, str]] = field(default_factory=list)   # (path, why)


SUBMISSION_SUFFIXES = (".ipynb", ".json")


def _why_skipped(path: Path, top: Path) -> str:
    """Why a submission-like file in a folder is not graded, or '' if it is."""
    parts = path.relative_to(top).parts
    if any(part == ".ipynb_checkpoints" for part in parts[:-1]):
        return "checkpoint"
    if path.is_symlink():
        return "a symbolic link, not followed (grade the file it points to by naming it)"
    if any(part.startswith(".") for part in parts[:-1]):
        return "in a hidden folder"
    if parts[-1].startswith("."):
        return "a hidden file (its name starts with '.'); rename it to grade it"
    return ""


def _folder_files(top: Path, found: Found) -> list[Path]:
    """The submission files in a folder (symbolic links to folders are not entered), recording what is skipped."""
    files, checkpoints = [], 0
    for folder, subfolders, names in os.walk(top, followlinks=False):
        for name in sorted(subfolders):
            if (Path(folder) / name).is_symlink():
                found.skipped.append((str(Path(folder) / name), "a symbolic link to a folder, not followed"))
        for name in sorted(names):
            path = Path(folder) / name
            if path.suffix not in SUBMISSION_SUFFIXES:
                continue
            why = _why_skipped(path, top)
            if why == "checkpoint":
                checkpoints += 1
            elif why:
                found.skipped.append((str(path), why))
            else:
                files.append(path)
    if checkpoints:
        found.skipped.append((str(top), f"{checkpoints} JupyterLab checkpoint file(s) in .ipynb_checkpoints/"))
    return sorted(files)


def find_files(paths: list[Path]) -> Found:
    """The submission files, grouped: one group per folder named (its `.ipynb` and `.json` files),
    and one for the files named one by one; the paths that do not exist; and the files left out,
    each with why (hidden names, checkpoints, symbolic links, which are never followed). Learners
    are told apart within each group, by the paths as given (a link cannot rename anyone).
    """
    found = Found()
    files: list[Path] = []
    seen: set[Path] = set()
    for path in paths:
        path = path.absolute()
        if path.is_symlink():
            found.skipped.append((str(path), "a symbolic link, not followed (name the file it points to)"))
        elif path.is_dir():
            group = [p for p in _folder_files(path, found) if p.resolve() not in seen]
            seen.update(p.resolve() for p in group)
            found.groups.append(group)
        elif path.is_file():
            if path.resolve() not in seen:
                files.append(path)
                seen.add(path.resolve())
        else:
            found.missing.append(str(path))
    found.groups = [g for g in found.groups + [files] if g]
    return found


def learner_names(paths: list[Path]) -> list[str]:
    """One name per path: the first path part that differs between submissions (a file's name without
    its suffix); a generic name (a lesson's own, or `answers_NN`) gives way to its folder's name."""
    parts = [list(p.parent.parts) + [p.stem] for p in paths]
    common = 0
    while all(len(x) > common + 1 for x in parts) and len({x[common] for x in parts}) == 1:
        common += 1
    names = []
    for x in parts:
        rest = x[common:]
        name = rest[0]
        if len(rest) == 1 and GENERIC_NAME.match(name) and len(x) > 1:
            name = x[-2]
        names.append(name)
    return names


def _cells(nb: dict) -> list[Cell]:
    cells = []
    for number, raw in enumerate(nb["cells"], start=1):
        if not isinstance(raw, dict):
            raise ValueError(f"cell {number} is not a cell")
        source = raw.get("source", "")
        source = "".join(source) if isinstance(source, list) else source
        if not isinstance(source, str):
            raise ValueError(f"cell {number} has no readable source")
        tags = (raw.get("metadata") or {}).get("tags") or []
        cells.append(Cell(number, str(raw.get("cell_type", "")), source,
                          [t for t in tags if isinstance(t, str)] if isinstance(tags, list) else []))
    return cells


def _from_data(submission: Submission, data: object) -> Submission:
    if isinstance(data, dict) and isinstance(data.get("cells"), list):
        if data.get("nbformat") != 4:
            submission.problem = (f"an old notebook format (nbformat {data.get('nbformat')}); open it in "
                                  "JupyterLab, save it, and grade it again")
            return submission
        try:
            submission.cells = _cells(data)
        except (ValueError, TypeError) as error:
            submission.problem = f"a damaged notebook ({error}); ask the learner to download it again"
            return submission
        submission.kind = "notebook"
    elif isinstance(data, dict) and str(data.get("format", "")).startswith(EXPORT_FORMAT) \
            and isinstance(data.get("answers"), dict):
        submission.kind = "export"
        submission.answers = {str(q): (a.get("answer") if isinstance(a, dict) else None)
                              for q, a in data["answers"].items()}
        submission.lesson_hint = str(data.get("lesson", ""))[:100]
        submission.named_learner = str(data.get("learner", ""))[:100]
    elif isinstance(data, dict) and "worksheets" in data:
        submission.problem = "an old notebook format (nbformat 3); open it in JupyterLab, save it, and grade it again"
    else:
        submission.problem = "a JSON file, but neither a notebook nor an answers export (export_answers)"
    return submission


def read_submission(path: Path, learner: str = "") -> Submission:
    """Read one submission file; never raises, never writes.

    >>> read_submission(Path("no/such/file.ipynb")).problem
    'the file cannot be read (FileNotFoundError)'
    """
    submission = Submission(path=path, learner=learner or path.stem)
    if path.suffix not in (".ipynb", ".json"):
        submission.problem = "not a notebook (.ipynb) or an answers export (.json)"
        return submission
    try:
        if path.stat().st_size > MAX_BYTES:
            submission.problem = f"larger than {MAX_BYTES // 2**20} MB: not a lesson notebook"
            return submission
        text = path.read_bytes().decode("utf-8")
    except UnicodeDecodeError:
        submission.problem = "not text (UTF-8): not a notebook; ask the learner to download it again from JupyterLab"
        return submission
    except OSError as error:
        submission.problem = f"the file cannot be read ({type(error).__name__})"
        return submission
    try:
        data = json.loads(text)
    except RecursionError:
        submission.problem = "not a notebook: its JSON is nested too deeply"
        return submission
    except ValueError as error:
        where = f" (line {error.lineno}, column {error.colno})" if hasattr(error, "lineno") else ""
        submission.problem = (f"not valid JSON{where}: the file is damaged or not a notebook; ask the learner to "
                              "download it again from JupyterLab (File > Download)")
        return submission
    submission = _from_data(submission, data)
    if submission.kind == "notebook":
        submission.text = text
    return submission


def mentioned_qids(submission: Submission) -> list[str]:
    """Every exercise id the submission names: in its tags, its check calls, or its exported answers."""
    if submission.kind == "export":
        return list(submission.answers)
    qids = [q for cell in submission.cells for q in cell.qids(ANSWER_TAG) + cell.qids(CHECK_TAG)]
    if not qids:
        qids = [q for cell in submission.cells if cell.kind == "code" for q in _CHECK_CALL.findall(cell.source)]
    return qids


def lesson_of(submission: Submission, keys: dict[str, dict]) -> str:
    """The lesson (such as '01_the_source_text') most of the submission's exercises belong to, or ''."""
    counts: dict[str, int] = {}
    for qid in mentioned_qids(submission):
        if qid in keys:
            counts[keys[qid]["lesson"]] = counts.get(keys[qid]["lesson"], 0) + 1
    if not counts and submission.lesson_hint:
        return next((ex["lesson"] for ex in keys.values() if ex["lesson"] == submission.lesson_hint), "")
    return max(sorted(counts), key=counts.get) if counts else ""


def read_all(groups: list[list[Path]]) -> list[Submission]:
    """Read every submission file, each with its learner's name (told apart within its group)."""
    return [read_submission(p, name) for paths in groups for p, name in zip(paths, learner_names(paths))]
