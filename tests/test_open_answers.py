"""course/open_answers.py: sanity checks that filler cannot pass, and honest Recorded feedback."""

from __future__ import annotations

import pytest

from course.exercises.judge import judge
from course.exercises.open_answers import cited_ids, copies_prompt, filler_problem

EX = {"kind": "open", "title": "Frame", "min_words": 20, "max_words": 200, "model": "M.", "rubric": ["a", "b"],
      "about": ["S1", "S4", "S5", "S9"],
      "prompt": ("Using Entman's four functions, describe the frame of the journalist's own voice: the problem, the "
                 "cause, the judgement and the remedy, as far as the journalist's own sentences say them."),
      "about_message": "cite at least one of the journalist's own sentences."}
GOOD = ("The journalist defines the problem as China's balancing act (S1), blames the invasion (S4) and judges "
        "Beijing cautious (S5); no remedy is offered in the journalist's own voice.")


def test_a_reasonable_answer_is_recorded_with_the_rubric_and_asked_for_a_rating():
    feedback = judge(EX, GOOD)
    assert feedback.status == "Recorded" and "2 points" in feedback.more and "rate(" in feedback.more
    assert "Model answer" not in feedback.more


@pytest.mark.parametrize("text, fragment", [
    ("Lorem ipsum dolor sit amet consectetur adipiscing elit sed do eiusmod tempor incididunt ut labore et "
     "dolore magna aliqua S1 S4", "English"),
    ("Le journaliste présente le problème comme un équilibre de la Chine, puis il juge Pékin prudent dans "
     "sa phrase S1 et S5 sans proposer de remède clair", "English"),
    (" ".join(["frame"] * 30) + " S1", "repeats"),
    ("China balances (S1). " * 8, "repeats"),
])
def test_filler_is_not_yet(text, fragment):
    feedback = judge(EX, text)
    assert feedback.status == "Not yet" and fragment in feedback.message


def test_an_answer_citing_only_reported_voices_is_told_so():
    text = GOOD.replace("(S1)", "(S2)").replace("(S4)", "(S3)").replace("(S5)", "(S6)")
    feedback = judge(EX, text)
    assert feedback.status == "Not yet" and "journalist's own sentences" in feedback.message


def test_ids_that_do_not_exist_are_named():
    feedback = judge(EX, GOOD.replace("(S5)", "(S15)"))
    assert feedback.status == "Not yet" and "S15" in feedback.message and "S1 to S10" in feedback.message


def test_the_readouts_ids_are_ids_of_the_course_texts():
    feedback = judge(EX, GOOD + " The Chinese readout says the same (C5, K1).")
    assert feedback.status == "Recorded"


def test_copying_the_question_is_not_yet():
    text = EX["prompt"] + " (S1, S5)"
    assert copies_prompt(text, EX["prompt"])
    assert judge(EX, text).status == "Not yet"


def test_cited_ids_in_natural_order():
    assert cited_ids("S10, P2, s3, S2 and S2") == ["P2", "S2", "S10"]


def test_ordinary_prose_is_not_filler():
    assert filler_problem(GOOD) is None


def test_too_few_sentences_is_not_yet():
    ex = {**EX, "min_sentences": 3}
    one_long_sentence = GOOD.replace(";", ",").replace(".", ",").rstrip(",") + "."
    feedback = judge(ex, one_long_sentence)
    assert feedback.status == "Not yet" and "at least 3" in feedback.message
    assert judge(ex, GOOD + " The journalist also repeats S1 as S9. That repeat makes the problem salient.").status \
        == "Recorded"


def test_citing_the_same_ids_often_is_not_filler():
    text = ("S1 is about China and Russia and Europe (S1). The claim in S1 is not sourced (S1). "
            "It returns in S9 (S1, S9).")
    assert filler_problem(text) is None


def test_sentences_ending_inside_quotation_marks_are_counted():
    from course.exercises.open_answers import count_sentences
    answer = ('Xi said China "supports Russia in resolving the issue through negotiation with Ukraine." I follow '
              'the reading "with." The rewrite moves CCTV to the channel it was (S3).')
    assert count_sentences(answer) == 3


