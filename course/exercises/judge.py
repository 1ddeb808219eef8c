"""Judging answers: an exercise's key and a learner's answer in, one Feedback out.

Pure functions, no printing and no memory of the session: the notebook checks and the
instructor's grader both call `judge`. The order is always the same: is there an answer
at all, is it the right kind of value, does it have the right shape, and only then is
it right. A wrong answer is told what to look at again, never the answer itself; on a
first try only how many are right and the idea, on later tries one item by name.

Statuses: `Correct` (matches the key; no trivial answer gets here), `Not yet`,
`Not attempted`, and `Recorded` (an open answer that passed its sanity checks, or any
answer in a graded release, which ships no answers).

>>> judge({"kind": "text", "title": "t", "answer": "S9"}, "s9").status
'Correct'
>>> judge({"kind": "text", "title": "t", "answer": "S9"}, None).message
'you have not answered yet. Write your answer after `answer =` in the answer cell, run it, then run this check.'
"""

from __future__ import annotations

import math
import numbers
import re
from dataclasses import dataclass

import pandas as pd

from course.exercises.answers import as_items, describe_type, normalise, placeholder_kind, plural, show
from course.exercises.open_answers import judge_open

SYMBOLS = {"Correct": "✓", "Not yet": "✗", "Not attempted": "○", "Recorded": "◆"}
GRADED = "your answer is recorded; this exercise will be graded by your instructor."


@dataclass
class Feedback:
    """What a check says: a status, a one-line message, and optional further lines.

    `more` holds what is shown under the message after an attempt: a model answer and
    its rubric, or the model coding.
    """
    status: str   # "Correct", "Not yet", "Not attempted" or "Recorded"
    message: str
    more: str = ""

    def __str__(self) -> str:
        first = f"{SYMBOLS[self.status]} {self.status}: {self.message}"
        return first + ("\n" + self.more if self.more else "")


def natural(label: object) -> tuple:
    """Sort key that puts S2 before S10 and q02_9 before q02_10.

    >>> sorted(["S10", "S2", "P1"], key=natural)
    ['P1', 'S2', 'S10']
    """
    return tuple((0, int(part), "") if part.isdigit() else (1, 0, part)
                 for part in re.split(r"(\d+)", str(label)) if part)


def graded(ex: dict) -> bool:
    """True when the key ships without answers (a graded release)."""
    return bool(ex.get("graded"))


# ---------------------------------------------------------------- choice

def _choice(ex: dict, answer: object, attempt: int) -> Feedback:
    options = {k.casefold(): v for k, v in ex["options"].items()}
    letters = ", ".join(f"'{k}'" for k in options)
    if not isinstance(answer, str):
        return Feedback("Not yet", f"you gave {describe_type(answer)}. Give the letter of one "
                                   f"option as text in quotes: one of {letters}.")
    choice = re.sub(r"[^a-z0-9]", "", answer.casefold())
    if choice not in options:
        return Feedback("Not yet", f"{show(answer)} is not one of the options. Give one letter: {letters}.")
    if graded(ex):
        return Feedback("Recorded", f"you chose '{choice}'; " + GRADED)
    feedback = {k.casefold(): v for k, v in ex["feedback"].items()}
    if choice == ex["answer"].casefold():
        return Feedback("Correct", feedback[choice])
    return Feedback("Not yet", feedback[choice] + " Read the options again and choose another.")


# ---------------------------------------------------------------- set

def _known_words(ex: dict) -> list[str]:
    """Every item spelling the exercise knows, so multi-word items stay whole in a string answer."""
    known = list(ex.get("answer", [])) + list(ex.get("choices", [])) + list(ex.get("wrong_hints", {}))
    for canonical, variants in ex.get("accept", {}).items():
        known += [canonical, *variants]
    return known


def _canonical(item: str, ex: dict) -> str:
    """Map a learner's item to the key's spelling, using the accepted variants."""
    norm = normalise(item)
    for canonical, variants in ex.get("accept", {}).items():
        if norm == normalise(canonical) or norm in {normalise(v) for v in variants}:
            return normalise(canonical)
    return norm


