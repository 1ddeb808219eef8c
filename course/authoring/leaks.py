"""The leak scan: nothing in a learner release gives an answer away or points at a file it lacks.

`python -m course release` scans the folder it has assembled before moving it into place, and
`python -m course scan FOLDER [--mode graded]` scans any folder. The answers to look for come
from the readable keys on the solution side (`notebooks/solutions/keys/`). Each leak is one
line: the file, then what leaked. The rules:

1. no solution-side files: nothing under a `solutions/` folder, no RUBRICS.md, INSTRUCTOR_GUIDE.md
   or GRADING.md, no saved progress or exported answers;
2. notebooks carry no outputs, no solution markers and no cell tagged `solution`;
3. key files ship only the public fields (plus the sealed blob in a self-study release; in a
   graded release, no sealed blob either);
4. no text of 30 characters or more from a key's secret fields (a model answer, a rubric point,
   feedback, an explanation) appears in any file;
5. no file names an exercise id together with its answer, as a test might: `check("q99_1", 42)`;
6. the learner docs (Markdown files and the notebooks' text) name no solution-side file and
   point at no file that the folder lacks;
7. no prose (Markdown, code comments, printed lines, a page's words, a key's examples and hints)
   states an exercise's result in other words: a share that rounds to the key's number, most of
   a mapping's pairs side by side, a set's members listed together (`stated_results`).

>>> str(Leak("README.md", "points at notebooks/solutions/, which this release does not have"))
'README.md: points at notebooks/solutions/, which this release does not have'
"""

from __future__ import annotations

import html
import json
import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from urllib.parse import unquote

import nbformat

from course.authoring import stated_results as results
from course.exercises.keys import PUBLIC, load_readable_keys

FORBIDDEN_FILES = {"RUBRICS.md": "the rubrics and model answers", "INSTRUCTOR_GUIDE.md": "the instructor guide",
                   "GRADING.md": "the grading notes", ".course_progress.json": "someone's saved answers"}
EXPORTED_ANSWERS = re.compile(r"^answers_.*\.json$")
MENTIONS = re.compile(r"(?:notebooks/)?solutions/|RUBRICS\.md|INSTRUCTOR_GUIDE\.md|GRADING\.md")
SECRET_TEXT_MIN = 30   # shorter key texts (an id, a word) are too common to tell anything
MARKERS = ("### BEGIN SOLUTION", "### END SOLUTION")
SHIPPED_KEY_FIELDS = PUBLIC | {"sealed", "graded", "lesson"}
# Files a learner's own work creates, which docs may name although no release contains them.
RUNTIME = re.compile(r"^(\.course_progress\.json|answers_\w*\.json|my_answers\.json|(my-work|\.venv)(/.*)?)$")
FILE_SUFFIXES = {".md", ".ipynb", ".csv", ".txt", ".json", ".py", ".zip", ".html", ".cfg", ".toml"}
_LINK = re.compile(r"\]\(\s*<?([^)\s>]+)>?(?:\s+\"[^\"]*\")?\s*\)")
_HTML_REF = re.compile(r"""(?:href|src)\s*=\s*["']([^"']+)["']""")
_CODE = re.compile(r"`([\w./-]+)`")
_QUOTES = str.maketrans({"\u2018": "'", "\u2019": "'", "\u201c": '"', "\u201d": '"'})


@dataclass(frozen=True)
class Leak:
    """One leak: the file (relative to the scanned folder) and what leaked."""
    path: str
    what: str

    def __str__(self) -> str:
        return f"{self.path}: {self.what}"


def squash(text: str) -> str:
    """Fold case, quotes and spacing, so a passage is found however it was wrapped.

    >>> squash("A  “Model”\\n answer")
    'a "model" answer'
    """
    return re.sub(r"\s+", " ", text.translate(_QUOTES)).strip().casefold()


# ---------------------------------------------------------------- what counts as a secret

def _strings(value: object) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return [s for item in value.values() for s in _strings(item)]
    if isinstance(value, (list, tuple)):
        return [s for item in value for s in _strings(item)]
    return []


def _literal(value: object) -> str:
    """A regular expression for one answer value as code would write it."""
    if isinstance(value, bool) or not isinstance(value, (str, int, float)):
        return ""
    if isinstance(value, str):
        return r"""["']""" + re.escape(value) + r"""["']"""
    forms = {repr(value), f"{value:g}"} | ({str(int(value))} if float(value).is_integer() else set())
    return r"(?<![\w.])(?:" + "|".join(re.escape(f) for f in sorted(forms)) + r")(?![\w.])"


