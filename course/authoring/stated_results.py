"""Rule 7 of the leak scan: no prose states an exercise's result in numbers or as its answer set.

Secret texts (rule 4) and answers written as code (rule 5) are caught elsewhere; this rule
reads prose the way a learner does and finds a result said in other words:

- a share, as a percentage ("about 45%", "22 per cent"), a decimal ("sits at -0.5") or a
  count of a total ("143 of 316 words") that rounds to a number in the key;
- a mapping's answer, most of its pairs stated side by side in one paragraph ("P1 45, P2 55, ...");
- a set's answer, its members listed together and nothing else ("S1, S4, S5 and S9").

Prose is what a reader reads as text: Markdown, comments in code, printed lines, a page's
words outside its tables. The data tables themselves are not prose: they hold what the
exercises are computed from. A lesson's notebook may restate an earlier lesson's results
(its learners have done that lesson), so a file that belongs to lesson NN is judged against
the keys of lesson NN and later; any other file against every key.

>>> keys = {"q04_2": {"kind": "mapping", "answer": {"narration": 0.4525, "mixed": 0.4589}, "tolerance": 0.004}}
>>> stated_results("About 45% of the words are narration.", keys)
['q04_2']
>>> stated_results("About 45 of the words are narration; 316 in all.", keys)
[]
"""

from __future__ import annotations

import math
import re
from typing import Iterator

_MINUS = str.maketrans({"\u2212": "-", "\u2013": "-"})
_PERCENT = re.compile(r"(?<![\w.])(-?\d+(?:\.\d+)?)\s*(?:%|per ?cent\b|percent\b)", re.IGNORECASE)
_DECIMAL = re.compile(r"(?<![\w.,])(-?\d*\.\d+)(?![\w.]*\d)")
_OF = re.compile(r"(?<![\w.])(\d+)\s+(?:of|out of)\s+(?:the\s+|its\s+|all\s+)?(?:[a-z'’]+\s+){0,3}?(\d+)(?![\w.])",
                 re.IGNORECASE)
# What may stand between two members of a listed answer set, or between a key and its value.
_LIST_GAP = re.compile(r"""^[\s,;/&+()"'“”‘’*`]*(?:and|or|und)?[\s,;/&+()"'“”‘’*`]*$""", re.IGNORECASE)
_PAIR_GAP = re.compile(r"""^[^.!?\d\n]{0,25}$""")
TRIVIAL = {0.0, 1.0, -1.0}
ROUNDING_SLACK = 0.001


_FENCE = re.compile(r"^```.*?^```[^\n]*$", re.DOTALL | re.MULTILINE)


def paragraphs(text: str) -> list[str]:
    """A text's paragraphs: blocks between blank lines, with dashes and minus signs made plain.

    Fenced code blocks are code, not prose: rule 5 reads them.

    >>> paragraphs("One.\\n\\n```\\nx = 0.45\\n```\\n\\nTwo\\nlines.")
    ['One.', 'Two\\nlines.']
    """
    text = _FENCE.sub("", text)
    return [block.strip().translate(_MINUS) for block in re.split(r"\n\s*\n", text) if block.strip()]


# ---------------------------------------------------------------- shares and numbers

def _numbers_in_key(ex: dict) -> Iterator[float]:
    """The fractional numbers of an answer (a number, or a mapping's numbers); whole counts are not shares."""
    answer = ex.get("answer")
    values = answer.values() if isinstance(answer, dict) else [answer]
    for value in values:
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            if float(value) not in TRIVIAL and not float(value).is_integer():
                yield float(value)


def stated_shares(paragraph: str) -> Iterator[tuple[float, float, str]]:
    """Each share a paragraph states: (value, how far its rounding reaches, the words that state it).

    >>> [(round(v, 4), w) for v, _, w in stated_shares("About 45%, 0.26 and 82 of 316 words.")]
    [(0.45, '45%'), (0.26, '0.26'), (0.2595, '82 of 316')]
    """
    for match in _PERCENT.finditer(paragraph):
        number = match.group(1)
        places = len(number.split(".")[1]) if "." in number else 0
        yield float(number) / 100, 0.5 * 10 ** -(places + 2) + ROUNDING_SLACK, match.group(0)
    for match in _DECIMAL.finditer(paragraph):
        if _PERCENT.match(paragraph, match.start()):
            continue
        number = match.group(1)
        places = len(number.split(".")[1])
        yield float(number), 0.5 * 10 ** -places + ROUNDING_SLACK, number
    for match in _OF.finditer(paragraph):
        part, whole = int(match.group(1)), int(match.group(2))
        if 0 < part < whole:
            yield part / whole, ROUNDING_SLACK, f"{part} of {whole}"


