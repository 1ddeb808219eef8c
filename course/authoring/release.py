"""A learner release: a folder, and a zip beside it, that a class can use on its own.

    python -m course release OUT_DIR [--mode self-study|graded] [--lessons 00-03] [--force]

What goes in, and nothing else:

- `README.md`, written for learners (from `course/authoring/learner_kit/README.md`, with the lessons and
  the mode's own paragraph), and `tests/`, the learner kit's tests, which contain no answers;
- `notebooks/`, the learner notebooks (with `--lessons`, only those lessons, and lesson 00 always,
  since it teaches how the notebooks work; the keys shipped are those lessons' only);
  `datasets/`, the text, tables and datasheet;
- `course/`, the toolkit without its `authoring/` and `grading/` folders (the authors' and
  instructors' tools), with the keys of the mode: `self-study` ships sealed keys for instant feedback
  (sealed, not secret: they can be decoded), `graded` ships keys with no answers at all, and
  the checks then say that an answer is recorded and will be graded;
- `Makefile`, `requirements.txt`, `pyproject.toml`, `.gitignore`, `.jupyter/`, and `postBuild`
  and `start` for Binder, so that `make lab` and `make test` work there.

The release is assembled in a hidden folder beside OUT_DIR, scanned for leaks
(`course.authoring.leaks`), zipped, and only then moved into place. If anything fails, nothing is left
behind, and an existing OUT_DIR is replaced only with --force and only if an earlier release
wrote it. Replacing it removes only the files the earlier release wrote: a `.git` (the
repository a hub pulls from), CI files, a learner's `my-work/` or notes stay as they were.

>>> zip_path(Path("/tmp/class-2025"))
PosixPath('/tmp/class-2025.zip')
"""

from __future__ import annotations

import os
import re
import shutil
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

from course.authoring.build import BuildError, sealed_keys
from course.exercises.keys import MODES
from course.authoring.leaks import Leak, scan
from course.exercises.lessons import lesson_paths, read_title_and_time
from course.authoring.outdir import move_into_place, out_dir_problem, staging_folder, write_marker

KIT = Path(__file__).resolve().parent / "learner_kit"
MARKER = ".course-release.json"   # written into every release; --force replaces only folders that have it
ROOT_FILES = ["Makefile", "requirements.txt", "pyproject.toml", ".gitignore", "postBuild", "start"]
# The toolkit ships by folder: its top-level modules, the reading toolkit and the exercise machinery.
# The authoring and grading layers stay out whole (they need the solution side or the full keys).
SHIPPED_LAYERS = ("reading", "exercises")
LEFT_OUT_LAYERS = ("authoring", "grading")
SKIPPED = {"__pycache__", "keys", ".ipynb_checkpoints"}


class ReleaseError(Exception):
    """The release cannot be written; the message says why and what to do. Nothing was written."""


class LeakFound(ReleaseError):
    """The leak scan found something; `leaks` lists each one."""

    def __init__(self, leaks: list[Leak]):
        self.leaks = leaks
        super().__init__(f"the leak scan found {len(leaks)} problem(s):\n" + "\n".join(f"  {leak}" for leak in leaks))


@dataclass
class Release:
    """What `release` wrote."""
    folder: Path
    archive: Path
    mode: str
    lessons: list[str]
    files: int
    kept: list[str] = field(default_factory=list)   # what OUT_DIR held that the release did not write


def zip_path(out: Path) -> Path:
    """The zip written beside the release folder: OUT_DIR.zip."""
    return out.parent / (out.name + ".zip")


# ---------------------------------------------------------------- checking OUT_DIR before anything is written

def _zip_is_release(path: Path) -> bool:
    try:
        with zipfile.ZipFile(path) as archive:
            return any(name.endswith("/" + MARKER) for name in archive.namelist())
    except (OSError, zipfile.BadZipFile):
        return False


