"""`python -m course release`: both modes are built into tmp, hold what a class needs and nothing
from the solution side, pass the leak scan, and pass their own test suite there. A leak, or an
OUT_DIR that is not ours, stops the release with one clear message and leaves nothing behind."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from course.authoring import release as release_module
from course.__main__ import main
from course.authoring.leaks import scan
from course.authoring.release import LEFT_OUT_LAYERS, MARKER, SHIPPED_LAYERS, LeakFound, ReleaseError, release
from helpers import READABLE_KEYS, ROOT, SEALED_KEYS, learner_notebooks

MODES = ["self-study", "graded"]
pytestmark = pytest.mark.slow
SHIPPED = {".course-release.json", ".gitignore", ".jupyter", "Makefile", "README.md", "course", "datasets",
           "notebooks", "postBuild", "pyproject.toml", "requirements.txt", "start", "tests"}


@pytest.fixture(scope="module")
def releases(tmp_path_factory) -> dict[str, Path]:
    """One release of each mode, written by the real code into tmp."""
    base = tmp_path_factory.mktemp("releases")
    return {mode: release(ROOT, base / mode, mode).folder for mode in MODES}


def files_in(folder: Path) -> list[str]:
    return sorted(p.relative_to(folder).as_posix() for p in folder.rglob("*") if p.is_file())


@pytest.mark.parametrize("mode", MODES)
def test_a_release_holds_what_a_class_needs_and_no_solution_side(releases, mode):
    folder = releases[mode]
    assert {p.name for p in folder.iterdir()} == SHIPPED
    assert sorted(p.name for p in (folder / "notebooks").iterdir()) == [p.name for p in learner_notebooks()]
    names = files_in(folder)
    assert not [n for n in names if "solutions" in n.split("/") or n.endswith(("RUBRICS.md", "INSTRUCTOR_GUIDE.md",
                                                                                 "GRADING.md"))]
    assert not [n for n in names if n.split("/")[:2] in (["course", layer] for layer in LEFT_OUT_LAYERS)], \
        "the authors' and instructors' tools do not ship"
    assert {p.name for p in (folder / "course").iterdir() if p.is_dir()} == {*SHIPPED_LAYERS, "keys"}
    assert not [n for n in names if "learner_kit" in n or "__pycache__" in n]
    assert sorted(p.name for p in (folder / "tests").glob("test_*.py")) == \
        sorted(p.name for p in (ROOT / "course" / "authoring" / "learner_kit" / "tests").glob("test_*.py"))
    assert json.loads((folder / MARKER).read_text())["mode"] == mode


@pytest.mark.parametrize("mode", MODES)
def test_the_release_passes_the_leak_scan(releases, mode):
    assert scan(releases[mode], READABLE_KEYS, mode) == []


def test_self_study_keys_are_the_sealed_keys_learners_already_have(releases):
    shipped = releases["self-study"] / "course" / "keys"
    assert files_in(shipped) == sorted(p.name for p in SEALED_KEYS.glob("*.json"))
    for path in SEALED_KEYS.glob("*.json"):
        assert (shipped / path.name).read_bytes() == path.read_bytes()


def test_graded_keys_hold_no_answers(releases):
    for path in (releases["graded"] / "course" / "keys").glob("*.json"):
        data = json.loads(path.read_text(encoding="utf-8"))
        assert data["mode"] == "graded"
        for qid, ex in data["exercises"].items():
            if ex.get("practice"):   # lesson 00's warm-up, whose answer its own prompt gives: judged in every release
                continue
            assert ex["graded"] is True and "sealed" not in ex, qid
            assert not {"answer", "model", "rubric", "feedback", "explain"} & set(ex), qid


@pytest.mark.parametrize("mode", MODES)
def test_the_learner_readme_is_written_for_learners(releases, mode):
    readme = (releases[mode] / "README.md").read_text(encoding="utf-8")
    assert "make lab" in readme and "my-work/" in readme
    for path in learner_notebooks():
        assert f"(notebooks/{path.name})" in readme, "every lesson is listed"
    assert "<!--" not in readme
    if mode == "self-study":
        assert "can decode them" in readme and "no answers at all" not in readme
    else:
        assert "no answers at all" in readme and "can decode them" not in readme


@pytest.mark.parametrize("mode", MODES)
def test_the_zip_holds_the_same_files_under_the_folders_name(releases, mode):
    folder = releases[mode]
    with zipfile.ZipFile(folder.parent / f"{folder.name}.zip") as archive:
        assert sorted(archive.namelist()) == [f"{folder.name}/{name}" for name in files_in(folder)]
        assert archive.testzip() is None


# Every module the release ships imports there, without the authors' tools it leaves out.
IMPORT_EVERY_MODULE = ("import importlib, pkgutil, course\n"
                       "for module in pkgutil.iter_modules(course.__path__):\n"
                       "    importlib.import_module('course.' + module.name)\n"
                       "print(course.__file__)")


def release_env(folder: Path, scratch: Path) -> dict[str, str]:
    """The environment to run a release's own code in: its toolkit first on the path, no stray settings."""
    env = {**os.environ, "PYTHONPATH": str(folder), "PYTHONDONTWRITEBYTECODE": "1",
           "COURSE_PROGRESS_FILE": str(scratch / "progress.json")}
    env.pop("COURSE_DATA", None)
    return env


