"""On a JupyterHub the toolkit is installed as a package, not from a checkout. Build the wheel,
install it into a fresh folder, load every table and readout with the installed toolkit alone,
and run a learner notebook from a folder that holds only the notebook: its kernel must import the
installed toolkit and find the data shipped inside it."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from course.reading.data import TABLES
from helpers import ROOT, learner_notebooks

pytestmark = pytest.mark.slow

PIP = [sys.executable, "-m", "pip", "--disable-pip-version-check", "--quiet"]
# Run in a subprocess with the installed toolkit first on the path: every notebook, then a report.
RUNNER = """
import importlib, json, sys
from pathlib import Path
import nbformat
import course, course.reading.data, course.reading.readouts
from course.authoring.notebook_run import run_notebooks
here = Path.cwd()
paths = sorted(here.glob("[0-9][0-9]_*.ipynb"))
tables = {}
for name, table in course.reading.data.TABLES.items():
    module, function = table.loader.split(".")
    tables[name] = len(getattr(importlib.import_module(f"course.reading.{module}"), function)())
readouts = {name: len(course.reading.readouts.load_readout(name).text) for name in course.reading.readouts.readout_names()}
report = {"course": course.__file__, "notebooks": {}, "tables": tables, "readouts": readouts,
          "data": str(course.reading.data.data_folder())}
for path, nb in zip(paths, run_notebooks(paths, here, allow_errors=True)):
    cells = [c for c in nb.cells if c.cell_type == "code"]
    errors = [f"{o.ename}: {o.evalue}" for c in cells for o in c.outputs if o.output_type == "error"]
    checks = ["".join(o.get("text", "") for o in c.outputs if o.get("name") == "stdout")[:20]
              for c in cells if any(t.startswith("check:") for t in c.metadata.get("tags", []))]
    where = "".join(o.get("text", "") for o in cells[-1].outputs if o.get("name") == "stdout").split()
    report["notebooks"][path.name] = {"errors": errors, "checks": checks, "where": where}
print(json.dumps(report))
"""
WHERE_CELL = "import course, course.reading.data\nprint(course.__file__)\nprint(course.reading.data.data_folder())"


@pytest.fixture(scope="module")
def installed(tmp_path_factory) -> Path:
    """The course's wheel, built from a copy of the sources and installed into an empty folder."""
    base = tmp_path_factory.mktemp("package")
    source = base / "source"
    source.mkdir()
    shutil.copy(ROOT / "pyproject.toml", source)
    for name in ("course", "datasets"):
        shutil.copytree(ROOT / name, source / name, ignore=shutil.ignore_patterns("__pycache__", "learner_kit"))
    built = subprocess.run([*PIP, "wheel", "--no-deps", "-w", str(base / "wheel"), str(source)],
                           capture_output=True, text=True, timeout=300)
    assert built.returncode == 0, f"building the wheel failed:\n{built.stdout[-2000:]}{built.stderr[-2000:]}"
    wheel = next((base / "wheel").glob("*.whl"))
    site = base / "site"
    done = subprocess.run([*PIP, "install", "--no-deps", "--target", str(site), str(wheel)],
                          capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr[-2000:]
    return wheel


def test_the_wheel_carries_the_toolkit_keys_and_data(installed):
    with zipfile.ZipFile(installed) as wheel:
        names = set(wheel.namelist())
    assert {"course/__init__.py", "course/reading/data.py", "course/exercises/judge.py", "course/datasets/seed.txt", "course/datasets/README.md",
            "course/datasets/readouts/kremlin_en.txt"} <= names
    assert {f"course/keys/{p.name}" for p in (ROOT / "course" / "keys").glob("*.json")} <= names
    assert {f"course/datasets/{p.relative_to(ROOT / 'datasets').as_posix()}"
            for p in (ROOT / "datasets").rglob("*") if p.is_file()} <= names
    assert not [n for n in names if "solutions" in n]


# One lesson runs in a kernel; every table and readout the other lessons read is loaded in the same process.
LESSON = learner_notebooks()[0]


def test_a_learner_notebook_and_all_the_data_work_with_the_installed_package_alone(installed, tmp_path):
    site = installed.parent.parent / "site"
    classroom = tmp_path / "only notebooks"
    classroom.mkdir()
    for path in [LESSON]:
        nb = json.loads(path.read_text(encoding="utf-8"))
        nb["cells"].append({"cell_type": "code", "metadata": {}, "id": "where", "execution_count": None,
                            "outputs": [], "source": WHERE_CELL})
        (classroom / path.name).write_text(json.dumps(nb), encoding="utf-8")
    env = {name: value for name, value in os.environ.items() if name not in ("COURSE_DATA", "COURSE_STRICT")}
    env.update(PYTHONPATH=str(site), PYTHONDONTWRITEBYTECODE="1", COURSE_PROGRESS_FILE=str(tmp_path / "p.json"))
    result = subprocess.run([sys.executable, "-c", RUNNER], cwd=classroom, env=env, capture_output=True,
                            text=True, timeout=300)
    assert result.returncode == 0, result.stderr[-3000:]
    report = json.loads(result.stdout.strip().splitlines()[-1])

    assert Path(report["course"]).is_relative_to(site), f"imported {report['course']}, not the installed package"
    assert sorted(report["notebooks"]) == [LESSON.name]
    assert Path(report["data"]) == site / "course" / "datasets", f"the data came from {report['data']}"
    assert set(report["tables"]) == set(TABLES) and all(report["tables"].values()), report["tables"]
    assert report["readouts"] and all(report["readouts"].values()), report["readouts"]
    for name, run in report["notebooks"].items():
        assert run["errors"] == [], f"{name}: {run['errors']}"
        assert run["checks"] and all(c.startswith("○ Not attempted") for c in run["checks"]), name
        kernel_course, kernel_data = run["where"]
        assert Path(kernel_course).is_relative_to(site), f"{name}: the kernel imported {kernel_course}"
        assert Path(kernel_data) == site / "course" / "datasets", f"{name}: the kernel read data from {kernel_data}"
