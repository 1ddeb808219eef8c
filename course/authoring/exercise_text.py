"""One source per exercise: what a lesson shows of an exercise's options and hints comes from its key.

An exercise's key (`notebooks/solutions/keys/NN_slug.json`) holds everything about it: the
question's options (`options`, letter -> text as the learner reads it), the offered items of a
set exercise when the lesson lists them (`choices`, with `list_choices: true`), its hints
(`hints`, shown folded, in order), the answer and the feedback. The lesson's Markdown keeps the
question's own prose; below it, between two marker comments, `python -m course build` writes
the options and hints from the key:

    ### Exercise 3.1 — A harsh word from the same call (judge)

    In Allan and Burridge's terms, what is "genocide" doing here?
    <!-- q03_1: the options and hints below come from the exercise's key; edit them there -->
    - **a.** ...
    <details><summary>Hint 1</summary> ...
    <!-- end of q03_1 -->

`build --check` fails, and so does the test suite, when a notebook's options or hints differ
from its key: nothing has to be kept in step by hand.

>>> print(render("q9_1", {"kind": "choice", "options": {"a": "Yes.", "b": "No."}, "hints": ["Read S1."]}))
<!-- q9_1: the options and hints below come from the exercise's key; edit them there -->
<BLANKLINE>
- **a.** Yes.
- **b.** No.
<BLANKLINE>
<details><summary>Hint</summary>
<BLANKLINE>
Read S1.
<BLANKLINE>
</details>
<BLANKLINE>
<!-- end of q9_1 -->
"""

from __future__ import annotations

import re

OPENING = "<!-- {qid}: the options and hints below come from the exercise's key; edit them there -->"
CLOSING = "<!-- end of {qid} -->"
_REGION = re.compile(r"<!-- (q\d+_\d+): the options and hints below come from the exercise's key; edit them there -->"
                     r".*?<!-- end of \1 -->", re.S)


class ExerciseTextError(ValueError):
    """A lesson and its key do not fit together (a region with no key, or an exercise with no region)."""


def hint_block(number: int, count: int, text: str) -> str:
    """One folded hint, as the lessons write it ('Hint' alone when there is only one).

    >>> hint_block(2, 3, "Look at P3.")
    '<details><summary>Hint 2</summary>\\n\\nLook at P3.\\n\\n</details>'
    """
    label = "Hint" if count == 1 else f"Hint {number}"
    return f"<details><summary>{label}</summary>\n\n{text.strip()}\n\n</details>"


def render(qid: str, ex: dict) -> str:
    """The Markdown a lesson shows of one exercise's key: its options or offered items, then its hints."""
    parts = []
    if ex.get("kind") == "choice":
        parts.append("\n".join(f"- **{letter}.** {text}" for letter, text in ex["options"].items()))
    if ex.get("kind") == "set" and ex.get("list_choices"):
        parts.append(", ".join(f'`"{choice}"`' for choice in ex["choices"]))
    hints = ex.get("hints", [])
    parts.append("\n\n".join(hint_block(n, len(hints), text) for n, text in enumerate(hints, start=1)))
    body = "\n\n".join(part for part in parts if part)
    return f"{OPENING.format(qid=qid)}\n\n{body}\n\n{CLOSING.format(qid=qid)}"


def regions(source: str) -> list[str]:
    """The exercise ids whose generated region a Markdown cell holds, in order.

    >>> regions("Question?\\n" + render("q9_2", {"kind": "text", "hints": ["Look."]}))
    ['q9_2']
    """
    return [match.group(1) for match in _REGION.finditer(source)]


def refresh(source: str, exercises: dict[str, dict], where: str) -> str:
    """A Markdown cell's source with every generated region rewritten from the exercises' keys."""
    def rewrite(match: re.Match) -> str:
        qid = match.group(1)
        if qid not in exercises:
            raise ExerciseTextError(f"{where}: the options and hints of {qid} are in the lesson, but its key has no "
                                    f"exercise {qid}. Add it to the key, or remove the region.")
        return render(qid, exercises[qid])
    return _REGION.sub(rewrite, source)


def refresh_cells(cells: list, exercises: dict[str, dict], notebook: str, qids: list[str]) -> list[int]:
    """Rewrite the generated regions of a notebook's Markdown cells, in place; return the cells changed.

    `qids` are the exercises the notebook checks: each needs exactly one region, so that every
    option and hint a learner reads comes from the key.
    """
    changed, seen = [], []
    for number, cell in enumerate(cells, start=1):
        if cell.get("cell_type") != "markdown":
            continue
        new = refresh(cell["source"], exercises, f"{notebook}, cell {number}")
        seen += regions(new)
        if new != cell["source"]:
            cell["source"] = new
            changed.append(number)
    missing = [q for q in qids if q not in seen]
    twice = sorted({q for q in seen if seen.count(q) > 1})
    if missing or twice:
        problem = (f"no region for {', '.join(missing)} (put the marker lines `{OPENING.format(qid=missing[0])}` "
                   f"and `{CLOSING.format(qid=missing[0])}` below the question)" if missing
                   else f"{', '.join(twice)} has more than one region")
        raise ExerciseTextError(f"{notebook}: {problem}.")
    return changed
