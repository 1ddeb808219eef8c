"""The lessons as files: which notebooks are lessons, each one's title and time, and how its cells are tagged.

A lesson is a notebook named `NN_slug.ipynb`. Its first cell starts with its title as a
heading and states its time on a line that starts with **Time.**

>>> import nbformat
>>> nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_markdown_cell(
...     "# Lesson 00 — Start here\\n\\n**Time.** About 20 minutes: 8 of reading.")])
>>> title_and_time(nb, "00_start_here")
('Lesson 00 — Start here', 'About 20 minutes')
"""

from __future__ import annotations

import re
from pathlib import Path

LESSON_PATTERN = "[0-9][0-9]_*.ipynb"
COURSE_ROOT = Path(__file__).resolve().parent.parent.parent   # the folder holding course/, notebooks/, datasets/
# The cell contract shared by the build, the checks and the grader: an exercise's answer cell is
# tagged `answer:<qid>` and its check cell `check:<qid>`.
ANSWER_TAG, CHECK_TAG = "answer:", "check:"


def tagged_qids(cell: dict, prefix: str) -> list[str]:
    """The exercise ids of one cell's tags that start with `prefix` (ANSWER_TAG or CHECK_TAG).

    >>> tagged_qids({"metadata": {"tags": ["check:q01_2", "solution"]}}, CHECK_TAG)
    ['q01_2']
    """
    return [t[len(prefix):] for t in cell.get("metadata", {}).get("tags", [])
            if isinstance(t, str) and t.startswith(prefix)]


def lesson_paths(folder: Path) -> list[Path]:
    """The lessons in `folder`, in order (other notebooks and files are not lessons)."""
    return sorted(Path(folder).glob(LESSON_PATTERN))


def title_and_time(nb, fallback: str) -> tuple[str, str]:
    """A lesson's title (the first heading of its first cell) and time (its **Time.** line, up to
    the first colon or full stop); `fallback` and '' when the lesson does not say."""
    first = nb.cells[0].source if nb.cells and nb.cells[0].cell_type == "markdown" else ""
    heading = re.search(r"^#+\s+(.+)$", first, re.MULTILINE)
    time = re.search(r"\*\*Time\.\*\*\s*([^:.]+)", first)
    return (heading.group(1).strip() if heading else fallback), (time.group(1).strip() if time else "")


def read_title_and_time(path: Path) -> tuple[str, str]:
    """`title_and_time` of the lesson file at `path`."""
    import nbformat  # imported here: a second to import, and only the authoring tools read lessons this way

    return title_and_time(nbformat.read(path, as_version=4), path.stem)


def exercise_number(qid: str) -> str:
    """'1.8' for q01_8, as the lessons number their exercises.

    >>> exercise_number("q01_8"), exercise_number("q02_10")
    ('1.8', '2.10')
    """
    lesson, _, number = qid[1:].partition("_")
    return f"{int(lesson)}.{number}" if lesson.isdigit() else qid
