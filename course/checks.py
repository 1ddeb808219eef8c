"""Exercise checks: one call, one feedback block, never a traceback.

In a lesson, each exercise ends with a check cell::

    check("q01_2", answer)

which prints exactly one block that starts with `Correct`, `Not yet` or
`Not attempted` (after a symbol). The checks look at your answer in this order:
is it there at all, is it the right kind of value, does it have the right shape,
and only then is it right. Feedback says what to look at again, never the answer.

Set the environment variable COURSE_STRICT=1 to make anything but `Correct` raise
(used by the course's own tests on the solution notebooks).

>>> from course.checks import evaluate
>>> evaluate("q00_1", None).status
'Not attempted'
"""

from __future__ import annotations

import difflib
import numbers
import os
import re
from dataclasses import dataclass

import pandas as pd

from course.keys import load_keys
from course.text import count_words

STRICT_ENV = "COURSE_STRICT"
SYMBOLS = {"Correct": "✓", "Not yet": "✗", "Not attempted": "○"}
_QUOTES = str.maketrans({"\u2018": "'", "\u2019": "'", "\u201c": '"', "\u201d": '"'})
_results: dict[str, str] = {}
_last_checked: dict[str, object] = {}  # the last exercise checked and the value it was given
_keys_cache: dict[str, dict] = {}


class CheckFailed(AssertionError):
    """Raised in strict mode when a check does not report `Correct`."""


@dataclass
class Feedback:
    status: str   # "Correct", "Not yet" or "Not attempted"
    message: str

    def __str__(self) -> str:
        return f"{SYMBOLS[self.status]} {self.status}: {self.message}"


def strict() -> bool:
    """True when checks should raise instead of only printing (COURSE_STRICT=1)."""
    return os.environ.get(STRICT_ENV, "") == "1"


def _keys() -> dict[str, dict]:
    if not _keys_cache:
        _keys_cache.update(load_keys())
    return _keys_cache


# ---------------------------------------------------------------- small helpers

def normalise(text: str) -> str:
    """Fold case, quotes and spacing so that reasonable variants compare equal.

    >>> normalise('  “Special  Military Action”. ')
    'special military action'
    """
    text = str(text).translate(_QUOTES).casefold()
    text = re.sub(r"\s+", " ", text).strip()
    return text.strip("\"' ").rstrip(".,;:!?").strip("\"' ")


def _show(value: object, limit: int = 40) -> str:
    """A short, safe echo of a learner's value: long text is cut, numbers print plainly.

    >>> _show(0.25949367), _show("x" * 100)[-3:]
    ('0.259', "x…'")
    """
    if isinstance(value, numbers.Integral) and not isinstance(value, bool):
        return str(int(value))
    if isinstance(value, numbers.Real) and not isinstance(value, bool):
        return f"{float(value):.3f}".rstrip("0").rstrip(".") if abs(float(value)) < 1e6 else f"{float(value):g}"
    text = repr(value)
    return text if len(text) <= limit else text[: limit - 2] + "…" + text[0]


def plural(count: int, singular: str, many: str | None = None) -> str:
    """'1 word', '2 words'.

    >>> plural(1, "word"), plural(3, "word"), plural(2, "does not", "do not")
    ('1 word', '3 words', '2 do not')
    """
    return f"{count} {singular if count == 1 else (many or singular + 's')}"


def describe_type(value: object) -> str:
    """Name a value's type in plain words.

    >>> describe_type(3), describe_type("3"), describe_type([1])
    ('a number (3)', "text ('3')", 'a list')
    """
    if isinstance(value, bool):
        return f"True/False ({value})"
    if isinstance(value, numbers.Number):
        return f"a number ({_show(value)})"
    if isinstance(value, str):
        return f"text ({_show(value)})"
    if isinstance(value, pd.DataFrame):
        return "a whole table (DataFrame)"
    if isinstance(value, pd.Series):
        return "a pandas Series"
    if isinstance(value, dict):
        return "a dictionary"
    if isinstance(value, (list, tuple)):
        return "a list" if isinstance(value, list) else "a tuple"
    if isinstance(value, (set, frozenset)):
        return "a set"
    return f"a value of type {type(value).__name__}"


