"""Every feedback branch of course/checks.py, on small in-memory keys, then on the real keys.

The contract (COURSE-DESIGN.md section 4): one feedback block that starts with Correct,
Not yet or Not attempted; checked in the order attempted, type, structure, value; Not yet
never gives the answer away; reasonable variants accepted; never raises in learner mode.
"""

from __future__ import annotations

import re

import numpy as np
import pandas as pd
import pytest

from course import checks
from course.checks import CheckFailed, evaluate
from course.keys import load_keys
from helpers import readable_key_files, read_json_no_duplicates, status_of

LESSON = "99_test_lesson"
KEYS = {
    "t_choice": {
        "lesson": LESSON, "title": "Pick the readout", "kind": "choice",
        "options": {"a": "transcript", "b": "summary", "c": "agency report"},
        "answer": "b",
        "feedback": {"a": "Nobody recorded every word of the call.",
                     "b": "One side wrote it for its audience.",
                     "c": "An agency reports on it but does not write it."},
    },
    "t_set": {
        "lesson": LESSON, "title": "Name the capitals", "kind": "set",
        "answer": ["Moscow", "Beijing", "Kyiv"],
        "noun": "capitals", "example": "['Paris']",
        "accept": {"Kyiv": ["Kiev"]},
        "wrong_hints": {"Paris": "that city is not named anywhere in the text."},
        "item_hints": {"Kyiv": "Look again at paragraph 3, where the fighting is described."},
    },
    "t_text": {
        "lesson": LESSON, "title": "Find the euphemism", "kind": "text",
        "answer": "Russia's special military action",
        "accept": ["the special military action"],
        "example": "'war'",
        "wrong_hints": {"invasion": "that is the journalist's own word; look in reported speech."},
        "hint": "Look at what Putin is reported to have said in P5.",
    },
    "t_number": {
        "lesson": LESSON, "title": "Count the words", "kind": "number", "answer": 37,
        "low_hint": "Did you count one paragraph only?",
        "high_hint": "Did you count characters instead of words?",
        "known_wrong": [[230, "That is the number of characters in one sentence; count its words."]],
    },
    "t_float": {
        "lesson": LESSON, "title": "Average length", "kind": "number", "answer": 2.5,
        "tolerance": 0.05, "hint": "Divide the total by the number of rows.",
    },
    "t_mapping": {
        "lesson": LESSON, "title": "Words per paragraph", "kind": "mapping",
        "answer": {"P1": 45, "P2": 55},
        "key_noun": "paragraphs", "key_singular": "paragraph",
        "hint": "Group by paragraph_id and add up the words.",
    },
    "t_mapping_text": {
        "lesson": LESSON, "title": "Who speaks", "kind": "mapping",
        "answer": {"S3": "Xi Jinping", "S7": "Vladimir Putin"},
        "key_noun": "sentences", "key_singular": "sentence",
    },
    "t_open": {
        "lesson": LESSON, "title": "Interpret", "kind": "open", "min_words": 5, "max_words": 50,
    },
    "t_other": {
        "lesson": "98_other_lesson", "title": "Another lesson's exercise", "kind": "text",
        "answer": "elsewhere",
    },
}

# What a Not-yet message must never reveal, per exercise.
SECRETS = {
    "t_choice": [KEYS["t_choice"]["feedback"]["b"]],
    "t_set": ["Moscow", "Beijing", "Kyiv", "Kiev"],
    "t_text": ["special military action"],
    "t_number": [37],
    "t_float": [2.5],
    "t_mapping": [45, 55],
    "t_mapping_text": ["Xi Jinping", "Vladimir Putin", "Xi", "Putin"],
    "t_open": [],
    "t_other": ["elsewhere"],
}

UNATTEMPTED = [None, ..., "", "   ", "...", " ... ", [], [...], ()]
MEGABYTE_TOKEN = "abcdefghij" * 100_000          # 1 MB, no spaces
MEGABYTE_WORDS = "word " * 200_000               # 1 MB, many words


