"""Reading Diplomatic Readouts: the course toolkit.

Everything a lesson needs, importable in one line::

    from course import *

The package has four layers, each a folder (MAINTAINING.md draws them):

- `course.reading`:   the reading toolkit, for any text (what a learner uses);
- `course.exercises`: the exercise machinery (`check`, feedback, progress);
- `course.authoring`: build, execute, release, leak scan, HTML (authors and instructors);
- `course.grading`:   the autograder (instructors).

A layer imports only the layers above it in this list; a learner release ships the first two.

What `from course import *` gives a lesson:

- data:    load_seed, load_sentences, load_reporting_cues, load_war_names, load_diplomatic_formulae,
           load_loaded_terms, load_glossary, load_sources, load_frame_dimensions
- readouts: load_readout, readout_table, readout_names, load_renderings, load_chinese_terms,
           label_topics
- text:    sentence_table, find_quotes, find_terms, lexicon_hits, locate, repeated_sentences, count_words
- tracing and comparing: trace_quotes, compare_readouts, side_by_side, attribution_table
- display: show_text, spans_for_terms, spans_for_sentences
- figures: PALETTE, HATCHES, MARKERS, use_course_style, show_figure, chain_figure, grid_figure,
           grid_description, readouts_figure, readouts_description
- checks:  check, rate, one_reading, after_trying, progress, export_answers, checked_answer, standard_value
"""

# In a notebook inside a learner release, the release's own toolkit is the one to use (its keys set the mode):
# when this copy is another one (installed in a hub's image, say), the release's copy takes its place, and
# nothing below runs for this copy (course/exercises/pulled.py).
import os as _os
from pathlib import Path as _Path

from course.exercises.pulled import hand_over as _hand_over, own_copy_note as _own_copy_note

_HANDED_OVER = _hand_over(_Path(__file__).resolve().parent) is not None

# Where each name comes from. They are imported when first used (PEP 562), so `python -m course ...`
# starts quickly; `from course import *`, as every lesson does, imports them all.
_WHERE = {
    "course.exercises.checks": ["after_trying", "check", "checked_answer", "export_answers", "one_reading",
                                "progress", "rate", "standard_value"],
    "course.reading.data": ["DataFileError", "load_diplomatic_formulae", "load_frame_dimensions", "load_glossary",
                            "load_loaded_terms", "load_reporting_cues", "load_seed", "load_sentences", "load_sources",
                            "load_war_names"],
    "course.reading.display": ["show_text", "spans_for_sentences", "spans_for_terms"],
    "course.reading.figures": ["HATCHES", "MARKERS", "PALETTE", "PALETTE_LIST", "chain_figure", "grid_description",
                               "grid_figure", "readouts_description", "readouts_figure", "show_figure",
                               "use_course_style"],
    "course.reading.readouts": ["label_topics", "load_chinese_terms", "load_readout", "load_renderings",
                                "readout_names", "readout_table"],
    "course.reading.trace": ["trace_quotes"],
    "course.reading.compare": ["compare_readouts", "side_by_side"],
    "course.reading.attribution": ["attribution_table"],
    "course.reading.text": ["count_words", "find_quotes", "find_terms", "lexicon_hits", "locate",
                            "repeated_sentences", "sentence_table"],
}
_MODULE_OF = {name: module for module, names in _WHERE.items() for name in names}

__all__ = list(_MODULE_OF)


def _answer_placeholder() -> None:
    """Give the notebook an `answer` of `...` if it has none yet, so a check cell run before any answer cell says
    Not attempted instead of failing on "name 'answer' is not defined". Only if it has none: running the lesson's
    first cell again never erases an answer the learner has typed."""
    try:
        from IPython import get_ipython

        shell = get_ipython()
    except ImportError:
        return
    if shell is not None:
        shell.user_ns.setdefault("answer", ...)


def _point_at_own_copy() -> None:
    """In a lesson opened from a release's notebooks/ folder, make my-work/ and show a link to the learner's copy."""
    note = _own_copy_note(_os.environ.get("JPY_SESSION_NAME"), _Path.cwd())
    if note:
        from IPython.display import Markdown, display

        display(Markdown(note))


if not _HANDED_OVER:
    _answer_placeholder()
    try:
        _point_at_own_copy()
    except Exception:  # a note that cannot be shown must never stop the lesson's first cell
        pass


def __getattr__(name: str) -> object:
    """Import a toolkit name the first time it is used."""
    module = _MODULE_OF.get(name)
    if module is None:
        raise AttributeError(f"module 'course' has no attribute {name!r}")
    import importlib

    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))