def is_unattempted(value: object) -> bool:
    """True for the placeholders a learner has not replaced yet: ..., None, '' or '...'."""
    if value is None or value is Ellipsis:
        return True
    if isinstance(value, str):
        return value.strip() in ("", "...")
    if isinstance(value, dict):
        return len(value) == 0 or all(v is Ellipsis or v is None for v in value.values())
    if isinstance(value, (list, tuple, set, frozenset)):
        return len(value) == 0 or all(v is Ellipsis for v in value)
    return False


# ---------------------------------------------------------------- one function per kind

def _check_choice(ex: dict, answer: object) -> Feedback:
    options = {k.casefold(): v for k, v in ex["options"].items()}
    feedback = {k.casefold(): v for k, v in ex["feedback"].items()}
    correct = ex["answer"].casefold()
    letters = ", ".join(f"'{k}'" for k in options)
    if not isinstance(answer, str):
        return Feedback("Not yet", f"you gave {describe_type(answer)}. Give the letter of one "
                                   f"option as text in quotes: one of {letters}.")
    choice = re.sub(r"[^a-z0-9]", "", answer.casefold())
    if choice not in options:
        return Feedback("Not yet", f"{_show(answer)} is not one of the options. Give one letter: {letters}.")
    if choice == correct:
        return Feedback("Correct", feedback[choice])
    return Feedback("Not yet", feedback[choice] + " Read the options again and choose another.")


def _as_items(answer: object, ex: dict) -> tuple[list[str] | None, str]:
    """Turn a learner's answer into a list of strings, or explain why it cannot be."""
    example = ex.get("example", "['S1', 'S2']")
    noun = ex.get("noun", "items")
    if isinstance(answer, pd.DataFrame):
        return None, (f"you gave a whole table (DataFrame). This exercise wants a list of {noun}, "
                      f"like {example}: pick one column and finish with .tolist().")
    if isinstance(answer, dict):
        return None, f"you gave a dictionary. This exercise wants a list of {noun}, like {example}."
    if isinstance(answer, str):
        answer = answer.split(",") if "," in answer else [answer]
    if isinstance(answer, (pd.Series, pd.Index)):
        answer = answer.tolist()
    if not isinstance(answer, (list, tuple, set, frozenset)):
        return None, f"you gave {describe_type(answer)}. This exercise wants a list of {noun}, like {example}."
    items = []
    for position, item in enumerate(answer, start=1):
        if not isinstance(item, str):
            return None, (f"item {position} of your list is {describe_type(item)}; every item should be "
                          f"text in quotes, like {example}.")
        items.append(item)
    return items, ""


def _canonical(item: str, ex: dict) -> str:
    """Map a learner's item to the key's spelling, using the accepted variants."""
    norm = normalise(item)
    for canonical, variants in ex.get("accept", {}).items():
        if norm == normalise(canonical) or norm in {normalise(v) for v in variants}:
            return normalise(canonical)
    return norm


def _check_set(ex: dict, answer: object) -> Feedback:
    items, problem = _as_items(answer, ex)
    if items is None:
        return Feedback("Not yet", problem)
    noun = ex.get("noun", "items")
    given = {_canonical(i, ex): i for i in items}
    expected = [normalise(a) for a in ex["answer"]]
    extra = [k for k in given if k not in expected]
    missing = [k for k in expected if k not in given]
    if not extra and not missing:
        return Feedback("Correct", ex.get("explain", f"you found all {len(expected)} {noun}."))
    wrong_hints = {normalise(k): v for k, v in ex.get("wrong_hints", {}).items()}
    item_hints = {normalise(k): v for k, v in ex.get("item_hints", {}).items()}
    found = len(expected) - len(missing)
    parts = []
    known_wrong = {normalise(k) for k in ex.get("wrong_hints", {})}
    choices = {normalise(c) for c in ex.get("choices", [])}
    known = {normalise(k) for k in ex.get("wrong_hints", {})}
    not_offered = [k for k in extra if choices and k not in choices and k not in known]
    if not_offered:
        return Feedback("Not yet", f"{_show(given[not_offered[0]])} is not one of the words offered. Copy the "
                                   "words exactly as the exercise lists them.")
    if extra and ex.get("in_seed"):
        absent = [k for k in extra if k not in known_wrong and k not in normalise(_seed_text())]
        if absent:
            return Feedback("Not yet", f"{_show(given[absent[0]])} does not appear in the text: check the spelling, "
                                       "and give names exactly as the text writes them.")
    if extra:
        shown = ", ".join(_show(given[k]) for k in extra[:3]) + (" …" if len(extra) > 3 else "")
        verb = "does not" if len(extra) == 1 else "do not"
        parts.append(f"{len(extra)} of your {noun} {verb} belong: {shown}.")
        hinted = [k for k in extra if k in wrong_hints]
        if hinted:
            parts.append(f"About {_show(given[hinted[0]])}: {wrong_hints[hinted[0]]}")
    if missing:
        parts.append(f"You have {found} of the {len(expected)} {noun}.")
        hinted = [k for k in missing if k in item_hints]
        if hinted:
            parts.append(item_hints[hinted[0]])
    else:
        parts.append(f"All {len(expected)} {noun} you need are there; now take out the extra ones.")
    return Feedback("Not yet", " ".join(parts))


