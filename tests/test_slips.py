"""Feedback slips found by newcomers and instructors (issue: answers stay hidden until earned), each pinned.

Every test judges a real exercise of the lessons with its real key, as the learner's check does.
"""

from __future__ import annotations

import pytest

from course.exercises.judge import judge
from course.exercises.keys import load_readable_keys, seal_spec, unpack
from course.exercises.session import defining_cell, error_advice
from helpers import NOTEBOOKS, READABLE_KEYS, read_json_no_duplicates

KEYS = load_readable_keys(READABLE_KEYS)


def says(qid: str, answer: object, attempt: int = 1):
    return judge(KEYS[qid], answer, attempt, qid)


# ---------------------------------------------------------------- shares given as percentages, counts or text

@pytest.mark.parametrize("qid, answer", [
    ("q03_4", {"course text": 73, "Chinese readout": 100, "Kremlin readout": 100}),
    ("q03_4", {"course text": 72.73, "Chinese readout": 100, "Kremlin readout": 100}),
    ("q05_2", {"China": 22, "Kremlin": 12}),
])
def test_percentages_are_called_percentages_even_when_whole(qid, answer):
    assert says(qid, answer).reason == "mapping.percentages"


def test_counts_are_called_counts():
    assert says("q03_4", {"course text": 8, "Chinese readout": 6, "Kremlin readout": 4}).reason == \
        "mapping.counts_not_shares"


def test_a_percentage_typed_as_text_is_recognised():
    feedback = says("q05_2", {"China": "22%", "Kremlin": 0.5})
    assert feedback.reason == "mapping.percent_text" and "'22%'" in feedback.message


# ---------------------------------------------------------------- what a message may not give away

def test_the_extra_item_of_3_2_does_not_give_away_3_1():
    feedback = says("q03_2", ["special military operation", "genocide"], attempt=2)
    assert "genocide" in feedback.message.casefold()
    assert "dysphemism" not in feedback.message and "3.1" not in feedback.message


def test_3_6_tells_a_mean_over_the_whole_lexicon_apart_and_names_no_formula():
    feedback = says("q03_6", -0.0625)
    assert feedback.reason == "number.known_wrong" and "whole lexicon" in feedback.message
    for value in (5, -5, 0.9):
        message = says("q03_6", value).message.casefold()
        assert "frank" not in message and "candid" not in message


def test_a_type_error_on_a_text_column_points_at_astype():
    advice = error_advice(TypeError("unsupported operand type(s) for +: 'int' and 'str'"))
    assert ".astype(int)" in advice


@pytest.mark.parametrize("first_try, second_try", [
    ({"Q1": "AFP", "Q3": "Reuters", "Q7": "Reuters"}, {"Q1": "AFP", "Q3": "Reuters", "Q7": "AFP"}),
    ({"Q1": "Reuters", "Q3": "Reuters", "Q7": "AFP"}, {"Q1": "press note", "Q3": "Reuters", "Q7": "AFP"}),
])
def test_a_second_different_try_at_4_4_is_told_something_new(first_try, second_try):
    first = says("q04_4", first_try, attempt=1)
    later = says("q04_4", second_try, attempt=2)
    hint = KEYS["q04_4"]["hint"]
    assert hint in first.message and hint not in later.message and later.message != first.message


# ---------------------------------------------------------------- labels the lessons' rules do not allow

def test_4_5_takes_d3_as_an_agency_shift_only_and_no_loose_labels():
    right = {"D1": "word swap", "D2": "word swap", "D3": "agency shift", "D4": "verb inflation", "D5": "truncation",
             "D6": "exact"}
    assert says("q04_5", right).status == "Correct"
    assert says("q04_5", {**right, "D3": "addition"}).status == "Not yet"
    for loose in ({**right, "D3": "agency"}, {**right, "D4": "inflation"}):
        assert says("q04_5", loose).reason == "mapping.not_allowed"


@pytest.mark.parametrize("short", ["Moscow", "West"])
def test_5_3_refuses_abbreviations(short):
    answer = {key: "balanced" for key in KEYS["q05_3"]["answer"]}
    answer["C11"] = short
    assert says("q05_3", answer).reason == "mapping.not_allowed"


def test_5_3s_list_message_does_not_suggest_groupby():
    feedback = says("q05_3", ["towards Moscow", "balanced"])
    assert feedback.reason == "mapping.not_a_mapping" and "groupby" not in feedback.message


@pytest.mark.parametrize("loose", ["soft", "harsh", "plain"])
def test_3_9_refuses_loose_labels(loose):
    answer = {key: "euphemism" for key in KEYS["q03_9"]["answer"]}
    answer["a regime of butchers"] = loose
    assert says("q03_9", answer).reason == "mapping.not_allowed"


# ---------------------------------------------------------------- after a restart

def test_running_the_first_cell_again_keeps_a_typed_answer():
    import course
    from IPython.core.interactiveshell import InteractiveShell

    shell = InteractiveShell.instance()
    shell.user_ns["answer"] = "S9"
    course._answer_placeholder()
    assert shell.user_ns["answer"] == "S9"
    del shell.user_ns["answer"]
    course._answer_placeholder()
    assert shell.user_ns["answer"] is Ellipsis


def test_a_missing_table_is_traced_to_the_cell_that_makes_it():
    first_line = defining_cell("names", NOTEBOOKS / "03_euphemism.ipynb")
    assert first_line and "answer" not in first_line


def test_the_placeholder_message_says_to_run_the_answer_cell():
    assert "run that cell" in says("q00_2", ...).message


# ---------------------------------------------------------------- graded releases

def graded(qid: str) -> dict:
    path = READABLE_KEYS / f"{KEYS[qid]['lesson']}.json"
    return unpack(seal_spec(read_json_no_duplicates(path), "graded"))[qid]


def test_in_a_graded_release_an_id_that_does_not_exist_is_caught():
    feedback = judge(graded("q00_2"), "S99")
    assert (feedback.status, feedback.reason) == ("Not yet", "text.not_an_id")
    assert judge(graded("q00_2"), "S3").status == "Recorded"


def test_lesson_00s_warm_up_is_judged_in_a_graded_release_too():
    ex = graded("q00_0")
    assert judge(ex, ...).status == "Not attempted" and judge(ex, "ready").status == "Correct"
