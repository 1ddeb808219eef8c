"""Judging answers: an exercise's key and a learner's answer in, one Feedback out.

Pure functions, no printing and no memory of the session: the notebook checks and the
instructor's grader both call `judge`. The order is always the same: is there an answer
at all, is it the right kind of value, does it have the right shape, and only then is
it right. A wrong answer is told what to look at again, never the answer itself; on a
first try only how many are right and the idea, on later tries one item by name.

What each message says is in `course.exercises.wording`; this module only decides which one
applies. Statuses are described in `course.exercises.feedback`.

>>> judge({"kind": "text", "title": "t", "answer": "S9"}, "s9").status
'Correct'
>>> judge({"kind": "text", "title": "t", "answer": "S9"}, None).reason
'any.not_attempted'
"""

from __future__ import annotations

import math
import numbers
import re

import pandas as pd

from course.exercises.answers import as_items, describe_type, normalise, placeholder_kind, plural, show
from course.exercises.feedback import SYMBOLS, Feedback, told  # noqa: F401  (SYMBOLS re-exported)
from course.exercises.open_answers import judge_open


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


def hint_of(ex: dict) -> str:
    """The hint feedback gives on a wrong answer: the key's `hint`, else the first of the hints the lesson shows."""
    return ex.get("hint") or next(iter(ex.get("hints", [])), "")


def later_hint(ex: dict) -> str:
    """The hint for a later try: the lesson's second hint if it has one, so a learner is not told the same again."""
    hints = ex.get("hints", [])
    return hints[1] if len(hints) > 1 and hints[1] != hint_of(ex) else hint_of(ex)


# ---------------------------------------------------------------- choice

def option_letters(ex: dict) -> list[str]:
    """The option letters of a choice exercise, as the learner types them."""
    return [k.casefold() for k in ex["options"]]


def _choice(ex: dict, answer: object, attempt: int) -> Feedback:
    options = option_letters(ex)
    letters = ", ".join(f"'{k}'" for k in options)
    if not isinstance(answer, str):
        return told("Not yet", "choice.not_text", what=describe_type(answer), letters=letters)
    choice = re.sub(r"[^a-z0-9]", "", answer.casefold())
    if choice not in options:
        return told("Not yet", "choice.not_an_option", answer=show(answer), letters=letters)
    if graded(ex):
        return told("Recorded", "choice.graded", choice=choice)
    feedback = {k.casefold(): v for k, v in ex["feedback"].items()}
    if choice == ex["answer"].casefold():
        return Feedback("Correct", feedback[choice], reason="key:feedback")
    return told("Not yet", "choice.wrong", feedback=feedback[choice])


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


def _items_or_problem(ex: dict, answer: object) -> tuple[list[str] | None, Feedback | None]:
    example, noun = ex.get("example", "['S1', 'S2']"), ex.get("noun", "items")
    if isinstance(answer, pd.DataFrame):
        return None, told("Not yet", "set.table", noun=noun, example=example)
    if isinstance(answer, dict):
        return None, told("Not yet", "set.dictionary", noun=noun, example=example)
    try:
        return as_items(answer, _known_words(ex)), None
    except TypeError as problem:
        what = str(problem)
        if what.startswith("item "):
            return None, told("Not yet", "set.item_not_text", what=what, example=example)
        return None, told("Not yet", "set.not_a_list", what=what, noun=noun, example=example)


def _set_problem(ex: dict, given: dict[str, str]) -> Feedback | None:
    """An item not offered, or not in the text: said before judging the set."""
    choices = {normalise(c) for c in ex.get("choices", [])}
    known_wrong = {normalise(k) for k in ex.get("wrong_hints", {})}
    answers = {normalise(a) for a in ex.get("answer", [])}
    not_offered = [k for k in given if choices and k not in choices and k not in known_wrong and k not in answers]
    if not_offered:
        item = show(given[not_offered[0]])
        if ex.get("not_offered_message"):
            return told("Not yet", "set.not_offered_by_key", item=item, why=ex["not_offered_message"])
        return told("Not yet", "set.not_offered", item=item)
    if ex.get("in_seed"):
        from course.reading.data import load_seed

        text = normalise(load_seed())
        absent = [k for k in given if k not in known_wrong and k not in text]
        if absent:
            return told("Not yet", "set.not_in_text", item=show(given[absent[0]]))
    return None