# Both modes ship the same lessons (checked below), and a lesson's untouched checks say Not attempted before
# any key is read, so the lessons are run once, in the graded release; the self-study suite runs everything else
# (its checks, with the sealed keys, are exercised by tests/test_checks.py there).
# The lessons themselves run in this checkout's own suite (test_learner_notebooks.py, the same assertions as the
# release's test_lessons.py, on the same files); here the release's other tests run, with the release's toolkit.
SUITE = {mode: ["--deselect", "tests/test_lessons.py"] for mode in MODES}


@pytest.mark.parametrize("mode", MODES)
def test_the_releases_own_tests_pass_there(releases, mode, tmp_path):
    """The release's test suite, run in the release with its own toolkit (not this checkout's)."""
    folder = releases[mode]
    env = release_env(folder, tmp_path)
    where = subprocess.run([sys.executable, "-c", IMPORT_EVERY_MODULE], cwd=folder, env=env,
                           capture_output=True, text=True, timeout=60)
    assert where.returncode == 0, f"a module of the release's toolkit does not import there:\n{where.stderr[-2000:]}"
    assert Path(where.stdout.strip()).is_relative_to(folder), where.stdout + where.stderr
    before = files_in(folder)
    result = subprocess.run([sys.executable, "-m", "pytest", "tests", "-q", "-p", "no:cacheprovider", *SUITE[mode]],
                            cwd=folder, env=env, capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-2000:]
    assert " passed" in result.stdout and "failed" not in result.stdout
    assert files_in(folder) == before, "the release's tests must not write into the release"


def test_both_modes_ship_the_same_lessons_tests_and_toolkit(releases):
    """What differs between the modes is the keys and the README's paragraph on feedback, nothing else."""
    graded, study = releases["graded"], releases["self-study"]
    assert files_in(graded) == files_in(study)
    differ = [name for name in files_in(graded) if (graded / name).read_bytes() != (study / name).read_bytes()]
    assert sorted(differ) == sorted([MARKER, "README.md"] + [f"course/keys/{p.name}" for p in SEALED_KEYS.glob("*.json")])


@pytest.mark.skipif(shutil.which("make") is None, reason="make is not installed")
def test_the_releases_makefile_runs_its_own_tests_and_opens_my_work(releases):
    folder = releases["self-study"]
    test = subprocess.run(["make", "-n", "test"], cwd=folder, capture_output=True, text=True, timeout=30).stdout
    assert "-m pytest" in test and " tests" in test and "notebooks/solutions" not in test and "nbval" not in test
    lab = subprocess.run(["make", "-n", "lab"], cwd=folder, capture_output=True, text=True, timeout=30).stdout
    assert "course workspace" in lab and "--ip=127.0.0.1" in lab and "my-work/00_start_here.ipynb" in lab


