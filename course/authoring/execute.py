"""Run solution notebooks top to bottom and save their outputs (for course authors).

    python -m course execute                    every solution notebook
    python -m course execute 01_the_source_text one lesson

Checks run in strict mode, so a solution whose answer is wrong stops the run.
Outputs are only ever refreshed this way, so execution counts run 1..n in order.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

import nbformat
from nbclient import NotebookClient

from course.authoring.notebook_run import CELL_SECONDS
from course.exercises.lessons import COURSE_ROOT as ROOT


def execute_notebook(path: Path, timeout: int = CELL_SECONDS) -> None:
    """Execute one notebook in its own folder and write it back with fresh outputs."""
    nb = nbformat.read(path, as_version=4)
    settings = {"COURSE_STRICT": "1"}  # a wrong solution stops the run
    previous = {name: os.environ.get(name) for name in (*settings, "COURSE_PROGRESS_FILE")}
    with tempfile.TemporaryDirectory() as scratch:
        # A fresh progress record, so no earlier run (and no learner's) shows in the outputs.
        settings["COURSE_PROGRESS_FILE"] = str(Path(scratch) / "progress.json")
        os.environ.update(settings)
        try:
            NotebookClient(nb, timeout=timeout, kernel_name="python3",
                           resources={"metadata": {"path": str(path.parent)}}).execute()
        finally:
            for name, value in previous.items():
                if value is None:
                    os.environ.pop(name, None)
                else:
                    os.environ[name] = value
    for cell in nb.cells:
        cell.metadata.pop("execution", None)
    nbformat.write(nb, path)


def solution_paths(names: list[str], root: Path = ROOT) -> list[Path]:
    """The solution notebooks to run: all of them, or those whose names start with `names`."""
    paths = sorted((root / "notebooks" / "solutions").glob("*.ipynb"))
    if names:
        paths = [p for p in paths if any(p.stem.startswith(n) for n in names)]
    return paths