def _set(ex: dict, answer: object, attempt: int) -> Feedback:
    items, problem = _items_or_problem(ex, answer)
    if items is None:
        return problem
    noun = ex.get("noun", "items")
    given = {_canonical(i, ex): i for i in items}
    problem = _set_problem(ex, given)
    if problem:
        return problem
    if graded(ex):
        return told("Recorded", "set.graded", count=len(given), noun=noun)
    expected = [normalise(a) for a in ex["answer"]]
    optional = {normalise(o) for o in ex.get("optional", [])}  # either reading is right
    extra = [k for k in given if k not in expected and k not in optional]
    missing = [k for k in expected if k not in given]
    if not extra and not missing:
        if ex.get("explain"):
            return Feedback("Correct", ex["explain"], reason="key:explain")
        return told("Correct", "set.correct", count=len(expected), noun=noun)
    parts = []
    if extra:
        parts.append(told("", "set.extra", count=len(extra), noun=noun,
                          verb="does not" if len(extra) == 1 else "do not").message)
    if missing:
        parts.append(told("", "set.have_some", found=len(expected) - len(missing), total=len(expected),
                          noun=noun).message)
    else:
        one = len(extra) == 1
        parts.append(told("", "set.all_there", every="Both" if len(expected) == 2 else f"All {len(expected)}",
                          noun=noun, ones="one" if one else "ones", them="it" if one else "them").message)
    if attempt <= 1:
        parts.append(hint_of(ex))
    else:  # a later try: one item by name
        wrong_hints = {normalise(k): v for k, v in ex.get("wrong_hints", {}).items()}
        item_hints = {normalise(k): v for k, v in ex.get("item_hints", {}).items()}
        if extra:
            named = next((k for k in extra if k in wrong_hints), extra[0])
            hint = wrong_hints.get(named) or told("", "set.about_item_default").message
            parts.append(told("", "set.about_item", item=show(given[named]), hint=hint).message)
        elif missing and missing[0] in item_hints:
            parts.append(item_hints[missing[0]])
    reason = "set.have_some" if missing else "set.all_there"
    return Feedback("Not yet", " ".join(p for p in parts if p), reason=reason)


# ---------------------------------------------------------------- text

def _text(ex: dict, answer: object, attempt: int) -> Feedback:
    example = ex.get("example", "'S1'")
    if isinstance(answer, (list, tuple, set)) and len(answer) == 1:
        return told("Not yet", "text.one_item_list", example=example)
    if not isinstance(answer, str):
        return told("Not yet", "text.not_text", what=describe_type(answer), example=example)
    if len(as_items(answer)) > 1 and re.search(r"[,;]", answer):
        return told("Not yet", "text.several", answer=show(answer), example=example)
    ids = ex.get("ids")
    if ids and normalise(answer) not in {normalise(i) for i in ids} and normalise(answer) not in \
            {normalise(w) for w in ex.get("wrong_hints", {})}:
        return told("Not yet", "text.not_an_id", answer=show(answer), first=ids[0], last=ids[-1])
    if graded(ex):
        return told("Recorded", "any.graded")
    norm = normalise(answer)
    accepted = {normalise(ex["answer"])} | {normalise(v) for v in ex.get("accept", [])}
    if norm in accepted:
        if ex.get("explain"):
            return Feedback("Correct", ex["explain"], reason="key:explain")
        return told("Correct", "any.correct")
    wrong_hints = {normalise(k): v for k, v in ex.get("wrong_hints", {}).items()}
    if norm in wrong_hints:
        later = f" {hint_of(ex)}" if attempt > 1 and hint_of(ex) else ""
        return told("Not yet", "text.known_wrong", answer=show(answer), hint=wrong_hints[norm] + later)
    return _stripped(told("Not yet", "text.wrong", answer=show(answer), hint=hint_of(ex)))


