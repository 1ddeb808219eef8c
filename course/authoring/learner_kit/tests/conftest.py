"""Shared set-up for this folder's tests.

Every test runs as a learner would (checks print, never raise) and keeps its progress record
in a temporary file, never beside your own work.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from course.exercises.lessons import lesson_paths

ROOT = Path(__file__).resolve().parent.parent   # the course folder: notebooks/, datasets/, course/


def lessons() -> list[Path]:
    """The course's lessons, notebooks/NN_name.ipynb, in order."""
    return lesson_paths(ROOT / "notebooks")


@pytest.fixture(autouse=True)
def learner_session(tmp_path, monkeypatch):
    """Learner mode and a private progress record for each test."""
    from course.exercises import checks

    monkeypatch.delenv("COURSE_STRICT", raising=False)
    monkeypatch.setenv("COURSE_PROGRESS_FILE", str(tmp_path / "progress.json"))
    monkeypatch.setattr(checks, "_store", [])
