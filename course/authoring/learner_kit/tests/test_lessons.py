"""Every lesson runs from top to bottom as you first open it: no cell fails, nothing is written
to the error stream, and every check says Not attempted."""

from __future__ import annotations

import pytest

from conftest import ROOT, lessons
from course.authoring.notebook_run import run_notebooks

LESSONS = lessons()


@pytest.fixture(scope="module")
def executed(tmp_path_factory) -> dict[str, object]:
    """Every lesson, run once (a few at a time) in a scratch folder; changes no file here."""
    scratch = tmp_path_factory.mktemp("lessons")
    notebooks = run_notebooks(LESSONS, scratch, extra_env={"COURSE_DATA": str(ROOT / "datasets")},
                              allow_errors=True)
    return {path.name: nb for path, nb in zip(LESSONS, notebooks)}


def test_there_are_lessons():
    assert LESSONS, "no lessons in notebooks/"


@pytest.mark.parametrize("name", [p.name for p in LESSONS])
def test_lesson_runs_and_every_check_is_not_attempted(executed, name):
    checked = 0
    for number, cell in enumerate(executed[name].cells, start=1):
        if cell.cell_type != "code":
            continue
        errors = [o for o in cell.outputs if o.output_type == "error"]
        assert not errors, f"cell {number} raised {errors[0].ename}: {errors[0].evalue}"
        streams = {stream: "".join(o.text for o in cell.outputs if o.output_type == "stream" and o.name == stream)
                   for stream in ("stdout", "stderr")}
        assert not streams["stderr"], f"cell {number} wrote to stderr: {streams['stderr']}"
        if any(t.startswith("check:") for t in cell.metadata.get("tags", [])):
            assert streams["stdout"].startswith("○ Not attempted"), f"cell {number}: {streams}"
            checked += 1
    assert checked, "the lesson has no check cells"
