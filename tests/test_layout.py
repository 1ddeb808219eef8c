"""The package's layout keeps its design: four layers, each importing only the layers below it,
no import cycles (lazy imports inside functions included), and no module reaching into another
module's private names.

    reading (0)  <  exercises (1)  <  authoring (2)  <  grading (3)  <  the command line (`__main__`)

`course/__init__.py`, what the lessons import, sits with the exercise machinery: it may import
the reading toolkit and the exercises, nothing else. The rules are checked on the real package,
and on small made-up packages that break each rule, to show the checks can fail.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from helpers import ROOT

LAYERS = {"reading": 0, "exercises": 1, "authoring": 2, "grading": 3}
TOP = {"course": 1, "course.__main__": 9}


def module_files(package: Path) -> dict[str, Path]:
    """{module name: file} for every module of the package folder (named after the folder)."""
    found = {}
    for path in sorted(package.rglob("*.py")):
        if "learner_kit" in path.parts:   # files a release copies out; not part of the package
            continue
        parts = list(path.relative_to(package.parent).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts.pop()
        found[".".join(parts)] = path
    return found


def layer(module: str) -> int:
    """The layer a module belongs to."""
    if module in TOP:
        return TOP[module]
    return LAYERS[module.split(".")[1]]


def imports(path: Path, modules: set[str]) -> list[tuple[str, list[str], int]]:
    """(module imported, names taken from it, line) for every import of the package in a file, lazy ones too."""
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found += [(alias.name, [], node.lineno) for alias in node.names if alias.name.split(".")[0] == "course"]
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0 \
                and node.module.split(".")[0] == "course":
            names = [alias.name for alias in node.names]
            submodules = [f"{node.module}.{n}" for n in names if f"{node.module}.{n}" in modules]
            found += [(s, [], node.lineno) for s in submodules]
            taken = [n for n in names if f"{node.module}.{n}" not in modules]
            if taken:
                found.append((node.module, taken, node.lineno))
    return found


def problems(package: Path) -> list[str]:
    """Every break of the three rules in a package folder, as lines of text (empty: none)."""
    files = module_files(package)
    modules = set(files)
    graph: dict[str, set[str]] = {m: set() for m in modules}
    found = []
    for module, path in files.items():
        for target, names, line in imports(path, modules):
            if target not in modules:
                continue
            where = f"{path.relative_to(package.parent)}:{line}"
            if target != module:
                graph[module].add(target)
            if layer(target) > layer(module):
                found.append(f"{where}: {module} (layer {layer(module)}) imports {target} (layer {layer(target)}), "
                             "a layer above it")
            private = [n for n in names if n.startswith("_") and not n.startswith("__")]
            if private and target != module:
                found.append(f"{where}: {module} imports the private name(s) {', '.join(private)} of {target}")
    return found + [f"import cycle: {' -> '.join(cycle)}" for cycle in cycles(graph)]


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """One cycle for each strongly connected group of modules that import each other (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    found: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        for target in sorted(graph[node]):
            if target not in index:
                visit(target)
                low[node] = min(low[node], low[target])
            elif target in stack:
                low[node] = min(low[node], index[target])
        if low[node] == index[node]:
            group = []
            while True:
                member = stack.pop()
                group.append(member)
                if member == node:
                    break
            if len(group) > 1:
                found.append(sorted(group) + [sorted(group)[0]])
    for node in sorted(graph):
        if node not in index:
            visit(node)
    return found


# ---------------------------------------------------------------- the real package

def test_the_package_keeps_its_layers_no_cycles_and_no_private_reaches():
    assert problems(ROOT / "course") == []


def test_every_module_is_in_a_layer():
    for module in module_files(ROOT / "course"):
        assert module in TOP or module.split(".")[1] in LAYERS, f"{module} is in no layer: move it into one"


# ---------------------------------------------------------------- the rules can fail

def write_package(root: Path, files: dict[str, str]) -> Path:
    package = root / "course"
    for name, text in {"__init__.py": "", **files}.items():
        path = package / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    for folder in LAYERS:
        (package / folder).mkdir(exist_ok=True)
        (package / folder / "__init__.py").touch()
    return package


def test_an_upward_import_is_found(tmp_path):
    package = write_package(tmp_path, {"reading/text.py": "from course.exercises.judge import judge\n",
                                       "exercises/judge.py": "def judge(): pass\n"})
    assert [p for p in problems(package) if "a layer above it" in p] == [
        "course/reading/text.py:1: course.reading.text (layer 0) imports course.exercises.judge (layer 1), "
        "a layer above it"]


def test_a_lazy_import_cycle_is_found(tmp_path):
    package = write_package(tmp_path, {
        "exercises/judge.py": "from course.exercises.open_answers import judge_open\n",
        "exercises/open_answers.py": "def judge_open():\n    from course.exercises.judge import Feedback\n"})
    assert problems(package) == ["import cycle: course.exercises.judge -> course.exercises.open_answers -> "
                                 "course.exercises.judge"]


def test_a_private_name_taken_from_another_module_is_found(tmp_path):
    package = write_package(tmp_path, {"exercises/checks.py": "from course.exercises.judge import _canonical_value\n",
                                       "exercises/judge.py": "def _canonical_value(): pass\n"})
    assert problems(package) == ["course/exercises/checks.py:1: course.exercises.checks imports the private name(s) "
                                 "_canonical_value of course.exercises.judge"]


@pytest.mark.parametrize("statement", ["import course.grading.grade", "from course.grading import grade"])
def test_both_spellings_of_an_import_are_seen(tmp_path, statement):
    package = write_package(tmp_path, {"authoring/build.py": statement + "\n", "grading/grade.py": ""})
    assert len(problems(package)) == 1