def _items_or_problem(ex: dict, answer: object) -> tuple[list[str] | None, str]:
    example, noun = ex.get("example", "['S1', 'S2']"), ex.get("noun", "items")
    if isinstance(answer, pd.DataFrame):
        return None, (f"you gave a whole table (DataFrame). This exercise wants a list of {noun}, "
                      f"like {example}: pick one column and finish with .tolist().")
    if isinstance(answer, dict):
        return None, f"you gave a dictionary. This exercise wants a list of {noun}, like {example}."
    try:
        return as_items(answer, _known_words(ex)), ""
    except TypeError as problem:
        what = str(problem)
        if what.startswith("item "):
            return None, f"{what}; every item should be text in quotes, like {example}."
        return None, f"you gave {what}. This exercise wants a list of {noun}, like {example}."


def _set(ex: dict, answer: object, attempt: int) -> Feedback:
    items, problem = _items_or_problem(ex, answer)
    if items is None:
        return Feedback("Not yet", problem)
    noun = ex.get("noun", "items")
    given = {_canonical(i, ex): i for i in items}
    choices = {normalise(c) for c in ex.get("choices", [])}
    known_wrong = {normalise(k) for k in ex.get("wrong_hints", {})}
    not_offered = [k for k in given if choices and k not in choices and k not in known_wrong
                   and k not in {normalise(a) for a in ex.get("answer", [])}]
    if not_offered:
        why = ex.get("not_offered_message", "is not one of the words offered. Copy the words exactly as the "
                                            "exercise lists them.")
        return Feedback("Not yet", f"{show(given[not_offered[0]])} {why}")
    if ex.get("in_seed"):
        from course.reading.data import load_seed

        text = normalise(load_seed())
        absent = [k for k in given if k not in known_wrong and k not in text]
        if absent:
            return Feedback("Not yet", f"{show(given[absent[0]])} does not appear in the text: check the spelling, "
                                       "and give names exactly as the text writes them.")
    if graded(ex):
        return Feedback("Recorded", f"your {len(given)} {noun} are recorded; this exercise will be graded by "
                                    "your instructor.")
    expected = [normalise(a) for a in ex["answer"]]
    optional = {normalise(o) for o in ex.get("optional", [])}  # either reading is right
    extra = [k for k in given if k not in expected and k not in optional]
    missing = [k for k in expected if k not in given]
    if not extra and not missing:
        return Feedback("Correct", ex.get("explain", f"you found all {len(expected)} {noun}."))
    parts = []
    if extra:
        verb = "does not" if len(extra) == 1 else "do not"
        parts.append(f"{len(extra)} of your {noun} {verb} belong.")
    if missing:
        parts.append(f"You have {len(expected) - len(missing)} of the {len(expected)} {noun}.")
    else:
        every = "Both" if len(expected) == 2 else f"All {len(expected)}"
        parts.append(f"{every} {noun} you need are there; now find the extra "
                     f"{'one' if len(extra) == 1 else 'ones'} and take {'it' if len(extra) == 1 else 'them'} out.")
    if attempt <= 1:
        parts.append(ex.get("hint", ""))
    else:  # a later try: one item by name
        wrong_hints = {normalise(k): v for k, v in ex.get("wrong_hints", {}).items()}
        item_hints = {normalise(k): v for k, v in ex.get("item_hints", {}).items()}
        if extra:
            named = next((k for k in extra if k in wrong_hints), extra[0])
            parts.append(f"About {show(given[named])}: {wrong_hints.get(named, 'read its sentence again.')}")
        elif missing and missing[0] in item_hints:
            parts.append(item_hints[missing[0]])
    return Feedback("Not yet", " ".join(p for p in parts if p))


# ---------------------------------------------------------------- text

