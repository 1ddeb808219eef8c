"""Read a learner's answer into a standard shape, whatever reasonable form it takes.

One rule for every lesson: where an exercise takes several ids or words, a list, a
tuple, a set, a pandas Series, or one string separated by commas or spaces all work.

>>> as_items(["S1", "S4"])
['S1', 'S4']
>>> as_items("S1, S4 ; S5")
['S1', 'S4', 'S5']
>>> as_items("S1 S4 S5")
['S1', 'S4', 'S5']
>>> as_items("forced contrasts sharply", known=["contrasts sharply", "forced"])
['forced', 'contrasts sharply']
"""

from __future__ import annotations

import math
import numbers
import re

import pandas as pd

_QUOTES = str.maketrans({"\u2018": "'", "\u2019": "'", "\u201c": '"', "\u201d": '"'})


def normalise(text: object) -> str:
    """Fold case, quotes and spacing so that reasonable variants compare equal.

    Hyphens count as spaces, so "word-swap" and "word swap" are the same.

    >>> normalise('  “Special  Military Action”. ')
    'special military action'
    >>> normalise("Full-scale")
    'full scale'
    """
    text = str(text).translate(_QUOTES).casefold().replace("-", " ")
    text = re.sub(r"\s+", " ", text).strip()
    return text.strip("\"' ").rstrip(".,;:!?").strip("\"' ")


def show(value: object, limit: int = 40) -> str:
    """A short, safe echo of a learner's value: long text is cut, numbers print plainly.

    >>> show(0.25949367), show("x" * 100)[-3:], show(10 ** 400)
    ('0.259', "x…'", 'a whole number of 401 digits')
    """
    if isinstance(value, numbers.Integral) and not isinstance(value, bool):
        if abs(int(value)) >= 10 ** 30:
            digits = len(str(abs(int(value)))) if abs(int(value)) < 10 ** 4000 else "over 4,000"
            return f"a whole number of {digits} digits"
        return str(int(value))
    if isinstance(value, numbers.Real) and not isinstance(value, bool):
        try:
            number = float(value)
        except OverflowError:
            return "a number too large to use"
        if math.isnan(number) or math.isinf(number):
            return str(number)
        return f"{number:.3f}".rstrip("0").rstrip(".") if abs(number) < 1e6 else f"{number:g}"
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
        return f"a number ({show(value)})"
    if isinstance(value, str):
        return f"text ({show(value)})"
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


def placeholder_kind(value: object) -> str | None:
    """'dots' for an untouched `...`, 'none' for None, None for anything a learner wrote.

    >>> placeholder_kind(...), placeholder_kind(None), placeholder_kind(" "), placeholder_kind("S1")
    ('dots', 'none', 'dots', None)
    """
    if value is None:
        return "none"
    if value is Ellipsis:
        return "dots"
    if isinstance(value, str):
        return "dots" if value.strip() in ("", "...") else None
    if isinstance(value, dict):
        if len(value) == 0 or all(v is Ellipsis for v in value.values()):
            return "dots"
        if all(v is None or v is Ellipsis for v in value.values()):
            return "none"
        return None
    if isinstance(value, (list, tuple, set, frozenset)):
        return "dots" if len(value) == 0 or all(v is Ellipsis for v in value) else None
    return None


def _split_known(text: str, known: list[str]) -> list[str]:
    """Split space-separated text into items, keeping known multi-word items whole (longest first)."""
    words = text.split()
    vocabulary = {normalise(k): k for k in known}
    longest = max((len(k.split()) for k in vocabulary), default=1)
    items, i = [], 0
    while i < len(words):
        for size in range(min(longest, len(words) - i), 0, -1):
            candidate = " ".join(words[i:i + size])
            if size == 1 or normalise(candidate) in vocabulary:
                items.append(candidate)
                i += size
                break
    return items


def text_to_items(text: str, known: list[str] | None = None) -> list[str]:
    """Split one string into items: at commas or semicolons if it has any, else at spaces.

    Known items (the exercise's offered words) stay whole, so "contrasts sharply" is one item.

    >>> text_to_items("S1;S2")
    ['S1', 'S2']
    >>> text_to_items("the crisis", known=["the crisis"])
    ['the crisis']
    """
    known = known or []
    if re.search(r"[,;]", text):
        return [part for part in (p.strip() for p in re.split(r"[,;]", text)) if part]
    if normalise(text) in {normalise(k) for k in known}:
        return [text.strip()]
    return _split_known(text.strip(), known)


def as_items(value: object, known: list[str] | None = None) -> list[str]:
    """Turn a list, tuple, set, Series, Index or separated string into a list of strings.

    Raises TypeError (with a plain-words message) for anything else, and for items that
    are not text.
    """
    if isinstance(value, str):
        return text_to_items(value, known)
    if isinstance(value, (pd.Series, pd.Index)):
        value = value.tolist()
    if not isinstance(value, (list, tuple, set, frozenset)):
        raise TypeError(describe_type(value))
    items = []
    for position, item in enumerate(sorted(value, key=str) if isinstance(value, (set, frozenset)) else value,
                                    start=1):
        if not isinstance(item, str):
            raise TypeError(f"item {position} of your list is {describe_type(item)}")
        items.append(item)
    return items


def jsonable(value: object, limit: int = 20_000) -> object:
    """A JSON-safe copy of an answer, for saving progress and exporting answers.

    Series become dictionaries, numpy numbers plain numbers, `...` becomes None; text
    longer than `limit` characters is cut. Tables and other objects are saved by their
    type name only.

    >>> jsonable({"S1": ..., "S2": "Xi"})
    {'S1': None, 'S2': 'Xi'}
    """
    if value is None or value is Ellipsis:
        return None
    if isinstance(value, bool):
        return value
    if isinstance(value, numbers.Integral):
        return int(value) if abs(int(value)) < 10 ** 300 else show(value)   # JSON cannot write 4,300+ digits
    if isinstance(value, numbers.Real):
        try:
            number = float(value)
        except OverflowError:
            return show(value)
        return number if math.isfinite(number) else str(number)
    if isinstance(value, str):
        return value[:limit]
    if isinstance(value, pd.Series):
        value = value.to_dict()
    if isinstance(value, dict):
        return {str(k)[:200]: jsonable(v, limit) for k, v in list(value.items())[:200]}
    if isinstance(value, (list, tuple, set, frozenset, pd.Index)):
        items = sorted(value, key=str) if isinstance(value, (set, frozenset)) else list(value)
        return [jsonable(v, limit) for v in items[:200]]
    return {"unsaved value of type": type(value).__name__}