# ---------------------------------------------------------------- number

def _number_problem(answer: object) -> Feedback | None:
    """What keeps an answer from being judged as a number, or None."""
    if isinstance(answer, str) and re.fullmatch(r"\s*-?\d+(\.\d+)?\s*", answer):
        return told("Not yet", "number.quoted", answer=show(answer))
    if isinstance(answer, str) and PERCENT_TEXT.match(answer):
        return told("Not yet", "number.percent_text", answer=show(answer))
    if isinstance(answer, pd.Series) and len(answer) == 1:
        return told("Not yet", "number.one_value_series")
    if isinstance(answer, bool) or not isinstance(answer, numbers.Real):
        return told("Not yet", "number.not_a_number", what=describe_type(answer))
    value = as_float(answer)
    if math.isinf(value) and isinstance(answer, numbers.Integral):
        return told("Not yet", "number.too_large", answer=show(answer))
    if math.isnan(value) or math.isinf(value):
        return told("Not yet", "number.not_usable", answer=show(answer))
    return None


def as_float(value: numbers.Real) -> float:
    """A number as a float; one too large for a float (10**400) becomes infinity, which no key matches.

    >>> as_float(10 ** 400), as_float(3)
    (inf, 3.0)
    """
    try:
        return float(value)
    except OverflowError:
        return math.inf if value > 0 else -math.inf


def _number(ex: dict, answer: object, attempt: int) -> Feedback:
    """Numbers: `tolerance` around `answer`; `known_wrong` lists [value, hint] or [value, hint, within]."""
    problem = _number_problem(answer)
    if problem:
        return problem
    if graded(ex):
        return told("Recorded", "number.graded", answer=show(answer))
    value = as_float(answer)
    target, tolerance = ex["answer"], ex.get("tolerance", 0)
    if abs(value - target) <= tolerance:
        if ex.get("explain"):
            return Feedback("Correct", ex["explain"], reason="key:explain")
        return told("Correct", "number.correct", answer=show(answer))
    if tolerance and value == round(target, 1) and abs(target) < 1:
        return told("Not yet", "number.rounded", answer=show(answer))
    for wrong_value, hint, *near in ex.get("known_wrong", []):
        if abs(value - wrong_value) <= (near[0] if near else max(tolerance, 1e-9)):
            return told("Not yet", "number.known_wrong", answer=show(answer), hint=hint)
    if tolerance and abs(value - target) <= 3 * tolerance:
        return told("Not yet", "number.close", answer=show(answer))
    if value < target:
        return _stripped(told("Not yet", "number.too_low", answer=show(answer), hint=ex.get("low_hint") or hint_of(ex)))
    return _stripped(told("Not yet", "number.too_high", answer=show(answer), hint=ex.get("high_hint") or hint_of(ex)))


# ---------------------------------------------------------------- mapping

def canonical_value(value: str, ex: dict) -> str:
    """Map a learner's value to the key's spelling (normalised), using `accept_values` variants.

    >>> canonical_value("XI ", {"accept_values": {"Xi": ["Xi Jinping"]}})
    'xi'
    """
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
                and abs(as_float(got) - want) <= ex.get("tolerance", 0))
    return isinstance(got, str) and canonical_value(got, ex) in {normalise(c) for c in readings(want)}


def _mapping_type(ex: dict, answer: object) -> tuple[dict | None, Feedback | None]:
    """The answer as a dictionary, or the feedback for a value that is not one."""
    key = ex.get("key_singular", "key")
    if ex.get("example"):
        wanted = told("", "mapping.wanted_example", example=ex["example"]).message
    elif ex.get("grouped"):   # an exercise answered by grouping a table's rows
        wanted = told("", "mapping.wanted_series").message
    else:
        wanted = told("", "mapping.wanted_dictionary").message
    if isinstance(answer, pd.DataFrame):
        columns = ", ".join(map(str, list(answer.columns)[:6]))
        return None, told("Not yet", "mapping.table", columns=columns, key=key, wanted=wanted)
    if isinstance(answer, pd.Series):
        answer = answer.to_dict()
    if not isinstance(answer, dict):
        return None, told("Not yet", "mapping.not_a_mapping", what=describe_type(answer), key=key, wanted=wanted)
    return answer, None