def _seed_text() -> str:
    from course.data import load_seed

    return load_seed()


def _check_text(ex: dict, answer: object) -> Feedback:
    example = ex.get("example", "'S1'")
    if isinstance(answer, (list, tuple, set)) and len(answer) == 1:
        return Feedback("Not yet", f"you gave a list with one item. Give the text itself, like {example}, "
                                   "without the square brackets.")
    if not isinstance(answer, str):
        return Feedback("Not yet", f"you gave {describe_type(answer)}. Give one piece of text in quotes, "
                                   f"like {example}.")
    norm = normalise(answer)
    accepted = {normalise(ex["answer"])} | {normalise(v) for v in ex.get("accept", [])}
    if norm in accepted:
        return Feedback("Correct", ex.get("explain", "that is it."))
    wrong_hints = {normalise(k): v for k, v in ex.get("wrong_hints", {}).items()}
    if norm in wrong_hints:
        return Feedback("Not yet", f"{_show(answer)}: {wrong_hints[norm]}")
    return Feedback("Not yet", f"{_show(answer)} is not it. {ex.get('hint', '')}".strip())


def _check_number(ex: dict, answer: object) -> Feedback:
    """Numbers: `tolerance` around `answer`; `known_wrong` lists [value, hint] or [value, hint, within]
    for common slips."""
    if isinstance(answer, str) and re.fullmatch(r"\s*-?\d+(\.\d+)?\s*", answer):
        return Feedback("Not yet", f"you gave the text {_show(answer)}. Remove the quotes so that Python "
                                   "sees a number, not text.")
    if isinstance(answer, pd.Series) and len(answer) == 1:
        return Feedback("Not yet", "you gave a Series holding one value. Take the value itself out of it, "
                                   "for example with .iloc[0].")
    if isinstance(answer, bool) or not isinstance(answer, numbers.Real):
        return Feedback("Not yet", f"you gave {describe_type(answer)}. This exercise wants one number, "
                                   f"such as the result of len(...) or .sum().")
    target, tolerance = ex["answer"], ex.get("tolerance", 0)
    value = float(answer)
    if value != value or value in (float("inf"), float("-inf")):
        return Feedback("Not yet", f"{_show(answer)} is not a usable number (it may come from dividing by zero "
                                   "or from an empty column). Check each part of your calculation.")
    if abs(value - target) <= tolerance:
        return Feedback("Correct", ex.get("explain", f"{_show(answer)} is right."))
    for wrong_value, hint, *near in ex.get("known_wrong", []):
        if abs(value - wrong_value) <= (near[0] if near else max(tolerance, 1e-9)):
            return Feedback("Not yet", f"{_show(answer)}: {hint}")
    if tolerance and abs(value - target) <= 3 * tolerance:
        return Feedback("Not yet", f"{_show(answer)} is close, but not quite. Keep at least two decimal places, "
                                   "and check that you used the totals the exercise asks for.")
    hint = ex.get("low_hint") if answer < target else ex.get("high_hint")
    direction = "too low" if answer < target else "too high"
    return Feedback("Not yet", f"{_show(answer)} is {direction}. {hint or ex.get('hint', '')}".strip())


