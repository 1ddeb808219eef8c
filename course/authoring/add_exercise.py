"""`python -m course add-exercise NN --kind KIND`: a new exercise's cells and key, ready to fill in.

    python -m course add-exercise 03 --kind choice [--title "A title"] [--label judge] [--after CELL]

It gives the exercise the lesson's next id (q03_10 after q03_9), then writes:

- in `notebooks/solutions/NN_slug.ipynb`: a Markdown cell with the heading and a question to
  write, and the marker lines where the build puts the options and hints; the answer cell
  (`answer = ...` and the solution between the markers), tagged `answer:<qid>`; the check cell,
  tagged `check:<qid>`. They go after cell CELL, or else before the lesson's "Reflection" (or
  "Key points") section, or at its end;
- in `notebooks/solutions/keys/NN_slug.json`: the exercise's key for that kind, every text to
  write marked TODO.

Then it runs the build, so the lesson shows the key's options and hints at once. The stub is
valid (build and execute work on it) but unfinished on purpose: the test suite fails while any
TODO is left in a key or a lesson. Nothing is written if anything is wrong.

>>> next_qid(["q03_1", "q03_9", "q03_10"], "03")
'q03_11'
"""

from __future__ import annotations

import json
import re
from pathlib import Path

from course.authoring.build import BEGIN, END, BuildError, plan, write
from course.authoring.exercise_text import CLOSING, OPENING
from course.exercises.keys import KINDS, validate_spec
from course.exercises.lessons import COURSE_ROOT, lesson_paths

TODO = "TODO"
# What the lessons' headings call each kind of exercise: "### Exercise 3.1 — A title (judge)".
LABELS = {"choice": "judge", "set": "find", "text": "find", "number": "compute", "mapping": "compute",
          "open": "interpret, open answer"}
# An open answer's stub: of the form the check records (English, long enough, citing an id), so execute passes.
MODEL_STUB = (f"{TODO}: replace this paragraph with the model answer. It makes one claim in each sentence and cites "
              "the sentence ids it rests on, such as S1. The check records any answer of this form, so the model "
              "shows learners what a careful answer looks like.")
ANSWER_STUB = (f"{TODO}: replace this with the solution's own answer, written apart from the model answer. Name "
               "a claim of the text with its sentence id, such as S2, and the words that support it; a check refuses "
               "an answer that copies the model.")
ANSWER_HINT = {"choice": '"a"', "set": '["TODO"]', "text": '"TODO"', "number": "0", "mapping": '{"S1": "TODO"}',
               "open": f'"""{ANSWER_STUB}"""'}


class AddExerciseError(Exception):
    """The exercise cannot be added; the message says why. Nothing was written."""


def next_qid(qids: list[str], lesson: str) -> str:
    """The next exercise id of a lesson: one more than the highest it has."""
    numbers = [int(q.split("_")[1]) for q in qids if re.fullmatch(rf"q{lesson}_\d+", q)]
    return f"q{lesson}_{max(numbers, default=0) + 1}"


def key_stub(kind: str, title: str) -> dict:
    """A valid key for a new exercise of `kind`, every text still to write marked TODO."""
    stub: dict = {"title": title, "kind": kind,
                  "hints": [f"{TODO}: a hint that points at the concept, never at the answer."]}
    if kind == "choice":
        stub["options"] = {letter: f"{TODO}: option {letter}, as the learner reads it." for letter in "abcd"}
        stub["answer"] = "a"
        stub["feedback"] = {letter: f"{TODO}: what choosing {letter} shows about the learner's reading."
                            for letter in "abcd"}
    elif kind == "set":
        stub.update(answer=[TODO], noun="items", example='["S1", "S2"]')
    elif kind == "text":
        stub.update(answer=TODO, example='"S1"')
    elif kind == "number":
        stub.update(answer=0, tolerance=0)
    elif kind == "mapping":
        stub.update(answer={"S1": TODO}, example='{"S1": "..."}')
    else:
        stub.update(prompt=f"{TODO}: the question, as the lesson asks it.", min_words=30, max_words=250,
                    model=MODEL_STUB,
                    rubric=[f"{TODO}: what one point rewards."])
    if kind not in ("open", "choice"):   # a choice exercise says its right option's feedback instead
        stub["explain"] = f"{TODO}: what a learner who got it right should take away."
    return stub


