"""course/build.py and `python -m course build`: stripping, errors that name the notebook and
cell, all-or-nothing writes, --check, and key validation. Builds run in temporary copies."""

from __future__ import annotations

import re

import json
import shutil
from pathlib import Path

import nbformat
import pytest
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook, new_output, new_raw_cell

from course.__main__ import main
from course.authoring.build import (BuildError, learner_notebook, plan, read_solution, sealed_keys, stale_files,
                                   strip_solution, write)
from course.authoring.exercise_text import render
from course.exercises.keys import PUBLIC, seal_spec, unpack, unseal
from helpers import BEGIN, END, readable_key_files, run_course, solution_notebooks

SMALL_KEY = {"q99_1": {"kind": "number", "title": "Small", "answer": 42, "hints": ["Count them."]}}

# ---------------------------------------------------------------- strip_solution


def test_strip_replaces_region_with_dots():
    source = f"x = 1\n{BEGIN}\nanswer = x + 5\n{END}\nprint(answer)\n"
    assert strip_solution(source, "nb.ipynb", 1) == "x = 1\n...\nprint(answer)\n"


@pytest.mark.parametrize("placeholder", ["answer = ...", 'answer = """..."""', "answer = '...'"])
def test_strip_adds_no_second_placeholder_after_one(placeholder):
    source = f"{placeholder}\n{BEGIN}\nanswer = 6\n{END}\nprint(answer)\n"
    assert strip_solution(source, "nb.ipynb", 1) == f"{placeholder}\nprint(answer)\n"


def test_strip_keeps_the_markers_indentation():
    source = (
        "def count(table):\n"
        "    total = 0\n"
        f"    {BEGIN}\n"
        "    for row in table:\n"
        "        total += row\n"
        f"    {END}\n"
        "    return total\n"
    )
    assert strip_solution(source, "nb.ipynb", 1) == "def count(table):\n    total = 0\n    ...\n    return total\n"


def test_strip_nested_blocks_and_several_regions():
    source = (
        "for row in rows:\n"
        "    if row:\n"
        f"        {BEGIN}\n"
        "        keep(row)\n"
        f"        {END}\n"
        "total = 0\n"
        f"{BEGIN}\n"
        "answer = 3\n"
        f"{END}\n"
        "check('q', answer)"
    )
    assert strip_solution(source, "nb.ipynb", 1) == (
        "for row in rows:\n    if row:\n        ...\ntotal = 0\n...\ncheck('q', answer)")


def test_strip_keeps_a_placeholder_for_a_region_right_after_an_indented_one():
    """BUG: the "placeholder just before" rule also fires on the `...` the build itself put
    inside an indented block, so a following top-level region vanishes without a trace and
    the learner never sees that a line (here the `answer`) is expected of them."""
    source = (
        "def double(x):\n"
        f"    {BEGIN}\n"
        "    return 2 * x\n"
        f"    {END}\n"
        f"{BEGIN}\n"
        "answer = double(3)\n"
        f"{END}\n"
    )
    assert strip_solution(source, "nb.ipynb", 1) == "def double(x):\n    ...\n...\n"


def test_strip_tolerates_trailing_spaces_and_a_last_line_without_newline():
    source = f"x = 1\n{BEGIN}   \nx = 2\n{END}"
    assert strip_solution(source, "nb.ipynb", 1) == "x = 1\n...\n"


def test_strip_leaves_cells_without_markers_alone():
    source = "print('### not a marker')\nx = 1  ### BEGIN SOLUTION is only a marker on its own line\n"
    assert strip_solution(source, "nb.ipynb", 1) == source