def _mapping_keys(ex: dict, answer: dict, label: dict) -> tuple[dict | None, Feedback | None]:
    """The values by normalised key, or the feedback for keys that are missing, wrong or extra."""
    given = {normalise(k): v for k, v in answer.items()}
    given_label = {normalise(k): k for k in answer}
    missing = [label[k] for k in label if k not in given]
    keys_noun = ex.get("key_noun", "keys")
    if given and len(missing) == len(label):
        if all(isinstance(k, numbers.Integral) for k in given_label.values()):
            shown = told("", "mapping.numbered_labels").message
        else:
            shown = ", ".join(show(given_label[k]) for k in list(given)[:3]) + "…"
        group = "" if ex.get("example") else told("", "mapping.group_by").message
        return None, told("Not yet", "mapping.wrong_labels", shown=shown, key=ex.get("key_singular", "key"),
                          label=show(next(iter(label.values()))), group=group)
    if missing:
        return None, told("Not yet", "mapping.missing_keys", missing=", ".join(missing), count=len(label),
                          keys=keys_noun)
    optional = {normalise(k): v for k, v in ex.get("optional_keys", {}).items()}  # may be given, with this value
    given = {k: v for k, v in given.items()
             if not (k in optional and k not in label and _value_matches(v, optional[k], ex))}
    extra_hints = {normalise(k): v for k, v in ex.get("extra_key_hints", {}).items()}
    hinted = [k for k in given if k not in label and k in extra_hints]
    if hinted:
        return None, told("Not yet", "mapping.extra_key_hint", key=show(given_label[hinted[0]]),
                          hint=extra_hints[hinted[0]])
    extra = [show(given_label[k]) for k in given if k not in label]
    if extra:
        return None, told("Not yet", "mapping.extra_keys", extra=", ".join(extra[:3]), count=len(label),
                          keys=keys_noun)
    return given, None


def _mapping_values(ex: dict, given: dict, label: dict) -> Feedback | None:
    """The feedback for values left unfilled, or outside the values the exercise allows; else None."""
    unfilled = [label[k] for k in label if given[k] is Ellipsis or given[k] is None]
    if unfilled:
        none_allowed = "none" in {normalise(v) for v in ex.get("allowed_values", [])}
        return told("Not yet", "mapping.unfilled", unfilled=", ".join(unfilled),
                    count=plural(len(unfilled), "value"), show="shows" if len(unfilled) == 1 else "show",
                    tip=told("", "mapping.none_tip").message if none_allowed else "")
    allowed = {normalise(v) for v in ex.get("allowed_values", [])}
    for key in label:
        if allowed and (not isinstance(given[key], str) or canonical_value(given[key], ex) not in allowed):
            return told("Not yet", "mapping.not_allowed", value=show(given[key]), key=show(label[key]),
                        choices=", ".join(f"'{v}'" for v in ex["allowed_values"]))
    return None


def _mapping_shape(ex: dict, answer: object) -> tuple[dict | None, dict, Feedback | None]:
    """Check a mapping's structure. Returns (given values by normalised key, labels, problem)."""
    answer, problem = _mapping_type(ex, answer)
    if problem:
        return None, {}, problem
    keys = ex["keys"] if "keys" in ex else list(ex["answer"])
    label = {normalise(k): str(k) for k in keys}
    given, problem = _mapping_keys(ex, answer, label)
    if problem:
        return None, label, problem
    problem = _mapping_values(ex, given, label)
    return (None, label, problem) if problem else (given, label, None)