def wrong_types() -> dict[str, object]:
    """Values of the wrong kind for most exercises (built fresh for each test)."""
    return {
        "int": 12345,
        "float": 3.75,
        "dict": {"unrelated": 1},
        "bool": True,
        "megabyte-token": MEGABYTE_TOKEN,
        "megabyte-words": MEGABYTE_WORDS,
        "dataframe": pd.DataFrame({"sentence_id": ["S1", "S2"], "words": [3, 4]}),
        "series": pd.Series([1, 2, 3]),
        "object": object(),
    }


def judge(qid: str, answer: object) -> checks.Feedback:
    """Evaluate against the in-memory keys and check the feedback's shape."""
    feedback = evaluate(qid, answer, keys=KEYS)
    assert isinstance(feedback, checks.Feedback)
    assert status_of(str(feedback)) == feedback.status
    return feedback


def mentions(text: str, secret: object) -> bool:
    """True when `text` contains `secret` as a whole word or number (ignoring case and quotes)."""
    if isinstance(secret, bool):
        return False
    if isinstance(secret, (int, float)):
        return bool(re.search(rf"(?<![\d.]){re.escape(str(secret))}(?!\d)", text))
    return bool(re.search(rf"(?<!\w){re.escape(checks.normalise(secret))}(?!\w)", checks.normalise(text)))


def assert_reveals_nothing(qid: str, feedback: checks.Feedback) -> None:
    """A Not-yet message contains none of the exercise's secrets."""
    for secret in SECRETS[qid]:
        assert not mentions(feedback.message, secret), f"{qid}: feedback reveals {secret!r}: {feedback}"


# ---------------------------------------------------------------- not attempted

@pytest.mark.parametrize("qid", KEYS)
@pytest.mark.parametrize("answer", UNATTEMPTED, ids=repr)
def test_placeholders_are_not_attempted(qid, answer):
    feedback = judge(qid, answer)
    assert feedback.status == "Not attempted"
    assert "..." in feedback.message  # tells the learner what to replace


def test_empty_dict_counts_as_not_attempted():
    assert judge("t_mapping", {}).status == "Not attempted"


# ---------------------------------------------------------------- wrong type

@pytest.mark.parametrize("qid", KEYS)
@pytest.mark.parametrize("name", list(wrong_types()))
def test_wrong_types_are_not_yet_and_short(qid, name):
    answer = wrong_types()[name]
    feedback = judge(qid, answer)
    assert feedback.status == "Not yet"
    assert len(str(feedback)) < 600, "feedback must stay short, whatever the learner gave"
    assert "abcdefghij" * 5 not in str(feedback), "a long answer must not be echoed back"
    assert "Traceback" not in str(feedback)
    assert_reveals_nothing(qid, feedback)


@pytest.mark.parametrize("qid", ["t_choice", "t_set", "t_text", "t_mapping", "t_open"])
def test_wrong_type_feedback_names_the_type_given(qid):
    assert "table" in judge(qid, pd.DataFrame({"x": [1]})).message
    assert "number" in judge(qid, 12345).message


@pytest.mark.parametrize("qid", ["t_number", "t_float"])
@pytest.mark.parametrize("answer", [True, False, "many", [37], {"n": 37}, pd.DataFrame({"n": [37]})], ids=repr)
def test_number_rejects_non_numbers(qid, answer):
    feedback = judge(qid, answer)
    assert feedback.status == "Not yet"
    assert "number" in feedback.message


def test_number_given_as_text_says_remove_the_quotes():
    feedback = judge("t_number", " 41 ")
    assert feedback.status == "Not yet"
    assert "quotes" in feedback.message


def test_number_given_as_one_value_series_says_take_it_out():
    feedback = judge("t_number", pd.Series([37]))
    assert feedback.status == "Not yet"
    assert ".iloc[0]" in feedback.message
    assert_reveals_nothing("t_number", feedback)


def test_text_given_as_one_item_list_says_drop_the_brackets():
    feedback = judge("t_text", ["Russia's special military action"])
    assert feedback.status == "Not yet"
    assert "brackets" in feedback.message