@pytest.mark.parametrize("source, fragment", [
    (f"x = 1\n{BEGIN}\nx = 2\n", "line 2 has no matching"),
    (f"x = 1\n{END}\n", "line 2 has no"),
    (f"{BEGIN}\nx = 1\n    {BEGIN}\nx = 2\n{END}\n", "line 3 comes before"),
])
def test_unbalanced_markers_name_notebook_cell_and_line(source, fragment):
    with pytest.raises(BuildError) as error:
        strip_solution(source, "notebooks/solutions/07_read_any_readout.ipynb", 12)
    message = str(error.value)
    assert "07_read_any_readout.ipynb" in message
    assert "cell 12" in message
    assert fragment in message


# ---------------------------------------------------------------- learner_notebook on a small notebook

def small_notebook() -> nbformat.NotebookNode:
    nb = new_notebook(metadata={
        "kernelspec": {"name": "python3", "display_name": "Python 3", "language": "python"},
        "language_info": {"name": "python"},
        "widgets": {"state": "secret widget state"},
        "author_notes": "the answer is 42",
    })
    answer = new_code_cell(f"answer = ...\n{BEGIN}\nanswer = 42\n{END}\n", execution_count=1,
                           outputs=[new_output("stream", name="stdout", text="42\n")])
    answer.metadata["execution"] = {"iopub.execute_input": "2024-01-01T00:00:00Z"}
    check = new_code_cell('check("q99_1", answer)', execution_count=2,
                          outputs=[new_output("stream", name="stdout", text="✓ Correct: yes\n")])
    check.metadata["tags"] = ["check:q99_1"]
    model = new_code_cell("model_answer = 'whole cell solution'", execution_count=3)
    model.metadata["tags"] = ["solution"]
    notes = new_markdown_cell("**Model answer.** A whole markdown solution.")
    notes.metadata["tags"] = ["solution"]
    nb.cells = [new_markdown_cell("# Lesson 99\n### Exercise 99.1\n\n" + render("q99_1", SMALL_KEY["q99_1"])), answer, check,
                model, notes, new_raw_cell("raw text stays")]
    return nb


def learner_of(nb: nbformat.NotebookNode, tmp_path: Path) -> tuple[str, nbformat.NotebookNode]:
    path = tmp_path / "99_small.ipynb"
    nbformat.write(nb, path)
    text = learner_notebook(read_solution(path, SMALL_KEY), path)
    return text, nbformat.reads(text, as_version=4)


def test_learner_notebook_strips_outputs_counts_and_solutions(tmp_path):
    text, learner = learner_of(small_notebook(), tmp_path)
    assert [c.cell_type for c in learner.cells] == ["markdown", "code", "code", "raw"]
    for cell in learner.cells:
        if cell.cell_type == "code":
            assert cell.outputs == [] and cell.execution_count is None
        assert "execution" not in cell.metadata
    assert learner.cells[1].source == "answer = ...\n"
    assert learner.cells[2].metadata["tags"] == ["check:q99_1"]
    assert set(learner.metadata) == {"kernelspec", "language_info"}
    without_ids = re.sub(r'"id": "[0-9a-f-]+"', "", text)  # random cell ids may contain "42"
    for secret in ("42", "whole cell solution", "Model answer", "secret widget state", "SOLUTION", "2024-01-01"):
        assert secret not in without_ids
    nbformat.validate(learner)


def test_learner_notebook_rejects_markers_in_markdown(tmp_path):
    nb = small_notebook()
    nb.cells.append(new_markdown_cell(f"{BEGIN}\nthe answer\n{END}"))
    with pytest.raises(BuildError) as error:
        learner_of(nb, tmp_path)
    assert "99_small.ipynb" in str(error.value) and "cell 7" in str(error.value)


def test_learner_notebook_counts_cells_from_one_including_markdown(tmp_path):
    nb = small_notebook()
    nb.cells[2].source += f"\n{BEGIN}\n"
    with pytest.raises(BuildError) as error:
        learner_of(nb, tmp_path)
    assert "cell 3" in str(error.value)


