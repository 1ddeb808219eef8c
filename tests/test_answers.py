"""course/exercises/answers.py: one answer-format rule for every lesson, and safe echoes and saves."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from course.exercises.answers import as_items, jsonable, placeholder_kind, show
from helpers import stable_id


@pytest.mark.parametrize("value", [
    ["S1", "S4"], ("S1", "S4"), {"S1", "S4"}, pd.Series(["S1", "S4"]), pd.Index(["S1", "S4"]),
    "S1, S4", "S1,S4", "S1; S4", "S1 S4", "  S1   S4  ", "S1,\nS4",
], ids=stable_id)
def test_several_ids_in_any_reasonable_form(value):
    assert sorted(as_items(value)) == ["S1", "S4"]


def test_known_multi_word_items_stay_whole_in_a_spaced_string():
    known = ["contrasts sharply", "forced", "economic interests"]
    assert as_items("forced contrasts sharply", known) == ["forced", "contrasts sharply"]
    assert as_items("Contrasts  Sharply economic interests", known) == ["Contrasts Sharply", "economic interests"]


@pytest.mark.parametrize("value", [3, 2.5, {"a": 1}, None, object()])
def test_other_types_are_refused_in_plain_words(value):
    with pytest.raises(TypeError):
        as_items(value)


def test_an_item_that_is_not_text_is_named_by_position():
    with pytest.raises(TypeError, match="item 2"):
        as_items(["S1", 4])


@pytest.mark.parametrize("value, kind", [(..., "dots"), (None, "none"), ("", "dots"), (" ... ", "dots"),
                                         ([], "dots"), ({"a": ...}, "dots"), ({"a": None, "b": ...}, "none"),
                                         ("S1", None), (0, None), ({"a": 1}, None)])
def test_placeholder_kinds(value, kind):
    assert placeholder_kind(value) == kind


def test_show_never_echoes_a_long_value():
    assert len(show("x" * 10_000)) <= 40
    assert show(float("nan")) == "nan"


@pytest.mark.parametrize("value, saved", [
    (np.int64(3), 3), (np.float64(0.5), 0.5), (float("inf"), "inf"), (..., None),
    (pd.Series({"P1": np.int64(4)}), {"P1": 4}), ({"S1", "S2"}, ["S1", "S2"]),
    (pd.DataFrame({"x": [1]}), {"unsaved value of type": "DataFrame"}),
])
def test_jsonable(value, saved):
    assert jsonable(value) == saved


def test_jsonable_cuts_huge_text():
    assert len(jsonable("x" * 10_000_000)) == 20_000