# ---------------------------------------------------------------- structure

def test_set_item_that_is_not_text():
    feedback = judge("t_set", ["Moscow", 3, "Kyiv"])
    assert feedback.status == "Not yet"
    assert "item 2" in feedback.message
    assert_reveals_nothing("t_set", feedback)


def test_set_given_a_table_is_told_to_pick_a_column():
    feedback = judge("t_set", pd.DataFrame({"city": ["Moscow", "Beijing", "Kyiv"]}))
    assert feedback.status == "Not yet"
    assert ".tolist()" in feedback.message


def test_mapping_missing_key():
    feedback = judge("t_mapping", {"P1": 45})
    assert feedback.status == "Not yet"
    assert "P2" in feedback.message  # the keys are structure, not the answer
    assert_reveals_nothing("t_mapping", feedback)


def test_mapping_extra_key():
    feedback = judge("t_mapping", {"P1": 1, "P2": 2, "P9": 3})
    assert feedback.status == "Not yet"
    assert "'p9'" in feedback.message.lower()
    assert_reveals_nothing("t_mapping", feedback)


def test_mapping_given_a_table_lists_its_columns():
    feedback = judge("t_mapping", pd.DataFrame({"paragraph_id": ["P1"], "words": [45]}))
    assert feedback.status == "Not yet"
    assert "paragraph_id" in feedback.message
    assert_reveals_nothing("t_mapping", feedback)


# ---------------------------------------------------------------- wrong value

def test_choice_wrong_option_gives_that_options_feedback_only():
    feedback = judge("t_choice", "a")
    assert feedback.status == "Not yet"
    assert KEYS["t_choice"]["feedback"]["a"] in feedback.message
    assert_reveals_nothing("t_choice", feedback)


@pytest.mark.parametrize("answer", ["z", "transcript", "ab", "1"])
def test_choice_not_an_option(answer):
    feedback = judge("t_choice", answer)
    assert feedback.status == "Not yet"
    assert "not one of the options" in feedback.message
    assert_reveals_nothing("t_choice", feedback)


def test_set_missing_item_counts_without_naming_it():
    feedback = judge("t_set", ["Moscow", "Beijing"])
    assert feedback.status == "Not yet"
    assert "2 of the 3 capitals" in feedback.message
    assert KEYS["t_set"]["item_hints"]["Kyiv"] in feedback.message
    assert_reveals_nothing("t_set", feedback)


def test_set_extra_item_is_named_with_its_hint():
    feedback = judge("t_set", ["Moscow", "Beijing", "Kyiv", "Paris"])
    assert feedback.status == "Not yet"
    assert "'Paris'" in feedback.message
    assert KEYS["t_set"]["wrong_hints"]["Paris"] in feedback.message
    assert "All 3 capitals you need are there" in feedback.message


def test_set_missing_and_extra():
    feedback = judge("t_set", ["Moscow", "London"])
    assert feedback.status == "Not yet"
    assert "'London'" in feedback.message and "1 of the 3" in feedback.message
    for missing in ("Beijing", "Kyiv", "Kiev"):
        assert missing.lower() not in feedback.message.lower()


def test_text_wrong_value_with_and_without_a_wrong_hint():
    hinted = judge("t_text", "Invasion")
    assert hinted.status == "Not yet"
    assert KEYS["t_text"]["wrong_hints"]["invasion"] in hinted.message
    assert_reveals_nothing("t_text", hinted)
    plain = judge("t_text", "war")
    assert plain.status == "Not yet"
    assert KEYS["t_text"]["hint"] in plain.message
    assert_reveals_nothing("t_text", plain)


@pytest.mark.parametrize("answer, direction, hint", [
    (12, "too low", "one paragraph"), (36, "too low", "one paragraph"),
    (38, "too high", "characters"), (370, "too high", "characters"), (-5, "too low", "one paragraph"),
])
def test_number_too_low_or_too_high(answer, direction, hint):
    feedback = judge("t_number", answer)
    assert feedback.status == "Not yet"
    assert direction in feedback.message and hint in feedback.message
    assert_reveals_nothing("t_number", feedback)