@pytest.mark.parametrize("content", ["not json at all", '{"cells": "wrong"}', ""])
def test_unreadable_notebook_is_a_build_error(tmp_path, content):
    path = tmp_path / "05_broken.ipynb"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(BuildError) as error:
        read_solution(path, {})
    assert "05_broken.ipynb" in str(error.value)


def test_learner_notebook_tags_the_answer_cell_before_each_check(tmp_path):
    _, learner = learner_of(small_notebook(), tmp_path)
    assert learner.cells[1].metadata["tags"] == ["answer:q99_1"]


def test_answer_tag_skips_a_solution_cell_between_answer_and_check(tmp_path):
    nb = small_notebook()
    own = new_code_cell('answer = {"a": ...}')
    given = new_code_cell('answer = {"a": 1}')
    given.metadata["tags"] = ["solution"]
    nb.cells[1:2] = [own, given]
    _, learner = learner_of(nb, tmp_path)
    assert learner.cells[1].source == 'answer = {"a": ...}'
    assert learner.cells[1].metadata["tags"] == ["answer:q99_1"]


def test_an_authors_answer_tag_is_kept(tmp_path):
    nb = small_notebook()
    nb.cells[1].metadata["tags"] = ["answer:q99_1"]
    nb.cells.insert(2, new_code_cell("print('a cell between answer and check')"))
    _, learner = learner_of(nb, tmp_path)
    assert [c.metadata.get("tags", []) for c in learner.cells[1:4]] == [["answer:q99_1"], [], ["check:q99_1"]]


def test_a_check_without_an_answer_cell_before_it_is_a_build_error(tmp_path):
    nb = small_notebook()
    del nb.cells[1]
    with pytest.raises(BuildError) as error:
        learner_of(nb, tmp_path)
    assert "99_small.ipynb" in str(error.value) and "q99_1" in str(error.value) and "answer:q99_1" in str(error.value)


# ---------------------------------------------------------------- key specs

def write_key(tmp_path: Path, exercises: dict | list | str) -> Path:
    path = tmp_path / "99_keys.json"
    body = exercises if isinstance(exercises, str) else json.dumps(
        {"lesson": "99_keys", "exercises": exercises} if isinstance(exercises, dict) else exercises)
    path.write_text(body, encoding="utf-8")
    return path


GOOD_CHOICE = {"title": "Pick", "kind": "choice", "options": {"a": "x", "b": "y"}, "answer": "a",
               "feedback": {"a": "yes.", "b": "no."}}


@pytest.mark.parametrize("exercise, fragment", [
    ({**GOOD_CHOICE, "feedback": {"a": "yes."}}, "every option needs feedback; missing for ['b']"),
    ({**GOOD_CHOICE, "answer": "z"}, "the answer must be one of the options"),
    ({**GOOD_CHOICE, "kind": "essay"}, "kind must be one of"),
    ({"title": "No kind", "answer": 1}, "kind must be one of"),
    ({"kind": "number", "answer": 3}, "needs a title"),
    ({"title": "Count", "kind": "number"}, "needs an answer"),
])
def test_invalid_key_specs_are_reported(tmp_path, exercise, fragment):
    path = write_key(tmp_path, {"q99_1": exercise})
    with pytest.raises(BuildError) as error:
        sealed_keys(path)
    assert str(path) in str(error.value)
    assert "q99_1" in str(error.value)
    assert fragment in str(error.value)


@pytest.mark.parametrize("body", ["{not json", json.dumps({"lesson": "99"}), json.dumps({"exercises": {}})])
def test_key_file_without_exercises_is_reported(tmp_path, body):
    path = write_key(tmp_path, body)
    with pytest.raises(BuildError) as error:
        sealed_keys(path)
    assert str(path) in str(error.value)


@pytest.mark.parametrize("body", [json.dumps([]), json.dumps({"exercises": {"q99_1": "a string, not an object"}}),
                                  json.dumps({"exercises": ["q99_1"]})])
