"""Carry a learner's `answer` from the graded notebook's process to the grader, safely.

The notebook runs in a child process; the grader judges in its own process. The value of
`answer` crosses between them as JSON in a small tagged form, never as a pickle (loading a
pickle can run any code, and the child runs the learner's code). Plain values, lists,
dictionaries and pandas Series come back as themselves, so the grader judges exactly what
the learner's own check would have judged; anything else comes back as a stand-in that
keeps only its type's name. Values too large to be an answer come back as `TooLarge`.

>>> decode(encode({"S1": ..., "S2": "Xi"}))
{'S1': Ellipsis, 'S2': 'Xi'}
>>> decode(encode(pd.Series([3, 4], index=["P1", "P2"]))).to_dict()
{'P1': 3, 'P2': 4}
>>> type(decode(encode(object()))).__name__
'object'
"""

from __future__ import annotations

import re

import numpy as np
import pandas as pd

MAX_ITEMS = 20_000        # list items, dictionary entries and Series values, in all
MAX_TEXT = 200_000        # characters of text, in all
MAX_DEPTH = 20            # nesting of lists and dictionaries


class TooLarge:
    """Stands for an answer too large to judge (more than MAX_ITEMS items or MAX_TEXT characters)."""

    def __repr__(self) -> str:
        return "TooLarge()"


class Missing:
    """Stands for `answer` not being defined at all when it was read."""

    def __repr__(self) -> str:
        return "Missing()"


class _Budget:
    def __init__(self) -> None:
        self.items, self.text = MAX_ITEMS, MAX_TEXT

    def spend(self, items: int = 0, text: int = 0) -> None:
        self.items -= items
        self.text -= text
        if self.items < 0 or self.text < 0:
            raise OverflowError


def _type_name(value: object) -> str:
    name = getattr(type(value), "__name__", "object")
    return name if isinstance(name, str) and re.fullmatch(r"[A-Za-z_]\w{0,40}", name) else "object"


def _encode(value: object, budget: _Budget, depth: int) -> list:
    """One value as a tagged JSON list; only exact built-in, numpy and pandas types are opened."""
    if depth > MAX_DEPTH:
        raise OverflowError
    kind = type(value)
    if value is None or value is Ellipsis:
        return ["none"] if value is None else ["ellipsis"]
    if kind is bool or kind is np.bool_:
        return ["bool", bool(value)]
    if kind is int or (isinstance(value, np.integer) and kind.__module__ == "numpy"):
        digits = str(int(value))
        budget.spend(text=len(digits))
        return ["int", digits]
    if kind is float or (isinstance(value, np.floating) and kind.__module__ == "numpy"):
        return ["float", repr(float(value))]
    if kind is str or kind is np.str_:
        budget.spend(text=len(value))
        return ["str", str(value)]
    if kind in (list, tuple, set, frozenset):
        items = sorted(value, key=repr) if kind in (set, frozenset) else list(value)
        budget.spend(items=len(items))
        return [kind.__name__, [_encode(v, budget, depth + 1) for v in items]]
    if kind is dict:
        budget.spend(items=len(value))
        return ["dict", [[_encode(k, budget, depth + 1), _encode(v, budget, depth + 1)] for k, v in value.items()]]
    if kind is pd.Series:
        budget.spend(items=2 * len(value))
        return ["series", [_encode(v, budget, depth + 1) for v in value.index.tolist()],
                [_encode(v, budget, depth + 1) for v in value.tolist()], _encode(value.name, budget, depth + 1)]
    if kind is pd.Index:
        budget.spend(items=len(value))
        return ["index", [_encode(v, budget, depth + 1) for v in value.tolist()]]
    if kind is pd.DataFrame:  # judged only by its shape and column names
        columns = [str(c)[:100] for c in list(value.columns)[:50]]
        budget.spend(items=len(columns))
        return ["frame", columns]
    if kind is np.ndarray:
        budget.spend(items=value.size)
        return ["array", [_encode(v, budget, depth + 1) for v in value.ravel().tolist()]]
    return ["object", _type_name(value)]