def answer_patterns(ex: dict) -> list[str]:
    """Patterns that together spell out an exercise's answer in code (empty for open answers).

    >>> [bool(re.search(p, 'check("q99_1", 10)')) for p in answer_patterns({"kind": "number", "answer": 10})]
    [True]
    """
    answer = ex.get("answer")
    if ex.get("kind") == "open" or answer is None:
        return []
    if isinstance(answer, str) and answer in str(ex.get("example", "")):
        return []  # the exercise shows this answer on purpose (lesson 00's warm-up)
    if isinstance(answer, dict):
        pairs = []
        for key, value in answer.items():
            first = value[0] if isinstance(value, list) and value else value
            pairs.append(r"""["']""" + re.escape(str(key)) + r"""["']\s*:\s*""" + _literal(first))
        return pairs
    if isinstance(answer, list):
        return [_literal(item) for item in answer if _literal(item)]
    return [p for p in [_literal(answer)] if p]


def alternative_patterns(ex: dict) -> list[str]:
    """Patterns for the offered values that are not the answer (other options, other choices).

    A passage that names the exercise, its answer and an alternative lists what is offered,
    as a key's `options` do; it does not give the answer away.

    >>> patterns = alternative_patterns({"kind": "choice", "answer": "b", "options": {"a": "x", "b": "y"}})
    >>> [bool(re.search(p, 'answer = "a"')) for p in patterns]
    [True]
    """
    answer = ex.get("answer")
    chosen = [str(a) for a in answer] if isinstance(answer, list) else [str(answer)]
    offered = [str(v) for v in list(ex.get("options", {})) + list(ex.get("choices", []))]
    return [_literal(value) for value in offered if value not in chosen]


@dataclass
class Secrets:
    """What must not appear: the keys' secret texts, and each exercise's answer as code."""
    texts: dict[str, str] = field(default_factory=dict)             # squashed text -> qid
    answers: dict[str, list[str]] = field(default_factory=dict)     # qid -> patterns that spell the answer
    alternatives: dict[str, list[str]] = field(default_factory=dict)  # qid -> patterns of offered non-answers
    keys: dict[str, dict] = field(default_factory=dict)             # qid -> readable key, for rule 7

    @classmethod
    def from_keys(cls, keys: dict[str, dict]) -> "Secrets":
        secrets = cls(keys=keys)
        for qid, ex in keys.items():
            offered = {squash(s) for name, value in ex.items() if name in PUBLIC for s in _strings(value)}
            for name, value in ex.items():
                if name in SHIPPED_KEY_FIELDS:
                    continue
                for text in _strings(value):
                    if len(text.strip()) >= SECRET_TEXT_MIN and squash(text) not in offered:
                        secrets.texts[squash(text)] = qid
            secrets.answers[qid] = answer_patterns(ex)
            secrets.alternatives[qid] = alternative_patterns(ex)
        return secrets


# ---------------------------------------------------------------- reading files

def readable_text(path: Path, raw: str) -> str:
    """The text a reader would see in a file: a notebook's cells, a JSON file's strings, a page's words."""
    if path.suffix == ".ipynb":
        cells = _cells(raw)
        parts = [cell.source for cell in cells]
        for cell in cells:
            for output in cell.get("outputs", []):
                parts += _strings(output.get("text", "")) + _strings(output.get("data", {}).get("text/plain", ""))
                parts += _strings(output.get("data", {}).get("text/html", ""))
        return "\n".join(parts)
    if path.suffix == ".json":
        try:
            return "\n".join(_strings(json.loads(raw)))
        except ValueError:
            return raw
    if path.suffix in (".html", ".htm"):
        return html.unescape(re.sub(r"<[^>]+>", " ", raw))
    return raw


@lru_cache(maxsize=4)
def _cells(raw: str) -> tuple:
    """A notebook's cells, parsed once however many rules read them (the scan never changes them)."""
    return tuple(nbformat.reads(raw, as_version=4).cells)


def _read(path: Path) -> str | None:
    """A file's text, or None for a binary file."""
    try:
        return path.read_text(encoding="utf-8")
    except (UnicodeDecodeError, OSError):
        return None