def _is_number(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True


def _scale_slip(expected: dict, given: dict, tolerance: float) -> Feedback | None:
    """Feedback when every expected value is a share (0 to 1) but the learner gave percentages or counts.

    Values that are the shares times 100 (within the tolerance, times 100) are percentages, even when
    rounded to whole numbers; whole numbers that are not are counts.
    """
    wanted = [v for v in expected.values() if isinstance(v, (int, float)) and not isinstance(v, bool)]
    got = {k: as_float(v) for k, v in given.items() if isinstance(v, numbers.Real) and not isinstance(v, bool)}
    if not wanted or len(wanted) != len(expected) or not got or max(wanted) > 1 or all(w == int(w) for w in wanted):
        return None
    if max(got.values()) <= 1:
        return None
    near = max(tolerance, 0.006)
    as_percent = [k for k, v in got.items() if k in expected and abs(v / 100 - expected[k]) <= near]
    if as_percent:
        return told("Not yet", "mapping.percentages")
    if all(v.is_integer() for v in got.values()):
        return told("Not yet", "mapping.counts_not_shares")
    return told("Not yet", "mapping.percentages")


PERCENT_TEXT = re.compile(r"^\s*-?\d+(?:[.,]\d+)?\s*%\s*$")


def _mapping(ex: dict, answer: object, attempt: int) -> Feedback:
    given, label, problem = _mapping_shape(ex, answer)
    if problem:
        return problem
    if graded(ex):
        return told("Recorded", "mapping.graded", count=len(label))
    if ex.get("scoring") == "agreement":
        return agreement(ex, given, label, attempt)
    expected = {normalise(k): v for k, v in ex["answer"].items()}
    numeric = [k for k, want in expected.items() if isinstance(want, (int, float)) and not isinstance(want, bool)]
    percent = [k for k in numeric if isinstance(given[k], str) and PERCENT_TEXT.match(given[k])]
    if percent:
        return told("Not yet", "mapping.percent_text", key=label[percent[0]], value=show(given[percent[0]]))
    quoted = [k for k in numeric if isinstance(given[k], str) and _is_number(given[k])]
    if quoted:
        return told("Not yet", "mapping.quoted_number", key=label[quoted[0]], value=show(given[quoted[0]]))
    wrong = sorted((label[k] for k, want in expected.items() if not _value_matches(given[k], want, ex)), key=natural)
    if not wrong:
        if ex.get("explain"):
            return Feedback("Correct", ex["explain"], reason="key:explain")
        return told("Correct", "mapping.correct", count=len(expected))
    slip = _scale_slip(expected, given, ex.get("tolerance", 0))
    if slip:
        return slip
    hint = hint_of(ex)
    if len(wrong) == len(expected):
        return _stripped(told("Not yet", "mapping.none_right", count=len(expected),
                              hint=hint if attempt <= 1 else later_hint(ex)))
    count = len(expected) - len(wrong)
    right = told("", "mapping.right_count", count=count, total=len(expected), verb="is" if count == 1 else "are").message
    if attempt <= 1:
        return _stripped(told("Not yet", "mapping.some_right_first", right=right,
                              wrong=plural(len(wrong), "is", "are"), hint=hint))
    named = wrong[0]
    others = f" (and {len(wrong) - 1} more)" if len(wrong) > 1 else ""
    value_hint = {normalise(k): v for k, v in ex.get("value_hints", {}).items()}.get(normalise(named), "")
    return _stripped(told("Not yet", "mapping.some_right_later", right=right, named=named, others=others,
                          hint=value_hint or later_hint(ex)))


def _stripped(feedback: Feedback) -> Feedback:
    """The same feedback without the trailing space an empty hint leaves."""
    feedback.message = feedback.message.strip()
    return feedback


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
        value = canonical_value(got, ex)
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


SHOW_MODEL_AFTER = 3  # the model coding is shown after a pass, or from the third different try


def agreement(ex: dict, given: dict, label: dict, attempt: int = 1) -> Feedback:
    """Coding exercises: agreement with a model coding, compared with the best constant coding.

    The model coding is shown once the learner passes, or after two different tries that
    did not; before that, how many items differ, then (from the second try) which, so that
    copying it is not the way to pass. An item listed in `required` must match an accepted
    reading even when the score reaches the pass mark.
    """
    total = len(ex["answer"])
    item = ex.get("key_singular", "item")
    score, first, second = agreement_score(ex, given)
    baseline, _ = best_constant(ex)
    summary = told("", "agreement.summary", score=f"{score:g}", total=total, first=first, second=second, item=item,
                   baseline=f"{baseline:g}").message
    differing = [label.get(normalise(k), k) for k, want in ex["answer"].items()
                 if not _value_matches(given.get(normalise(k)), want, ex)]
    missed = [label.get(normalise(k), k) for k in ex.get("required", [])
              if not _value_matches(given.get(normalise(k)), ex["answer"][k], ex)]
    passed_mark = score >= ex["min_agreement"]
    if passed_mark and not missed:
        return told("Correct", "agreement.passed", _model_coding(ex, given, label), summary=summary)
    if missed and passed_mark:
        which = f" ({', '.join(map(str, missed))})" if attempt >= 2 else ""
        need = told("", "agreement.required_missed", which=which).message
    else:
        need = told("", "agreement.below_mark", mark=f"{ex['min_agreement']:g}").message
    if attempt >= SHOW_MODEL_AFTER:
        return told("Not yet", "agreement.model_now", _model_coding(ex, given, label), summary=summary, need=need)
    values = {canonical_value(v, ex) for v in given.values() if isinstance(v, str)}
    if len(values) == 1 and len(given) > 2:
        where = told("", "agreement.constant", item=item).message
    elif missed and passed_mark:
        where = ""
    elif attempt >= 2:
        where = told("", "agreement.named", items=", ".join(map(str, differing))).message
    else:
        where = told("", "agreement.counted", count=plural(len(differing), item),
                     verb="is" if len(differing) == 1 else "are").message
    return told("Not yet", "agreement.not_yet", summary=summary, need=need, where=where)


def _model_coding(ex: dict, given: dict, label: dict) -> str:
    """The model coding as lines of text, marking where the learner differs, then why coders disagree."""
    lines = [told("", "agreement.model_heading").message]
    for key in sorted(ex["answer"], key=natural):
        want = readings(ex["answer"][key])
        got = given.get(normalise(key))
        value = canonical_value(got, ex) if isinstance(got, str) else ""
        mark = "=" if value == normalise(want[0]) else ("~" if value in {normalise(w) for w in want[1:]} else "≠")
        also = f" [{'; '.join(map(str, want[1:]))}]" if len(want) > 1 else ""
        lines.append(f"  {mark} {label.get(normalise(key), key)}: {want[0]}{also}   (yours: {got})")
    if ex.get("discussion"):
        lines.append(ex["discussion"])
    return "\n".join(lines)


# ---------------------------------------------------------------- entry point

_KINDS = {"choice": _choice, "set": _set, "text": _text, "number": _number, "mapping": _mapping}


def not_attempted(answer: object) -> Feedback | None:
    """Feedback for an untouched answer, or None when the learner has written something."""
    kind = placeholder_kind(answer)
    if kind == "none":
        return told("Not attempted", "any.not_attempted")
    if kind == "dots":
        return told("Not attempted", "any.placeholder")
    return None


def judge(ex: dict, answer: object, attempt: int = 1, qid: str = "") -> Feedback:
    """Return the feedback for one answer to one exercise (`ex` is its unsealed key, `qid` its id).

    `attempt` counts the learner's tries at this exercise that were Not yet, plus one:
    later tries may name one item where a first try gives only a count and the idea.
    """
    if ex["kind"] == "open":
        return not_attempted(answer) or judge_open(ex, answer, attempt, qid)
    return not_attempted(answer) or _KINDS[ex["kind"]](ex, answer, attempt)