def _check_mapping(ex: dict, answer: object) -> Feedback:
    key_noun = ex.get("key_noun", "keys")
    if isinstance(answer, pd.DataFrame):
        columns = ", ".join(map(str, list(answer.columns)[:6]))
        return Feedback("Not yet", f"you gave a whole table (columns: {columns}). This exercise wants one value "
                                   f"per {ex.get('key_singular', 'key')}: a Series or a dictionary. Pick or "
                                   "compute one column.")
    if isinstance(answer, pd.Series):
        answer = answer.to_dict()
    if not isinstance(answer, dict):
        return Feedback("Not yet", f"you gave {describe_type(answer)}. This exercise wants one value per "
                                   f"{ex.get('key_singular', 'key')}: a pandas Series (for example from "
                                   ".groupby(...)) or a dictionary.")
    given = {normalise(k): v for k, v in answer.items()}
    given_label = {normalise(k): k for k in answer}
    expected = {normalise(k): v for k, v in ex["answer"].items()}
    label = {normalise(k): str(k) for k in ex["answer"]}
    missing = [label[k] for k in expected if k not in given]
    extra = [_show(given_label[k]) for k in given if k not in expected]
    if given and len(missing) == len(expected):
        if all(isinstance(k, numbers.Integral) for k in given_label.values()):
            shown = "only numbered positions, not names"
        else:
            shown = ", ".join(_show(given_label[k]) for k in list(given)[:3]) + "…"
        return Feedback("Not yet", f"your values are labelled {shown}, but this exercise wants one value per "
                                   f"{ex.get('key_singular', 'key')}, labelled like {_show(next(iter(label.values())))}. "
                                   "Group by the right column.")
    if missing:
        return Feedback("Not yet", f"there is no value for {', '.join(missing)}. Each of the {len(expected)} "
                                   f"{key_noun} needs one.")
    extra_hints = {normalise(k): v for k, v in ex.get("extra_key_hints", {}).items()}
    hinted = [k for k in given if k not in expected and k in extra_hints]
    if hinted:
        return Feedback("Not yet", f"{_show(given_label[hinted[0]])}: {extra_hints[hinted[0]]}")
    if extra:
        return Feedback("Not yet", f"{', '.join(extra[:3])} should not be in your answer: this exercise wants one "
                                   f"value for each of the {len(expected)} {key_noun}. Check which rows you grouped "
                                   "and which you left in.")
    unfilled = [label[k] for k in expected if given[k] is Ellipsis or given[k] is None]
    if unfilled:
        return Feedback("Not yet", f"fill in a value for {', '.join(unfilled)}: {plural(len(unfilled), 'value')} "
                                   "still show ... or None.")
    allowed = {normalise(v) for v in ex.get("allowed_values", [])}
    if allowed:
        for key in expected:
            got = given[key]
            if not isinstance(got, str) or _canonical_value(got, ex) not in allowed:
                choices = ", ".join(f"'{v}'" for v in ex["allowed_values"])
                return Feedback("Not yet", f"the value for {label[key]}, {_show(got)}, is not one of the values this "
                                           f"exercise uses. Choose from: {choices}.")
    wrong = sorted((label[key] for key, want in expected.items() if not _value_matches(given[key], want, ex)),
                   key=_natural)
    if "min_agreement" in ex:
        return _agreement(ex, wrong, len(expected))
    if not wrong:
        return Feedback("Correct", ex.get("explain", f"all {len(expected)} values are right."))
    if len(wrong) == len(expected):
        return Feedback("Not yet", f"none of the {len(expected)} values is right yet. {ex.get('hint', '')}".strip())
    return Feedback("Not yet", f"{len(expected) - len(wrong)} of the {len(expected)} values are right; look again "
                               f"at {', '.join(wrong)}. {ex.get('hint', '')}".strip())


def _canonical_value(value: str, ex: dict) -> str:
    """Map a learner's value to the key's spelling, using `accept_values` variants."""
    norm = normalise(value)
    for canonical, variants in ex.get("accept_values", {}).items():
        if norm in {normalise(v) for v in variants}:
            return normalise(canonical)
    return norm


def _value_matches(got: object, want: object, ex: dict) -> bool:
    """One value of a mapping: a number within `tolerance`, or text equal to (one of) `want`."""
    if isinstance(want, (int, float)) and not isinstance(want, bool):
        return (isinstance(got, numbers.Real) and not isinstance(got, bool)
                and abs(float(got) - want) <= ex.get("tolerance", 0))
    choices = want if isinstance(want, list) else [want]
    return isinstance(got, str) and _canonical_value(got, ex) in {normalise(c) for c in choices}


