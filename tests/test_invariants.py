"""Invariants of the real repository: the seed, the sentence table, generated files that are
fresh and leak nothing, solution notebooks that were run top to bottom, one check cell per
exercise, hints for every exercise, and figure descriptions."""

from __future__ import annotations

import hashlib
import json
import re

import pandas as pd
import pytest

from course.__main__ import main
from course.reading.data import load_sentences
from course.exercises.keys import PUBLIC
from course.exercises.keys import load_readable_keys
from helpers import (BEGIN, DATASETS, END, NOTEBOOKS, READABLE_KEYS, SEALED_KEYS, SEED_SHA256, SHARED_SEED,
                     check_qids, ids, learner_notebooks, read_json_no_duplicates, read_notebook,
                     readable_key_files, solution_lines, solution_notebooks, status_of,
                     stream_text, tags)

SOLUTIONS = solution_notebooks()
LEARNERS = learner_notebooks()
SEED_BYTES = (DATASETS / "seed.txt").read_bytes()
SEED = SEED_BYTES.decode("utf-8")
READABLE = load_readable_keys(READABLE_KEYS)


def readable_spec(notebook) -> dict:
    return read_json_no_duplicates(READABLE_KEYS / f"{notebook.stem}.json")


# ---------------------------------------------------------------- the seed and the sentence table

def test_seed_checksum():
    assert hashlib.sha256(SEED_BYTES).hexdigest() == SEED_SHA256


def test_seed_is_the_shared_original():
    if not SHARED_SEED.is_file():
        pytest.skip(f"{SHARED_SEED} is not beside this clone")
    assert SEED_BYTES == SHARED_SEED.read_bytes()


def test_sentence_offsets_slice_the_seed():
    table = pd.read_csv(DATASETS / "sentences.csv", dtype=str, keep_default_na=False)
    for row in table.itertuples(index=False):
        assert SEED[int(row.start):int(row.end)] == row.text, row.sentence_id


def test_sentence_and_paragraph_ids_in_order():
    table = load_sentences()
    assert table["sentence_id"].tolist() == [f"S{n}" for n in range(1, len(table) + 1)]
    numbers = [int(p[1:]) for p in table["paragraph_id"]]
    assert numbers == sorted(numbers) and set(numbers) == set(range(1, 7))
    assert table["start"].is_monotonic_increasing


def test_sentences_and_whitespace_rebuild_the_seed():
    table = load_sentences()
    rebuilt, position = [], 0
    for row in table.itertuples(index=False):
        gap = SEED[position:row.start]
        assert gap.strip() == "", f"text between sentences before {row.sentence_id}: {gap!r}"
        rebuilt += [gap, row.text]
        position = row.end
    assert SEED[position:].strip() == ""
    assert "".join(rebuilt) + SEED[position:] == SEED


def test_paragraph_breaks_fall_between_paragraphs():
    table = load_sentences()
    for before, after in zip(table.itertuples(index=False), table.iloc[1:].itertuples(index=False)):
        blank_line = "\n\n" in SEED[before.end:after.start]
        assert blank_line == (before.paragraph_id != after.paragraph_id), after.sentence_id


# ---------------------------------------------------------------- generated files

def test_build_check_passes(capsys):
    """`python -m course build --check` (run in-process: test_build runs the real command line)."""
    assert main(["build", "--check"]) == 0, capsys.readouterr().err


def test_same_lessons_on_both_sides():
    assert SOLUTIONS, "no solution notebooks found"
    assert ids(LEARNERS) == ids(SOLUTIONS)
    assert [p.stem for p in readable_key_files()] == [p.stem for p in SOLUTIONS]
    assert sorted(p.name for p in SEALED_KEYS.glob("*.json")) == [p.name for p in readable_key_files()]


