"""Generate the learner notebooks and sealed answer keys from the solution side.

Source of truth: `notebooks/solutions/NN_slug.ipynb` and `notebooks/solutions/keys/NN_slug.json`.
Generated:       `notebooks/NN_slug.ipynb`        and `course/keys/NN_slug.json`,
                 and `notebooks/solutions/RUBRICS.md` (the open answers' rubrics, for instructors);
                 and, inside the solution notebooks themselves, each exercise's options and hints,
                 written from its key between two marker comments (`course.authoring.exercise_text`).

In a solution code cell, the lines between `### BEGIN SOLUTION` and `### END SOLUTION`
become `...` at the same indentation, or simply disappear when the line just before the
region is already a placeholder ending in `...` (such as `answer = ...`, or triple-quoted text ending in `...`). A cell tagged
`solution` is dropped. Outputs and
execution counts are removed. Each exercise's answer cell is tagged `answer:<qid>` (the grader
finds answers by this tag, as it finds check cells by `check:<qid>`). If anything is wrong,
nothing is written.

>>> strip_solution("answer = ...\\n### BEGIN SOLUTION\\nanswer = 6\\n### END SOLUTION\\n", "nb", 1)
'answer = ...\\n'
>>> strip_solution("x = 1\\n### BEGIN SOLUTION\\ny = x + 1\\n### END SOLUTION\\n", "nb", 1)
'x = 1\\n...\\n'
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from pathlib import Path

from course.authoring.exercise_text import ExerciseTextError, refresh_cells
from course.exercises.keys import KEYS_DIR, points_of, seal_spec, validate_spec
from course.exercises.lessons import ANSWER_TAG, CHECK_TAG, COURSE_ROOT as ROOT, tagged_qids

BEGIN, END = "### BEGIN SOLUTION", "### END SOLUTION"
_MARKER = re.compile(r"^(\s*)### (BEGIN|END) SOLUTION\s*$")
# A line that only assigns a placeholder, such as `answer = ...` or a triple-quoted `...`.
_PLACEHOLDER = re.compile(r"^(\s*)[A-Za-z_]\w*\s*=\s*(\.\.\.|\"\"\"\.\.\.\"\"\"|'''\.\.\.'''|\"\.\.\.\"|'\.\.\.')\s*$")


class BuildError(Exception):
    """The solution side has a problem; the message names the file and the cell."""


def strip_solution(source: str, notebook: str, cell_number: int) -> str:
    """Replace each solution region in one cell's source with `...` at the marker's indentation."""
    out: list[str] = []
    last_original = ""  # the last line kept from the source, not one the build wrote
    inside_since: int | None = None
    for line_number, line in enumerate(source.splitlines(keepends=True), start=1):
        marker = _MARKER.match(line.rstrip("\n"))
        if marker and marker.group(2) == "BEGIN":
            if inside_since is not None:
                raise BuildError(f"{notebook}, cell {cell_number}: '{BEGIN}' on line {line_number} comes "
                                 f"before the '{END}' for the one on line {inside_since}.")
            inside_since = line_number
            placeholder = _PLACEHOLDER.match(last_original.rstrip("\n"))
            placeholder_before = (bool(out) and out[-1] is last_original and placeholder is not None
                                  and placeholder.group(1) == marker.group(1))
            if not placeholder_before:
                out.append(f"{marker.group(1)}...\n")
        elif marker:
            if inside_since is None:
                raise BuildError(f"{notebook}, cell {cell_number}: '{END}' on line {line_number} has no "
                                 f"'{BEGIN}' before it.")
            inside_since = None
        elif inside_since is None:
            out.append(line)
            last_original = line
    if inside_since is not None:
        raise BuildError(f"{notebook}, cell {cell_number}: '{BEGIN}' on line {inside_since} has no "
                         f"matching '{END}'.")
    return "".join(out)


def tag_answer_cells(cells: list, notebook: str) -> None:
    """Tag each exercise's answer cell `answer:<qid>`, in place.

    The answer cell is the code cell just before the exercise's check cell, skipping cells
    tagged `solution` (the solution notebook's own answer, dropped for learners). A cell the
    author already tagged `answer:<qid>` is kept as it is.

    >>> cells = [{"cell_type": "code", "metadata": {}}, {"cell_type": "code", "metadata": {"tags": ["check:q9_1"]}}]
    >>> tag_answer_cells(cells, "nb")
    >>> cells[0]["metadata"]["tags"]
    ['answer:q9_1']
    """
    tagged = {q for cell in cells for q in tagged_qids(cell, ANSWER_TAG)}
    for number, cell in enumerate(cells, start=1):
        for qid in tagged_qids(cell, CHECK_TAG):
            if qid in tagged:
                continue
            before = [c for c in cells[:number - 1] if c["cell_type"] == "code"
                      and "solution" not in c.get("metadata", {}).get("tags", [])]
            if not before or tagged_qids(before[-1], CHECK_TAG):
                raise BuildError(f"{notebook}, cell {number}: the check cell of {qid} has no answer cell before it; "
                                 f"put the cell where learners answer just before it, or tag that cell "
                                 f"'{ANSWER_TAG}{qid}'.")
            tags = before[-1].setdefault("metadata", {}).setdefault("tags", [])
            tags.append(f"{ANSWER_TAG}{qid}")
            tagged.add(qid)


def read_solution(path: Path, exercises: dict[str, dict]):
    """A solution notebook, its exercises' options and hints refreshed from the key (in memory)."""
    import nbformat  # imported here: it takes a second or two, and only the build needs it

    try:
        nb = nbformat.read(path, as_version=4)
    except Exception as error:  # nbformat raises several kinds for unreadable files
        raise BuildError(f"{path}: not a readable notebook ({type(error).__name__}).") from None
    qids = [q for cell in nb.cells for q in tagged_qids(cell, CHECK_TAG)]
    try:
        refresh_cells(nb.cells, exercises, str(path), qids)
    except ExerciseTextError as error:
        raise BuildError(str(error)) from None
    return nb


def notebook_text(nb) -> str:
    """A notebook as the course stores it: nbformat's JSON and a final newline."""
    import nbformat

    return nbformat.writes(nb) + "\n"


def learner_notebook(nb, path: Path) -> str:
    """Return the JSON text of the learner version of one (refreshed) solution notebook."""
    import copy

    nb = copy.deepcopy(nb)
    tag_answer_cells(nb.cells, str(path))
    cells = []
    for number, cell in enumerate(nb.cells, start=1):
        if "solution" in cell.get("metadata", {}).get("tags", []):
            continue
        if cell.cell_type == "code":
            cell.source = strip_solution(cell.source, str(path), number)
            cell.outputs = []
            cell.execution_count = None
        elif BEGIN in cell.source or END in cell.source:
            raise BuildError(f"{path}, cell {number}: solution markers belong in code cells; tag a "
                             "markdown cell 'solution' to drop it.")
        cell.metadata.pop("execution", None)
        cells.append(cell)
    nb.cells = cells
    nb.metadata = {k: v for k, v in nb.metadata.items() if k in ("kernelspec", "language_info")}
    return notebook_text(nb)


def read_spec(path: Path) -> dict:
    """One readable key file, checked: its lesson and exercises; BuildError names every problem."""
    try:
        spec = json.loads(path.read_text(encoding="utf-8"))
    except ValueError as error:
        raise BuildError(f"{path}: not valid JSON ({error}).") from None
    problems = validate_spec(spec, str(path))
    if problems:
        raise BuildError("; ".join(problems))
    return spec


def sealed_keys(path: Path, mode: str = "self-study") -> str:
    """Return the JSON text of the key a learner gets for one readable key file, in a release mode."""
    return json.dumps(seal_spec(read_spec(path), mode), indent=1, sort_keys=True, ensure_ascii=False) + "\n"


def rubrics_page(key_paths: list[Path]) -> str:
    """The instructors' page of every open exercise: question, rubric points and model answer.

    Generated from the readable keys, so the rubric an instructor marks with, the one the
    check shows a learner, and the grader's marking sheets are the same text.
    """
    lines = ["# Rubrics for the open answers", "",
             "Generated by `python -m course build` from `notebooks/solutions/keys/`; edit the keys, not this page.",
             "Each rubric point is worth one point. A learner working alone sees the same model answer and points",
             "after the check records an answer; the grader's marking sheets list them beside each answer.", ""]
    for path in key_paths:
        spec = json.loads(path.read_text(encoding="utf-8"))
        for qid, ex in spec.get("exercises", {}).items():
            if ex.get("kind") != "open":
                continue
            number = qid[1:].replace("_", ".").lstrip("0")
            lines += [f"## Exercise {number} — {ex['title']} ({spec['lesson']}, `{qid}`, "
                      f"{points_of(ex):g} points)", ""]
            if ex.get("prompt"):
                lines += [f"**Question.** {ex['prompt']}", ""]
            lines += ["| Point | The answer… |", "|---|---|"]
            lines += [f"| {n} | {point} |" for n, point in enumerate(ex.get("rubric", []), start=1)]
            lines += ["", f"**Model answer.** {ex.get('model', '')}", ""]
    return "\n".join(lines).rstrip() + "\n"


@dataclass
class Plan:
    """Every file the build would write, with its new content."""
    files: dict[Path, str] = field(default_factory=dict)
    orphans: list[Path] = field(default_factory=list)


def plan(root: Path = ROOT) -> Plan:
    """Work out the whole build in memory, raising BuildError before anything is written."""
    solutions, learners = root / "notebooks" / "solutions", root / "notebooks"
    keys_out = KEYS_DIR if root == ROOT else root / "course" / "keys"
    result = Plan()
    key_paths = sorted((solutions / "keys").glob("*.json"))
    exercises: dict[str, dict] = {}   # every lesson's, by id: ids are unique across the course
    for source in key_paths:
        result.files[keys_out / source.name] = sealed_keys(source)
        exercises.update(read_spec(source)["exercises"])
    for source in sorted(solutions.glob("*.ipynb")):
        nb = read_solution(source, exercises)
        result.files[source] = notebook_text(nb)       # unchanged unless a key's options or hints changed
        result.files[learners / source.name] = learner_notebook(nb, source)
    result.files[solutions / "RUBRICS.md"] = rubrics_page(key_paths)
    wanted = set(result.files)
    result.orphans = [p for p in sorted(learners.glob("*.ipynb")) + sorted(keys_out.glob("*.json"))
                      if p not in wanted]
    return result


def stale_files(build: Plan) -> list[Path]:
    """The generated files that are missing or differ from what the build would write."""
    return [p for p, text in build.files.items()
            if not p.is_file() or p.read_text(encoding="utf-8") != text]


def write(build: Plan) -> list[Path]:
    """Write the planned files (only those that changed) and remove orphans; return what changed."""
    changed = stale_files(build)
    for path in changed:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(build.files[path], encoding="utf-8")
    for path in build.orphans:
        path.unlink()
    return changed + build.orphans
