"""Your own working copies of the lessons, kept apart from the course's copies.

`make lab` runs `python -m course workspace` before it opens JupyterLab. It copies each lesson
in `notebooks/` into `my-work/` the first time it sees it, and never again: a copy that exists
is never overwritten, whatever the course does later. `my-work/` is ignored by git, so when the
course is updated (`git pull`, or nbgitpuller on a JupyterHub) your copies are left alone and
new lessons appear beside them the next time the command runs.

If the course changes a lesson you have already copied, your copy is still kept; the command
says so once, and the course's new version stays in `notebooks/` for you to compare.

>>> import tempfile
>>> course = Path(tempfile.mkdtemp())
>>> (course / "notebooks").mkdir()
>>> _ = (course / "notebooks" / "00_start_here.ipynb").write_text("{}")
>>> update_workspace(course / "notebooks", course / "my-work").created
['00_start_here.ipynb']
>>> update_workspace(course / "notebooks", course / "my-work").kept
['00_start_here.ipynb']
"""

from __future__ import annotations

import hashlib
import json
import os
from dataclasses import dataclass, field
from pathlib import Path

from course.exercises.lessons import lesson_paths

WORK_FOLDER = "my-work"
RECORD = ".copied_from.json"  # for each copy, a fingerprint of the course version it was made from


class WorkspaceError(Exception):
    """The lessons or the working folder cannot be used; the message says what to do."""


@dataclass
class WorkspaceReport:
    """What one run did: copies it made, copies it left alone, lessons changed in the course."""
    created: list[str] = field(default_factory=list)
    kept: list[str] = field(default_factory=list)
    changed_in_course: list[str] = field(default_factory=list)


def fingerprint(path: Path) -> str:
    """A short fingerprint of a file's bytes, to notice when the course changes a lesson."""
    return hashlib.sha256(path.read_bytes()).hexdigest()[:16]


def copy_new(source: Path, target: Path) -> bool:
    """Copy `source` to `target` only if `target` does not exist; True if it copied.

    The copy is written to a temporary name first and then linked into place, which fails
    if `target` appeared in the meantime: nothing is ever overwritten, and no half-written
    copy is left under the lesson's name.
    """
    if target.exists():
        return False
    temporary = target.with_name(f".{target.name}.partial")
    temporary.write_bytes(source.read_bytes())
    try:
        os.link(temporary, target)
    except FileExistsError:
        return False
    except OSError:  # a file system without hard links: create the file exclusively instead
        try:
            with open(target, "xb") as out:
                out.write(temporary.read_bytes())
        except FileExistsError:
            return False
    finally:
        temporary.unlink(missing_ok=True)
    return True


def _read_record(path: Path) -> dict[str, str]:
    try:
        record = json.loads(path.read_text(encoding="utf-8"))
        return {str(k): str(v) for k, v in record.items()}
    except (OSError, ValueError, AttributeError):
        return {}  # no record yet, or an unreadable one: start a new one


def update_workspace(source: Path, target: Path) -> WorkspaceReport:
    """Make a working copy in `target` of every lesson in `source` that has none yet.

    Existing copies are never touched. Raises WorkspaceError if `source` holds no lessons
    or `target` cannot be a folder.
    """
    found = lesson_paths(source)
    if not found:
        raise WorkspaceError(f"No lessons (NN_name.ipynb) in {source}. Run this command in the course folder, "
                             "the one that holds notebooks/.")
    if target.exists() and not target.is_dir():
        raise WorkspaceError(f"{target} exists but is not a folder. Rename it, then run this again: your "
                             "working copies go in a folder of that name.")
    target.mkdir(parents=True, exist_ok=True)
    record_path = target / RECORD
    record = _read_record(record_path)
    report = WorkspaceReport()
    for lesson in found:
        current = fingerprint(lesson)
        if copy_new(lesson, target / lesson.name):
            report.created.append(lesson.name)
        else:
            report.kept.append(lesson.name)
            if record.get(lesson.name, current) != current:
                report.changed_in_course.append(lesson.name)
        record[lesson.name] = current  # say once per change in the course, not at every start
    record_path.write_text(json.dumps(record, indent=1, sort_keys=True) + "\n", encoding="utf-8")
    return report


def describe(report: WorkspaceReport, source: Path, target: Path) -> str:
    """The lines `python -m course workspace` prints about one run."""
    lines = [f"Your working copies are in {target}/ (git ignores it; the course never overwrites a copy)."]
    if report.created:
        lines.append(f"  New copies: {', '.join(report.created)}")
    if report.kept:
        lines.append(f"  Kept as you left them: {', '.join(report.kept)}")
    for name in report.changed_in_course:
        lines.append(f"  {name} has changed in the course since you copied it. Your copy is kept; the course's "
                     f"new version is {source / name}. To start it afresh, rename your copy and run this again.")
    return "\n".join(lines)