@pytest.mark.parametrize("path", LEARNERS, ids=ids(LEARNERS))
def test_learner_notebook_has_no_outputs_or_counts(path):
    for number, cell in enumerate(read_notebook(path).cells, start=1):
        if cell.cell_type == "code":
            assert cell.outputs == [], f"cell {number} has outputs"
            assert cell.execution_count is None, f"cell {number} has an execution count"
        assert "solution" not in tags(cell), f"cell {number} is tagged solution"


@pytest.mark.parametrize("path", LEARNERS, ids=ids(LEARNERS))
def test_learner_notebook_has_no_markers(path):
    text = path.read_text(encoding="utf-8")
    assert "BEGIN SOLUTION" not in text and "END SOLUTION" not in text


def json_forms(line: str) -> set[str]:
    """How a line of source can appear inside a notebook's JSON text."""
    return {json.dumps(line, ensure_ascii=False)[1:-1], json.dumps(line)[1:-1]}


@pytest.mark.parametrize("path", SOLUTIONS, ids=ids(SOLUTIONS))
def test_learner_notebook_contains_no_solution_line(path):
    learner_json = (NOTEBOOKS / path.name).read_text(encoding="utf-8")
    leaks = []
    for number, cell in enumerate(read_notebook(path).cells, start=1):
        for line in solution_lines(cell):
            line = line.strip()
            if len(line) > 12 and line != "..." and any(form in learner_json for form in json_forms(line)):
                leaks.append(f"cell {number}: {line}")
    assert not leaks, f"solution text in the learner notebook {path.name}: {leaks}"


@pytest.mark.parametrize("path", SOLUTIONS, ids=ids(SOLUTIONS))
def test_learner_sees_a_placeholder_wherever_a_solution_was_removed(path):
    kept = [c for c in read_notebook(path).cells if "solution" not in tags(c)]
    learner = read_notebook(NOTEBOOKS / path.name).cells
    assert len(kept) == len(learner)
    for number, (solution_cell, learner_cell) in enumerate(zip(kept, learner), start=1):
        if BEGIN in solution_cell.source:
            assert "..." in learner_cell.source, f"learner cell {number} lost its placeholder"
        if check_qids(solution_cell):
            assert learner_cell.source == solution_cell.source, f"learner check cell {number} differs"


# ---------------------------------------------------------------- solution notebooks were run top to bottom

@pytest.mark.parametrize("path", SOLUTIONS, ids=ids(SOLUTIONS))
def test_solution_execution_counts_run_one_to_n(path):
    counts = [c.execution_count for c in read_notebook(path).cells if c.cell_type == "code"]
    assert counts == list(range(1, len(counts) + 1)), \
        "re-run the solution top to bottom with `python -m course execute`"


@pytest.mark.parametrize("path", SOLUTIONS, ids=ids(SOLUTIONS))
def test_solution_check_cells_say_correct_or_recorded_for_open_answers(path):
    kinds = {qid: ex["kind"] for qid, ex in readable_spec(path)["exercises"].items()}
    for number, cell in enumerate(read_notebook(path).cells, start=1):
        for qid in check_qids(cell):
            out = stream_text(cell)
            assert out, f"check cell {number} has no output"
            expected = "Recorded" if kinds[qid] == "open" else "Correct"
            assert status_of(out) == expected, f"cell {number}: {out}"
            statuses = [line for line in out.splitlines() if re.match(r"^[✓✗○◆] ", line)]
            assert len(statuses) == 1, f"cell {number} printed more than one feedback block"
            assert not any(o.output_type == "error" for o in cell.outputs)


@pytest.mark.parametrize("path", SOLUTIONS, ids=ids(SOLUTIONS))
def test_solution_has_no_errors_or_stderr(path):
    for number, cell in enumerate(read_notebook(path).cells, start=1):
        if cell.cell_type == "code":
            assert not [o for o in cell.outputs if o.output_type == "error"], f"cell {number} has an error"
            assert stream_text(cell, "stderr") == "", f"cell {number} wrote to stderr"


