"""`make lab` and `make test` check the interpreter before installing anything, and say in one
line what is needed and how to point PYTHON= at another interpreter."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from helpers import ROOT

pytestmark = pytest.mark.skipif(shutil.which("make") is None, reason="make is not installed")


def fake_python(folder: Path, version: str, passes_check: bool) -> Path:
    """A stand-in interpreter: answers --version, and passes or fails the version check."""
    script = folder / "fakepython"
    script.write_text(
        "#!/bin/sh\n"
        f'if [ "$1" = "--version" ]; then echo "Python {version}"; exit 0; fi\n'
        f'if [ "$1" = "-c" ]; then exit {0 if passes_check else 1}; fi\n'
        'echo "fake interpreter cannot $*" >&2; exit 3\n', encoding="utf-8")
    script.chmod(0o755)
    return script


@pytest.fixture
def course_copy(tmp_path) -> Path:
    folder = tmp_path / "course"
    folder.mkdir()
    for name in ("Makefile", "requirements.txt", "pyproject.toml"):
        shutil.copy(ROOT / name, folder / name)
    return folder


def make(folder: Path, target: str, python: str) -> subprocess.CompletedProcess:
    return subprocess.run(["make", "-s", target, f"PYTHON={python}"], cwd=folder, capture_output=True, text=True,
                          timeout=60)


@pytest.mark.parametrize("target", ["lab", "test"])
def test_an_old_python_gets_one_clear_line_and_nothing_is_installed(course_copy, tmp_path, target):
    result = make(course_copy, target, str(fake_python(tmp_path, "3.10.12", passes_check=False)))
    assert result.returncode != 0
    message = result.stderr.strip().splitlines()
    assert len(message) >= 1
    first = message[0]
    assert "needs Python 3.11 or newer" in first and "Python 3.10.12" in first
    assert f"make {target} PYTHON=python3.11" in first
    assert "pip" not in result.stderr and "No matching distribution" not in result.stderr
    assert not (course_copy / ".venv").exists()


def test_a_missing_python_is_named(course_copy):
    result = make(course_copy, "test", "/no/such/python3")
    assert result.returncode != 0
    assert "needs Python 3.11 or newer" in result.stderr and "not found" in result.stderr
    assert not (course_copy / ".venv").exists()


def test_a_new_enough_python_passes_the_check(course_copy, tmp_path):
    result = make(course_copy, "test", str(fake_python(tmp_path, "3.11.7", passes_check=True)))
    assert "needs Python" not in result.stderr
    assert "fake interpreter cannot -m venv .venv" in result.stderr  # it went on to create the environment
