"""Run solution notebooks top to bottom and save their outputs (for course authors).

    python -m course execute                    every solution notebook
    python -m course execute 01_the_source_text one lesson

Checks run in strict mode, so a solution whose answer is wrong stops the run.
Outputs are only ever refreshed this way, so execution counts run 1..n in order.
"""

from __future__ import annotations

import os
from pathlib import Path

import nbformat
from nbclient import NotebookClient

from course.build import ROOT


def execute_notebook(path: Path, timeout: int = 120) -> None:
    """Execute one notebook in its own folder and write it back with fresh outputs."""
    nb = nbformat.read(path, as_version=4)
    previous = os.environ.get("COURSE_STRICT")
    os.environ["COURSE_STRICT"] = "1"
    try:
        NotebookClient(nb, timeout=timeout, kernel_name="python3",
                       resources={"metadata": {"path": str(path.parent)}}).execute()
    finally:
        if previous is None:
            os.environ.pop("COURSE_STRICT", None)
        else:
            os.environ["COURSE_STRICT"] = previous
    for cell in nb.cells:
        cell.metadata.pop("execution", None)
    nbformat.write(nb, path)


def solution_paths(names: list[str], root: Path = ROOT) -> list[Path]:
    """The solution notebooks to run: all of them, or those whose names start with `names`."""
    paths = sorted((root / "notebooks" / "solutions").glob("*.ipynb"))
    if names:
        paths = [p for p in paths if any(p.stem.startswith(n) for n in names)]
    return paths
