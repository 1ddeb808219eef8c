"""Learner work is never lost: `python -m course workspace` (run by `make lab`) copies new lessons
into my-work/ and never overwrites a copy, through a simulated course update by `git pull`."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from course.__main__ import main
from course.exercises.workspace import RECORD, WorkspaceError, update_workspace
from helpers import ROOT, learner_notebooks, run_course

GIT = shutil.which("git")


def git(folder: Path, *args: str) -> str:
    result = subprocess.run(["git", "-c", "user.name=Course", "-c", "user.email=course@example.org", *args],
                            cwd=folder, capture_output=True, text=True, timeout=30)
    assert result.returncode == 0, result.stderr
    return result.stdout


def snapshot(folder: Path) -> dict[str, tuple[int, bytes]]:
    return {p.name: (p.stat().st_mtime_ns, p.read_bytes()) for p in sorted(folder.glob("*.ipynb"))}


@pytest.fixture
def course(tmp_path) -> Path:
    """A course folder with two lessons (copies of the real first two) and the real .gitignore."""
    root = tmp_path / "course"
    (root / "notebooks").mkdir(parents=True)
    for path in learner_notebooks()[:2]:
        shutil.copy(path, root / "notebooks" / path.name)
    shutil.copy(ROOT / ".gitignore", root / ".gitignore")
    return root


def test_first_run_copies_every_lesson(course):
    report = update_workspace(course / "notebooks", course / "my-work")
    names = sorted(p.name for p in (course / "notebooks").glob("*.ipynb"))
    assert report.created == names and report.kept == []
    for name in names:
        assert (course / "my-work" / name).read_bytes() == (course / "notebooks" / name).read_bytes()
    assert not list((course / "my-work").glob(".*.partial"))


def test_an_update_keeps_the_learners_copies_and_adds_new_lessons(course):
    first, second = sorted((course / "notebooks").glob("*.ipynb"))
    update_workspace(course / "notebooks", course / "my-work")
    mine = course / "my-work" / second.name
    mine.write_text(mine.read_text(encoding="utf-8").replace("answer = ...", 'answer = "my own answer"', 1),
                    encoding="utf-8")
    before = snapshot(course / "my-work")

    # The course changes a lesson the learner has started, and publishes a new one.
    second.write_text(second.read_text(encoding="utf-8").replace("Lesson", "Lesson (revised)", 1), encoding="utf-8")
    shutil.copy(learner_notebooks()[2], course / "notebooks" / "09_new_lesson.ipynb")
    report = update_workspace(course / "notebooks", course / "my-work")

    assert report.created == ["09_new_lesson.ipynb"]
    assert report.changed_in_course == [second.name]
    after = snapshot(course / "my-work")
    assert {name: after[name] for name in before} == before, "an existing copy was touched"
    assert 'answer = "my own answer"' in mine.read_text(encoding="utf-8")
    again = update_workspace(course / "notebooks", course / "my-work")
    assert again.created == [] and again.changed_in_course == [], "a change in the course is reported once"


def test_a_deleted_copy_is_made_again_and_an_unreadable_record_is_replaced(course):
    update_workspace(course / "notebooks", course / "my-work")
    first = sorted((course / "my-work").glob("*.ipynb"))[0]
    first.unlink()
    (course / "my-work" / RECORD).write_text("{not json", encoding="utf-8")
    report = update_workspace(course / "notebooks", course / "my-work")
    assert report.created == [first.name] and first.exists()


def test_no_lessons_and_a_file_in_the_way_are_clear_messages(course, tmp_path):
    with pytest.raises(WorkspaceError, match="No lessons"):
        update_workspace(tmp_path / "empty", tmp_path / "my-work")
    (course / "my-work").write_text("a file, not a folder", encoding="utf-8")
    with pytest.raises(WorkspaceError, match="not a folder"):
        update_workspace(course / "notebooks", course / "my-work")
    assert (course / "my-work").read_text(encoding="utf-8") == "a file, not a folder"


def test_the_command_line_reports_in_plain_words(course, monkeypatch, capsys):
    monkeypatch.chdir(course)
    assert main(["workspace"]) == 0
    assert "my-work" in capsys.readouterr().out
    assert main(["workspace", "--from", "nowhere"]) == 2
    assert "No lessons" in capsys.readouterr().err


@pytest.mark.slow
def test_the_real_command_runs(course):
    result = run_course("workspace", cwd=course)
    assert result.returncode == 0, result.stderr
    assert "New copies" in result.stdout and "Traceback" not in result.stderr


@pytest.mark.skipif(GIT is None, reason="git is not installed")
def test_git_pull_leaves_my_work_alone(course, tmp_path, monkeypatch, capsys):
    """The course as a git repository: a learner clones it, works, and pulls an update."""
    git(course, "init", "-q", "-b", "main")
    git(course, "add", "-A")
    git(course, "commit", "-q", "-m", "two lessons")
    learner = tmp_path / "learner"
    git(tmp_path, "clone", "-q", str(course), str(learner))
    monkeypatch.chdir(learner)
    assert main(["workspace"]) == 0
    started = sorted((learner / "my-work").glob("*.ipynb"))[0]
    started.write_text(started.read_text(encoding="utf-8") + "\n", encoding="utf-8")
    work_before = snapshot(learner / "my-work")
    assert git(learner, "status", "--porcelain") == "", "my-work/ must be ignored by git"

    shutil.copy(learner_notebooks()[2], course / "notebooks" / "09_new_lesson.ipynb")
    lesson = course / "notebooks" / started.name
    lesson.write_text(lesson.read_text(encoding="utf-8").replace("Lesson", "Lesson (revised)", 1), encoding="utf-8")
    git(course, "add", "-A")
    git(course, "commit", "-q", "-m", "a new lesson and a revision")
    git(learner, "pull", "-q", "--ff-only")

    capsys.readouterr()
    assert main(["workspace"]) == 0
    out = capsys.readouterr().out
    assert "09_new_lesson.ipynb" in out and f"{started.name} has changed in the course" in out
    work_after = snapshot(learner / "my-work")
    assert {name: work_after[name] for name in work_before} == work_before
    assert "09_new_lesson.ipynb" in work_after


def test_make_lab_makes_the_workspace_then_opens_lesson_00_there_on_localhost():
    if shutil.which("make") is None:
        pytest.skip("make is not installed")
    result = subprocess.run(["make", "-n", "lab"], cwd=ROOT, capture_output=True, text=True, timeout=30)
    commands = result.stdout
    assert "-m course workspace --into my-work" in commands
    assert commands.index("course workspace") < commands.index("jupyter lab")
    assert "--ip=127.0.0.1" in commands and "my-work/00_start_here.ipynb" in commands
    assert "0.0.0.0" not in commands and "token=''" not in commands and 'token=""' not in commands
    ignored = subprocess.run(["git", "check-ignore", "-q", "my-work/00_start_here.ipynb"], cwd=ROOT)
    assert ignored.returncode == 0, "my-work/ must be ignored by git"