def _natural(label: str) -> tuple:
    """Sort key that puts S2 before S10.

    >>> sorted(["S10", "S2", "P1"], key=_natural)
    ['P1', 'S2', 'S10']
    """
    return tuple(int(part) if part.isdigit() else part for part in re.split(r"(\d+)", str(label)))


def _agreement(ex: dict, differing: list[str], total: int) -> Feedback:
    """Coding exercises: agreement with a model coding, not right or wrong.

    Once a learner agrees enough, the feedback names the model's reading of each
    sentence that differs, so the comparison can start; below that, only the ids.
    """
    agree = total - len(differing)
    differ = f"; the model coding reads {', '.join(differing)} differently" if differing else ""
    if agree >= ex["min_agreement"]:
        model = {str(k).upper(): v if isinstance(v, list) else [v] for k, v in ex["answer"].items()}
        readings = "; ".join(f"{sid}: {' or '.join(model[sid.upper()])}" for sid in differing)
        differ = f"; where you differ, the model reads {readings}" if differing else ""
        return Feedback("Correct", f"you agree with the model coding on {agree} of {total}{differ}. Coding is a "
                                   "judgement: compare your reasons with the model coding in the solution notebook, "
                                   "and ask what made you and the model see a sentence differently.")
    return Feedback("Not yet", f"you agree with the model coding on {agree} of {total}{differ}. Reread those "
                               "sentences against the dimension descriptions: what is each one mostly about?")


def _check_open(ex: dict, answer: object) -> Feedback:
    if not isinstance(answer, str):
        return Feedback("Not yet", f"you gave {describe_type(answer)}. Write your answer as text between "
                                   'the triple quotes: answer = """..."""')
    words = count_words(answer)
    least, most = ex.get("min_words", 25), ex.get("max_words", 400)
    if words < least:
        return Feedback("Not yet", f"you wrote {plural(words, 'word')}; aim for at least {least}. Make a claim, then "
                                   "point to the sentences that support it.")
    if words > most:
        return Feedback("Not yet", f"you wrote {words} words; keep it under {most}. Say the main point "
                                   "and the evidence for it.")
    cited = sorted(set(re.findall(r"\b[SP]\d{1,2}\b", answer)), key=lambda s: (s[0], int(s[1:])))
    if ex.get("cite_ids", True) and not cited:
        return Feedback("Not yet", "your answer cites no sentence or paragraph ids. Point to the evidence, "
                                   "for example '(S3)' or 'in P2'.")
    cites = f", citing {', '.join(cited)}" if cited else ""
    questions = " ".join(f"({i}) {q}" for i, q in enumerate(ex.get("self_check", []), start=1))
    check_yourself = f" Before you compare, check it yourself: {questions}" if questions else ""
    return Feedback("Correct", f"recorded, not graded ({words} words{cites}). A machine checks only length and "
                               f"evidence here, not your reasoning.{check_yourself} Then compare with the model "
                               "answer in the solution notebook (or ask your instructor for it); an instructor marks it with a rubric.")


_KINDS = {"choice": _check_choice, "set": _check_set, "text": _check_text,
          "number": _check_number, "mapping": _check_mapping, "open": _check_open}


# ---------------------------------------------------------------- public functions

def standard_value(qid: str, value: object) -> object:
    """The spelling an exercise uses for a value a learner typed ("xi" -> "Xi"); other values unchanged.

    Lets a cell that draws a learner's answer treat accepted variants like the key does.
    """
    ex = _keys().get(qid, {})
    if not isinstance(value, str):
        return value
    norm = _canonical_value(value, ex)
    for allowed in ex.get("allowed_values", []):
        if normalise(allowed) == norm:
            return allowed
    return value


def evaluate(qid: str, answer: object, keys: dict[str, dict] | None = None) -> Feedback:
    """Return the feedback for one answer without printing it."""
    keys = _keys() if keys is None else keys
    if not isinstance(qid, str):
        return Feedback("Not yet", "the first argument of check(...) should be the exercise id in quotes, as the "
                                   "lesson wrote it, and the second your answer.")
    if qid not in keys:
        return Feedback("Not yet", f"there is no exercise called {_show(qid)}. Keep the first argument "
                                   "of check(...) as the lesson wrote it.")
    if is_unattempted(answer):
        return Feedback("Not attempted", "replace the ... with your answer, then run this cell again.")
    ex = keys[qid]
    return _KINDS[ex["kind"]](ex, answer)


