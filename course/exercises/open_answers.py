"""Open (interpretive) answers: cheap sanity checks, then `Recorded`, never `Correct`.

A machine cannot judge an interpretation, so it checks only what it can: the answer is
English prose of a sensible length, not filler, not the question copied back, and it
cites sentence ids that exist, at least one of them a sentence the question is about.
Then it records the answer and shows the model answer and the rubric, so a learner
working alone can compare.

>>> filler_problem("lorem ipsum dolor sit amet consectetur adipiscing elit sed do eiusmod S1")
'it does not read as English sentences. Write your answer in your own words, in English.'
>>> filler_problem("The journalist judges Beijing through single words such as cautious (S5).") is None
True
"""

from __future__ import annotations

import re
from collections import Counter

from course.exercises.answers import describe_type, plural
from course.reading.text import count_words

# Frequent English words; ordinary prose has many of them, filler and other languages few.
COMMON_WORDS = set("""
a about above after again against all also an and any are as at be because been before being below
between both but by can could did do does doing down during each even few for from further had has have
having he her here hers him his how i if in into is it its itself just least less like may me might more
most much must my no nor not now of off on once one only or other our out over own rather same she should
so some such than that the their them then there these they this those though through to too under until
up upon very was we were what when where whether which while who whom whose why will with within without
would yet you your
""".split())

ID_PATTERN = re.compile(r"\b([SPCKQZ])(\d{1,2})\b")
# The course's texts: the seed (S, P), the readouts (C, K, Z) and the seed's quotations (Q).
DEFAULT_IDS = ([f"S{i}" for i in range(1, 11)] + [f"P{i}" for i in range(1, 7)] + [f"C{i}" for i in range(1, 15)]
               + [f"K{i}" for i in range(1, 9)] + [f"Z{i}" for i in range(1, 11)] + [f"Q{i}" for i in range(1, 8)])


def _words(text: str) -> list[str]:
    return re.findall(r"[a-z]+(?:'[a-z]+)?", text.casefold())


def filler_problem(text: str) -> str | None:
    """Say what is wrong if `text` is filler (repeated words, not English), else None.

    Sentence ids (S1, P2) are left out: citing the same sentence often is not filler.
    """
    words = _words(ID_PATTERN.sub(" ", text))
    if not words:
        return "it has no words. Write your answer in sentences."
    content = [w for w in words if w not in COMMON_WORDS]
    if content:
        top, count = Counter(content).most_common(1)[0]
        if len(content) >= 8 and (count / len(content) > 0.3 or len(set(content)) / len(content) < 0.35):
            return "it repeats the same words over and over. Write sentences that make a claim and support it."
    common = sum(w in COMMON_WORDS for w in words) / len(words)
    if common < 0.15:
        return "it does not read as English sentences. Write your answer in your own words, in English."
    sentences = [s.strip().casefold() for s in re.split(r"[.!?]+", text) if s.strip()]
    if len(sentences) >= 3 and len(set(sentences)) <= len(sentences) / 2:
        return "it repeats the same sentence. Write sentences that make a claim and support it."
    return None


def copies_prompt(text: str, prompt: str) -> bool:
    """True when most of the answer's four-word runs come from the question itself."""
    def runs(words: list[str]) -> set[tuple[str, ...]]:
        return {tuple(words[i:i + 4]) for i in range(len(words) - 3)}
    answer_runs, prompt_runs = runs(_words(text)), runs(_words(prompt))
    return bool(answer_runs) and len(answer_runs & prompt_runs) / len(answer_runs) >= 0.5


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


def _model_block(ex: dict) -> str:
    lines = []
    if ex.get("model"):
        lines.append("Model answer: " + ex["model"])
    rubric = ex.get("rubric", [])
    if rubric:
        lines.append(f"Rubric ({plural(len(rubric), 'point')}; an instructor gives one point for each the answer "
                     "meets):")
        lines += [f"  {number}. {point}" for number, point in enumerate(rubric, start=1)]
    return "\n".join(lines)


def judge_open(ex: dict, answer: object, attempt: int = 1):
    """Sanity-check an open answer; `Recorded` with the model and rubric once it passes."""
    from course.exercises.judge import Feedback

    if not isinstance(answer, str):
        return Feedback("Not yet", f"you gave {describe_type(answer)}. Write your answer as text between "
                                   'the triple quotes: answer = """..."""')
    words = count_words(answer)
    least, most = ex.get("min_words", 25), ex.get("max_words", 400)
    if words < least:
        return Feedback("Not yet", f"you wrote {plural(words, 'word')}; aim for at least {least}. Make a claim, "
                                   "then point to the sentences that support it.")
    if words > most:
        return Feedback("Not yet", f"you wrote {words} words; keep it under {most}. Say the main point "
                                   "and the evidence for it.")
    problem = filler_problem(answer)
    if problem:
        return Feedback("Not yet", "your answer cannot be recorded yet: " + problem)
    sentences = count_sentences(answer)
    if sentences < ex.get("min_sentences", 1):
        return Feedback("Not yet", f"you wrote {plural(sentences, 'sentence')}; the question asks for at least "
                                   f"{ex['min_sentences']}. Make one claim per sentence, each with its evidence.")
    if ex.get("prompt") and copies_prompt(answer, ex["prompt"]):
        return Feedback("Not yet", "most of your answer repeats the question's own wording. Answer it in your "
                                   "own words.")
    cited = cited_ids(answer)
    valid = ex.get("valid_ids", DEFAULT_IDS)
    if ex.get("cite_ids", True):
        if not cited:
            return Feedback("Not yet", "your answer cites no sentence or paragraph ids. Point to the evidence, "
                                       f"for example '({valid[0]})'.")
        unknown = [i for i in cited if i not in valid]
        if unknown:
            return Feedback("Not yet", f"{', '.join(unknown)} {'is not an id' if len(unknown) == 1 else 'are not ids'} "
                                       f"of the course's texts (they run {_id_range(valid)}). Check the ids you cite.")
        about = ex.get("about", [])
        if about and not set(cited) & set(about):
            return Feedback("Not yet", ex.get("about_message", "none of the sentences you cite is one the question "
                                                               "asks about. Cite the evidence for your claims."))
    cites = f", citing {', '.join(cited)}" if cited else ""
    if ex.get("graded"):
        return Feedback("Recorded", f"your answer is recorded ({words} words{cites}); your instructor will mark "
                                    "it with a rubric.")
    return Feedback("Recorded", f"your answer is recorded ({words} words{cites}), not graded: a machine checked "
                                "only its form, not its reasoning. Compare it with the model answer below, point by "
                                "point against the rubric.", _model_block(ex))


def _id_range(valid: list[str]) -> str:
    """'S1 to S10, P1 to P6' for a list of ids."""
    groups: dict[str, list[int]] = {}
    for item in valid:
        groups.setdefault(item[0], []).append(int(item[1:]))
    return ", ".join(f"{letter}{min(n)} to {letter}{max(n)}" for letter, n in groups.items())