def test_the_binder_start_script_makes_my_work_then_runs_its_command(releases, tmp_path):
    folder = tmp_path / "binder"
    shutil.copytree(releases["self-study"], folder)
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    python = bin_dir / "python"   # the `python` that Binder's image puts first on PATH
    python.write_text(f'#!/bin/sh\nexec "{sys.executable}" "$@"\n', encoding="utf-8")
    python.chmod(0o755)
    env = {**os.environ, "PATH": f"{bin_dir}:{os.environ['PATH']}", "PYTHONPATH": str(folder)}
    result = subprocess.run(["bash", "start", "echo", "jupyter would start now"], cwd=folder, env=env,
                            capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    assert "jupyter would start now" in result.stdout
    assert sorted(p.name for p in (folder / "my-work").glob("*.ipynb")) == [p.name for p in learner_notebooks()]


# ---------------------------------------------------------------- on a hub: the pulled folder's toolkit, the learner's own copy

HUB_CELL = 'from course import *\nimport course\nprint(course.__file__)\ncheck("q01_1", "c")'


def run_in_kernel(source: str, cwd: Path, env: dict[str, str]) -> str:
    """Run one cell in a fresh kernel started in `cwd` with `env`; return what it printed and displayed."""
    import nbformat
    from nbclient import NotebookClient

    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(source)])
    NotebookClient(nb, kernel_name="python3", timeout=60, resources={"metadata": {"path": str(cwd)}}).execute(env=env)
    outputs = nb.cells[0].outputs
    assert not [o for o in outputs if o.output_type == "error"], outputs
    return "".join(o.get("text", "") or o.get("data", {}).get("text/markdown", "") for o in outputs)


@pytest.mark.parametrize("image, pulled", [("self-study", "graded"), ("graded", "self-study")])
def test_a_lesson_uses_the_pulled_releases_toolkit_not_the_images(releases, tmp_path, image, pulled):
    """A hub's image holds one toolkit (here on PYTHONPATH, as pip would put it on sys.path); the learner pulled
    a release of the other mode. The lesson must run with the pulled release's toolkit and keys."""
    folder = tmp_path / "home" / "course"
    shutil.copytree(releases[pulled], folder)
    env = {**release_env(releases[image], tmp_path), "JPY_SESSION_NAME": str(folder / "notebooks" / "01_x.ipynb")}
    said = run_in_kernel(HUB_CELL, folder / "notebooks", env)
    assert f"{folder}/course/__init__.py" in said, said
    assert ("Recorded" in said and "graded by your instructor" in said) if pulled == "graded" else "Correct" in said


def test_a_lesson_opened_in_the_releases_notebooks_folder_points_at_the_learners_own_copy(releases, tmp_path):
    folder = tmp_path / "home" / "course"
    shutil.copytree(releases["graded"], folder)
    lesson = learner_notebooks()[1].name
    env = {**release_env(folder, tmp_path), "JPY_SESSION_NAME": str(folder / "notebooks" / lesson)}
    said = run_in_kernel("from course import *", folder / "notebooks", env)
    assert f"[my-work/{lesson}](../my-work/{lesson})" in said, said
    assert sorted(p.name for p in (folder / "my-work").glob("*.ipynb")) == [p.name for p in learner_notebooks()]
    mine = folder / "my-work" / lesson
    mine.write_text(mine.read_text(encoding="utf-8").replace("answer = ...", "answer = 'mine'", 1), encoding="utf-8")
    run_in_kernel("from course import *", folder / "notebooks", env)
    assert "answer = 'mine'" in mine.read_text(encoding="utf-8"), "a learner's copy is never overwritten"
    quiet = run_in_kernel("from course import *", folder / "my-work", {**env, "JPY_SESSION_NAME": str(mine)})
    assert "my-work/" not in quiet, "in the learner's own copy, no note"