def _text(ex: dict, answer: object, attempt: int) -> Feedback:
    example = ex.get("example", "'S1'")
    if isinstance(answer, (list, tuple, set)) and len(answer) == 1:
        return Feedback("Not yet", f"you gave a list with one item. Give the text itself, like {example}, "
                                   "without the square brackets.")
    if not isinstance(answer, str):
        return Feedback("Not yet", f"you gave {describe_type(answer)}. Give one piece of text in quotes, "
                                   f"like {example}.")
    if len(as_items(answer)) > 1 and re.search(r"[,;]", answer):
        return Feedback("Not yet", f"you gave several answers ({show(answer)}). This exercise wants one, "
                                   f"like {example}.")
    if graded(ex):
        return Feedback("Recorded", GRADED)
    norm = normalise(answer)
    accepted = {normalise(ex["answer"])} | {normalise(v) for v in ex.get("accept", [])}
    if norm in accepted:
        return Feedback("Correct", ex.get("explain", "that is it."))
    wrong_hints = {normalise(k): v for k, v in ex.get("wrong_hints", {}).items()}
    if norm in wrong_hints:
        later = f" {ex['hint']}" if attempt > 1 and ex.get("hint") else ""
        return Feedback("Not yet", f"{show(answer)}: {wrong_hints[norm]}{later}")
    return Feedback("Not yet", f"{show(answer)} is not it. {ex.get('hint', '')}".strip())


# ---------------------------------------------------------------- number

def _number(ex: dict, answer: object, attempt: int) -> Feedback:
    """Numbers: `tolerance` around `answer`; `known_wrong` lists [value, hint] or [value, hint, within]."""
    if isinstance(answer, str) and re.fullmatch(r"\s*-?\d+(\.\d+)?\s*", answer):
        return Feedback("Not yet", f"you gave the text {show(answer)}. Remove the quotes so that Python "
                                   "sees a number, not text.")
    if isinstance(answer, pd.Series) and len(answer) == 1:
        return Feedback("Not yet", "you gave a Series holding one value. Take the value itself out of it, "
                                   "for example with .iloc[0].")
    if isinstance(answer, bool) or not isinstance(answer, numbers.Real):
        return Feedback("Not yet", f"you gave {describe_type(answer)}. This exercise wants one number, "
                                   "such as the result of len(...), .sum() or .max().")
    value = float(answer)
    if math.isnan(value) or math.isinf(value):
        return Feedback("Not yet", f"{show(answer)} is not a usable number (it may come from dividing by zero "
                                   "or from an empty column). Check each part of your calculation.")
    if graded(ex):
        return Feedback("Recorded", f"the number {show(answer)} is recorded; this exercise will be graded by "
                                    "your instructor.")
    target, tolerance = ex["answer"], ex.get("tolerance", 0)
    if abs(value - target) <= tolerance:
        return Feedback("Correct", ex.get("explain", f"{show(answer)} is right."))
    if tolerance and value == round(target, 1) and abs(target) < 1:
        return Feedback("Not yet", f"{show(answer)} looks like the right number rounded to one decimal place. "
                                   "Keep at least two decimal places (or do not round at all).")
    for wrong_value, hint, *near in ex.get("known_wrong", []):
        if abs(value - wrong_value) <= (near[0] if near else max(tolerance, 1e-9)):
            return Feedback("Not yet", f"{show(answer)}: {hint}")
    if tolerance and abs(value - target) <= 3 * tolerance:
        return Feedback("Not yet", f"{show(answer)} is close, but not quite. Keep at least two decimal places, "
                                   "and check that you used the totals the exercise asks for.")
    hint = ex.get("low_hint") if value < target else ex.get("high_hint")
    direction = "too low" if value < target else "too high"
    return Feedback("Not yet", f"{show(answer)} is {direction}. {hint or ex.get('hint', '')}".strip())


# ---------------------------------------------------------------- mapping

def _canonical_value(value: str, ex: dict) -> str:
    """Map a learner's value to the key's spelling, using `accept_values` variants."""
    norm = normalise(value)
    for canonical, variants in ex.get("accept_values", {}).items():
        if norm in {normalise(v) for v in variants}:
            return normalise(canonical)
    return norm


def readings(want: object) -> list[object]:
    """The accepted values for one key of a mapping: the first is the model's reading."""
    return want if isinstance(want, list) else [want]


def _value_matches(got: object, want: object, ex: dict) -> bool:
    """One value of a mapping: a number within `tolerance`, or text equal to (one of) `want`."""
    if isinstance(want, (int, float)) and not isinstance(want, bool):
        return (isinstance(got, numbers.Real) and not isinstance(got, bool)
                and abs(float(got) - want) <= ex.get("tolerance", 0))
    return isinstance(got, str) and _canonical_value(got, ex) in {normalise(c) for c in readings(want)}