@pytest.mark.parametrize("path", SOLUTIONS, ids=ids(SOLUTIONS))
def test_every_figure_has_a_description(path):
    for number, cell in enumerate(read_notebook(path).cells, start=1):
        images = sum("image/png" in o.get("data", {}) for o in cell.get("outputs", []))
        if images:
            described = [line for line in stream_text(cell).splitlines() if line.startswith("Figure description:")]
            assert len(described) >= images, f"cell {number}: {images} figure(s), {len(described)} description(s)"
            assert all(len(line) > len("Figure description: ") + 20 for line in described)


# ---------------------------------------------------------------- exercises, check cells, keys

@pytest.mark.parametrize("path", SOLUTIONS + LEARNERS, ids=[f"solutions/{p.name}" for p in SOLUTIONS] + ids(LEARNERS))
def test_one_check_cell_per_exercise(path):
    qids = list(readable_spec(path)["exercises"])
    tagged = [q for cell in read_notebook(path).cells for q in check_qids(cell)]
    assert sorted(tagged) == sorted(qids), "every exercise needs exactly one check:<qid> cell, and no other"
    assert len(set(tagged)) == len(tagged), "a check tag appears twice"


def answer_qids(cell) -> list[str]:
    """The qids of the `answer:<qid>` tags on one cell."""
    return [t.split(":", 1)[1] for t in tags(cell) if t.startswith("answer:")]


@pytest.mark.parametrize("path", SOLUTIONS + LEARNERS, ids=[f"solutions/{p.name}" for p in SOLUTIONS] + ids(LEARNERS))
def test_one_answer_cell_and_one_check_cell_per_exercise(path):
    """The grader finds each answer by its `answer:<qid>` tag and judges it where the `check:<qid>` cell stands."""
    cells = read_notebook(path).cells
    for qid in readable_spec(path)["exercises"]:
        answers = [n for n, c in enumerate(cells, start=1) if qid in answer_qids(c)]
        checks = [n for n, c in enumerate(cells, start=1) if qid in check_qids(c)]
        assert len(answers) == 1, f"{qid}: {len(answers)} cells tagged answer:{qid}; tag exactly one (the build " \
                                  "tags the code cell just before the check cell)"
        assert len(checks) == 1, f"{qid}: {len(checks)} cells tagged check:{qid}"
        assert answers[0] < checks[0], f"{qid}: the answer cell (cell {answers[0]}) comes after its check"
        answer_cell = cells[answers[0] - 1]
        assert answer_cell.cell_type == "code" and "solution" not in tags(answer_cell), \
            f"{qid}: cell {answers[0]} is tagged answer:{qid} but learners do not see it as a code cell"
        assert not check_qids(answer_cell), f"{qid}: cell {answers[0]} is both an answer and a check cell"
    known = set(readable_spec(path)["exercises"])
    stray = [q for c in cells for q in answer_qids(c) if q not in known]
    assert not stray, f"answer tags for exercises the key does not have: {stray}"


@pytest.mark.parametrize("path", SOLUTIONS, ids=ids(SOLUTIONS))
def test_check_cell_checks_its_own_qid(path):
    for number, cell in enumerate(read_notebook(path).cells, start=1):
        for qid in check_qids(cell):
            assert cell.cell_type == "code", f"cell {number}"
            assert re.search(rf"""check\(\s*["']{re.escape(qid)}["']""", cell.source), \
                f"cell {number} is tagged check:{qid} but does not call check({qid!r}, ...)"


@pytest.mark.parametrize("path", SOLUTIONS, ids=ids(SOLUTIONS))
def test_key_file_names_its_lesson(path):
    spec = readable_spec(path)
    assert spec["lesson"] == path.stem
    assert all(qid.startswith(f"q{path.stem[:2]}_") for qid in spec["exercises"])


def test_qids_unique_across_lessons():
    seen: dict[str, str] = {}
    for path in readable_key_files():
        for qid in read_json_no_duplicates(path)["exercises"]:
            assert qid not in seen, f"{qid} is in both {seen[qid]} and {path.name}"
            seen[qid] = path.name