# ---------------------------------------------------------------- the five open answers of the lessons

import json as _json
import re as _re

from course.exercises.keys import load_readable_keys
from helpers import READABLE_KEYS, SOLUTIONS

REAL = {q: ex for q, ex in load_readable_keys(READABLE_KEYS).items() if ex["kind"] == "open"}


def solution_answer(qid: str) -> str:
    """The worked answer in the lesson's solution notebook."""
    for path in SOLUTIONS.glob("[0-9][0-9]_*.ipynb"):
        for cell in _json.loads(path.read_text(encoding="utf-8"))["cells"]:
            if f"answer:{qid}" in cell.get("metadata", {}).get("tags", []):
                source = "".join(cell["source"]).split("### BEGIN SOLUTION", 1)[1]
                return _re.search(r'answer = """(.*?)"""', source, _re.S).group(1)
    raise KeyError(qid)


def filler(ex: dict) -> str:
    """One sentence frame repeated with only its ids changed, long enough for the exercise."""
    ids = ex.get("about") or ["S1", "S2", "S3"]
    sentences = [f"This sentence {ids[i % len(ids)]} is important for the question and shows the point clearly."
                 for i in range(12)]
    return " ".join(sentences)


@pytest.mark.parametrize("qid", sorted(REAL))
def test_the_model_pasted_back_is_refused_and_the_model_stays_hidden(qid):
    feedback = judge(REAL[qid], REAL[qid]["model"], qid=qid)
    assert (feedback.status, feedback.reason) == ("Not yet", "open.copies_model")
    assert REAL[qid]["model"][:40] not in str(feedback)


@pytest.mark.parametrize("qid", sorted(REAL))
def test_the_question_copied_back_is_refused(qid):
    prompt = REAL[qid]["prompt"]
    ids = " ".join(f"({i})" for i in (REAL[qid].get("about") or ["S1"])[:2])
    feedback = judge(REAL[qid], f"{prompt} {ids} {prompt}", qid=qid)
    assert feedback.status == "Not yet" and feedback.reason in ("open.copies_prompt", "open.too_long", "open.filler")


@pytest.mark.parametrize("qid", sorted(REAL))
def test_filler_with_ids_is_refused(qid):
    feedback = judge(REAL[qid], filler(REAL[qid]), qid=qid)
    assert (feedback.status, feedback.reason) == ("Not yet", "open.filler"), str(feedback)


@pytest.mark.parametrize("qid", sorted(REAL))
def test_the_solution_notebooks_own_answer_is_recorded_and_asked_to_be_rated(qid):
    feedback = judge(REAL[qid], solution_answer(qid), qid=qid)
    assert feedback.status == "Recorded", str(feedback)
    assert f'rate("{qid}"' in feedback.more and "Model answer" not in feedback.more


@pytest.mark.parametrize("qid, text, point", [
    ("q03_8", "Rewritten: according to Chinese state media, Putin told Xi that Russia invaded Ukraine because of its "
              "security concerns (S7). The claim is false, since no such threat existed. A plain verb replaces warned, "
              "and the war is named as a war, so a reader sees what changed.", "rubric point 4"),
    ("q05_6", "China leaned towards Moscow on 25 February 2022. Xi did not condemn Russia in the call (C10). Only the "
              "Kremlin's readout has the respect line (K3). China abstained at the Security Council the same day, "
              "neither vetoing nor voting for the draft, after diplomats softened its text. Its words and its vote fit "
              "a hedge that avoids condemnation and avoids a veto, a lean that analysts describe in policy and in "
              "communications.", "rubric point 5"),
])
def test_what_a_machine_can_see_of_the_rubric_is_named_before_the_rating(qid, text, point):
    feedback = judge(REAL[qid], text, qid=qid)
    assert feedback.status == "Recorded", str(feedback)
    assert point in feedback.more
