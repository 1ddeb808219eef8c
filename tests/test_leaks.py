"""course/leaks.py: each rule of the leak scan finds its leak, with one message naming the file,
and a clean learner folder passes. Folders are built in tmp from the real learner files."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from course.exercises.keys import seal_spec
from course.authoring.leaks import Leak, answer_patterns, references, scan
from helpers import DATASETS, READABLE_KEYS, ROOT, learner_notebooks, readable_key_files, solution_notebooks

MODEL_QID, MAPPING_QID, NUMBER_QID = "q01_8", "q01_2", "q00_3"


def readable(qid: str) -> dict:
    for path in readable_key_files():
        exercises = json.loads(path.read_text(encoding="utf-8"))["exercises"]
        if qid in exercises:
            return exercises[qid]
    raise KeyError(qid)


@pytest.fixture
def folder(tmp_path) -> Path:
    """A clean learner folder: learner notebooks, sealed keys, the data and a README."""
    root = tmp_path / "release"
    (root / "notebooks").mkdir(parents=True)
    for path in learner_notebooks():
        shutil.copy(path, root / "notebooks" / path.name)
    (root / "course" / "keys").mkdir(parents=True)
    for path in readable_key_files():
        sealed = seal_spec(json.loads(path.read_text(encoding="utf-8")), "self-study")
        (root / "course" / "keys" / path.name).write_text(json.dumps(sealed), encoding="utf-8")
    for path in sorted((ROOT / "course").glob("*.py")):
        shutil.copy(path, root / "course" / path.name)
    for layer in ("reading", "exercises"):
        shutil.copytree(ROOT / "course" / layer, root / "course" / layer, ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copytree(DATASETS, root / "datasets")
    (root / "README.md").write_text(
        "# Course\n\nStart with [lesson 00](notebooks/00_start_here.ipynb); the data is described in "
        "`datasets/README.md`. Your copies go in `my-work/`, your results in `.course_progress.json`, and "
        "`export_answers` writes `answers_01.json`. See also <https://example.org/page>.\n", encoding="utf-8")
    return root


def leaks_in(root: Path, mode: str = "self-study") -> list[Leak]:
    return scan(root, READABLE_KEYS, mode)


def only_leak(root: Path, path: str, fragment: str, mode: str = "self-study") -> None:
    found = leaks_in(root, mode)
    assert len(found) == 1, "\n".join(map(str, found)) or "no leak found"
    assert found[0].path == path and fragment in found[0].what, str(found[0])


def test_a_clean_learner_folder_passes(folder):
    assert leaks_in(folder) == []


def test_a_graded_folder_with_keys_that_hold_no_answers_passes(folder):
    for path in readable_key_files():
        graded = seal_spec(json.loads(path.read_text(encoding="utf-8")), "graded")
        (folder / "course" / "keys" / path.name).write_text(json.dumps(graded), encoding="utf-8")
    assert leaks_in(folder, "graded") == []


@pytest.mark.parametrize("name, fragment", [
    ("notebooks/solutions/00_start_here.ipynb", "solution side"),
    ("RUBRICS.md", "rubrics"),
    ("docs/INSTRUCTOR_GUIDE.md", "instructor guide"),
    ("GRADING.md", "grading"),
    ("notebooks/.course_progress.json", "saved answers"),
    ("answers_01.json", "exported answers"),
])
def test_solution_side_files_must_not_ship(folder, name, fragment):
    target = folder / name
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text("{}", encoding="utf-8")
    only_leak(folder, name, fragment)


def test_a_solution_notebook_under_a_learner_name_is_found(folder):
    solution = solution_notebooks()[0]
    shutil.copy(solution, folder / "notebooks" / solution.name)
    only_leak(folder, f"notebooks/{solution.name}", "solution notebook")


def test_a_notebook_with_outputs_is_found(folder):
    path = learner_notebooks()[0]
    nb = json.loads(path.read_text(encoding="utf-8"))
    code = next(c for c in nb["cells"] if c["cell_type"] == "code")
    code["outputs"] = [{"output_type": "stream", "name": "stdout", "text": "hello\n"}]
    (folder / "notebooks" / path.name).write_text(json.dumps(nb), encoding="utf-8")
    only_leak(folder, f"notebooks/{path.name}", "has outputs")


def test_a_readable_key_is_found(folder):
    key = readable_key_files()[0]
    shutil.copy(key, folder / "course" / "keys" / key.name)
    only_leak(folder, f"course/keys/{key.name}", "answers in clear")


def test_sealed_keys_are_a_leak_in_a_graded_release_only(folder):
    assert leaks_in(folder, "self-study") == []
    found = leaks_in(folder, "graded")
    assert {leak.path for leak in found} == {f"course/keys/{p.name}" for p in readable_key_files()}
    assert all("sealed answers" in leak.what for leak in found)


def test_a_model_answer_pasted_anywhere_is_found(folder):
    model = readable(MODEL_QID)["model"]
    (folder / "course" / "notes.py").write_text(f'"""Notes.\n\n{model}\n"""\n', encoding="utf-8")
    only_leak(folder, "course/notes.py", f"answer key of {MODEL_QID}")


@pytest.mark.parametrize("code", [
    'def test_x():\n    check("{qid}", {answer})\n',
    'RESULTS = {{\n    "{qid}":\n        {answer},\n}}\n',
])
def test_an_answer_next_to_its_exercise_id_is_found(folder, code):
    number = readable(NUMBER_QID)["answer"]
    (folder / "tests").mkdir()
    (folder / "tests" / "test_answers.py").write_text(code.format(qid=NUMBER_QID, answer=number), encoding="utf-8")
    only_leak(folder, "tests/test_answers.py", f"names {NUMBER_QID} together with its answer")


def test_a_mapping_answer_next_to_its_exercise_id_is_found(folder):
    answer = readable(MAPPING_QID)["answer"]
    (folder / "notes.md").write_text(f"```python\ncheck(\"{MAPPING_QID}\", {json.dumps(answer)})\n```\n",
                                     encoding="utf-8")
    only_leak(folder, "notes.md", f"names {MAPPING_QID} together with its answer")


def test_the_id_and_a_wrong_answer_are_no_leak(folder):
    (folder / "tests").mkdir()
    (folder / "tests" / "test_x.py").write_text(f'check("{NUMBER_QID}", 12345)\ncheck("{MAPPING_QID}", ...)\n',
                                                encoding="utf-8")
    assert leaks_in(folder) == []


@pytest.mark.parametrize("text, fragment", [
    ("The worked solutions are in `notebooks/solutions/`.", "mentions notebooks/solutions/"),
    ("Marking points: see RUBRICS.md.", "mentions RUBRICS.md"),
    ("Read [the glossary](docs/glossary.md) first.", "points at docs/glossary.md"),
    ("The table is in `datasets/missing_table.csv`.", "points at datasets/missing_table.csv"),
])
def test_learner_docs_point_at_nothing_the_folder_lacks(folder, text, fragment):
    readme = folder / "README.md"
    readme.write_text(readme.read_text(encoding="utf-8") + "\n" + text + "\n", encoding="utf-8")
    only_leak(folder, "README.md", fragment)


def test_a_lesson_that_points_at_the_solutions_is_found(folder):
    path = learner_notebooks()[0]
    nb = json.loads(path.read_text(encoding="utf-8"))
    nb["cells"].append({"cell_type": "markdown", "metadata": {}, "id": "stuck",
                        "source": "Stuck? Open the [worked solution](solutions/00_start_here.ipynb)."})
    (folder / "notebooks" / path.name).write_text(json.dumps(nb), encoding="utf-8")
    only_leak(folder, f"notebooks/{path.name}", "mentions solutions/")


def test_references_are_links_and_file_paths_only():
    text = ("[a](../datasets/README.md) [b](https://x.org/a.md) [c](#top) `len(table)` `S1` "
            "`datasets/seed.txt` `pd.read_csv` <img src=\"figures/one.png\">")
    assert references(text) == ["../datasets/README.md", "figures/one.png", "datasets/seed.txt"]


def test_an_answer_shown_on_purpose_is_not_a_pattern():
    assert answer_patterns({"kind": "text", "answer": "ready", "example": '"ready"'}) == []
    assert answer_patterns({"kind": "open", "model": "..."}) == []
    assert len(answer_patterns({"kind": "set", "answer": ["S1", "S4"]})) == 2


# ---------------------------------------------------------------- rule 7: results stated in prose

def percent(value: float) -> str:
    return f"{round(value * 100)}%"


def add_markdown(folder: Path, lesson: str, text: str) -> str:
    """Append a Markdown cell to a learner notebook of the folder; returns its path in the folder."""
    path = next(p for p in learner_notebooks() if p.name.startswith(lesson))
    nb = json.loads((folder / "notebooks" / path.name).read_text(encoding="utf-8"))
    nb["cells"].append({"cell_type": "markdown", "metadata": {}, "id": "planted", "source": text})
    (folder / "notebooks" / path.name).write_text(json.dumps(nb), encoding="utf-8")
    return f"notebooks/{path.name}"


def test_a_percentage_in_a_lesson_is_found(folder):
    share = readable("q04_2")["answer"]["narration"]
    rel = add_markdown(folder, "04", f"About {percent(share)} of the words are the journalist's narration.")
    only_leak(folder, rel, "result of q04_2")


def test_a_share_in_a_code_comment_is_found(folder):
    share = readable("q05_2")["answer"]["China"]
    path = next(p for p in learner_notebooks() if p.name.startswith("05"))
    nb = json.loads((folder / "notebooks" / path.name).read_text(encoding="utf-8"))
    nb["cells"].append({"cell_type": "code", "metadata": {}, "id": "planted", "execution_count": None, "outputs": [],
                        "source": f"shares = {{}}   # China's comes to {share:.2f}"})
    (folder / "notebooks" / path.name).write_text(json.dumps(nb), encoding="utf-8")
    only_leak(folder, f"notebooks/{path.name}", "result of q05_2")


def test_a_count_of_a_total_in_the_datasheet_is_found(folder):
    share = readable("q01_3")["answer"]            # quoted words over all words
    total = 316
    datasheet = folder / "datasets" / "README.md"
    datasheet.write_text(datasheet.read_text(encoding="utf-8")
                         + f"\n\nQuotation marks hold {round(share * total)} of its {total} words.\n", encoding="utf-8")
    only_leak(folder, "datasets/README.md", "result of q01_3")


def test_a_decimal_on_a_page_is_found(folder):
    score = readable("q03_6")["answer"]
    (folder / "pages").mkdir()
    (folder / "pages" / "03_euphemism.html").write_text(
        f"<html><head><style>p{{margin:-50%}}</style></head><body><p>The text sits at \u2212{abs(score)} on the "
        "scale.</p></body></html>", encoding="utf-8")
    only_leak(folder, "pages/03_euphemism.html", "result of q03_6")


def test_an_answer_set_in_a_key_hint_is_found(folder):
    members = readable("q01_7")["answer"]
    path = folder / "course" / "keys" / "01_the_source_text.json"
    key = json.loads(path.read_text(encoding="utf-8"))
    key["exercises"]["q01_7"]["hints"].append("They are " + ", ".join(members[:-1]) + " and " + members[-1] + ".")
    path.write_text(json.dumps(key), encoding="utf-8")
    only_leak(folder, "course/keys/01_the_source_text.json", "result of q01_7")


def test_a_mapping_stated_pair_by_pair_is_found(folder):
    counts = readable("q01_2")["answer"]
    listing = ", ".join(f"{paragraph} has {words}" for paragraph, words in list(counts.items())[:4])
    (folder / "notes.md").write_text(f"# Notes\n\nWords per paragraph: {listing}.\n", encoding="utf-8")
    only_leak(folder, "notes.md", "result of q01_2")


@pytest.mark.parametrize("text", [
    "Half the text, 0.5 of it, is narration.",               # a one-decimal number is not 0.4525
    "The article has 316 words in 6 paragraphs, of 25 February 2022.",
    "Compare S1, S4 and S5 with S9 and S10.",                # not the set of 1.7, and more
    "P1 is longer than P2; count the words of each.",        # keys without their values
])
def test_numbers_and_ids_that_state_no_result_are_no_leak(folder, text):
    add_markdown(folder, "00", text)
    assert leaks_in(folder) == []


def test_a_later_lesson_may_restate_an_earlier_result(folder):
    share = readable("q01_3")["answer"]
    add_markdown(folder, "04", f"Lesson 01 found that about {percent(share)} of the words are quoted.")
    assert leaks_in(folder) == []
    rel = add_markdown(folder, "00", f"About {percent(share)} of the words are quoted.")
    only_leak(folder, rel, "result of q01_3")