# ---------------------------------------------------------------- refusing, and leaving nothing behind

def leftovers(parent: Path) -> list[str]:
    return sorted(p.name for p in parent.iterdir() if p.name.startswith("."))


def test_a_folder_that_is_not_a_release_is_never_touched(tmp_path, capsys):
    out = tmp_path / "my documents"
    out.mkdir()
    (out / "thesis.txt").write_text("years of work", encoding="utf-8")
    for extra in ([], ["--force"]):
        assert main(["release", str(out), *extra]) == 2
        err = capsys.readouterr().err
        assert "was not written by this command" in err and "Traceback" not in err
    assert [p.name for p in out.iterdir()] == ["thesis.txt"]
    assert not (tmp_path / "my documents.zip").exists() and leftovers(tmp_path) == []


def test_an_earlier_release_is_replaced_only_with_force(tmp_path, capsys):
    out = tmp_path / "class"
    assert main(["release", str(out)]) == 0
    (out / "stale.txt").write_text("from before", encoding="utf-8")
    assert main(["release", str(out), "--mode", "graded"]) == 2
    assert "--force" in capsys.readouterr().err
    assert main(["release", str(out), "--mode", "graded", "--force"]) == 0
    assert (out / "stale.txt").read_text(encoding="utf-8") == "from before", "a file no release wrote stays"
    assert json.loads((out / MARKER).read_text())["mode"] == "graded"
    assert leftovers(tmp_path) == []


def git(folder: Path, *args: str) -> str:
    return subprocess.run(["git", "-C", str(folder), "-c", "user.email=i@example.org", "-c", "user.name=Instructor",
                           *args], check=True, capture_output=True, text=True).stdout


def test_force_keeps_the_repository_a_hub_pulls_from_and_removes_only_what_a_release_wrote(tmp_path, capsys):
    out = tmp_path / "class"
    assert main(["release", str(out)]) == 0
    git(out, "init", "-q")
    git(out, "add", "-A")
    git(out, "commit", "-qm", "first release")
    (out / ".github").mkdir()
    (out / ".github" / "ci.yml").write_text("on: push\n", encoding="utf-8")
    (out / "notebooks" / "my_notes.ipynb").write_text("{}", encoding="utf-8")
    capsys.readouterr()
    assert main(["release", str(out), "--mode", "graded", "--lessons", "00-01", "--force"]) == 0
    said = capsys.readouterr().out
    assert "Kept what the folder held that no release wrote: .git" in said
    assert git(out, "rev-parse", "--is-inside-work-tree").strip() == "true"
    changed = git(out, "status", "--porcelain")
    assert " D notebooks/05_balancing_interests.ipynb" in changed, "a lesson left out is removed"
    assert " M course/keys/00_start_here.json" in changed, "the keys are the graded ones"
    assert (out / ".github" / "ci.yml").is_file() and (out / "notebooks" / "my_notes.ipynb").is_file()
    assert leftovers(tmp_path) == []


def test_a_subset_of_lessons_ships_those_lessons_their_keys_and_lesson_00(tmp_path, capsys):
    out = tmp_path / "weeks-2-3"
    assert main(["release", str(out), "--lessons", "02-03"]) == 0
    assert "3 lessons (00_start_here, 02_framing, 03_euphemism" in capsys.readouterr().out
    assert sorted(p.name[:2] for p in (out / "notebooks").glob("*.ipynb")) == ["00", "02", "03"]
    assert sorted(p.name[:2] for p in (out / "course" / "keys").glob("*.json")) == ["00", "02", "03"]
    readme = (out / "README.md").read_text(encoding="utf-8")
    assert "02_framing.ipynb" in readme and "04_attribution.ipynb" not in readme
    assert json.loads((out / MARKER).read_text())["lessons"] == ["00_start_here", "02_framing", "03_euphemism"]


