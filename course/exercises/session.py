"""Notebook-session helpers: what the cell before a check did.

A check runs right after its answer cell. If that cell stopped with an error, or left
`answer` holding the previous exercise's value, judging `answer` would mislead, so the
check says what happened instead.
"""

from __future__ import annotations

import difflib
import json
import os
import re
from pathlib import Path

from course.exercises.answers import placeholder_kind
from course.exercises.feedback import Feedback, told
from course.exercises.wording import say

_last_checked: dict[str, object] = {}  # the last exercise checked and the value it was given


def previous_cell() -> tuple[BaseException | None, str]:
    """The error (or None) and the code of the cell run just before this check."""
    try:
        from IPython import get_ipython

        result = getattr(get_ipython(), "last_execution_result", None)
    except Exception:
        return None, ""
    error = getattr(result, "error_before_exec", None) or getattr(result, "error_in_exec", None)
    code = getattr(getattr(result, "info", None), "raw_cell", "") or ""
    return error, code


def error_advice(error: BaseException) -> str:
    """One line of advice for the errors newcomers meet most in an answer cell.

    A missing name is usually one of two things: a table or value made by an earlier cell
    that has not run since the kernel started, or text without its quotation marks. The
    advice names both, and a close spelling when there is one.
    """
    rerun = say("session.rerun")
    if isinstance(error, NameError) and getattr(error, "name", None):
        name = error.name
        try:
            from IPython import get_ipython

            known = [n for n in get_ipython().user_ns if not n.startswith("_")]
        except Exception:
            known = []
        close = difflib.get_close_matches(name, known, n=1, cutoff=0.85)
        maker = defining_cell(name)
        if maker:
            return say("session.name_cell", name=name, first_line=maker)
        if close:
            return say("session.name_close", name=name, close=close[0], rerun=rerun)
        if "_" in name.strip("_"):  # long_quotes, practice_readout: names of tables, not answers typed as text
            return say("session.name_table", name=name, rerun=rerun)
        return say("session.name_unknown", name=name, rerun=rerun)
    if isinstance(error, SyntaxError):
        return say("session.syntax")
    if isinstance(error, TypeError) and re.search(r"\bstr\b|object|unsupported operand", str(error)):
        return say("session.type_text")
    if isinstance(error, KeyError):
        return say("session.key_error", rerun=rerun)
    return say("session.other_error")


def notebook_path() -> Path | None:
    """The notebook this kernel runs, where JupyterLab says (JPY_SESSION_NAME), else None."""
    name = os.environ.get("JPY_SESSION_NAME", "")
    try:
        from IPython import get_ipython

        name = name or str(get_ipython().user_ns.get("__session__", "") or "")
    except Exception:
        pass
    path = Path(name) if name else None
    return path if path is not None and path.suffix == ".ipynb" and path.is_file() else None


def defining_cell(name: str, path: Path | None = None) -> str:
    """The first line of the notebook's first code cell that makes `name` (assigns, imports or defines it), or ''.

    >>> import json, tempfile
    >>> nb = {"cells": [{"cell_type": "code", "source": "texts = {}\\nnames = lexicon_hits(seed, war, 'name')"}]}
    >>> folder = Path(tempfile.mkdtemp()); _ = (folder / "n.ipynb").write_text(json.dumps(nb))
    >>> defining_cell("names", folder / "n.ipynb")
    'texts = {}'
    """
    path = path or notebook_path()
    if path is None or not re.fullmatch(r"[A-Za-z_]\w*", name):
        return ""
    try:
        cells = json.loads(path.read_text(encoding="utf-8")).get("cells", [])
    except (OSError, ValueError, AttributeError):
        return ""
    makes = re.compile(rf"^\s*(?:{name}\s*(?:\[[^\]]*\])?\s*=(?!=)|for\s+{name}\s+in\b|def\s+{name}\b|"
                       rf"(?:from\s+\S+\s+)?import\s+.*\b{name}\b)", re.MULTILINE)
    for cell in cells:
        source = cell.get("source", "")
        source = "".join(source) if isinstance(source, list) else str(source)
        if cell.get("cell_type") == "code" and makes.search(source) and not re.search(rf"^\s*answer\s*=", source):
            first = next((line.strip() for line in source.splitlines() if line.strip() and not line.strip().startswith("#")),
                         "")
            return first[:60] + ("…" if len(first) > 60 else "")
    return ""


def stale_answer(qid: str, answer: object, code: str, title_of: dict[str, str]) -> Feedback | None:
    """`answer` is the very value last checked for another exercise, and the previous cell did not set it."""
    last_qid, last_value = _last_checked.get("qid"), _last_checked.get("value")
    if last_qid is None or last_qid == qid or answer is not last_value or placeholder_kind(answer):
        return None
    if re.search(r"\banswer\s*=", code):
        return None
    title = title_of.get(str(last_qid), last_qid)
    return told("Not yet", "session.stale", title=title)


def before_checking(qid: str, answer: object, title_of: dict[str, str]) -> Feedback | None:
    """Catch an answer cell that failed or did not set `answer`, before judging the value."""
    error, code = previous_cell()
    if error is not None:
        first = f"{type(error).__name__}: {str(error)[:80]}"
        return told("Not yet", "session.cell_failed", error=first, advice=error_advice(error))
    return stale_answer(qid, answer, code, title_of)


def remember(qid: str, answer: object) -> None:
    """Note the exercise just checked and the value it was given."""
    _last_checked.update(qid=str(qid), value=answer)
