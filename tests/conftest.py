"""Shared fixtures. `make test` sets COURSE_STRICT=1 for the nbval kernels; unit tests
decide for themselves with the `learner_mode` and `strict_mode` fixtures."""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))

from helpers import DATASETS  # noqa: E402


@pytest.fixture
def learner_mode(monkeypatch):
    """Checks print and never raise, as on a learner's machine."""
    monkeypatch.delenv("COURSE_STRICT", raising=False)


@pytest.fixture
def strict_mode(monkeypatch):
    """Checks raise on anything but Correct, as in CI."""
    monkeypatch.setenv("COURSE_STRICT", "1")


@pytest.fixture
def datasets_copy(tmp_path) -> Path:
    """A private copy of datasets/ that a test may damage."""
    folder = tmp_path / "datasets"
    shutil.copytree(DATASETS, folder)
    return folder


@pytest.fixture(autouse=True)
def private_progress_file(tmp_path, monkeypatch):
    """Every test saves learner progress in its own temporary file, never in the repository."""
    from course.exercises import checks

    monkeypatch.setenv("COURSE_PROGRESS_FILE", str(tmp_path / "progress.json"))
    monkeypatch.setattr(checks, "_store", [])
    return tmp_path / "progress.json"



# The longest test files, longest first: run first, so that parallel workers (make test) share them out
# instead of finishing the short files together and waiting for one worker's long ones.
LONGEST_FIRST = ["test_grade_attacks.py", "test_release.py", "test_grade.py", "test_learner_view.py",
                 "test_package_install.py", "test_grade_lessons.py", "test_checks.py", "test_build.py"]


def pytest_collection_modifyitems(config, items):
    """Put the longest test files first (a stable sort: the order within each file is kept)."""
    def weight(item) -> int:
        name = item.nodeid.split("::")[0].rsplit("/", 1)[-1]
        return LONGEST_FIRST.index(name) if name in LONGEST_FIRST else len(LONGEST_FIRST)
    items.sort(key=weight)