def _mapping_shape(ex: dict, answer: object) -> tuple[dict | None, dict, str]:
    """Check a mapping's structure. Returns (given values by normalised key, labels, problem)."""
    key_singular = ex.get("key_singular", "key")
    wanted = (f"a dictionary like {ex['example']}" if ex.get("example")
              else "a pandas Series (for example from .groupby(...)) or a dictionary")
    if isinstance(answer, pd.DataFrame):
        columns = ", ".join(map(str, list(answer.columns)[:6]))
        return None, {}, (f"you gave a whole table (columns: {columns}). This exercise wants one value "
                          f"per {key_singular}: {wanted}.")
    if isinstance(answer, pd.Series):
        answer = answer.to_dict()
    if not isinstance(answer, dict):
        return None, {}, (f"you gave {describe_type(answer)}. This exercise wants one value per {key_singular}: "
                          f"{wanted}.")
    keys = ex["keys"] if "keys" in ex else list(ex["answer"])
    label = {normalise(k): str(k) for k in keys}
    given = {normalise(k): v for k, v in answer.items()}
    given_label = {normalise(k): k for k in answer}
    missing = [label[k] for k in label if k not in given]
    if given and len(missing) == len(label):
        if all(isinstance(k, numbers.Integral) for k in given_label.values()):
            shown = "only numbered positions, not names"
        else:
            shown = ", ".join(show(given_label[k]) for k in list(given)[:3]) + "…"
        return None, label, (f"your values are labelled {shown}, but this exercise wants one value per "
                             f"{key_singular}, labelled like {show(next(iter(label.values())))}."
                             + ("" if ex.get("example") else " Group by the right column."))
    if missing:
        return None, label, (f"there is no value for {', '.join(missing)}. Each of the {len(label)} "
                             f"{ex.get('key_noun', 'keys')} needs one.")
    optional = {normalise(k): v for k, v in ex.get("optional_keys", {}).items()}  # may be given, with this value
    given = {k: v for k, v in given.items() if not (k in optional and k not in label and _value_matches(v, optional[k], ex))}
    extra_hints = {normalise(k): v for k, v in ex.get("extra_key_hints", {}).items()}
    hinted = [k for k in given if k not in label and k in extra_hints]
    if hinted:
        return None, label, f"{show(given_label[hinted[0]])}: {extra_hints[hinted[0]]}"
    extra = [show(given_label[k]) for k in given if k not in label]
    if extra:
        return None, label, (f"{', '.join(extra[:3])} should not be in your answer: this exercise wants one "
                             f"value for each of the {len(label)} {ex.get('key_noun', 'keys')}. Check which rows "
                             "you grouped and which you left in.")
    unfilled = [label[k] for k in label if given[k] is Ellipsis or given[k] is None]
    if unfilled:
        none_allowed = "none" in {normalise(v) for v in ex.get("allowed_values", [])}
        tip = ' If you mean that there is none, write the text "none", in quotes.' if none_allowed else ""
        return None, label, (f"fill in a value for {', '.join(unfilled)}: {plural(len(unfilled), 'value')} still "
                             f"{'shows' if len(unfilled) == 1 else 'show'} ... or None.{tip}")
    allowed = {normalise(v) for v in ex.get("allowed_values", [])}
    for key in label:
        if allowed and (not isinstance(given[key], str) or _canonical_value(given[key], ex) not in allowed):
            choices = ", ".join(f"'{v}'" for v in ex["allowed_values"])
            return None, label, (f"{show(given[key])} (your value for {show(label[key])}) is not one of the values "
                                 f"this exercise uses. Choose from: {choices}.")
    return given, label, ""


