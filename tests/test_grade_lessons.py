"""Every lesson, graded: the keys, the tags and the grader agree on the worked solution and on a learner
notebook filled in with it. The six gradings run one after another in a single grader process (as an
instructor grading several lessons in a row), which the tests then read lesson by lesson. Apart from
test_grade.py so that, under pytest-xdist, the two files can run in different workers."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from helpers import READABLE_KEYS, ROOT, SOLUTIONS
from test_grade import complete, read_csv

pytestmark = pytest.mark.slow

LESSONS = sorted(p.stem for p in SOLUTIONS.glob("[0-9][0-9]_*.ipynb"))
GRADE_EACH = """
import sys
from course.__main__ import main
codes = [main(["grade", f"{base}/{lesson}/solution", f"{base}/{lesson}/filled", "--out", f"{base}/{lesson}/g.csv"])
         for base in [sys.argv[1]] for lesson in sys.argv[2:]]
sys.exit(max(codes))
"""


@pytest.fixture(scope="module")
def graded(tmp_path_factory) -> Path:
    """Each lesson's solution and filled learner notebook, graded; the grade sheets in one folder per lesson."""
    base = tmp_path_factory.mktemp("lessons-graded")
    for lesson in LESSONS:
        (base / lesson / "solution").mkdir(parents=True)
        (base / lesson / "solution" / f"{lesson}.ipynb").write_bytes((SOLUTIONS / f"{lesson}.ipynb").read_bytes())
        (base / lesson / "filled").mkdir()
        (base / lesson / "filled" / f"{lesson}.ipynb").write_text(json.dumps(complete(lesson)), encoding="utf-8")
    result = subprocess.run([sys.executable, "-c", GRADE_EACH, str(base), *LESSONS], cwd=ROOT, capture_output=True,
                            text=True, timeout=300)
    assert result.returncode == 0, result.stderr[-3000:]
    return base


@pytest.mark.parametrize("lesson", LESSONS)
def test_every_lesson_solution_and_filled_learner_notebook_get_every_automatic_point(lesson, graded):
    """The worked solution and a learner notebook filled with it earn every automatic point, and each open
    answer waits for its mark."""
    keys = json.loads((READABLE_KEYS / f"{lesson}.json").read_text(encoding="utf-8"))["exercises"]
    rows = read_csv(graded / lesson / "g.csv")
    assert sorted(row["learner"] for row in rows) == ["filled", "solution"]
    for row in rows:
        expected = {q: "" if ex["kind"] == "open" else str(ex.get("points", 1)) for q, ex in keys.items()}
        assert {q: row[q] for q in keys} == expected, row["learner"]
        assert (row["status"], row["notes"]) == ("ok", ""), row["learner"]
