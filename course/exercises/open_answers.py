"""Open (interpretive) answers: sanity checks, then `Recorded`, never `Correct`; the model after a self-rating.

A machine cannot judge an interpretation, so it checks only what it can: the answer is
English prose of a sensible length, not filler (repeated words or sentence frames, little but
ids), not the question copied back, not the model answer copied, and it cites sentence ids
that exist, at least one of them a sentence the question is about (and every id the key
requires). Then it records the answer and shows the rubric, with what a machine can see of it
(the key's `rules`: patterns named after the rubric point they serve), and asks the learner to
rate their own answer against each point: `rate(qid, [1, 0, 1, 1])`. Only then does it show the
model answer (`course.exercises.checks.rate`).

>>> filler_problem("lorem ipsum dolor sit amet consectetur adipiscing elit sed do eiusmod S1")
'it does not read as English sentences. Write your answer in your own words, in English.'
>>> filler_problem("The journalist judges Beijing through single words such as cautious (S5).") is None
True
"""

from __future__ import annotations

import re
from collections import Counter

from course.exercises.answers import describe_type, plural
from course.exercises.feedback import Feedback, told
from course.exercises.wording import say
from course.reading.text import COMMON_WORDS, count_words

ID_PATTERN = re.compile(r"\b([SPCKQZ])(\d{1,2})\b")
# The course's texts: the seed (S, P), the readouts (C, K, Z) and the seed's quotations (Q).
DEFAULT_IDS = ([f"S{i}" for i in range(1, 11)] + [f"P{i}" for i in range(1, 7)] + [f"C{i}" for i in range(1, 15)]
               + [f"K{i}" for i in range(1, 9)] + [f"Z{i}" for i in range(1, 11)] + [f"Q{i}" for i in range(1, 8)])


def _words(text: str) -> list[str]:
    return re.findall(r"[a-z]+(?:'[a-z]+)?", text.casefold())