def _is_number(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True


def _scale_slip(expected: dict, given: dict) -> str:
    """A message when every expected value is a share (0 to 1) but the learner gave percentages or counts."""
    wanted = [v for v in expected.values() if isinstance(v, (int, float)) and not isinstance(v, bool)]
    got = [v for v in given.values() if isinstance(v, numbers.Real) and not isinstance(v, bool)]
    if not wanted or len(wanted) != len(expected) or not got or max(wanted) > 1 or all(w == int(w) for w in wanted):
        return ""
    if max(got) > 1:
        if abs(sum(float(v) for v in got) - 100) > 1.5 and all(float(v).is_integer() for v in got):
            return ("some of your values are whole numbers above 1: they look like counts. This exercise wants "
                    "shares between 0 and 1: divide each count by the total.")
        return ("some of your values are above 1: they look like percentages. Give shares between 0 and 1 "
                "(divide by 100).")
    return ""


def _mapping(ex: dict, answer: object, attempt: int) -> Feedback:
    given, label, problem = _mapping_shape(ex, answer)
    if given is None:
        return Feedback("Not yet", problem)
    if graded(ex):
        return Feedback("Recorded", f"all {len(label)} values are filled in; " + GRADED)
    if ex.get("scoring") == "agreement":
        return agreement(ex, given, label, attempt)
    expected = {normalise(k): v for k, v in ex["answer"].items()}
    quoted = [k for k, want in expected.items() if isinstance(want, (int, float)) and not isinstance(want, bool)
              and isinstance(given[k], str) and _is_number(given[k])]
    if quoted:
        return Feedback("Not yet", f"your value for {label[quoted[0]]} is text ({show(given[quoted[0]])}): remove "
                                   "the quotation marks so that it is a number.")
    wrong = sorted((label[k] for k, want in expected.items() if not _value_matches(given[k], want, ex)), key=natural)
    if not wrong:
        return Feedback("Correct", ex.get("explain", f"all {len(expected)} values are right."))
    scale = _scale_slip(expected, given)
    if scale:
        return Feedback("Not yet", scale)
    hint = ex.get("hint", "")
    if len(wrong) == len(expected):
        return Feedback("Not yet", f"none of the {len(expected)} values is right yet. {hint}".strip())
    count = len(expected) - len(wrong)
    right = f"{count} of the {len(expected)} values {'is' if count == 1 else 'are'} right"
    if attempt <= 1:
        return Feedback("Not yet", f"{right}; {plural(len(wrong), 'is', 'are')} not right yet. {hint}".strip())
    named = wrong[0]
    more = f" (and {len(wrong) - 1} more)" if len(wrong) > 1 else ""
    value_hint = {normalise(k): v for k, v in ex.get("value_hints", {}).items()}.get(normalise(named), "")
    return Feedback("Not yet", f"{right}. Look again at {named}{more}. {value_hint or hint}".strip())


# ---------------------------------------------------------------- agreement (coding exercises)

def agreement_score(ex: dict, coding: dict) -> tuple[float, int, int]:
    """Score a coding against the model: 1 for its first reading, 0.5 for an accepted second one.

    Returns (score, first readings matched, second readings matched). `coding` maps the
    normalised key to the learner's value.
    """
    first = second = 0
    for key, want in ex["answer"].items():
        got = coding.get(normalise(key))
        if not isinstance(got, str):
            continue
        value = _canonical_value(got, ex)
        options = [normalise(w) for w in readings(want)]
        if value == options[0]:
            first += 1
        elif value in options[1:]:
            second += 1
    return first + 0.5 * second, first, second


def best_constant(ex: dict) -> tuple[float, str]:
    """The best score a coding could reach by giving every item the same value, and that value."""
    values = ex.get("allowed_values") or sorted({normalise(v) for want in ex["answer"].values() for v in readings(want)})
    best = max(values, key=lambda v: agreement_score(ex, {normalise(k): v for k in ex["answer"]})[0])
    return agreement_score(ex, {normalise(k): best for k in ex["answer"]})[0], best


def _score_text(score: float) -> str:
    return f"{score:g}"


SHOW_MODEL_AFTER = 3  # the model coding is shown after a pass, or from the third different try


def agreement(ex: dict, given: dict, label: dict, attempt: int = 1) -> Feedback:
    """Coding exercises: agreement with a model coding, compared with the best constant coding.

    The model coding is shown once the learner passes, or after two different tries that
    did not; before that, how many items differ, then (from the second try) which, so that
    copying it is not the way to pass. An item listed in `required` must match an accepted
    reading even when the score reaches the pass mark.
    """
    total = len(ex["answer"])
    score, first, second = agreement_score(ex, given)
    baseline, _ = best_constant(ex)
    summary = (f"you agree with the model coding on {_score_text(score)} of {total} points ({first} matching its first "
               f"reading at one point each, {second} matching a second reading it accepts at half a point each). "
               "Giving every "
               f"{ex.get('key_singular', 'item')} the same label would score at most {_score_text(baseline)}.")
    differing = [label.get(normalise(k), k) for k, want in ex["answer"].items()
                 if not _value_matches(given.get(normalise(k)), want, ex)]
    missed = [label.get(normalise(k), k) for k in ex.get("required", [])
              if not _value_matches(given.get(normalise(k)), ex["answer"][k], ex)]
    if score >= ex["min_agreement"] and not missed:
        return Feedback("Correct", summary + " Compare your reasons with the model's below, where you differ.",
                        _model_coding(ex, given, label))
    if missed and score >= ex["min_agreement"]:
        need = (" That reaches the pass mark, but a statement the lesson works through in its text is off every "
                "accepted reading" + (f" ({', '.join(map(str, missed))})" if attempt >= 2 else "")
                + ": reread the worked examples.")
    else:
        need = (f" You need {_score_text(ex['min_agreement'])} to pass: reread the items and what each label means, "
                "and ask what each item is mostly about.")
    if attempt >= SHOW_MODEL_AFTER:
        return Feedback("Not yet", summary + need + " Here is the model coding, to see where and why you differ.",
                        _model_coding(ex, given, label))
    values = {_canonical_value(v, ex) for v in given.values() if isinstance(v, str)}
    if len(values) == 1 and len(given) > 2:
        where = (f" You gave every {ex.get('key_singular', 'item')} the same label: weigh each one on its own.")
    elif missed and score >= ex["min_agreement"]:
        where = ""
    elif attempt >= 2:
        where = f" Yours differs from every accepted reading on {', '.join(map(str, differing))}."
    else:
        where = (f" {plural(len(differing), ex.get('key_singular', 'item'))} {'is' if len(differing) == 1 else 'are'} "
                 "off every accepted reading; the next try names them.")
    return Feedback("Not yet", summary + need + where + " The model coding is shown after a pass, or after two more "
                                                        "different tries.")


def _model_coding(ex: dict, given: dict, label: dict) -> str:
    """The model coding as lines of text, marking where the learner differs, then why coders disagree."""
    lines = ["Model coding (first reading; accepted second readings in brackets):"]
    for key in sorted(ex["answer"], key=natural):
        want = readings(ex["answer"][key])
        got = given.get(normalise(key))
        value = _canonical_value(got, ex) if isinstance(got, str) else ""
        mark = "=" if value == normalise(want[0]) else ("~" if value in {normalise(w) for w in want[1:]} else "≠")
        also = f" [{'; '.join(map(str, want[1:]))}]" if len(want) > 1 else ""
        lines.append(f"  {mark} {label.get(normalise(key), key)}: {want[0]}{also}   (yours: {got})")
    if ex.get("discussion"):
        lines.append(ex["discussion"])
    return "\n".join(lines)


# ---------------------------------------------------------------- entry point

_KINDS = {"choice": _choice, "set": _set, "text": _text, "number": _number, "mapping": _mapping,
          "open": judge_open}


def not_attempted(answer: object) -> Feedback | None:
    """Feedback for an untouched answer, or None when the learner has written something."""
    kind = placeholder_kind(answer)
    if kind == "none":
        return Feedback("Not attempted", "you have not answered yet. Write your answer after `answer =` in the "
                                         "answer cell, run it, then run this check.")
    if kind == "dots":
        return Feedback("Not attempted", "replace the ... with your answer, then run this cell again.")
    return None


def judge(ex: dict, answer: object, attempt: int = 1) -> Feedback:
    """Return the feedback for one answer to one exercise (`ex` is its unsealed key).

    `attempt` counts the learner's tries at this exercise that were Not yet, plus one:
    later tries may name one item where a first try gives only a count and the idea.
    """
    return not_attempted(answer) or _KINDS[ex["kind"]](ex, answer, attempt)