# ---------------------------------------------------------------- the rules

def forbidden(rel: str) -> str:
    """Why a file must not ship at all, or '' if it may."""
    parts = rel.split("/")
    if "solutions" in parts[:-1]:
        return "is on the solution side (a solutions/ folder); it must not ship"
    if parts[-1] in FORBIDDEN_FILES:
        return f"is {FORBIDDEN_FILES[parts[-1]]}; it must not ship"
    if EXPORTED_ANSWERS.match(parts[-1]):
        return "is a learner's exported answers; it must not ship"
    return ""


def notebook_problems(raw: str) -> str:
    """Why a notebook is not a learner notebook, or '' if it is one."""
    try:
        cells = _cells(raw)
    except Exception:  # nbformat raises several kinds for unreadable files
        return "is not a readable notebook, so it cannot be checked; remove it or rebuild it"
    for number, cell in enumerate(cells, start=1):
        if "solution" in cell.get("metadata", {}).get("tags", []):
            return f"cell {number} is tagged solution: this is a solution notebook"
        if any(marker in cell.source for marker in MARKERS):
            return f"cell {number} has solution markers: this is a solution notebook"
        if cell.cell_type == "code" and cell.get("outputs"):
            return f"cell {number} has outputs: a learner notebook ships without them (is this a solution?)"
    return ""


def key_problems(raw: str, mode: str | None) -> str:
    """Why a JSON file with exercises gives answers away, or '' if it does not."""
    try:
        data = json.loads(raw)
    except ValueError:
        return ""
    exercises = data.get("exercises") if isinstance(data, dict) else None
    if not isinstance(exercises, dict):
        return ""
    clear = {qid: sorted(set(ex) - SHIPPED_KEY_FIELDS) for qid, ex in exercises.items() if isinstance(ex, dict)}
    clear = {qid: fields for qid, fields in clear.items() if fields}
    if clear:
        qid, fields = next(iter(clear.items()))
        return (f"holds answers in clear ({', '.join(fields)} of {qid}"
                f"{f' and {len(clear) - 1} more exercises' if len(clear) > 1 else ''}): a readable key")
    sealed = [qid for qid, ex in exercises.items() if isinstance(ex, dict) and "sealed" in ex and not ex.get("practice")]
    if mode == "graded" and sealed:
        return f"holds sealed answers ({len(sealed)} exercises) in a graded release, which must ship none"
    return ""


def secret_texts_in(text: str, secrets: Secrets) -> list[str]:
    """The exercises whose secret texts appear in `text`."""
    folded = squash(text)
    return sorted({qid for secret, qid in secrets.texts.items() if secret in folded})


def answers_in_code(text: str, secrets: Secrets) -> list[str]:
    """The exercises whose id appears within a few lines of its whole answer, as in `check("q99_1", 42)`."""
    lines = text.splitlines()
    found = set()
    for qid, patterns in secrets.answers.items():
        if not patterns or qid not in text:
            continue
        quoted = re.compile(r"""["']""" + re.escape(qid) + r"""["']""")
        for number, line in enumerate(lines):
            if quoted.search(line):
                window = "\n".join(lines[number:number + 4])
                spelled = all(re.search(p, window, re.IGNORECASE) for p in patterns)
                if spelled and not any(re.search(p, window) for p in secrets.alternatives.get(qid, [])):
                    found.add(qid)
                    break
    return sorted(found)


def references(text: str) -> list[str]:
    """The files a Markdown text points at: link targets, and file paths written as `code`.

    >>> references("See [the data](../datasets/README.md), `datasets/seed.txt`, `len(x)` and https://x.org")
    ['../datasets/README.md', 'datasets/seed.txt']
    """
    found = []
    for target in _LINK.findall(text) + _HTML_REF.findall(text):
        if not re.match(r"^[a-z][a-z0-9+.-]*:|^#|^//", target, re.IGNORECASE):
            found.append(unquote(target.split("#")[0].split("?")[0]))
    for token in _CODE.findall(text):
        if "/" in token or Path(token).suffix in FILE_SUFFIXES:
            found.append(token)
    return [f for f in dict.fromkeys(found) if f]