def offered(ex: dict) -> set[str]:
    """What an exercise shows every learner anyway: its offered words, values and item names."""
    shown = set(ex.get("choices", [])) | set(ex.get("allowed_values", [])) | set(ex.get("accept_values", {}))
    for variants in ex.get("accept_values", {}).values():
        shown |= set(variants)
    if isinstance(ex.get("answer"), dict):
        shown |= set(ex["answer"])  # a mapping's keys are the items to fill in
    shown |= {part for part in re.findall(r"[\w' ]+", ex.get("example", ""))}  # the format example, shown on purpose
    return {s.strip().casefold() for s in shown}


def readable_strings(ex: dict) -> set[str]:
    """The answer strings of one readable exercise (answer, accepted variants, mapping values), except
    the offered words, values and item names that the notebook shows anyway."""
    found: set[str] = set()

    def collect(value):
        if isinstance(value, str):
            found.add(value)
        elif isinstance(value, dict):
            for key, item in value.items():
                collect(key)
                collect(item)
        elif isinstance(value, list):
            for item in value:
                collect(item)
    collect(ex.get("answer"))
    collect(ex.get("accept", []))
    collect(ex.get("model"))
    shown = offered(ex)
    return {s for s in found if len(s) >= 3 and not any(s.casefold() in o for o in shown)}


@pytest.mark.parametrize("path", readable_key_files(), ids=ids(readable_key_files()))
def test_sealed_keys_hold_no_readable_answer(path):
    sealed_path = SEALED_KEYS / path.name
    sealed = json.loads(sealed_path.read_text(encoding="utf-8"))
    for ex in sealed["exercises"].values():
        assert {"title", "kind", "sealed"} <= set(ex) <= PUBLIC | {"sealed"}
        ex["sealed"] = ""  # base64 could contain a short word by chance; what it hides is tested in test_build
        ex.pop("hints", None)  # the lesson shows them anyway; that they hint without telling is tested in test_judge
    readable_part = json.dumps(sealed, ensure_ascii=False).casefold()
    for qid, ex in read_json_no_duplicates(path)["exercises"].items():
        for answer in readable_strings(ex):
            assert answer.casefold() not in readable_part, f"{sealed_path.name} shows {qid}'s answer {answer!r}"
    raw = sealed_path.read_text(encoding="utf-8")
    for qid, ex in read_json_no_duplicates(path)["exercises"].items():
        for text in [v for k, v in ex.items() if k in ("feedback", "explain", "hint", "item_hints", "wrong_hints",
                                                        "model", "discussion", "value_hints")]:
            for phrase in (text.values() if isinstance(text, dict) else [text]):
                assert len(phrase) < 20 or phrase not in raw, f"{sealed_path.name} shows {qid}'s feedback"


@pytest.mark.parametrize("path", SOLUTIONS + LEARNERS, ids=[f"solutions/{p.name}" for p in SOLUTIONS] + ids(LEARNERS))
def test_every_exercise_heading_has_a_hint(path):
    for number, cell in enumerate(read_notebook(path).cells, start=1):
        if cell.cell_type != "markdown":
            continue
        sections = cell.source.split("### Exercise")[1:]
        for section in sections:
            heading = section.splitlines()[0].strip()
            assert "<details" in section and "<summary" in section, \
                f"cell {number}: Exercise {heading} has no <details><summary>Hint</summary> block"


def test_begin_and_end_markers_are_the_builds():
    from course.authoring import build
    assert (build.BEGIN, build.END) == (BEGIN, END)


@pytest.mark.parametrize("path", SOLUTIONS, ids=ids(SOLUTIONS))
def test_open_answer_prompt_is_the_question_the_learner_reads(path):
    """The copy check compares an answer with the key's prompt, so the prompt must be the notebook's own wording."""
    markdown = "\n".join("".join(cell["source"]) for cell in read_notebook(path)["cells"] if cell["cell_type"] == "markdown")
    for qid, ex in readable_spec(path)["exercises"].items():
        if ex.get("kind") == "open":
            assert ex.get("prompt"), f"{qid} has no prompt"
            assert ex["prompt"] in markdown, f"{qid}: the key's prompt is not the question in {path.name}"