def new_cells(qid: str, kind: str, title: str, number: str, label: str = "") -> list:
    """The Markdown, answer and check cells of a new exercise."""
    from nbformat.v4 import new_code_cell, new_markdown_cell

    label = label or LABELS[kind]
    question = new_markdown_cell(f"### Exercise {number} — {title} ({label})\n\n{TODO}: the question.\n\n"
                                 f"{OPENING.format(qid=qid)}\n\n{CLOSING.format(qid=qid)}")
    placeholder = 'answer = """..."""' if kind == "open" else "answer = ..."
    answer = new_code_cell(f"{placeholder}\n{BEGIN}\nanswer = {ANSWER_HINT[kind]}\n{END}")
    answer.metadata["tags"] = [f"answer:{qid}"]
    check = new_code_cell(f'check("{qid}", answer)')
    check.metadata["tags"] = [f"check:{qid}"]
    return [question, answer, check]


def insertion_point(cells: list, after: int | None) -> int:
    """Where the new cells go: after cell `after` (counted from 1), else before Reflection or Key points, else last."""
    if after is not None:
        if not 0 <= after <= len(cells):
            raise AddExerciseError(f"--after {after}: the lesson has cells 1 to {len(cells)}.")
        return after
    for index, cell in enumerate(cells):
        if cell.cell_type == "markdown" and re.match(r"#+\s+(Reflection|Key points)\b", cell.source):
            return index
    return len(cells)


def find_lesson(lesson: str, root: Path) -> Path:
    number = lesson.split("_")[0].zfill(2)
    found = [p for p in lesson_paths(root / "notebooks" / "solutions") if p.name.startswith(number + "_")]
    if len(found) != 1:
        raise AddExerciseError(f"No single solution notebook for lesson {lesson!r} in {root / 'notebooks' / 'solutions'}"
                               f" (found {len(found)}). Give the lesson's number, such as 03.")
    return found[0]


def add_exercise(lesson: str, kind: str, title: str = "", after: int | None = None,
                 root: Path = COURSE_ROOT, label: str = "") -> tuple[str, Path, Path]:
    """Add a new exercise to a lesson; return its id, the notebook and the key file written."""
    import nbformat

    if kind not in KINDS:
        raise AddExerciseError(f"--kind must be one of {', '.join(sorted(KINDS))}, not {kind!r}.")
    path = find_lesson(lesson, root)
    key_path = path.parent / "keys" / f"{path.stem}.json"
    spec = json.loads(key_path.read_text(encoding="utf-8")) if key_path.is_file() else \
        {"lesson": path.stem, "exercises": {}}
    number = path.name[:2]
    qid = next_qid(list(spec["exercises"]), number)
    title = title.strip() or f"{TODO}: a title"
    spec["exercises"][qid] = key_stub(kind, title)
    problems = validate_spec(spec, str(key_path))
    if problems:
        raise AddExerciseError("; ".join(problems))
    nb = nbformat.read(path, as_version=4)
    place = insertion_point(nb.cells, after)
    nb.cells[place:place] = new_cells(qid, kind, title, f"{int(number)}.{qid.split('_')[1]}", label)
    old_key = key_path.read_text(encoding="utf-8") if key_path.is_file() else None
    old_nb = path.read_text(encoding="utf-8")
    key_path.write_text(json.dumps(spec, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    nbformat.write(nb, path)
    try:
        write(plan(root))
    except BuildError:
        if old_key is None:
            key_path.unlink()
        else:
            key_path.write_text(old_key, encoding="utf-8")
        path.write_text(old_nb, encoding="utf-8")
        raise
    return qid, path, key_path
