"""What the grader runs in a submitted notebook, in what order, and where it reads `answer`.

The plan is worked out from the cell tags alone, before any of the learner's code runs:

- every code cell runs in order, except check cells (`check:<qid>`): the grader judges with
  the keys itself, so what a check cell says, or whether it is still there, changes nothing;
- just before an exercise's answer cell (`answer:<qid>`), `answer` is set back to `...`, so
  an answer cell that no longer sets `answer` cannot inherit the previous exercise's value;
- `answer` is read where the exercise's check cell stands, or, if that cell is gone, where
  the next exercise starts: a value changed after the check does not count.

>>> from course.grading.submissions import Cell
>>> cells = [Cell(1, "code", "x = 1"), Cell(2, "code", "answer = 2", ["answer:q9_1"]),
...          Cell(3, "code", 'check("q9_1", answer)', ["check:q9_1"]), Cell(4, "code", "answer = 3")]
>>> plan_notebook(cells, ["q9_1"]).actions
[('run', 1), ('reset', 'q9_1'), ('run', 2), ('read', 'q9_1'), ('run', 4)]
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from pathlib import Path

from course.exercises.lessons import ANSWER_TAG, CHECK_TAG, COURSE_ROOT as ROOT
from course.grading.submissions import Cell


@dataclass
class Plan:
    """The steps to run, each exercise's answer cell(s), and what looked wrong in the notebook."""
    actions: list[tuple[str, object]] = field(default_factory=list)  # ("run", n), ("reset", qid), ("read", qid)
    answer_cells: dict[str, list[int]] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)


def cell_label(plan: Plan, number: int) -> str:
    """How notes name a cell: by its exercise when it is an answer cell.

    >>> cell_label(Plan(answer_cells={"q01_3": [25]}), 25), cell_label(Plan(), 9)
    ('the answer cell of q01_3 (cell 25)', 'cell 9')
    """
    qid = next((q for q, cells in plan.answer_cells.items() if number in cells), "")
    return f"the answer cell of {qid} (cell {number})" if qid else f"cell {number}"


def canonical_check(source: str, qid: str) -> bool:
    """True when a check cell still holds only the lesson's own `check("<qid>", answer)`.

    >>> canonical_check('check("q01_2", answer)', "q01_2"), canonical_check('print("Correct")', "q01_2")
    (True, False)
    """
    squeezed = "".join(source.split())   # linear in the cell's size, however much white space it holds
    return squeezed.rstrip(";") in (f'check("{qid}",answer)', f"check('{qid}',answer)")


def plan_notebook(cells: list[Cell], qids: list[str]) -> Plan:
    """The plan for one notebook; `qids` are the exercises of the lesson being graded."""
    plan = Plan()
    wanted = set(qids)
    current = ""            # the exercise whose answer is being written
    started: set[str] = set()
    checks: dict[str, int] = {}
    for cell in cells:
        if cell.kind != "code":
            continue
        answers = [q for q in cell.qids(ANSWER_TAG) if q in wanted]
        checked = [q for q in cell.qids(CHECK_TAG) if q in wanted]
        if current and (checked or (answers and answers[0] != current)):
            plan.actions.append(("read", current))
            current = ""
        for qid in checked:
            checks.setdefault(qid, cell.number)
            if not canonical_check(cell.source, qid):
                plan.notes.append(f"the check cell of {qid} (cell {cell.number}) was edited; the grader ignores "
                                  "check cells")
        if checked:
            continue
        if answers:
            qid = answers[0]
            plan.answer_cells.setdefault(qid, []).append(cell.number)
            if qid not in started:
                plan.actions.append(("reset", qid))
                started.add(qid)
                current = qid
            elif qid != current:
                plan.notes.append(f"cell {cell.number} is a second answer cell of {qid}; it runs as an ordinary cell")
        plan.actions.append(("run", cell.number))
    if current:
        plan.actions.append(("read", current))
    for qid in qids:
        if qid not in started:
            plan.notes.append(f"no answer cell for {qid} (the cell tagged {ANSWER_TAG}{qid} is gone)")
        elif qid not in checks:
            plan.notes.append(f"the check cell of {qid} is gone; its answer was read where the next exercise starts")
    return plan


# What a reading course's answers never need: worth a look when a learner's own code does it.
WORTH_A_LOOK = {
    "os": r"\bimport\s+os\b|\bfrom\s+os\b",
    "subprocess": r"\bsubprocess\b|\bpty\b",
    "the network": r"\bsocket\b|\burllib\b|\brequests\b|\bhttp\.client\b",
    "signals": r"\bsignal\b",
    "the interpreter's internals": r"\bgc\.|\b_getframe\b|\binspect\b|\bctypes\b|__import__|\b(exec|eval)\(",
    "files": r"\bopen\(|\bshutil\b|\.write_text\(|\.read_text\(",
    "the keys or the grader": r"\bcourse\.(exercises|authoring|grading)\b|\bunseal\b|\bload_keys\b|solutions",
}


def lesson_sources(lesson: str, root: Path = ROOT) -> set[str]:
    """The code cells of the lesson's learner notebook as the course ships it (empty if not found)."""
    try:
        nb = json.loads((root / "notebooks" / f"{lesson}.ipynb").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return set()
    return {("".join(c["source"]) if isinstance(c["source"], list) else c["source"]).strip()
            for c in nb.get("cells", []) if c.get("cell_type") == "code"}


def review_notes(cells: list[Cell], shipped: set[str]) -> list[str]:
    """Notes naming the learner's own cells that do what answers never need (files, processes, the keys).

    >>> review_notes([Cell(4, "code", "import subprocess")], set())
    ['cell 4 uses subprocess: worth a look']
    """
    notes = []
    for cell in cells:
        if cell.kind != "code" or cell.source.strip() in shipped:
            continue
        found = [what for what, pattern in WORTH_A_LOOK.items() if re.search(pattern, cell.source)]
        if found:
            notes.append(f"cell {cell.number} uses {', '.join(found)}: worth a look")
    return notes[:3] + ([f"and {len(notes) - 3} more cells worth a look"] if len(notes) > 3 else [])