def share_leaks(paragraph: str, ex: dict) -> list[str]:
    """The words in `paragraph` that state one of the key's fractional numbers.

    A one-decimal number such as 0.5 counts only when the key's number is exactly that,
    so that "0.5" is not taken for 0.4525.

    >>> share_leaks("It sits at -0.5 on the scale.", {"answer": -0.5})
    ['-0.5']
    >>> share_leaks("Half of it, 0.5, is narration.", {"answer": 0.4525})
    []
    """
    found = []
    for target in _numbers_in_key(ex):
        for value, reach, words in stated_shares(paragraph):
            if value in TRIVIAL:
                continue
            exact = math.isclose(value, target, abs_tol=1e-9)
            coarse = "." in words and "%" not in words and len(words.split(".")[1]) < 2
            if exact or (not coarse and abs(value - target) <= reach):
                found.append(words)
    return found


# ---------------------------------------------------------------- pairs and sets

def _occurrences(term: str, paragraph: str) -> list[tuple[int, int]]:
    """Where `term` stands in `paragraph` as a whole word or id, ignoring case."""
    pattern = r"(?<![\w-])" + re.escape(term) + r"(?![\w-])"
    return [m.span() for m in re.finditer(pattern, paragraph, re.IGNORECASE)]


def _value_forms(value: object) -> list[str]:
    """The ways one value of a mapping's answer is written (a list accepts any of its items)."""
    items = value if isinstance(value, list) else [value]
    forms = []
    for item in items:
        if isinstance(item, bool) or item is None:
            continue
        if isinstance(item, float) and not item.is_integer():
            continue  # shares are rule one's business
        text = str(int(item)) if isinstance(item, float) else str(item)
        if len(text) >= 1:
            forms.append(text)
    return forms


def stated_pairs(paragraph: str, answer: dict) -> list[str]:
    """The keys of a mapping that `paragraph` states next to their value ("P1 45", "S3: CCTV").

    >>> stated_pairs("P1 45, P2 55 and P3 has 53 words.", {"P1": 45, "P2": 55, "P3": 53, "P4": 39})
    ['P1', 'P2', 'P3']
    """
    stated = []
    for key, value in answer.items():
        forms = _value_forms(value)
        if not forms:
            continue
        for _, key_end in _occurrences(str(key), paragraph):
            after = paragraph[key_end:key_end + 60]
            if any(_PAIR_GAP.match(after[:start]) for form in forms
                   for start, _ in _occurrences(form, after)):
                stated.append(str(key))
                break
    return stated


def pair_leaks(paragraph: str, ex: dict) -> list[str]:
    """A mapping's answer stated pair by pair: most of its pairs (two at least) in one paragraph."""
    answer = ex.get("answer")
    if not isinstance(answer, dict) or len(answer) < 2:
        return []
    pairs = stated_pairs(paragraph, answer)
    needed = max(2, math.ceil(len(answer) / 2))
    return [", ".join(pairs)] if len(pairs) >= needed else []


def set_leaks(paragraph: str, ex: dict) -> list[str]:
    """A set's answer listed in one run, every member and nothing between them but commas and 'and'.

    >>> set_leaks("The journalist speaks in S1, S4, S5 and S9.", {"kind": "set", "answer": ["S1", "S4", "S5", "S9"]})
    ['S1, S4, S5 and S9']
    >>> set_leaks("S1, S4 and S5 open; S9 closes.", {"kind": "set", "answer": ["S1", "S4", "S5", "S9"]})
    []
    """
    answer = ex.get("answer")
    if ex.get("kind") != "set" or not isinstance(answer, list) or len(answer) < 2:
        return []
    spans = sorted((start, end, str(member).casefold()) for member in answer
                   for start, end in _occurrences(str(member), paragraph))
    wanted = {str(member).casefold() for member in answer}
    for first in range(len(spans)):
        seen, end = {spans[first][2]}, spans[first][1]
        for start, stop, member in spans[first + 1:]:
            if start < end:
                continue
            if not _LIST_GAP.match(paragraph[end:start]) or member in seen:
                break
            seen.add(member)
            end = stop
            if seen == wanted:
                return [paragraph[spans[first][0]:end]]
    return []