def test_key_file_of_the_wrong_shape_is_a_build_error(tmp_path, body):
    """BUG: validate_spec assumes dicts; a key file that is a JSON list, or an exercise that is
    not an object, crashes the build with AttributeError (a traceback, exit code 1) instead
    of a BuildError naming the file."""
    path = write_key(tmp_path, body)
    with pytest.raises(BuildError) as error:
        sealed_keys(path)
    assert str(path) in str(error.value)


@pytest.mark.parametrize("path", readable_key_files(), ids=lambda p: p.name)
def test_sealing_round_trips_the_real_keys(path):
    spec = json.loads(path.read_text(encoding="utf-8"))
    sealed = json.loads(sealed_keys(path))
    assert sealed["lesson"] == spec["lesson"] == path.stem
    assert set(sealed["exercises"]) == set(spec["exercises"])
    opened = unpack(sealed)
    for qid, ex in spec["exercises"].items():
        out = sealed["exercises"][qid]
        assert out["title"] == ex["title"] and out["kind"] == ex["kind"]
        assert not set(unseal(out["sealed"])) & PUBLIC, "a public field was sealed as well"
        assert {k: opened[qid][k] for k in ex} == ex, f"{qid}: unsealing does not give back the readable key"


@pytest.mark.parametrize("path", readable_key_files(), ids=lambda p: p.name)
def test_a_graded_release_key_has_no_secret_field(path):
    spec = json.loads(path.read_text(encoding="utf-8"))
    shipped = seal_spec(spec, mode="graded")
    for qid, out in shipped["exercises"].items():
        if out.get("practice"):   # lesson 00's warm-up judges in every release; its answer is in its own prompt
            assert "sealed" in out and "graded" not in out
            continue
        assert out["graded"] is True and "sealed" not in out
        assert set(out) - {"graded"} <= PUBLIC, f"{qid}: {sorted(set(out) - PUBLIC)}"
        assert "answer" not in out and "model" not in out and "feedback" not in out


# ---------------------------------------------------------------- whole builds in a temporary repo

def snapshot(root: Path) -> dict[str, tuple[int, bytes]]:
    """Every file under root, with its modification time and bytes."""
    return {str(p.relative_to(root)): (p.stat().st_mtime_ns, p.read_bytes())
            for p in sorted(root.rglob("*")) if p.is_file()}


@pytest.fixture
def repo(tmp_path) -> Path:
    """A copy of the solution side, built once, laid out like the repository."""
    root = tmp_path / "repo"
    (root / "notebooks" / "solutions" / "keys").mkdir(parents=True)
    for path in solution_notebooks():
        shutil.copy2(path, root / "notebooks" / "solutions" / path.name)
    for path in readable_key_files():
        shutil.copy2(path, root / "notebooks" / "solutions" / "keys" / path.name)
    write(plan(root))
    return root


def solution_notebooks_in(root: Path) -> list[Path]:
    return sorted((root / "notebooks" / "solutions").glob("[0-9][0-9]_*.ipynb"))


def add_broken_notebook(root: Path) -> tuple[Path, int]:
    """A copy of the first solution notebook whose first marker region has no END; returns
    its path and the number of the broken cell."""
    nb = nbformat.read(solution_notebooks_in(root)[0], as_version=4)
    number = next(n for n, c in enumerate(nb.cells, start=1) if END in c.source)
    cell = nb.cells[number - 1]
    cell.source = "\n".join(line for line in cell.source.splitlines() if END not in line)
    path = root / "notebooks" / "solutions" / "99_broken.ipynb"
    nbformat.write(nb, path)
    return path, number


def edit_first_markdown(path: Path, extra: str = "\n\nAn edit.") -> None:
    nb = nbformat.read(path, as_version=4)
    next(c for c in nb.cells if c.cell_type == "markdown").source += extra
    nbformat.write(nb, path)


