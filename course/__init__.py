"""Reading Diplomatic Readouts: the course toolkit.

Everything a lesson needs, importable in one line::

    from course import *

- data:    load_seed, load_sentences, load_reporting_cues, load_war_names,
           load_loaded_terms, load_glossary, load_sources, load_frame_dimensions
- text:    sentence_table, find_quotes, find_terms, locate, repeated_sentences, count_words
- display: show_text, spans_for_terms, spans_for_sentences
- figures: PALETTE, HATCHES, MARKERS, use_course_style, show_figure, chain_figure, grid_figure,
           grid_description
- checks:  check, progress, export_answers
"""

from course.checks import check, export_answers, progress
from course.data import (DataFileError, load_frame_dimensions, load_glossary, load_loaded_terms,
                         load_reporting_cues, load_seed, load_sentences, load_sources, load_war_names)
from course.display import show_text, spans_for_sentences, spans_for_terms
from course.figures import (HATCHES, MARKERS, PALETTE, PALETTE_LIST, chain_figure, grid_description,
                            grid_figure,
                            show_figure, use_course_style)
from course.text import (count_words, find_quotes, find_terms, locate, repeated_sentences,
                         sentence_table)

# Every exercise's answer cell sets `answer`; until one runs, it is the placeholder `...`,
# so a check cell never fails with "name 'answer' is not defined".
answer = ...

__all__ = [
    "answer", "check", "export_answers", "progress",
    "DataFileError", "load_frame_dimensions", "load_glossary", "load_loaded_terms", "load_reporting_cues", "load_seed",
    "load_sentences", "load_sources", "load_war_names",
    "show_text", "spans_for_sentences", "spans_for_terms",
    "HATCHES", "MARKERS", "PALETTE", "PALETTE_LIST", "chain_figure", "grid_description", "grid_figure", "show_figure", "use_course_style",
    "count_words", "find_quotes", "find_terms", "locate", "repeated_sentences", "sentence_table",
]
