"""Everything the grader writes is safe to open: capped, and neutralised for spreadsheets and terminals.

A submission controls some of what the grader writes: its file and folder names (the learner's
name), the errors its cells raise (the notes), and its answers (the marking sheets). So:

- notes are capped (each to NOTE_LENGTH characters, at most NOTES_PER_ROW per row, then a count)
  and scrubbed of any text of the answer keys;
- a spreadsheet cell that could start a formula (`=`, `+`, `-`, `@`, a tab or a carriage return)
  starts with a `'` instead, and control characters (which could move a terminal's cursor or
  colour its text) are replaced, in the CSV sheets, the Markdown feedback and the terminal alike;
- answers on a marking sheet are cut at ANSWER_LENGTH characters, saying so.

>>> cell("=HYPERLINK(\\"http://x\\")")
'\\'=HYPERLINK("http://x")'
>>> printable("bob\\x1b[31m red")
'bob?[31m red'
>>> capped(["a" * 400])[0][-13:]
'… (cut short)'
"""

from __future__ import annotations

import re

NOTE_LENGTH = 300
NOTES_PER_ROW = 6
ANSWER_LENGTH = 10_000
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u200e\u200f\u202a-\u202e\u2066-\u2069]")
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def printable(text: object) -> str:
    """Text with control characters (and bidirectional overrides) replaced by '?'; newlines kept."""
    return _CONTROL.sub("?", str(text))


def one_line(text: object) -> str:
    """Printable text on one line (for the terminal and for names)."""
    return printable(text).replace("\r", " ").replace("\n", " ")


def cell(text: object) -> str:
    """A CSV cell that no spreadsheet reads as a formula, with no control characters."""
    value = printable(text)
    return "'" + value if value.startswith(_FORMULA_START) else value


def capped(notes: list[str], secrets: frozenset = frozenset()) -> list[str]:
    """Notes scrubbed of the keys' texts, each cut to NOTE_LENGTH characters, at most NOTES_PER_ROW of them.

    `secrets` is `key_texts(...)`: the word runs of every key's answers, feedback, models and rubrics.
    """
    cleaned = []
    for note in notes:
        note = scrub(one_line(note), secrets)
        cleaned.append(note if len(note) <= NOTE_LENGTH else note[:NOTE_LENGTH - 13] + "… (cut short)")
    if len(cleaned) > NOTES_PER_ROW:
        cleaned = cleaned[:NOTES_PER_ROW - 1] + [f"and {len(cleaned) - NOTES_PER_ROW + 1} more notes"]
    return cleaned


RUN = 6   # words: a passage of this many words in a row from a key is key text, wherever it is cut
_WORD = re.compile(r"[^\W_]+(?:['’][^\W_]+)*")


def _runs(text: str) -> list[tuple[tuple[str, ...], int, int]]:
    """Every run of RUN words in a text, folded for case, with the run's start and end offsets."""
    words = [(m.group().casefold().replace("’", "'"), m.start(), m.end()) for m in _WORD.finditer(text)]
    return [(tuple(w for w, _, _ in words[i:i + RUN]), words[i][1], words[i + RUN - 1][2])
            for i in range(len(words) - RUN + 1)]


def scrub(text: str, secrets: frozenset) -> str:
    """Text with every passage that shares a run of RUN words with the keys cut out.

    >>> secrets = key_texts({"q": {"model": "China abstained on the resolution that day, alone among its partners."}})
    >>> scrub("error: ValueError: China abstained on the resolution that day, and more", secrets)
    'error: ValueError: [key text removed], and more'
    """
    spans = [(start, end) for run, start, end in _runs(text) if run in secrets]
    if not spans:
        return text
    merged: list[list[int]] = []
    for start, end in sorted(spans):
        if merged and start <= merged[-1][1] + 1:
            merged[-1][1] = max(merged[-1][1], end)
        else:
            merged.append([start, end])
    for start, end in reversed(merged):
        text = text[:start] + "[key text removed]" + text[end:]
    return text


def answer_text(text: str) -> str:
    """An answer as a marking sheet holds it: cut at ANSWER_LENGTH characters, saying how long it was."""
    if len(text) <= ANSWER_LENGTH:
        return text
    return text[:ANSWER_LENGTH] + f" … [truncated: {len(text):,} characters in all; the whole answer is in the notebook]"


def key_texts(exercises: dict[str, dict]) -> frozenset:
    """The word runs of every key text worth scrubbing from what the grader writes (answers, feedback, model
    answers, rubrics, hints for wrong answers), for `scrub`. What a lesson shows anyway (titles, prompts,
    options, hints) is left out."""
    found: set[tuple[str, ...]] = set()

    def walk(value: object) -> None:
        if isinstance(value, str):
            found.update(run for run, _, _ in _runs(value))
        elif isinstance(value, dict):
            for item in value.values():
                walk(item)
        elif isinstance(value, list):
            for item in value:
                walk(item)
    for ex in exercises.values():
        for name, value in ex.items():
            if name not in ("title", "kind", "prompt", "example", "hints", "options", "choices", "lesson", "noun",
                            "key_noun", "key_singular", "keys", "allowed_values"):
                walk(value)
    return frozenset(found)