def test_build_writes_every_generated_file(repo):
    names = {p.name for p in solution_notebooks()}
    assert {p.name for p in (repo / "notebooks").glob("*.ipynb")} == names
    assert {p.name for p in (repo / "course" / "keys").glob("*.json")} == {p.name for p in readable_key_files()}
    assert stale_files(plan(repo)) == []


def test_second_build_changes_nothing(repo, capsys):
    before = snapshot(repo)
    assert main(["build", "--root", str(repo)]) == 0
    assert "0 changed" in capsys.readouterr().out
    assert snapshot(repo) == before


def test_broken_notebook_stops_the_build_and_writes_nothing(repo, capsys):
    broken, cell_number = add_broken_notebook(repo)
    edit_first_markdown(solution_notebooks_in(repo)[0])  # a learner file that would change
    before = snapshot(repo)
    with pytest.raises(BuildError):
        plan(repo)
    assert main(["build", "--root", str(repo)]) != 0
    err = capsys.readouterr().err
    assert broken.name in err and f"cell {cell_number}" in err
    assert "nothing written" in err and "Traceback" not in err
    assert snapshot(repo) == before
    assert not (repo / "notebooks" / broken.name).exists()


def test_bad_key_stops_the_build_and_writes_nothing(repo, capsys):
    key = repo / "notebooks" / "solutions" / "keys" / "99_bad.json"
    key.write_text(json.dumps({"lesson": "99_bad", "exercises": {"q99_1": {**GOOD_CHOICE, "kind": "quiz"}}}))
    edit_first_markdown(solution_notebooks_in(repo)[0])
    before = snapshot(repo)
    assert main(["build", "--root", str(repo)]) == 2
    err = capsys.readouterr().err
    assert "99_bad.json" in err and "q99_1" in err
    assert snapshot(repo) == before


def test_check_exits_1_when_stale_and_0_when_fresh(repo, capsys):
    assert main(["build", "--check", "--root", str(repo)]) == 0
    assert "Up to date" in capsys.readouterr().out

    solution = solution_notebooks_in(repo)[0]
    edit_first_markdown(solution)
    before = snapshot(repo)
    capsys.readouterr()
    assert main(["build", "--check", "--root", str(repo)]) == 1
    assert solution.name in capsys.readouterr().err
    assert snapshot(repo) == before, "--check must write nothing"

    assert main(["build", "--root", str(repo)]) == 0
    assert main(["build", "--check", "--root", str(repo)]) == 0


def test_check_notices_a_changed_key_a_deleted_learner_file_and_an_orphan(repo, capsys):
    key = sorted((repo / "notebooks" / "solutions" / "keys").glob("*.json"))[0]
    spec = json.loads(key.read_text())
    next(iter(spec["exercises"].values()))["title"] += " (edited)"
    key.write_text(json.dumps(spec))
    learner = sorted((repo / "notebooks").glob("*.ipynb"))[-1]
    learner.unlink()
    orphan = repo / "notebooks" / "98_orphan.ipynb"
    shutil.copy2(solution_notebooks_in(repo)[0], orphan)
    capsys.readouterr()

    assert main(["build", "--check", "--root", str(repo)]) == 1
    err = capsys.readouterr().err
    for name in (key.name, learner.name, orphan.name):
        assert name in err

    assert main(["build", "--root", str(repo)]) == 0
    assert learner.exists() and not orphan.exists()
    assert main(["build", "--check", "--root", str(repo)]) == 0


def test_learner_files_built_in_a_copy_have_no_solution_text(repo):
    for path in (repo / "notebooks").glob("*.ipynb"):
        text = path.read_text(encoding="utf-8")
        assert BEGIN not in text and END not in text
        nb = nbformat.reads(text, as_version=4)
        assert all(c.get("outputs", []) == [] and c.get("execution_count") is None
                   for c in nb.cells if c.cell_type == "code")
        assert not any("solution" in c.get("metadata", {}).get("tags", []) for c in nb.cells)
