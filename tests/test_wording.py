"""Feedback wording lives in one reviewable place (`course.exercises.wording`).

The judging code names a message (`told(status, "kind.situation", ...)` or `say(...)`) and fills in
its blanks; the text is in `wording.MESSAGES`. These tests keep the two in step: every message
named in the code exists, fills exactly the blanks its text has, and every message is used.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from course.exercises.wording import MESSAGES, blanks, say
from helpers import ROOT

NAMING = {"told": 1, "say": 0}   # the function, and the position of the message's name among its arguments
RESERVED = {"more"}              # told()'s own keyword, never a blank


def named_messages() -> list[tuple[str, str, set[str], int]]:
    """(file, message name, keywords given, line) for every call that names a message in the package."""
    found = []
    for path in sorted((ROOT / "course").rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id in NAMING):
                continue
            position = NAMING[node.func.id]
            if len(node.args) > position and isinstance(node.args[position], ast.Constant):
                keywords = {k.arg for k in node.keywords if k.arg and k.arg not in RESERVED}
                found.append((path.relative_to(ROOT).as_posix(), node.args[position].value, keywords, node.lineno))
    return found


CALLS = named_messages()


def test_calls_were_found():
    assert len(CALLS) > 90


@pytest.mark.parametrize("where, name, given, line", CALLS, ids=[f"{c[0]}:{c[3]}" for c in CALLS])
def test_each_message_named_exists_and_its_blanks_are_filled_exactly(where, name, given, line):
    assert name in MESSAGES, f"{where}:{line} names the message {name!r}, which wording.MESSAGES lacks"
    assert given == blanks(name), f"{where}:{line}: {name!r} has blanks {sorted(blanks(name))}, given {sorted(given)}"


def test_every_message_is_used():
    used = {name for _, name, _, _ in CALLS}
    assert sorted(set(MESSAGES) - used) == [], "messages nobody says: remove them or use them"


def test_messages_are_grouped_by_kind_and_read_as_sentences():
    for name, text in MESSAGES.items():
        kind, _, situation = name.partition(".")
        assert kind and situation and kind.isidentifier(), name
        assert text == text.strip() or text.startswith(" "), f"{name}: stray spaces"
        assert "  " not in text, f"{name}: a double space"


def test_no_learner_facing_feedback_is_written_outside_the_wording():
    """Judging modules build Feedback only from wording, or from a key's own text."""
    for name in ("judge.py", "open_answers.py", "checks.py", "session.py"):
        tree = ast.parse((ROOT / "course" / "exercises" / name).read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.Call) and getattr(node.func, "id", "") == "Feedback" and len(node.args) >= 2:
                message = node.args[1]
                assert not isinstance(message, (ast.Constant, ast.JoinedStr)), \
                    f"{name}:{node.lineno}: a message written in the code; put it in wording.MESSAGES"


def test_a_wrong_blank_is_caught():
    with pytest.raises(KeyError):
        say("choice.not_text", what="a list")          # 'letters' left out
    with pytest.raises(KeyError):
        say("no.such_message")