# ---------------------------------------------------------------- the rule

def lesson_of(qid: str) -> str:
    """The lesson number in an exercise id: 'q04_2' -> '04'."""
    match = re.match(r"q(\d+)_", qid)
    return match.group(1) if match else ""


def stated_results(text: str, keys: dict[str, dict], lesson: str | None = None) -> list[str]:
    """The exercises whose result `text` states (rule 7), judged against the keys of `lesson` and later.

    `lesson` is the file's lesson number ('04'), or None for a file that belongs to no lesson.
    """
    found = set()
    for paragraph in paragraphs(text):
        for qid, ex in keys.items():
            if ex.get("kind") == "open" or ex.get("practice") or (lesson and lesson_of(qid) < lesson):
                continue
            if share_leaks(paragraph, ex) or pair_leaks(paragraph, ex) or set_leaks(paragraph, ex):
                found.add(qid)
    return sorted(found)


def explain(text: str, ex: dict) -> str:
    """The words that state an exercise's result in `text`, for the leak's message."""
    for paragraph in paragraphs(text):
        words = share_leaks(paragraph, ex) or pair_leaks(paragraph, ex) or set_leaks(paragraph, ex)
        if words:
            return words[0][:80]
    return ""


# ---------------------------------------------------------------- what counts as prose in a file

_TABLE = re.compile(r"<table\b.*?</table>", re.IGNORECASE | re.DOTALL)
_NOT_SHOWN = re.compile(r"<(head|style|script)\b.*?</\1>", re.IGNORECASE | re.DOTALL)
_CODE_INPUT = re.compile(r"<pre><span></span>.*?</pre>", re.DOTALL)   # highlighted code, as nbconvert writes it
KEY_PROSE = ("title", "example", "hints", "prompt", "not_offered_message")


def code_comments(source: str) -> str:
    """The comments of a code cell, one a line (what follows a # outside a string).

    >>> code_comments('x = "#1"  # about 45%\\n# note')
    'about 45%\\nnote'
    """
    import io
    import tokenize
    try:
        tokens = list(tokenize.generate_tokens(io.StringIO(source).readline))
    except (tokenize.TokenError, SyntaxError, IndentationError):
        return "\n".join(line.split("#", 1)[1].strip() for line in source.splitlines() if "#" in line)
    return "\n".join(tok.string.lstrip("#").strip() for tok in tokens if tok.type == tokenize.COMMENT)


def notebook_prose(cells) -> str:
    """A notebook's prose: Markdown cells, code comments and printed lines (not tables), paragraph by paragraph."""
    parts = []
    for cell in cells:
        if cell.cell_type == "markdown":
            parts.append(cell.source)
        elif cell.cell_type == "code":
            parts.append(code_comments(cell.source))
            parts += ["".join(out.get("text", "")) for out in cell.get("outputs", []) if out.get("output_type") == "stream"]
    return "\n\n".join(part for part in parts if part.strip())


def page_prose(page: str) -> str:
    """A HTML page's prose: its words outside tables and highlighted code (and what a page never shows).

    >>> page_prose("<style>a{left:50%}</style><p>About 45%</p><table><td>0.45</td></table>").split()
    ['About', '45%']
    """
    import html
    text = _CODE_INPUT.sub(" ", _TABLE.sub(" ", _NOT_SHOWN.sub(" ", page)))
    text = re.sub(r"</(p|li|div|h\d|pre|details|summary)>", "\n\n", text, flags=re.IGNORECASE)
    return html.unescape(re.sub(r"<[^>]+>", " ", text))


def key_prose(data: object) -> str:
    """The prose of a shipped key file: each exercise's title, example, hints and messages (not its options)."""
    exercises = data.get("exercises") if isinstance(data, dict) else None
    if not isinstance(exercises, dict):
        return ""
    parts = []
    for ex in exercises.values():
        if isinstance(ex, dict):
            for name in KEY_PROSE:
                value = ex.get(name)
                parts += value if isinstance(value, list) else [value] if isinstance(value, str) else []
    return "\n\n".join(str(part) for part in parts)


def file_lesson(name: str) -> str | None:
    """The lesson a file belongs to, from its name ('04_attribution.ipynb' -> '04'), or None."""
    match = re.match(r"(\d\d)_", name)
    return match.group(1) if match else None
