"""Lessons use the toolkit of the course folder they sit in, not another copy installed elsewhere.

On a JupyterHub, the image may hold a copy of the toolkit (installed with pip) while each
learner pulls a release into their home with nbgitpuller. The lessons must then use the
pulled folder's toolkit: its keys say which mode the class is in (self-study or graded), and
an update the instructor pushes (a corrected key, a new lesson) reaches learners with the
next pull, with no new image. So, when `course` is imported in a notebook's kernel from a
folder inside a learner release (a folder with `.course-release.json` beside `course/`)
and the copy being imported is not that release's own, the release's copy is imported in
its place (`hand_over`).

A full checkout (authors, `pip install -e .`) has no release marker, and commands run in a
terminal (`python -m course ...`) are never handed over: an instructor's `grade` stays in the
instructor's toolkit wherever it is run from.

`own_copy_note` covers the other half of a hub's first run: a learner who opens a lesson in the
release's `notebooks/` (where an nbgitpuller link lands) gets working copies in `my-work/`,
made there and then, and a link to their own copy of the lesson; no terminal needed.

>>> import tempfile
>>> release = Path(tempfile.mkdtemp())
>>> (release / "course").mkdir(); _ = (release / "course" / "__init__.py").write_text("")
>>> _ = (release / ".course-release.json").write_text("{}"); (release / "notebooks").mkdir()
>>> release_toolkit(release / "notebooks", Path("/somewhere/else/course")) == release / "course"
True
>>> release_toolkit(release / "notebooks", release / "course") is None
True
"""

from __future__ import annotations

import importlib
import sys
from pathlib import Path
from types import ModuleType

RELEASE_MARKER = ".course-release.json"


def release_toolkit(start: Path, here: Path) -> Path | None:
    """The `course/` folder of the learner release that holds `start`, if it is not `here` (the copy being imported)."""
    start = start.resolve()
    for folder in (start, *start.parents):
        if (folder / RELEASE_MARKER).is_file() and (folder / "course" / "__init__.py").is_file():
            toolkit = (folder / "course").resolve()
            return None if toolkit == here.resolve() else toolkit
    return None


def in_a_kernel() -> bool:
    """True inside a notebook's kernel (IPython running), where lessons import the toolkit."""
    shell_module = sys.modules.get("IPython")
    if shell_module is None:
        return False
    try:
        return shell_module.get_ipython() is not None
    except Exception:  # a broken IPython: behave as outside a kernel
        return False


def hand_over(here: Path) -> ModuleType | None:
    """Import the enclosing release's toolkit in place of this copy, if a kernel runs inside a release; else None.

    The release's folder goes first on `sys.path`, this copy's modules leave `sys.modules`, and
    the release's `course` is imported and left in `sys.modules`, where the import that is
    running picks it up.
    """
    try:
        toolkit = release_toolkit(Path.cwd(), here) if in_a_kernel() else None
    except OSError:  # the current folder was deleted, for example
        return None
    if toolkit is None:
        return None
    sys.path.insert(0, str(toolkit.parent))
    for name in [name for name in sys.modules if name == "course" or name.startswith("course.")]:
        del sys.modules[name]
    return importlib.import_module("course")


def own_copy_note(notebook: str | None, start: Path | None = None) -> str | None:
    """Make the learner's working copies and return a Markdown note linking to their copy of this lesson.

    Only for a lesson opened in a learner release's `notebooks/` folder (`notebook` is its path,
    as JupyterLab gives it to the kernel in JPY_SESSION_NAME); None anywhere else, or if the
    copies cannot be made. Existing copies are never overwritten (`update_workspace`).
    """
    from course.exercises.workspace import WORK_FOLDER, WorkspaceError, update_workspace

    if not notebook:
        return None
    path = Path(notebook)
    folder = (start or path.parent).resolve()
    if folder.name != "notebooks" or not (folder.parent / RELEASE_MARKER).is_file() or path.suffix != ".ipynb":
        return None
    try:
        update_workspace(folder, folder.parent / WORK_FOLDER)
    except (WorkspaceError, OSError):
        return None
    target = f"../{WORK_FOLDER}/{path.name}"
    if not (folder.parent / WORK_FOLDER / path.name).is_file():
        return None
    return (f"**This is the course's copy of the lesson.** Your own copy is ready: open "
            f"[{WORK_FOLDER}/{path.name}]({target}) and work there. Course updates never change your copy; "
            f"they may change this one.")