def out_problem(out: Path, root: Path, force: bool) -> str:
    """Why OUT_DIR or its zip cannot be written, or '' if they can. Nothing is changed either way."""
    problem = out_dir_problem(out, root, force, MARKER)
    if problem:
        return problem
    archive = zip_path(out)
    if archive.exists():
        if not _zip_is_release(archive):
            return f"{archive} exists and is not a release zip, so it is left alone. Move it, or choose another name."
        if not force:
            return f"{archive} already exists. Add --force to replace it, or choose another folder name."
    return ""


# ---------------------------------------------------------------- what goes in

def lesson_rows(notebooks: list[Path]) -> list[str]:
    """The course map for the learner README: one table row per lesson, title and time from the notebook."""
    rows = []
    for path in notebooks:
        title, time = read_title_and_time(path)
        rows.append(f"| [{title}](notebooks/{path.name}) | {time or '—'} |")
    return rows


def select_mode(text: str, mode: str) -> str:
    """Keep the `<!-- if MODE -->` ... `<!-- end if -->` blocks of this mode and drop the others.

    >>> select_mode("a\\n<!-- if graded -->\\nb\\n<!-- end if -->\\nc\\n", "self-study")
    'a\\nc\\n'
    """
    kept, keep = [], True
    for line in text.splitlines(keepends=True):
        opening = re.match(r"^<!-- if ([\w-]+) -->\s*$", line)
        if opening:
            keep = opening.group(1) == mode
        elif re.match(r"^<!-- end if -->\s*$", line):
            keep = True
        elif keep:
            kept.append(line)
    return "".join(kept)


def learner_readme(notebooks: list[Path], mode: str) -> str:
    """The release's README.md: the learner kit's README for this mode, with the lessons listed."""
    template = (KIT / "README.md").read_text(encoding="utf-8")
    table = "\n".join(["| Lesson | Time |", "|---|---|", *lesson_rows(notebooks)])
    return select_mode(template, mode).replace("<!-- LESSONS -->", table)


def parse_lessons(text: str | None, available: list[str]) -> list[str]:
    """The lesson numbers a `--lessons` value names, with 00 always among them; raises ReleaseError if unclear.

    `available` holds the course's lesson numbers. Accepts ranges and lists: "00-03", "01,03", "4".

    >>> parse_lessons("02-03", ["00", "01", "02", "03", "04"])
    ['00', '02', '03']
    >>> parse_lessons(None, ["00", "01"])
    ['00', '01']
    """
    if text is None or not text.strip():
        return list(available)
    wanted = set()
    for part in text.replace(" ", "").split(","):
        match = re.fullmatch(r"(\d{1,2})(?:-(\d{1,2}))?", part)
        if not match:
            raise ReleaseError(f"--lessons {text!r} is not understood: give lesson numbers or ranges, "
                               "such as --lessons 00-03 or --lessons 01,03.")
        first, last = int(match.group(1)), int(match.group(2) or match.group(1))
        wanted |= {f"{n:02d}" for n in range(min(first, last), max(first, last) + 1)}
    unknown = sorted(wanted - set(available))
    if unknown:
        raise ReleaseError(f"--lessons names lesson {', '.join(unknown)}, which the course does not have "
                           f"(it has {available[0]} to {available[-1]}).")
    return sorted(wanted | {"00"} & set(available))


def release_keys(keys_folder: Path, mode: str, lessons: list[str] | None = None) -> dict[str, str]:
    """{file name: JSON text} of the keys a release of this mode ships (of `lessons` only, if given)."""
    shipped = {}
    for path in sorted(keys_folder.glob("*.json")):
        if lessons is not None and path.name[:2] not in lessons:
            continue
        try:
            shipped[path.name] = sealed_keys(path, mode)
        except BuildError as error:
            raise ReleaseError(f"{error} Fix it, then run the release again.") from None
    return shipped


def _copy_toolkit(root: Path, staging: Path) -> None:
    def skip(folder: str, names: list[str]) -> set[str]:
        top = Path(folder) == root / "course"
        return {n for n in names if n in SKIPPED or n.endswith(".pyc") or (top and n in LEFT_OUT_LAYERS)}
    shutil.copytree(root / "course", staging / "course", ignore=skip)


