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


def test_a_reasonable_answer_is_recorded_with_the_model():
    feedback = judge(EX, GOOD)
    assert feedback.status == "Recorded" and "M." in feedback.more and "2 points" in feedback.more


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