def _previous_cell() -> tuple[object, str]:
    """The error (or None) and the code of the cell run just before this check."""
    try:
        from IPython import get_ipython

        result = getattr(get_ipython(), "last_execution_result", None)
    except Exception:
        return None, ""
    error = getattr(result, "error_before_exec", None) or getattr(result, "error_in_exec", None)
    code = getattr(getattr(result, "info", None), "raw_cell", "") or ""
    return error, code


def _error_advice(error: BaseException) -> str:
    """One line of advice for the errors newcomers meet most in an answer cell."""
    if isinstance(error, NameError) and getattr(error, "name", None):
        name = error.name
        try:
            from IPython import get_ipython

            known = [n for n in get_ipython().user_ns if not n.startswith("_")]
        except Exception:
            known = []
        close = difflib.get_close_matches(name, known, n=1)
        if close:
            return f"Python knows no `{name}`: did you mean `{close[0]}`?"
        return (f"If {name} is text, it needs quotation marks: \"{name}\". Without them Python looks for a "
                "variable of that name.")
    if isinstance(error, SyntaxError):
        return "Python could not read the cell: look for a missing quotation mark, bracket or comma."
    if isinstance(error, KeyError):
        return "A KeyError usually means a misspelt column name: list a table's columns with `table.columns`."
    return "Fix that cell and run it again."


def _stale_answer(qid: str, answer: object, code: str) -> Feedback | None:
    """`answer` is the very value last checked for another exercise, and the previous cell did not set it."""
    last_qid, last_value = _last_checked.get("qid"), _last_checked.get("value")
    if last_qid is None or last_qid == qid or answer is not last_value or is_unattempted(answer):
        return None
    if re.search(r"\banswer\s*=", code):
        return None
    title = _keys().get(last_qid, {}).get("title", last_qid)
    return Feedback("Not yet", f"`answer` still holds your answer to the previous exercise ({title}). Write "
                               "`answer = ...` with your new answer in the answer cell, run it, then run this "
                               "check again.")


def _before_checking(qid: str, answer: object) -> Feedback | None:
    """Catch an answer cell that failed or did not set `answer`, before judging the value."""
    error, code = _previous_cell()
    if error is not None:
        first = f"{type(error).__name__}: {str(error)[:80]}"
        return Feedback("Not yet", f"the cell you ran just before this check stopped with an error ({first}), so "
                                   f"`answer` may still hold an older value. {_error_advice(error)} Then run this "
                                   "check again.")
    return _stale_answer(qid, answer, code)


def check(qid: str, answer: object = ...) -> None:
    """Check an answer and print one feedback block. Never raises, except in strict mode."""
    try:
        feedback = _before_checking(qid, answer) or evaluate(qid, answer)
    except Exception as error:  # a learner should never see a traceback from a check
        if strict():
            raise
        feedback = Feedback("Not yet", f"the check could not read your answer ({type(error).__name__}). "
                                       "Look at what kind of value you gave, then run the cell again.")
    _results[str(qid)] = feedback.status
    _last_checked.update(qid=str(qid), value=answer)
    print(feedback)
    if strict() and feedback.status != "Correct":
        raise CheckFailed(f"{qid}: {feedback}")


def progress(lesson: str | None = None) -> None:
    """Print each exercise's result on your latest try in this session (since the kernel started).

    `lesson` is a lesson number such as "01"; by default, the lessons you have checked so far.
    """
    keys = _keys()
    lessons = [lesson] if lesson else sorted({keys[q]["lesson"][:2] for q in _results if q in keys})
    if not lessons:
        print("No exercises checked yet in this session. Run a check cell, then try again.")
        return
    for number in lessons:
        qids = [q for q, ex in keys.items() if ex["lesson"][:2] == number]
        done = sum(_results.get(q) == "Correct" for q in qids)
        print(f"Lesson {number}: {done} of {len(qids)} exercises correct on your latest try")
        for qid in qids:
            status = _results.get(qid, "Not attempted")
            print(f"  {SYMBOLS[status]} {status:<13} {qid}  {keys[qid]['title']}")