def filler_problem(text: str, least_words: int = 25) -> str | None:
    """Say what is wrong if `text` is filler (repeated words or sentence frames, little but ids, not English), else None.

    Sentence ids (S1, P2) are left out: citing the same sentence often is not filler. An answer of
    the exercise's least length (`least_words`) needs at least a fifth as many different words beyond
    ids and the most frequent English words (and never fewer than four).
    """
    words = _words(ID_PATTERN.sub(" ", text))
    if not words:
        return say("open.filler_no_words")
    content = [w for w in words if w not in COMMON_WORDS]
    if content:
        top, count = Counter(content).most_common(1)[0]
        if len(content) >= 8 and (count / len(content) > 0.3 or len(set(content)) / len(content) < 0.35):
            return say("open.filler_repeated_words")
    common = sum(w in COMMON_WORDS for w in words) / len(words)
    if common < 0.15:
        return say("open.filler_not_english")
    sentences = [s.strip().casefold() for s in re.split(r"[.!?]+", text) if s.strip()]
    if len(sentences) >= 3 and len(set(sentences)) <= len(sentences) / 2:
        return say("open.filler_repeated_sentence")
    frames = [" ".join(_words(ID_PATTERN.sub(" ", s))) for s in sentences]   # a sentence without its ids
    if len(frames) >= 3 and len(set(frames)) <= len(frames) / 2:
        return say("open.filler_repeated_frame")
    if len(set(w for w in content if len(w) > 2)) < max(4, least_words // 5):
        return say("open.filler_little_content")
    return None


MODEL_SHARE = 0.8       # an answer with this share of its four-word runs from the model answer is the model, pasted


def _runs(words: list[str]) -> set[tuple[str, ...]]:
    return {tuple(words[i:i + 4]) for i in range(len(words) - 3)}


def copies(text: str, source: str, share: float = 0.5) -> bool:
    """True when at least `share` of the answer's four-word runs come from `source` (the question, the model).

    >>> copies("The journalist never names a source for S1.", "S1 is the journalist's; the journalist never names a source")
    True
    """
    answer_runs = _runs(_words(text))
    return bool(answer_runs) and len(answer_runs & _runs(_words(source))) / len(answer_runs) >= share


def copies_prompt(text: str, prompt: str) -> bool:
    """True when most of the answer's four-word runs come from the question itself."""
    return copies(text, prompt)


def rule_warnings(ex: dict, text: str) -> list[str]:
    """What a machine can see of the rubric: each of the key's `rules` the answer breaks, named by its point.

    A rule is {"point": n, "pattern": regular expression, "present": true or false, "message": ...}:
    the answer should (or should not) hold the pattern. They are warnings for the learner's self-rating,
    not verdicts: a pattern cannot read.

    >>> rule_warnings({"rules": [{"point": 2, "pattern": "did not say", "present": False, "message": "m"}]},
    ...               "Xi did not say it (S3).")
    ['rubric point 2: m']
    """
    warnings = []
    for rule in ex.get("rules", []):
        found = re.search(rule["pattern"], text, re.IGNORECASE) is not None
        if found != rule.get("present", True):
            warnings.append(say("open.rule", point=rule["point"], message=rule["message"]))
    return warnings


def count_sentences(text: str) -> int:
    """Sentences of three words or more; a sentence may end inside closing quotes or brackets.

    >>> count_sentences('He said "yes." Then he left the room. It rained (all day.) Done.')
    3
    """
    parts = re.split(r"(?<=[.!?])[\"'”’)\]]*\s+", text.strip())
    return len([part for part in parts if count_words(part) >= 3])


def cited_ids(text: str) -> list[str]:
    """The sentence and paragraph ids an answer cites, in natural order, each once.

    >>> cited_ids("S10 and P2 and S2 (S2)")
    ['P2', 'S2', 'S10']
    """
    found = {f"{letter}{int(number)}" for letter, number in ID_PATTERN.findall(text)}
    return sorted(found, key=lambda i: (i[0], int(i[1:])))


def rubric_block(ex: dict) -> str:
    """The rubric as numbered lines of text."""
    rubric = ex.get("rubric", [])
    lines = [say("open.rubric", points=plural(len(rubric), "point"))] if rubric else []
    return "\n".join(lines + [f"  {number}. {point}" for number, point in enumerate(rubric, start=1)])


def model_block(ex: dict) -> str:
    """The model answer, then the rubric: what a learner reads after rating their own answer."""
    lines = [say("open.model", model=ex["model"])] if ex.get("model") else []
    return "\n".join(lines + [rubric_block(ex)])


def rate_block(qid: str, ex: dict, text: str) -> str:
    """What the check shows once an answer is recorded: the rubric, the machine's warnings, how to rate."""
    points = len(ex.get("rubric", []))
    lines = [rubric_block(ex)] + rule_warnings(ex, text)
    lines.append(say("open.rate_now", qid=qid, example=", ".join(["1", "0"] * points)[: 3 * points - 2]))
    return "\n".join(lines)


def judge_open(ex: dict, answer: object, attempt: int = 1, qid: str = "") -> Feedback:
    """Sanity-check an open answer; `Recorded` with the rubric and how to rate it once it passes."""
    if not isinstance(answer, str):
        return told("Not yet", "open.not_text", what=describe_type(answer))
    words = count_words(answer)
    least, most = ex.get("min_words", 25), ex.get("max_words", 400)
    if words < least:
        return told("Not yet", "open.too_short", words=plural(words, "word"), least=least)
    if words > most:
        return told("Not yet", "open.too_long", words=words, most=most)
    problem = filler_problem(answer, least)
    if problem:
        return told("Not yet", "open.filler", problem=problem)
    sentences = count_sentences(answer)
    if sentences < ex.get("min_sentences", 1):
        return told("Not yet", "open.too_few_sentences", sentences=plural(sentences, "sentence"),
                    least=ex["min_sentences"])
    if ex.get("prompt") and copies_prompt(answer, ex["prompt"]):
        return told("Not yet", "open.copies_prompt")
    if ex.get("model") and copies(answer, ex["model"], MODEL_SHARE):
        return told("Not yet", "open.copies_model")
    cited = cited_ids(answer)
    problem = _citation_problem(ex, cited)
    if problem:
        return problem
    cites = f", citing {', '.join(cited)}" if cited else ""
    if ex.get("graded"):
        return told("Recorded", "open.graded", words=words, cites=cites)
    return told("Recorded", "open.recorded", rate_block(qid or "the exercise", ex, answer), words=words, cites=cites)


def _citation_problem(ex: dict, cited: list[str]) -> Feedback | None:
    """What is wrong with the ids an answer cites (none, unknown, none the question is about), or None."""
    if not ex.get("cite_ids", True):
        return None
    valid = ex.get("valid_ids", DEFAULT_IDS)
    if not cited:
        return told("Not yet", "open.no_ids", first=valid[0])
    unknown = [i for i in cited if i not in valid]
    if unknown:
        return told("Not yet", "open.unknown_ids", ids=", ".join(unknown),
                    are="is not an id" if len(unknown) == 1 else "are not ids", ranges=_id_range(valid))
    required = [i for i in ex.get("required_ids", []) if i not in cited]
    if required:
        return told("Not yet", "open.required_ids", ids=", ".join(required))
    about = ex.get("about", [])
    if about and not set(cited) & set(about):
        if ex.get("about_message"):
            return Feedback("Not yet", ex["about_message"], reason="key:about_message")
        return told("Not yet", "open.off_question")
    return None


def _id_range(valid: list[str]) -> str:
    """'S1 to S10, P1 to P6' for a list of ids."""
    groups: dict[str, list[int]] = {}
    for item in valid:
        groups.setdefault(item[0], []).append(int(item[1:]))
    return ", ".join(f"{letter}{min(n)} to {letter}{max(n)}" for letter, n in groups.items())
