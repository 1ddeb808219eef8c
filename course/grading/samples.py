"""Made-up submissions for testing and timing the grader: complete, half done, untouched.

A complete submission is the learner notebook with every answer cell filled in as a learner
would type the solution: the solution notebook's answer cell without its markers and
placeholder line, followed by any `solution` cell the solution notebook has before the check.
The same recipe as the nbgrader peer benchmark's `make_submissions.py`, so the two graders
can be timed on like submissions.

>>> filled("answer = ...\\n### BEGIN SOLUTION\\nanswer = 'c'\\n### END SOLUTION")
"answer = 'c'"
"""

from __future__ import annotations

import copy
import json
import math
import re
from pathlib import Path

from course.authoring.build import BEGIN, END
from course.exercises.lessons import ANSWER_TAG, CHECK_TAG, COURSE_ROOT as ROOT, tagged_qids

PLACEHOLDER = re.compile(r"^\s*[A-Za-z_]\w*\s*=\s*(\.\.\.|\"\"\"\.\.\.\"\"\"|'''\.\.\.''')\s*$")


def filled(source: str) -> str:
    """A solution cell as a learner would leave it: markers gone, and the placeholder before them gone."""
    out: list[str] = []
    for line in source.splitlines():
        if BEGIN in line:
            if out and PLACEHOLDER.match(out[-1]):
                out.pop()
        elif END not in line:
            out.append(line)
    return "\n".join(out)


def _source(cell: dict) -> str:
    source = cell.get("source", "")
    return "".join(source) if isinstance(source, list) else source


def answer_sources(solution: dict) -> dict[str, str]:
    """{qid: the code a learner would have in the answer cell} from a solution notebook's JSON."""
    answers: dict[str, str] = {}
    current = ""
    for cell in solution["cells"]:
        if cell["cell_type"] != "code":
            continue
        tags = cell.get("metadata", {}).get("tags", [])
        if tagged_qids(cell, CHECK_TAG):
            current = ""
        elif tagged_qids(cell, ANSWER_TAG):
            current = tagged_qids(cell, ANSWER_TAG)[0]
            answers[current] = filled(_source(cell))
        elif current and "solution" in tags:
            answers[current] += "\n" + _source(cell)
    return answers


def submission(learner: dict, answers: dict[str, str], how_many: int) -> dict:
    """A copy of the learner notebook with its first `how_many` answer cells filled in."""
    nb = copy.deepcopy(learner)
    answer_cells = [c for c in nb["cells"] if tagged_qids(c, ANSWER_TAG)]
    for cell in answer_cells[:how_many]:
        cell["source"] = answers[tagged_qids(cell, ANSWER_TAG)[0]]
    return nb


def write_samples(folder: Path, lesson: str, complete: int = 10, half: int = 10, blank: int = 10,
                  root: Path = ROOT) -> list[Path]:
    """Write completeNN, halfNN and blankNN submissions of one lesson, one folder per learner."""
    name = next((root / "notebooks").glob(f"{lesson}*.ipynb")).name
    learner = json.loads((root / "notebooks" / name).read_text(encoding="utf-8"))
    answers = answer_sources(json.loads((root / "notebooks" / "solutions" / name).read_text(encoding="utf-8")))
    plan = ([(f"complete{i:02d}", len(answers)) for i in range(1, complete + 1)]
            + [(f"half{i:02d}", math.ceil(len(answers) / 2)) for i in range(1, half + 1)]
            + [(f"blank{i:02d}", 0) for i in range(1, blank + 1)])
    paths = []
    for student, how_many in plan:
        path = folder / student / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(submission(learner, answers, how_many), indent=1, ensure_ascii=False) + "\n",
                        encoding="utf-8")
        paths.append(path)
    return paths