def test_number_just_outside_tolerance_is_close():
    feedback = judge("t_float", 2.56)
    assert feedback.status == "Not yet"
    assert "close" in feedback.message
    assert_reveals_nothing("t_float", feedback)


def test_number_far_outside_tolerance_is_not_close():
    feedback = judge("t_float", 2.8)
    assert feedback.status == "Not yet"
    assert "close" not in feedback.message and "too high" in feedback.message
    assert_reveals_nothing("t_float", feedback)


def test_number_known_slip_gets_its_own_hint():
    feedback = judge("t_number", 230)
    assert feedback.status == "Not yet"
    assert KEYS["t_number"]["known_wrong"][0][1] in feedback.message
    assert_reveals_nothing("t_number", feedback)


def test_set_item_not_in_the_text_is_flagged_as_a_spelling_problem():
    keys = {"q": {**KEYS["t_set"], "answer": ["Beijing", "Moscow"], "in_seed": True}}
    feedback = evaluate("q", ["Beijing", "Moskow"], keys=keys)
    assert status_of(str(feedback)) == "Not yet"
    assert "'Moskow' does not appear in the text" in feedback.message
    assert "moscow" not in feedback.message.lower()


@pytest.mark.parametrize("answer", [{"P1": 45, "P2": 54}, {"P1": "45", "P2": 55}, {"P1": True, "P2": 55}])
def test_mapping_wrong_values_named_by_key(answer):
    feedback = judge("t_mapping", answer)
    assert feedback.status == "Not yet"
    assert "1 of the 2 values are right" in feedback.message
    assert_reveals_nothing("t_mapping", feedback)


def test_mapping_text_values_swapped():
    feedback = judge("t_mapping_text", {"S3": "Vladimir Putin", "S7": "Xi Jinping"})
    assert feedback.status == "Not yet"
    assert re.search(r"\b(0|none) of the 2\b", feedback.message)
    assert_reveals_nothing("t_mapping_text", feedback)


@pytest.mark.parametrize("answer, expected", [
    ("Too short (S1).", "at least 5"),
    (" ".join(["word"] * 60) + " S1", "under 50"),
    ("This answer has enough words but cites no evidence at all.", "cites no sentence"),
])
def test_open_answer_problems(answer, expected):
    feedback = judge("t_open", answer)
    assert feedback.status == "Not yet"
    assert expected in feedback.message


# ---------------------------------------------------------------- right values and variants

@pytest.mark.parametrize("answer", ["b", "B", " b ", "(B)", "b)", "B.", "'b'"])
def test_choice_accepts_letter_variants(answer):
    feedback = judge("t_choice", answer)
    assert feedback.status == "Correct"
    assert feedback.message == KEYS["t_choice"]["feedback"]["b"]


@pytest.mark.parametrize("answer", [
    ["Moscow", "Beijing", "Kyiv"],
    ["Kyiv", "Moscow", "Beijing"],
    ["  moscow", "BEIJING ", "kyiv"],
    ["Moscow", "Beijing", "Kiev"],
    ["“Moscow”", "'Beijing'", "Kyiv."],
    ("Moscow", "Beijing", "Kyiv"),
    {"Moscow", "Beijing", "Kyiv"},
    ["Moscow", "Moscow", "Beijing", "Kyiv"],
    pd.Series(["Beijing", "Kyiv", "Moscow"]),
    pd.Index(["Beijing", "Kyiv", "Moscow"]),
    "Moscow, Beijing, Kyiv",
], ids=repr)
def test_set_accepts_reasonable_variants(answer):
    assert judge("t_set", answer).status == "Correct"


@pytest.mark.parametrize("answer", [
    "Russia's special military action",
    "Russia’s special military action",
    "  russia's   SPECIAL military\naction ",
    "“Russia's special military action”",
    '"Russia\'s special military action."',
    "The special military action",
])
def test_text_accepts_case_space_quote_variants(answer):
    assert judge("t_text", answer).status == "Correct"


