"""Show a text in the notebook with highlighted spans, sentence ids and a legend.

Colour is never the only signal: each label also has its own underline style and a
short tag after every highlighted span, so the page reads in greyscale too.

>>> html = highlight_html("Beijing and Moscow.", [(0, 7, "place name")])
>>> "place name" in html and "<mark" in html
True
"""

from __future__ import annotations

import html as _html
from typing import Iterable

import pandas as pd
from IPython.display import HTML

from course.reading.figures import PALETTE_LIST

UNDERLINES = ["solid", "dashed", "dotted", "double", "solid", "dashed", "dotted", "double"]


def _rgba(hex_colour: str, alpha: float) -> str:
    red, green, blue = (int(hex_colour[i:i + 2], 16) for i in (1, 3, 5))
    return f"rgba({red}, {green}, {blue}, {alpha})"


def _style(index: int) -> str:
    colour = PALETTE_LIST[index % len(PALETTE_LIST)]
    line = UNDERLINES[index % len(UNDERLINES)]
    return (f"background:{_rgba(colour, 0.30)};border-bottom:3px {line} {colour};"
            "padding:0 1px;color:inherit")


def _as_span_list(spans) -> list[tuple[int, int, str]]:
    """Accept a list of (start, end, label) or a DataFrame with start, end, label columns."""
    if isinstance(spans, pd.DataFrame):
        return [(int(s), int(e), str(lab)) for s, e, lab in spans[["start", "end", "label"]].itertuples(index=False)]
    return [(int(s), int(e), str(lab)) for s, e, lab in (spans or [])]


def highlight_html(text: str, spans=None, sentences: pd.DataFrame | None = None,
                   labels: Iterable[str] | None = None) -> str:
    """Return HTML for `text` with each (start, end, label) span highlighted.

    `sentences` (a table with sentence_id, paragraph_id, start, end) adds S- and P-labels.
    `labels` fixes the legend order; by default labels appear in order of first use.
    Where spans overlap, the label listed first in the legend wins the colour.
    """
    span_list = _as_span_list(spans)
    order = list(dict.fromkeys(list(labels or []) + [lab for _, _, lab in sorted(span_list)]))
    rank = {lab: i for i, lab in enumerate(order)}
    # For each character, the best-ranked label covering it (or None).
    cover: list[str | None] = [None] * len(text)
    for start, end, label in span_list:
        for i in range(max(start, 0), min(end, len(text))):
            if cover[i] is None or rank[label] < rank[cover[i]]:
                cover[i] = label
    sentence_starts, paragraph_starts = {}, {}
    if sentences is not None:
        for row in sentences.itertuples(index=False):
            sentence_starts[int(row.start)] = row.sentence_id
            paragraph_starts.setdefault(row.paragraph_id, int(row.start))
    paragraph_at = {start: pid for pid, start in paragraph_starts.items()}

    parts: list[str] = []
    i = 0
    while i < len(text):
        if i in paragraph_at:
            parts.append(f'<b style="color:#555;font-size:80%">[{paragraph_at[i]}]</b> ')
        if i in sentence_starts:
            parts.append(f'<sup style="color:#555;font-weight:bold">{sentence_starts[i]}</sup>')
        j = i + 1
        while (j < len(text) and cover[j] == cover[i] and j not in sentence_starts
               and j not in paragraph_at):
            j += 1
        chunk = _html.escape(text[i:j]).replace("\n\n", "</p><p>").replace("\n", "<br>")
        label = cover[i]
        if label is None:
            parts.append(chunk)
        else:
            tag = _html.escape(label)
            parts.append(f'<mark style="{_style(rank[label])}" title="{tag}">{chunk}</mark>'
                         f'<sub style="font-size:70%;color:#333">[{tag}]</sub>')
        i = j
    legend = "".join(
        f'<span style="margin-right:1em"><mark style="{_style(rank[lab])}">&nbsp;&nbsp;&nbsp;</mark> '
        f'{_html.escape(lab)}</span>' for lab in order)
    body = ("<p>" + "".join(parts) + "</p>").replace("<p></p>", "")
    legend_block = f'<div style="margin-bottom:0.5em"><b>Legend:</b> {legend}</div>' if order else ""
    return f'<div style="line-height:1.9;max-width:52em">{legend_block}{body}</div>'


def show_text(text: str, spans=None, sentences: pd.DataFrame | None = None,
              labels: Iterable[str] | None = None) -> HTML:
    """Display `text` in the notebook with highlighted spans (see `highlight_html`).

    Example, in a notebook cell::

        show_text(seed, [(0, 26, "journalist's framing")], sentences=load_sentences())
    """
    return HTML(highlight_html(text, spans, sentences, labels))


def spans_for_terms(text: str, terms_by_label: dict[str, list[str]]) -> list[tuple[int, int, str]]:
    """Find every term in the text and return (start, end, label) spans ready for `show_text`.

    >>> spans_for_terms("The crisis worsened.", {"vague name": ["crisis"]})
    [(4, 10, 'vague name')]
    """
    from course.reading.text import find_terms

    spans = []
    for label, terms in terms_by_label.items():
        found = find_terms(text, list(terms))
        spans += [(int(s), int(e), label) for s, e in found[["start", "end"]].itertuples(index=False)]
    return sorted(spans)


def spans_for_sentences(sentences: pd.DataFrame, ids, label: str = "selected") -> list[tuple[int, int, str]]:
    """Turn sentence ids into spans covering those whole sentences, ready for `show_text`.

    `ids` is either a list of ids (all get `label`) or a dict {sentence_id: label}.
    Anything else (such as an unanswered `...`) and unknown ids give no spans, so a
    cell that shows a learner's answer never fails.

    >>> from course.reading.text import sentence_table
    >>> table = sentence_table("A b. C d.")
    >>> spans_for_sentences(table, {"S2": "second"})
    [(5, 9, 'second')]
    >>> spans_for_sentences(table, ["s1", "S9"], label="mine")
    [(0, 4, 'mine')]
    >>> spans_for_sentences(table, "S1, S2", label="mine")
    [(0, 4, 'mine'), (5, 9, 'mine')]
    >>> spans_for_sentences(table, ...)
    []
    """
    if isinstance(ids, str):
        ids = ids.split(",")
    if isinstance(ids, dict):
        pairs = list(ids.items())
    elif isinstance(ids, (list, tuple, set)):
        pairs = [(sid, label) for sid in ids]
    else:
        return []
    rows = sentences.assign(key=sentences["sentence_id"].str.upper()).set_index("key")
    spans = []
    for sid, lab in pairs:
        key = str(sid).strip().upper()
        if key in rows.index:
            spans.append((int(rows.at[key, "start"]), int(rows.at[key, "end"]), str(lab)))
    return sorted(spans)
