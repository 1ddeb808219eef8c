"""Answer keys: written readable on the solution side, shipped sealed in `course/keys/`.

Authors write `notebooks/solutions/keys/NN_slug.json`. `python -m course build` seals
each exercise's expected answer and feedback (zlib + base64) into `course/keys/NN_slug.json`,
so a learner does not read the answers by opening a file. This is obfuscation, not
security: anyone who reads this module can unseal a key.

>>> unseal(seal({"answer": 6}))
{'answer': 6}
"""

from __future__ import annotations

import base64
import json
import zlib
from pathlib import Path

KEYS_DIR = Path(__file__).resolve().parent / "keys"
KINDS = {"choice", "set", "text", "number", "mapping", "open"}


class AnswerKeyError(Exception):
    """An answer-key file is missing or malformed (an author's or installer's problem)."""


def seal(value: object) -> str:
    """Compress and encode a JSON-able value so it is not readable at a glance."""
    raw = json.dumps(value, sort_keys=True, ensure_ascii=False).encode("utf-8")
    return base64.b64encode(zlib.compress(raw, 9)).decode("ascii")


def unseal(text: str) -> object:
    """Reverse `seal`."""
    return json.loads(zlib.decompress(base64.b64decode(text)).decode("utf-8"))


def validate_spec(spec: dict, where: str) -> list[str]:
    """Return a list of problems in a readable key spec (empty when it is fine)."""
    problems = []
    if not isinstance(spec, dict):
        return [f"{where}: must be a JSON object with 'lesson' and 'exercises'"]
    exercises = spec.get("exercises")
    if not isinstance(exercises, dict) or not exercises:
        return [f"{where}: needs an 'exercises' object with at least one exercise"]
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
        if kind != "open" and "answer" not in ex:
            problems.append(f"{at}: needs an answer")
        if kind == "choice":
            options = ex.get("options", {})
            feedback = ex.get("feedback", {})
            missing = sorted(set(options) - set(feedback))
            if missing:
                problems.append(f"{at}: every option needs feedback; missing for {missing}")
            if ex.get("answer") not in options:
                problems.append(f"{at}: the answer must be one of the options {sorted(options)}")
    return problems


def seal_spec(spec: dict) -> dict:
    """Turn a readable key spec into the sealed form shipped to learners."""
    sealed = {}
    for qid, ex in spec["exercises"].items():
        secret = {k: v for k, v in ex.items() if k not in ("title", "kind")}
        sealed[qid] = {"title": ex["title"], "kind": ex["kind"], "sealed": seal(secret)}
    return {"lesson": spec.get("lesson", ""), "exercises": sealed}


def load_keys(folder: Path | None = None) -> dict[str, dict]:
    """Load every sealed key file: {qid: {"lesson", "title", "kind", ...unsealed fields}}."""
    folder = folder or KEYS_DIR
    exercises: dict[str, dict] = {}
    for path in sorted(Path(folder).glob("*.json")):
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
            for qid, ex in data["exercises"].items():
                exercises[qid] = {"lesson": data["lesson"], "title": ex["title"],
                                  "kind": ex["kind"], **unseal(ex["sealed"])}
        except (ValueError, KeyError, TypeError, zlib.error) as error:
            raise AnswerKeyError(
                f"The answer key {path} is damaged ({type(error).__name__}). Rebuild it with "
                "`python -m course build` or restore it with `git checkout -- course/keys`.") from None
    return exercises
