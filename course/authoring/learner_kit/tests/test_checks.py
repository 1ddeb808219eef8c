"""Every exercise has a check that answers, never crashes, and is not fooled by a trivial answer.

These tests hold no answers: they try placeholders, values of the wrong kind, and answers
that only have the right form.
"""

from __future__ import annotations

import json

import nbformat
import pytest

from conftest import ROOT, lessons
from course.exercises.checks import check, evaluate
from course.reading.data import load_seed
from course.exercises.keys import load_keys

KEYS = load_keys(ROOT / "course" / "keys")
QIDS = sorted(KEYS)
MODE = {json.loads(p.read_text(encoding="utf-8")).get("mode") for p in (ROOT / "course" / "keys").glob("*.json")}
STATUSES = ("Correct", "Not yet", "Not attempted", "Recorded")
OPEN_SENTENCES = [  # an answer in the right form (English, evidence cited), not a right answer
    "The journalist reports the call through Chinese state media, so the reader meets each claim at second hand (S1).",
    "The report chooses which statements to quote and which to summarise, so its emphasis may differ from a readout (S2).",
    "A careful reader compares the wording with the readouts before trusting a single phrase of it (S3).",
    "The reader should also ask who is speaking in each sentence, and whether the voice is named (S4).",
    "Some sentences give background that the journalist does not attribute to anyone at all (S5).",
    "Others relay what a leader said, through an official channel that chose the words (S6).",
    "Each of these layers could soften, sharpen or drop a claim before it reached this page (S7).",
    "That is why the evidence for any reading has to be cited sentence by sentence (S8).",
]


def open_answer(ex: dict) -> str:
    """Enough distinct, cited English sentences for an open exercise's length and sentence limits."""
    least, sentences = ex.get("min_words", 25), ex.get("min_sentences", 1)
    chosen: list[str] = []
    for sentence in OPEN_SENTENCES:
        chosen.append(sentence)
        if len(" ".join(chosen).split()) >= least and len(chosen) >= sentences:
            break
    return " ".join(chosen)


def check_tags(path) -> list[str]:
    cells = nbformat.read(path, as_version=4).cells
    return [t.split(":", 1)[1] for c in cells for t in c.get("metadata", {}).get("tags", []) if t.startswith("check:")]


def well_formed(ex: dict) -> object:
    """An answer with the right form for an exercise, built from what the exercise shows anyone."""
    kind = ex["kind"]
    if kind == "choice":
        return sorted(ex["options"])[0]
    if kind == "number":
        return 1
    if kind == "text":
        return "S1"
    if kind == "set":
        return [ex["choices"][0]] if ex.get("choices") else [load_seed().split()[0]]
    if kind == "mapping":
        return {key: ex["allowed_values"][0] if ex.get("allowed_values") else 1 for key in ex["keys"]}
    return open_answer(ex)


def test_one_kind_of_key():
    assert len(MODE) == 1 and MODE <= {"self-study", "graded"}, f"key files of several kinds: {MODE}"


def test_every_check_in_the_lessons_has_a_key_and_every_key_a_check():
    tagged = [qid for path in lessons() for qid in check_tags(path)]
    assert tagged, "no check cells found"
    assert sorted(tagged) == QIDS


def test_keys_are_sealed_or_hold_no_answers():
    for qid, ex in KEYS.items():
        if MODE == {"graded"} and not ex.get("practice"):   # lesson 00's warm-up judges in every release
            assert ex.get("graded") is True, qid
            assert not {"answer", "model", "rubric", "feedback"} & set(ex), qid
        else:
            assert "graded" not in ex, qid


@pytest.mark.parametrize("qid", QIDS)
def test_a_placeholder_is_not_attempted(qid):
    for placeholder in (..., None):
        assert evaluate(qid, placeholder).status == "Not attempted"


@pytest.mark.parametrize("qid", QIDS)
def test_a_value_of_the_wrong_kind_is_not_yet(qid):
    for value in ({"unrelated": 1}, object()):
        assert evaluate(qid, value).status == "Not yet"


@pytest.mark.parametrize("qid", QIDS)
def test_a_check_prints_one_feedback_line_and_never_raises(qid, capsys):
    check(qid, well_formed(KEYS[qid]))
    out = capsys.readouterr().out
    first = out.splitlines()[0]
    assert any(first[2:].startswith(status + ":") for status in STATUSES), out
    assert sum(line[2:].split(":")[0] in STATUSES for line in out.splitlines() if line[:1] in "✓✗○◆") == 1


@pytest.mark.parametrize("qid", QIDS)
def test_a_trivial_answer_is_never_correct(qid):
    ex = KEYS[qid]
    trivial = [well_formed(ex)] if ex["kind"] == "open" else []
    if ex["kind"] == "mapping" and ex.get("allowed_values"):
        trivial += [{key: value for key in ex["keys"]} for value in ex["allowed_values"]]   # one label for all
    if ex["kind"] == "set" and ex.get("choices"):
        trivial.append(list(ex["choices"]))   # every offered item at once
    for answer in trivial:
        assert evaluate(qid, answer).status != "Correct", answer


@pytest.mark.skipif(MODE != {"graded"}, reason="a self-study copy judges answers")
@pytest.mark.parametrize("qid", [q for q in QIDS if not KEYS[q].get("practice")])   # the warm-up judges everywhere
def test_graded_copy_records_a_well_formed_answer_for_the_instructor(qid):
    feedback = evaluate(qid, well_formed(KEYS[qid]))
    assert feedback.status == "Recorded", str(feedback)
    assert "instructor" in feedback.message
    assert "Model answer" not in feedback.more