def missing_references(text: str, doc: Path, folder: Path, names: set[str]) -> list[str]:
    """The references in one learner doc that resolve to nothing in `folder`."""
    missing = []
    for ref in references(text):
        bare = ref.rstrip("/")
        if RUNTIME.match(bare) or (doc.parent / bare).exists() or (folder / bare).exists():
            continue
        if "/" not in bare and bare in names:
            continue  # a file named without its folder, as in a table of the files in datasets/
        missing.append(ref)
    return missing


def learner_doc_text(path: Path, raw: str) -> str:
    """The text of a learner doc: a Markdown file, or every cell of a notebook."""
    if path.suffix == ".ipynb":
        return "\n".join(cell.source for cell in _cells(raw))
    return raw


# ---------------------------------------------------------------- the scan

def whole_file_problem(path: Path, raw: str, mode: str | None) -> str:
    """Why a whole file is a leak, reported once: a solution notebook, or a key with answers."""
    if path.suffix == ".ipynb":
        return notebook_problems(raw)
    if path.suffix == ".json":
        return key_problems(raw, mode)
    return ""


def code_pieces(path: Path, raw: str) -> list[str]:
    """The pieces of a file searched for an exercise id beside its answer: each cell of a notebook, or
    the whole file. A key file has none: its options list every offered value, the answer among them."""
    if path.suffix == ".json" and '"exercises"' in raw:
        return []
    if path.suffix == ".ipynb":
        return [cell.source for cell in _cells(raw)]
    return [raw]


def prose_of(path: Path, raw: str) -> str:
    """The prose of a file that rule 7 reads; '' for data (tables, code) and unreadable files."""
    if path.suffix == ".ipynb":
        try:
            return results.notebook_prose(_cells(raw))
        except Exception:  # reported once by rule 2
            return ""
    if path.suffix in (".html", ".htm"):
        return results.page_prose(raw)
    if path.suffix == ".json":
        try:
            return results.key_prose(json.loads(raw))
        except ValueError:
            return ""
    return raw if path.suffix == ".md" else ""


def result_leaks(rel: str, prose: str, lesson: str | None, secrets: Secrets) -> list[Leak]:
    """Rule 7 for one file's prose: each exercise whose result it states, with the words that state it."""
    return [Leak(rel, f"states the result of {qid} in its prose ({results.explain(prose, secrets.keys[qid])!r})")
            for qid in results.stated_results(prose, secrets.keys, lesson)]


def doc_leaks(rel: str, text: str, path: Path, folder: Path, names: set[str]) -> list[Leak]:
    """Rule 6 for one learner doc: no solution-side file named, no link to a file the folder lacks."""
    leaks = [Leak(rel, f"mentions {mention}, which a learner release does not have")
             for mention in dict.fromkeys(MENTIONS.findall(text))]
    leaks += [Leak(rel, f"points at {ref}, which is not in this folder")
              for ref in missing_references(text, path, folder, names) if not MENTIONS.search(ref)]
    return leaks


def scan_file(path: Path, folder: Path, secrets: Secrets, mode: str | None, names: set[str]) -> list[Leak]:
    """Every leak in one file of the scanned folder."""
    rel = path.relative_to(folder).as_posix()
    why = forbidden(rel)
    raw = "" if why else _read(path)
    if raw is None:
        return []   # a binary file (an image, a zip): nothing to read
    why = why or whole_file_problem(path, raw, mode)
    if why:
        return [Leak(rel, why)]
    leaks = [Leak(rel, f"contains text from the answer key of {qid} (a model answer, rubric or feedback)")
             for qid in secret_texts_in(readable_text(path, raw), secrets)]
    named = {qid for piece in code_pieces(path, raw) for qid in answers_in_code(piece, secrets)}
    leaks += [Leak(rel, f"names {qid} together with its answer") for qid in sorted(named)]
    leaks += result_leaks(rel, prose_of(path, raw), results.file_lesson(path.name), secrets)
    if path.suffix in (".md", ".ipynb"):
        leaks += doc_leaks(rel, learner_doc_text(path, raw), path, folder, names)
    return leaks


def scan(folder: Path, keys_folder: Path, mode: str | None = None) -> list[Leak]:
    """Every leak in `folder`, judged against the readable keys in `keys_folder`; empty when clean."""
    secrets = Secrets.from_keys(load_readable_keys(keys_folder))
    everything = sorted(folder.rglob("*"))
    files = [p for p in everything if p.is_file()]
    names = {p.name for p in everything}
    return [leak for path in files for leak in scan_file(path, folder, secrets, mode, names)]