def encode(value: object) -> list:
    """A JSON-ready form of an answer, or ["too-large"] when it is beyond the limits.

    >>> encode([1, "S2"])
    ['list', [['int', '1'], ['str', 'S2']]]
    >>> encode(list(range(MAX_ITEMS + 1)))
    ['too-large']
    """
    if isinstance(value, Missing):
        return ["missing"]
    try:
        return _encode(value, _Budget(), 0)
    except (OverflowError, RecursionError, ValueError):   # ValueError: an int of over 4,300 digits
        return ["too-large"]


class DecodeError(ValueError):
    """The data is not a value this module encoded."""


_PLACEHOLDER_TYPES: dict[str, type] = {}


def _placeholder(name: str) -> object:
    """An instance of an empty class with the given (checked) name, standing for an unknown object."""
    if not re.fullmatch(r"[A-Za-z_]\w{0,40}", name):
        name = "object"
    if name == "object":
        return object()
    return _PLACEHOLDER_TYPES.setdefault(name, type(name, (), {"__repr__": lambda self: f"<{name}>"}))()


def _float(text: object) -> float:
    if not isinstance(text, str) or len(text) > 40:
        raise DecodeError("a float")
    return float(text)


def _int(text: object) -> int:
    if not isinstance(text, str) or not re.fullmatch(r"-?\d{1,4300}", text):
        raise DecodeError("an int")
    return int(text)


def _decode(data: object, depth: int) -> object:
    if depth > MAX_DEPTH + 2 or not isinstance(data, list) or not data or not isinstance(data[0], str):
        raise DecodeError("not a tagged value")
    tag, rest = data[0], data[1:]
    simple = {"none": lambda: None, "ellipsis": lambda: Ellipsis, "too-large": TooLarge, "missing": Missing}
    if tag in simple and not rest:
        return simple[tag]()
    if len(rest) == 1:
        (item,) = rest
        if tag == "bool" and isinstance(item, bool):
            return item
        if tag == "int":
            return _int(item)
        if tag == "float":
            return _float(item)
        if tag == "str" and isinstance(item, str):
            return item
        if tag == "object" and isinstance(item, str):
            return _placeholder(item)
        if tag == "frame" and isinstance(item, list) and all(isinstance(c, str) for c in item):
            return pd.DataFrame(columns=item)
        if tag in ("list", "tuple", "set", "frozenset", "index", "array") and isinstance(item, list):
            values = [_decode(v, depth + 1) for v in item]
            makers = {"list": list, "tuple": tuple, "set": set, "frozenset": frozenset, "index": pd.Index,
                      "array": np.array}
            return makers[tag](values)
        if tag == "dict" and isinstance(item, list):
            pairs = [_pair(p, depth) for p in item]
            return dict(pairs)
    if tag == "series" and len(rest) == 3 and isinstance(rest[0], list) and isinstance(rest[1], list):
        index = [_decode(v, depth + 1) for v in rest[0]]
        values = [_decode(v, depth + 1) for v in rest[1]]
        if len(index) != len(values):
            raise DecodeError("a Series whose index and values differ in length")
        return pd.Series(values, index=index, name=_decode(rest[2], depth + 1), dtype=_dtype(values))
    raise DecodeError(f"unknown tag {tag[:20]!r}")


def _pair(item: object, depth: int) -> tuple:
    if not isinstance(item, list) or len(item) != 2:
        raise DecodeError("a dictionary entry")
    key = _decode(item[0], depth + 1)
    try:
        hash(key)
    except TypeError:
        raise DecodeError("a dictionary key that cannot be a key") from None
    return key, _decode(item[1], depth + 1)


def _dtype(values: list) -> object:
    """Let pandas infer numbers and text as it did in the notebook; an empty Series stays `object`."""
    return None if values else object


def decode(data: object) -> object:
    """The answer value that `encode` carried; raises DecodeError for anything else.

    >>> decode(["tuple", [["int", "1"], ["float", "nan"]]])
    (1, nan)
    """
    try:
        return _decode(data, 0)
    except (RecursionError, TypeError, ValueError, OverflowError) as error:
        if isinstance(error, DecodeError):
            raise
        raise DecodeError(f"{type(error).__name__}") from None


def decode_answer(data: object) -> object:
    """Like `decode`, but data that cannot be decoded stands for an answer of an unknown type.

    >>> type(decode_answer(["no such tag"])).__name__
    'unreadable'
    """
    try:
        return decode(data)
    except DecodeError:
        return _placeholder("unreadable")