NUMBER_WORDS = {w: n for n, w in enumerate("zero one two three four five six seven eight nine ten eleven twelve "
                                            "thirteen fourteen fifteen".split())}
COUNT = re.compile(r"\b(\d+|" + "|".join(NUMBER_WORDS) + r")\s+(?:\w+\s+)?(exercises|checks)\b", re.IGNORECASE)


@pytest.mark.parametrize("path", SOLUTIONS, ids=[p.name for p in SOLUTIONS])
def test_an_exercise_count_in_a_lesson_is_true(path):
    """Counts are not kept by hand: a lesson that states how many exercises it has must be right."""
    nb = read_notebook(path)
    actual = sum(len(check_qids(cell)) for cell in nb.cells)
    for cell in nb.cells:
        if cell.cell_type != "markdown":
            continue
        for number, _ in COUNT.findall(cell.source):
            value = int(number) if number.isdigit() else NUMBER_WORDS[number.lower()]
            assert value == actual, f"{path.name} says {number} exercises; it has {actual}"


@pytest.mark.parametrize("path", SOLUTIONS + readable_key_files(), ids=lambda p: p.name)
def test_nothing_is_left_to_write(path):
    """`add-exercise` marks every text still to write TODO; none may land."""
    text = path.read_text(encoding="utf-8")
    assert "TODO" not in text, f"{path.name} still has a TODO: write it, or remove the exercise"


@pytest.mark.parametrize("path", SOLUTIONS, ids=[p.name for p in SOLUTIONS])
def test_lessons_import_only_what_a_release_ships(path):
    """A learner release ships course.reading and course.exercises; a lesson that reached further would
    run here and fail in the release."""
    for number, cell in enumerate(read_notebook(path).cells, start=1):
        if cell.cell_type == "code":
            found = re.findall(r"\bcourse\.(authoring|grading)\b", cell.source)
            assert not found, f"{path.name}, cell {number} imports course.{found[0]}, which a release leaves out"


def example_value(text: str) -> object:
    """A key's `example` as a value: `...` where a value is left to the learner, a trailing `...` dropped."""
    import ast

    cleaned = re.sub(r",\s*\.\.\.\s*([}\]])", r"\1", text)
    try:
        return ast.literal_eval(cleaned)
    except (ValueError, SyntaxError):
        return None


@pytest.mark.parametrize("qid", sorted(READABLE))
def test_a_format_example_never_carries_an_answer(qid):
    """What a format message shows (`like {example}`) must not be the answer, or any part of it."""
    from course.exercises.judge import _value_matches, normalise, readings

    ex = READABLE[qid]
    if "example" not in ex or ex.get("example_is_the_warm_up"):
        return
    value = example_value(ex["example"])
    answer = ex.get("answer")
    if isinstance(value, dict) and isinstance(answer, dict):
        shown = {k: v for k, v in value.items() if v is not Ellipsis and not (isinstance(v, str) and "…" in v)
                 and v != "..."}
        given = [k for k, v in shown.items() if k in answer and _value_matches(v, answer[k], ex)]
        assert not given, f"{qid}: its example shows the answer for {given}"
    elif isinstance(value, list) and isinstance(answer, list):
        assert not {normalise(v) for v in value} & {normalise(a) for a in answer}, f"{qid}: example items are answers"
    elif isinstance(value, (int, float, str)) and not isinstance(answer, (dict, list)) and answer is not None:
        same = (normalise(value) == normalise(answer) if isinstance(value, str) else
                abs(float(value) - float(answer)) <= ex.get("tolerance", 0))
        assert not same, f"{qid}: its example is the answer"