@pytest.mark.parametrize("value, fragment", [("2-x", "not understood"), ("09", "does not have")])
def test_an_unclear_subset_is_refused_before_anything_is_written(tmp_path, capsys, value, fragment):
    assert main(["release", str(tmp_path / "out"), "--lessons", value]) == 2
    err = capsys.readouterr().err
    assert fragment in err and "Traceback" not in err
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("where", [".", "course/somewhere", "notebooks/out", ".."])
def test_the_course_itself_is_never_an_out_dir(where, capsys):
    assert main(["release", str(ROOT / where)]) == 2
    assert "Choose" in capsys.readouterr().err


def test_an_unknown_mode_is_refused_before_anything_is_written(tmp_path, capsys):
    with pytest.raises(SystemExit) as exit_code:
        main(["release", str(tmp_path / "out"), "--mode", "exam"])
    assert exit_code.value.code == 2
    assert "invalid choice" in capsys.readouterr().err
    assert list(tmp_path.iterdir()) == []


@pytest.fixture
def course_copy(tmp_path) -> Path:
    """A copy of the course a test may damage."""
    copy = tmp_path / "course-copy"
    copy.mkdir()
    for name in ("course", "datasets", "notebooks", ".jupyter"):
        shutil.copytree(ROOT / name, copy / name, ignore=shutil.ignore_patterns("__pycache__", ".course_progress.json"))
    for name in release_module.ROOT_FILES:
        shutil.copy(ROOT / name, copy / name)
    return copy


def test_a_leak_stops_the_release_loudly_and_nothing_is_left_behind(course_copy, tmp_path, monkeypatch, capsys):
    lesson = sorted((course_copy / "notebooks").glob("0*.ipynb"))[0]
    nb = json.loads(lesson.read_text(encoding="utf-8"))
    nb["cells"].append({"cell_type": "markdown", "metadata": {}, "id": "stuck",
                        "source": "Stuck? The worked solution is in `notebooks/solutions/`."})
    lesson.write_text(json.dumps(nb), encoding="utf-8")
    answers = course_copy / "notebooks" / "answers_01.json"
    answers.write_text("{}", encoding="utf-8")  # not copied: the release takes only the lessons
    out_parent = tmp_path / "releases"
    out_parent.mkdir()

    with pytest.raises(LeakFound) as found:
        release(course_copy, out_parent / "class")
    assert [str(leak) for leak in found.value.leaks] == \
        [f"notebooks/{lesson.name}: mentions notebooks/solutions/, which a learner release does not have"]
    assert list(out_parent.iterdir()) == []

    monkeypatch.setattr("course.__main__.ROOT", course_copy)
    assert main(["release", str(out_parent / "class")]) == 1
    err = capsys.readouterr().err
    assert "Release stopped, nothing written" in err and f"LEAK notebooks/{lesson.name}: mentions" in err
    assert list(out_parent.iterdir()) == []


def test_a_learner_kit_test_with_an_answer_stops_the_release(course_copy, tmp_path, monkeypatch):
    kit = tmp_path / "kit"
    shutil.copytree(release_module.KIT, kit)
    key = json.loads(sorted(READABLE_KEYS.glob("*.json"))[0].read_text(encoding="utf-8"))
    qid, ex = next((q, e) for q, e in key["exercises"].items() if e["kind"] == "number")
    (kit / "tests" / "test_sneaky.py").write_text(f'def test_it():\n    check("{qid}", {ex["answer"]})\n',
                                                  encoding="utf-8")
    monkeypatch.setattr(release_module, "KIT", kit)
    with pytest.raises(LeakFound) as found:
        release(course_copy, tmp_path / "class")
    assert [leak.path for leak in found.value.leaks] == ["tests/test_sneaky.py"]
    assert not (tmp_path / "class").exists() and not (tmp_path / "class.zip").exists()


def test_a_learner_copy_cannot_make_a_release(releases, tmp_path):
    with pytest.raises(ReleaseError) as error:
        release(releases["self-study"], tmp_path / "again")
    assert "full course repository" in str(error.value)
