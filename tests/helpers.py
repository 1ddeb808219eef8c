"""Small helpers shared by the course's tests: paths, notebook reading, feedback parsing.

Every helper works on any number of lessons: lessons are found by globbing, never listed.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import nbformat

ROOT = Path(__file__).resolve().parent.parent
DATASETS = ROOT / "datasets"
NOTEBOOKS = ROOT / "notebooks"
SOLUTIONS = NOTEBOOKS / "solutions"
READABLE_KEYS = SOLUTIONS / "keys"
SEALED_KEYS = ROOT / "course" / "keys"
SHARED_SEED = ROOT.parent / "shared" / "seed" / "000_c3d1a323baf592fa.txt"
SEED_SHA256 = "63853985c4e0b4ac62ce8798a0fa773f7724ddfc15e909eede6b18369b9d330a"

BEGIN, END = "### BEGIN SOLUTION", "### END SOLUTION"
MARKER = re.compile(r"^\s*### (BEGIN|END) SOLUTION\s*$")

# "✓ Correct: ...", "✗ Not yet: ...", "○ Not attempted: ...", "◆ Recorded: ..."
FEEDBACK = re.compile(r"^(?P<symbol>[✓✗○◆]) (?P<status>Correct|Not yet|Not attempted|Recorded):")
SYMBOL_FOR = {"Correct": "✓", "Not yet": "✗", "Not attempted": "○", "Recorded": "◆"}


# ---------------------------------------------------------------- files

def solution_notebooks() -> list[Path]:
    """Every solution notebook, NN_slug.ipynb, sorted."""
    return sorted(SOLUTIONS.glob("[0-9][0-9]_*.ipynb"))


def learner_notebooks() -> list[Path]:
    """Every learner notebook, NN_slug.ipynb, sorted."""
    return sorted(NOTEBOOKS.glob("[0-9][0-9]_*.ipynb"))


def readable_key_files() -> list[Path]:
    """Every readable answer key, notebooks/solutions/keys/NN_slug.json, sorted."""
    return sorted(READABLE_KEYS.glob("*.json"))


def ids(paths: list[Path]) -> list[str]:
    """Test ids for parametrising over files: the file name."""
    return [p.name for p in paths]


def read_notebook(path: Path) -> nbformat.NotebookNode:
    return nbformat.read(path, as_version=4)


def read_json_no_duplicates(path: Path) -> dict:
    """Load JSON, failing on a key that appears twice in one object (json.load keeps the last)."""
    def pairs(items):
        keys = [k for k, _ in items]
        duplicates = sorted({k for k in keys if keys.count(k) > 1})
        assert not duplicates, f"{path}: duplicate keys {duplicates}"
        return dict(items)
    return json.loads(path.read_text(encoding="utf-8"), object_pairs_hook=pairs)


# ---------------------------------------------------------------- cells

def tags(cell) -> list[str]:
    return list(cell.get("metadata", {}).get("tags", []))


def check_qids(cell) -> list[str]:
    """The qids of the `check:<qid>` tags on one cell."""
    return [t.split(":", 1)[1] for t in tags(cell) if t.startswith("check:")]


def stream_text(cell, name: str = "stdout") -> str:
    """All text a code cell wrote to one stream."""
    return "".join(o.get("text", "") for o in cell.get("outputs", [])
                   if o.get("output_type") == "stream" and o.get("name") == name)


def solution_lines(cell) -> list[str]:
    """The lines the build removes from one solution cell (markers excluded).

    A cell tagged `solution` is removed whole; in other code cells, the lines between
    the BEGIN and END markers.
    """
    lines = cell.source.splitlines()
    if "solution" in tags(cell):
        return lines
    if cell.cell_type != "code":
        return []
    removed, inside = [], False
    for line in lines:
        marker = MARKER.match(line)
        if marker:
            inside = marker.group(1) == "BEGIN"
        elif inside:
            removed.append(line)
    return removed


# ---------------------------------------------------------------- feedback

def status_of(text: str) -> str:
    """Parse one feedback block and return its status, asserting its shape on the way."""
    match = FEEDBACK.match(str(text))
    assert match, f"feedback does not start with a symbol and Correct / Not yet / Not attempted / Recorded: {text!r}"
    assert match["symbol"] == SYMBOL_FOR[match["status"]], f"wrong symbol for {match['status']}: {text!r}"
    return match["status"]


# ---------------------------------------------------------------- command line

def run_course(*args: str, cwd: Path = ROOT, timeout: int = 60) -> subprocess.CompletedProcess:
    """Run `python -m course ARGS` with the test's own interpreter."""
    return subprocess.run([sys.executable, "-m", "course", *args], cwd=cwd, capture_output=True,
                          text=True, timeout=timeout)


def stable_id(value: object) -> str:
    """A test id that is the same in every Python process (a set's order changes with the hash seed)."""
    if isinstance(value, (set, frozenset)):
        return "{" + ", ".join(sorted(map(repr, value))) + "}"
    return repr(value)