@pytest.mark.parametrize("qid, answer", [
    ("t_number", 37), ("t_number", 37.0), ("t_number", np.int64(37)), ("t_number", np.float64(37.0)),
    ("t_float", 2.5), ("t_float", 2.54), ("t_float", 2.46),
])
def test_number_accepts_equal_values(qid, answer):
    assert judge(qid, answer).status == "Correct"


@pytest.mark.parametrize("answer", [
    {"P1": 45, "P2": 55},
    {"p1": 45, " P2 ": 55.0},
    {"P2": np.int64(55), "P1": np.int64(45)},
    pd.Series({"P1": 45, "P2": 55}),
    pd.DataFrame({"paragraph_id": ["P1", "P1", "P2"], "words": [40, 5, 55]}).groupby("paragraph_id")["words"].sum(),
], ids=repr)
def test_mapping_accepts_dicts_and_series(answer):
    assert judge("t_mapping", answer).status == "Correct"


def test_mapping_text_values_accept_variants():
    assert judge("t_mapping_text", {"S3": " xi  JINPING", "S7": "“Vladimir Putin”"}).status == "Correct"


def test_open_answer_recorded_with_citations():
    feedback = judge("t_open", "The writer frames China as balancing (S1, S9) and repeats P1 in P6.")
    assert feedback.status == "Correct"
    assert "S1" in feedback.message and "P6" in feedback.message


# ---------------------------------------------------------------- unknown qid, bad keys

def test_unknown_qid_is_named():
    feedback = judge("q99_nope", "b")
    assert feedback.status == "Not yet"
    assert "q99_nope" in feedback.message


def test_choice_with_upper_case_option_letters_accepts_the_right_letter():
    """BUG: an author who writes option keys "A", "B" gets a choice no learner can answer:
    _check_choice lower-cases the learner's letter but not the key's options, and
    validate_spec does not reject upper-case option keys either."""
    from course.keys import validate_spec

    ex = {"kind": "choice", "title": "t", "options": {"A": "x", "B": "y"}, "answer": "B",
          "feedback": {"A": "no.", "B": "yes."}}
    rejected_by_build = bool(validate_spec({"exercises": {"q": ex}}, "k.json"))
    feedback = evaluate("q", "B", keys={"q": {"lesson": LESSON, **ex}})
    assert rejected_by_build or feedback.status == "Correct", str(feedback)


# ---------------------------------------------------------------- check(): printing and strict mode

@pytest.fixture
def fake_keys(monkeypatch):
    """Make check() and progress() use the in-memory keys and a fresh session record."""
    monkeypatch.setattr(checks, "_keys", lambda: KEYS)
    monkeypatch.setattr(checks, "_results", {})


def one_block(capsys) -> str:
    out, err = capsys.readouterr()
    assert err == ""
    assert out.endswith("\n") and out.count("\n") == 1, f"expected one feedback line, got {out!r}"
    status_of(out)
    return out


@pytest.mark.parametrize("answer", [..., None, "war", "Russia's special military action", 12345,
                                    pd.DataFrame({"x": [1]}), MEGABYTE_TOKEN], ids=lambda a: repr(a)[:20])
def test_check_prints_one_block_and_never_raises(learner_mode, fake_keys, capsys, answer):
    assert checks.check("t_text", answer) is None
    assert len(one_block(capsys)) < 600


def test_check_survives_a_crashing_checker(learner_mode, fake_keys, capsys, monkeypatch):
    def crash(ex, answer):
        raise RuntimeError("internal detail the learner should not see")
    monkeypatch.setitem(checks._KINDS, "text", crash)
    checks.check("t_text", "war")
    out = one_block(capsys)
    assert status_of(out) == "Not yet"
    assert "internal detail" not in out and "Traceback" not in out
    assert "RuntimeError" in out


