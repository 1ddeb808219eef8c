"""Answer keys: written readable on the solution side, shipped sealed or without answers.

Authors write `notebooks/solutions/keys/NN_slug.json`. `python -m course build` writes
`course/keys/NN_slug.json` for learners. Each exercise keeps its *public* fields in
clear (the title, the kind, the shape an answer must have) and its *secret* fields
(the answer, the feedback, the model answer and rubric) sealed with zlib + base64, so
a learner does not read the answers by opening a file. This is obfuscation, not
security: anyone who reads this module can unseal a key. A graded release
(`python -m course release --mode graded`) ships no secret fields at all.

>>> unseal(seal({"answer": 6}))
{'answer': 6}
"""

from __future__ import annotations

import base64
import json
import os
import zlib
from pathlib import Path

KEYS_DIR = Path(__file__).resolve().parent.parent / "keys"   # course/keys/, written by the build
KINDS = {"choice", "set", "text", "number", "mapping", "open"}
# Fields that say what shape an answer takes; they give nothing away and ship in clear.
PUBLIC = {"title", "kind", "points", "noun", "example", "key_noun", "key_singular", "keys", "allowed_values", "hints",
          "list_choices",
          "accept_values", "options", "choices", "min_words", "max_words", "min_sentences", "cite_ids", "valid_ids", "prompt",
          "in_seed", "scoring", "not_offered_message", "example_is_the_warm_up", "grouped", "practice", "ids"}
MODES = ("self-study", "graded")
# A coding exercise must beat the best constant coding by at least this many points.
AGREEMENT_MARGIN = 1.5


class AnswerKeyError(Exception):
    """An answer-key file is missing or malformed (an author's or installer's problem)."""


def seal(value: object) -> str:
    """Compress and encode a JSON-able value so it is not readable at a glance."""
    raw = json.dumps(value, sort_keys=True, ensure_ascii=False).encode("utf-8")
    return base64.b64encode(zlib.compress(raw, 9)).decode("ascii")


def unseal(text: str) -> object:
    """Reverse `seal`."""
    return json.loads(zlib.decompress(base64.b64decode(text)).decode("utf-8"))


def _choice_problems(ex: dict, at: str) -> list[str]:
    problems = []
    options, feedback = ex.get("options", {}), ex.get("feedback", {})
    if any(k != k.lower() for k in options):
        problems.append(f"{at}: option letters must be lower case")
    missing = sorted(set(options) - set(feedback))
    if missing:
        problems.append(f"{at}: every option needs feedback; missing for {missing}")
    if ex.get("answer") not in options:
        problems.append(f"{at}: the answer must be one of the options {sorted(options)}")
    empty = sorted(k for k, text in options.items() if not isinstance(text, str) or not text.strip())
    if empty:
        problems.append(f"{at}: options {empty} need the text the learner reads")
    if "explain" in ex:
        problems.append(f"{at}: a choice exercise never shows 'explain' (a right answer gets its option's "
                        "feedback); put it in the feedback of the right option")
    return problems


def _open_problems(ex: dict, at: str) -> list[str]:
    problems = []
    if not ex.get("model"):
        problems.append(f"{at}: an open exercise needs a model answer ('model'), shown after an attempt")
    if not ex.get("rubric"):
        problems.append(f"{at}: an open exercise needs rubric points ('rubric')")
    return problems


def _agreement_problems(ex: dict, at: str) -> list[str]:
    from course.exercises.judge import best_constant

    if "min_agreement" not in ex:
        return [f"{at}: an agreement exercise needs 'min_agreement'"]
    baseline, value = best_constant(ex)
    if ex["min_agreement"] < baseline + AGREEMENT_MARGIN:
        return [f"{at}: min_agreement {ex['min_agreement']} does not beat the constant coding '{value}' "
                f"({baseline:g}) by {AGREEMENT_MARGIN}"]
    return []