def assemble(root: Path, staging: Path, mode: str, numbers: list[str] | None = None) -> list[str]:
    """Copy everything a release of this mode ships from the course at `root` into `staging`; return the lessons.

    `numbers` limits the lessons (and their keys) to those numbers; None ships them all.
    """
    notebooks = [p for p in lesson_paths(root / "notebooks") if numbers is None or p.name[:2] in numbers]
    keys = release_keys(root / "notebooks" / "solutions" / "keys", mode, numbers)
    _copy_toolkit(root, staging)
    (staging / "course" / "keys").mkdir()
    for name, text in keys.items():
        (staging / "course" / "keys" / name).write_text(text, encoding="utf-8")
    shutil.copytree(root / "datasets", staging / "datasets", ignore=shutil.ignore_patterns("__pycache__", ".*"))
    (staging / "notebooks").mkdir()
    for path in notebooks:
        shutil.copy2(path, staging / "notebooks" / path.name)
    shutil.copytree(KIT / "tests", staging / "tests", ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
    shutil.copytree(root / ".jupyter", staging / ".jupyter")
    for name in ROOT_FILES:
        shutil.copy2(root / name, staging / name)
    (staging / "README.md").write_text(learner_readme(notebooks, mode), encoding="utf-8")
    lessons = [p.stem for p in notebooks]
    write_marker(staging, MARKER, {"mode": mode, "lessons": lessons})
    return lessons


def write_zip(folder: Path, target: Path) -> None:
    """Zip `folder` into `target`, every entry under the folder's name, in a fixed order."""
    with zipfile.ZipFile(target, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for path in sorted(folder.rglob("*")):
            if path.is_file():
                archive.write(path, Path(folder.name) / path.relative_to(folder))


# ---------------------------------------------------------------- the whole release, all or nothing

def missing_sources(root: Path) -> list[str]:
    """What a release is built from and `root` lacks (a learner copy lacks the solution side)."""
    needed = [root / "notebooks" / "solutions" / "keys", root / "datasets", root / "course", root / ".jupyter",
              *(root / name for name in ROOT_FILES), KIT / "README.md", KIT / "tests"]
    missing = [str(p) for p in needed if not p.exists()]
    if not lesson_paths(root / "notebooks"):
        missing.append(str(root / "notebooks" / "NN_name.ipynb"))
    return missing


def release(root: Path, out: Path, mode: str = "self-study", force: bool = False,
            lessons: str | None = None) -> Release:
    """Write a release of the course at `root` into `out` and `out`.zip; on any problem raise ReleaseError, writing nothing.

    `lessons` is the `--lessons` value ("00-03"); None releases every lesson.
    """
    if mode not in MODES:
        raise ReleaseError(f"--mode must be one of {', '.join(MODES)}, not {mode!r}.")
    root, out = root.resolve(), out.resolve()
    missing = missing_sources(root)
    if missing:
        raise ReleaseError("a release is built from the full course repository, and this one lacks "
                           + ", ".join(missing) + ".")
    numbers = parse_lessons(lessons, [p.name[:2] for p in lesson_paths(root / "notebooks")])
    problem = out_problem(out, root, force)
    if problem:
        raise ReleaseError(problem)
    with staging_folder(out) as staging:
        lessons = assemble(root, staging, mode, numbers)
        leaks = scan(staging, root / "notebooks" / "solutions" / "keys", mode)
        if leaks:
            raise LeakFound(leaks)
        partial_zip = staging.parent / (out.name + ".zip")
        write_zip(staging, partial_zip)
        files = sum(1 for p in staging.rglob("*") if p.is_file())
        kept = move_into_place(staging, out, MARKER)
        os.replace(partial_zip, zip_path(out))
    return Release(out, zip_path(out), mode, lessons, files, kept)