def test_check_survives_damaged_key_files(learner_mode, capsys, monkeypatch):
    from course.keys import AnswerKeyError

    def damaged():
        raise AnswerKeyError("The answer key course/keys/99.json is damaged.")
    monkeypatch.setattr(checks, "_keys", damaged)
    monkeypatch.setattr(checks, "_results", {})
    checks.check("t_text", "war")
    assert status_of(one_block(capsys)) == "Not yet"


def test_check_survives_an_unhashable_qid(learner_mode, fake_keys, capsys):
    """BUG: check(["q"], x) (say, arguments swapped with a list answer) raises TypeError in
    learner mode: evaluate's error is caught, but `_results[qid] = ...` then fails."""
    checks.check(["S1", "S2"], "t_set")
    assert status_of(one_block(capsys)) == "Not yet"


class _FakeShell:
    """Stands in for IPython after a cell that stopped with an error."""

    def __init__(self, error: BaseException | None):
        self.last_execution_result = type("Result", (), {"error_in_exec": error})()


@pytest.mark.parametrize("error, advice", [
    (NameError("name 'S2' is not defined", name="S2"), 'needs quotation marks: "S2"'),
    (ZeroDivisionError("division by zero"), "Fix that cell"),
])
def test_check_after_a_failed_cell_says_so(learner_mode, fake_keys, capsys, monkeypatch, error, advice):
    import IPython

    monkeypatch.setattr(IPython, "get_ipython", lambda: _FakeShell(error))
    checks.check("t_text", "Russia's special military action")  # right, but perhaps stale
    out = one_block(capsys)
    assert status_of(out) == "Not yet"
    assert type(error).__name__ in out and advice in out


def test_check_after_a_cell_that_ran_fine_checks_the_answer(learner_mode, fake_keys, capsys, monkeypatch):
    import IPython

    monkeypatch.setattr(IPython, "get_ipython", lambda: _FakeShell(None))
    checks.check("t_text", "Russia's special military action")
    assert status_of(one_block(capsys)) == "Correct"


def test_crashing_checker_raises_in_strict_mode(strict_mode, fake_keys, monkeypatch):
    def crash(ex, answer):
        raise RuntimeError("boom")
    monkeypatch.setitem(checks._KINDS, "text", crash)
    with pytest.raises(RuntimeError):
        checks.check("t_text", "war")


@pytest.mark.parametrize("answer", ["war", ..., None, 12345])
def test_strict_mode_raises_check_failed(strict_mode, fake_keys, capsys, answer):
    with pytest.raises(CheckFailed) as raised:
        checks.check("t_text", answer)
    assert "t_text" in str(raised.value)
    assert status_of(one_block(capsys)) in ("Not yet", "Not attempted")


def test_strict_mode_passes_correct_answers(strict_mode, fake_keys, capsys):
    checks.check("t_text", "Russia's special military action")
    assert status_of(one_block(capsys)) == "Correct"


@pytest.mark.parametrize("value, expected", [("1", True), ("0", False), ("", False), ("yes", False)])
def test_strict_reads_the_environment(monkeypatch, value, expected):
    monkeypatch.setenv("COURSE_STRICT", value)
    assert checks.strict() is expected


def test_strict_is_off_without_the_variable(learner_mode):
    assert checks.strict() is False


# ---------------------------------------------------------------- progress()

def test_progress_before_any_check(learner_mode, fake_keys, capsys):
    checks.progress()
    assert "No exercises checked yet" in capsys.readouterr().out


def test_progress_lists_exercises_and_counts(learner_mode, fake_keys, capsys):
    checks.check("t_text", "Russia's special military action")
    checks.check("t_number", 12)
    checks.check("t_other", "elsewhere")
    checks.check("q99_nope", "x")  # an unknown qid is not listed
    capsys.readouterr()
    checks.progress()
    out = capsys.readouterr().out
    ours = [q for q in KEYS if KEYS[q]["lesson"] == LESSON]
    assert "Lesson 99: 1 of %d exercises correct" % len(ours) in out
    assert "Lesson 98: 1 of 1 exercises correct" in out
    for qid in KEYS:
        assert qid in out and KEYS[qid]["title"] in out
    assert "q99_nope" not in out
    lines = {}  # qid -> its line in the listing
    for line in out.splitlines():
        found = re.search(r"\b(t_\w+)", line)
        if found:
            lines[found[1]] = line
    assert "✓ Correct" in lines["t_text"]
    assert "✗ Not yet" in lines["t_number"]
    assert "○ Not attempted" in lines["t_choice"]