def validate_spec(spec: dict, where: str) -> list[str]:
    """Return a list of problems in a readable key spec (empty when it is fine)."""
    if not isinstance(spec, dict):
        return [f"{where}: must be a JSON object with 'lesson' and 'exercises'"]
    exercises = spec.get("exercises")
    if not isinstance(exercises, dict) or not exercises:
        return [f"{where}: needs an 'exercises' object with at least one exercise"]
    problems = []
    for qid, ex in exercises.items():
        at = f"{where}, exercise {qid}"
        if not isinstance(ex, dict):
            problems.append(f"{at}: must be a JSON object with a kind, a title and an answer")
            continue
        kind = ex.get("kind")
        if kind not in KINDS:
            problems.append(f"{at}: kind must be one of {sorted(KINDS)}, not {kind!r}")
            continue
        if not ex.get("title"):
            problems.append(f"{at}: needs a title")
        hints = ex.get("hints")
        if not (isinstance(hints, list) and hints and all(isinstance(h, str) and h.strip() for h in hints)):
            problems.append(f"{at}: needs 'hints', a list of at least one hint (the lesson shows them folded)")
        if ex.get("list_choices") and not ex.get("choices"):
            problems.append(f"{at}: 'list_choices' shows the offered items, so it needs 'choices'")
        if kind != "open" and "answer" not in ex:
            problems.append(f"{at}: needs an answer")
        if kind == "choice":
            problems += _choice_problems(ex, at)
        if kind == "open":
            problems += _open_problems(ex, at)
        if kind == "mapping" and ex.get("scoring") == "agreement" and "answer" in ex:
            problems += _agreement_problems(ex, at)
        if not isinstance(ex.get("points", 1), (int, float)) or ex.get("points", 1) < 0:
            problems.append(f"{at}: points must be a number of 0 or more")
    return problems


def points_of(ex: dict) -> float:
    """The points an exercise is worth: `points` in its key, else one per rubric point (open answers), else 1.

    The one place the rule is written: the shipped keys, the grader, the grade sheet and the
    rubrics page all ask it.

    >>> points_of({"kind": "open", "rubric": ["a", "b"]}), points_of({"kind": "set", "points": 2}), points_of({})
    (2, 2, 1)
    """
    if "points" in ex:
        return ex["points"]
    return (len(ex.get("rubric", [])) or 1) if ex.get("kind") == "open" else 1


def public_fields(ex: dict) -> dict:
    """The fields of one exercise that ship in clear; a mapping's keys are listed too."""
    public = {k: v for k, v in ex.items() if k in PUBLIC}
    if ex.get("kind") == "mapping" and isinstance(ex.get("answer"), dict):
        public.setdefault("keys", list(ex["answer"]))
    if ex.get("kind") == "open":
        public.setdefault("points", points_of(ex))
    return public


def seal_spec(spec: dict, mode: str = "self-study") -> dict:
    """Turn a readable key spec into the form shipped to learners.

    self-study: public fields in clear, the rest sealed. graded: public fields only.
    """
    if mode not in MODES:
        raise ValueError(f"mode must be one of {MODES}, not {mode!r}")
    shipped = {}
    for qid, ex in spec["exercises"].items():
        entry = public_fields(ex)
        if mode == "self-study" or ex.get("practice"):   # a practice exercise judges in every release
            entry["sealed"] = seal({k: v for k, v in ex.items() if k not in PUBLIC})
        else:
            entry["graded"] = True
        shipped[qid] = entry
    return {"lesson": spec.get("lesson", ""), "mode": mode, "exercises": shipped}


def unpack(data: dict) -> dict[str, dict]:
    """{qid: full exercise} from one shipped key file's data (sealed fields opened)."""
    exercises = {}
    for qid, ex in data["exercises"].items():
        secret = unseal(ex["sealed"]) if "sealed" in ex else {}
        exercises[qid] = {"lesson": data["lesson"], **{k: v for k, v in ex.items() if k != "sealed"}, **secret}
    return exercises


GRADING_ENV = "COURSE_GRADING"   # set where the grader runs learners' notebooks: no key is loaded there


def grading() -> bool:
    """True inside the grader's sandbox, where checks are off and no key may be loaded."""
    return os.environ.get(GRADING_ENV, "") == "1"


def load_keys(folder: Path | None = None) -> dict[str, dict]:
    """Load every shipped key file: {qid: {"lesson", "title", "kind", ...fields}}.

    Raises AnswerKeyError while grading (in the grader's sandbox there are no keys to load).
    """
    if grading():
        raise AnswerKeyError("Checks are off while grading: the grader judges the answers itself, and there are no "
                             "answer keys here.")
    folder = folder or KEYS_DIR
    exercises: dict[str, dict] = {}
    for path in sorted(Path(folder).glob("*.json")):
        try:
            exercises.update(unpack(json.loads(path.read_text(encoding="utf-8"))))
        except (ValueError, KeyError, TypeError, AttributeError, zlib.error) as error:
            raise AnswerKeyError(
                f"The answer key {path} is damaged ({type(error).__name__}). Rebuild it with "
                "`python -m course build` or restore it with `git checkout -- course/keys`.") from None
    return exercises


def load_readable_keys(folder: Path) -> dict[str, dict]:
    """Load the authors' readable keys (the solution side): {qid: {"lesson", ...fields}}."""
    exercises: dict[str, dict] = {}
    for path in sorted(Path(folder).glob("*.json")):
        spec = json.loads(path.read_text(encoding="utf-8"))
        for qid, ex in spec["exercises"].items():
            exercises[qid] = {"lesson": spec["lesson"], **ex}
    return exercises