def test_progress_for_one_lesson(learner_mode, fake_keys, capsys):
    checks.check("t_text", "Russia's special military action")
    capsys.readouterr()
    checks.progress("98")
    out = capsys.readouterr().out
    assert "Lesson 98: 0 of 1 exercises correct" in out
    assert "Lesson 99" not in out and "t_text" not in out


# ---------------------------------------------------------------- the real keys

REAL_KEYS = load_keys()


@pytest.mark.parametrize("qid", sorted(REAL_KEYS))
def test_real_key_with_placeholder_is_not_attempted(qid):
    for placeholder in (None, ...):
        assert status_of(str(evaluate(qid, placeholder))) == "Not attempted"


@pytest.mark.parametrize("qid", sorted(REAL_KEYS))
def test_real_key_with_wrong_kinds_is_not_yet(qid):
    ex = REAL_KEYS[qid]
    secrets = []
    if ex["kind"] in ("text", "number"):
        secrets = [ex["answer"]] + list(ex.get("accept", []))
    elif ex["kind"] == "set":
        secrets = list(ex["answer"])
    elif ex["kind"] == "mapping":
        secrets = list(ex["answer"].values())
    # The `example` is shown on purpose (lesson 00's first exercise tells the learner the answer).
    secrets = [s for s in secrets if not (isinstance(s, str) and s in str(ex.get("example", "")))]
    for answer in (12345, {"unrelated": 1}, pd.DataFrame({"x": [1, 2]}), pd.Series([1, 2]), True):
        if ex["kind"] == "number" and isinstance(answer, int) and answer == ex["answer"]:
            continue  # 12345 (or True == 1) might be a right number
        feedback = evaluate(qid, answer)
        assert status_of(str(feedback)) == "Not yet", f"{qid} with {answer!r}: {feedback}"
        for secret in secrets:
            assert not mentions(feedback.message, secret), f"{qid}: wrong-type feedback reveals {secret!r}: {feedback}"


READABLE = {qid: ex for path in readable_key_files()
            for qid, ex in read_json_no_duplicates(path)["exercises"].items()}


@pytest.mark.parametrize("qid", sorted(q for q, ex in READABLE.items() if ex.get("kind") != "open"))
def test_readable_answer_is_accepted_by_its_own_check(qid):
    answer = READABLE[qid]["answer"]
    if isinstance(answer, dict):  # coding keys list several acceptable values: answer with the first
        answer = {k: v[0] if isinstance(v, list) else v for k, v in answer.items()}
    assert evaluate(qid, answer).status == "Correct"


@pytest.mark.parametrize("qid", sorted(READABLE))
def test_readable_hints_do_not_give_the_answer(qid):
    """The hints a Not-yet message can show never contain what they hint at."""
    ex = READABLE[qid]
    kind = ex.get("kind")
    problems = []
    if kind in ("text", "number", "mapping"):
        answers = ex["answer"].values() if kind == "mapping" else [ex["answer"], *ex.get("accept", [])]
        shown = ([ex.get(k, "") for k in ("hint", "low_hint", "high_hint")]
                 + list(ex.get("wrong_hints", {}).values()) + [entry[1] for entry in ex.get("known_wrong", [])])
        problems = [(a, h) for a in answers for h in shown if h and mentions(h, a)]
    elif kind == "set":
        problems = [(item, hint) for item, hint in ex.get("item_hints", {}).items() if mentions(hint, item)]
    assert not problems, f"{qid}: a hint reveals the answer: {problems}"
