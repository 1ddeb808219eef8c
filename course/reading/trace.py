"""Trace each quotation in an article back to the closest passage of a source text.

`trace_quotes(article, source)` takes two plain strings. For every stretch of the article
inside quotation marks it finds the passage of the source that matches it best, word by
word, and says how the quotation differs from it:

- exact:      the same words (for a quotation of four words or more, the source's sentence
              also ends where the quotation ends);
- truncation: the same words, but the source's sentence goes on: the quotation stops short;
- word swap:  some of the source's words were replaced by others;
- addition:   the quotation has words the source does not;
- omission:   the quotation leaves out words from the middle of the passage;
- not found:  nothing in the source is close enough (score below `min_score`).

The score is difflib's similarity of the two word sequences, from 0 (nothing shared) to 1
(identical). Case, punctuation and the kind of quotation mark are ignored.

>>> t = trace_quotes('He said China "supports talks with Kyiv".', "China supports talks with Kyiv and Moscow.")
>>> t[["quote", "kind", "score"]].values.tolist()
[['supports talks with Kyiv', 'truncation', 1.0]]
"""

from __future__ import annotations

import difflib

import pandas as pd

from course.reading.text import COMMON_WORDS, WORD_PATTERN, find_quotes, paragraph_spans, sentence_spans

COLUMNS = ["quote_id", "start", "end", "quote", "words", "passage", "passage_start", "passage_end", "score",
           "kind", "differences"]
_FOLD = str.maketrans({"\u2019": "'", "\u2018": "'"})


def _words(text: str) -> list[tuple[str, int, int]]:
    """The words of a text, folded for matching, with their character offsets."""
    return [(m.group().translate(_FOLD).casefold(), m.start(), m.end()) for m in WORD_PATTERN.finditer(text)]


def _as_text(value: object, role: str) -> tuple[str | None, str]:
    """Accept a string, a list of strings (separate passages), a Readout or a table with a `text`
    column; otherwise explain what to pass."""
    if isinstance(value, str):
        return value, ""
    if hasattr(value, "text") and isinstance(getattr(value, "text"), str):
        return value.text, ""
    if isinstance(value, pd.DataFrame) and "text" in value.columns:
        value = value["text"]
    if isinstance(value, (list, tuple, pd.Series)) and all(isinstance(v, str) for v in value):
        return "\n\n".join(value), ""
    return None, (f"trace_quotes needs the {role} as text (a string, or a list of strings), but got "
                  f"{type(value).__name__}. Pass the text itself, for example load_seed() or "
                  "load_readout('cn_mfa_en').text.")


def _sentence_spans(text: str) -> list[tuple[int, int]]:
    """Every sentence's (start, end), paragraph by paragraph."""
    return [span for p_start, p_end in paragraph_spans(text) for span in sentence_spans(text, p_start, p_end)]


def _unit_of(words: list[tuple[str, int, int]], spans: list[tuple[int, int]]) -> list[int]:
    """For each word, the number of the span (paragraph or sentence) it sits in."""
    numbers, current = [], 0
    for _, start, _ in words:
        while current + 1 < len(spans) and start >= spans[current + 1][0]:
            current += 1
        numbers.append(current)
    return numbers


def _best_window(quote: list[str], source: list[str], paragraph: list[int]) -> tuple[int, int, float]:
    """(start, length, score) of the source window whose words best match the quote's.

    A window never crosses from one paragraph (or passage) of the source into the next.
    """
    n = len(quote)
    starts = {max(0, i - j) for i, word in enumerate(source) for j, q in enumerate(quote) if q == word}
    best, best_key = (0, 0, 0.0), (0, 0.0)
    matcher = difflib.SequenceMatcher(None, autojunk=False)
    matcher.set_seq1(quote)
    for start in sorted(starts):
        for length in range(max(1, n - n // 2), 2 * n + 3):  # the passage may hold up to twice the words
            window = source[start:start + length]
            if not window or paragraph[start] != paragraph[start + len(window) - 1]:
                continue
            matcher.set_seq2(window)
            # First the window that finds most of the quote's content words, then the closest one.
            found = sum(1 for block in matcher.get_matching_blocks()
                        for word in quote[block.a:block.a + block.size] if word not in COMMON_WORDS)
            if found < best_key[0]:
                continue
            key = (found, matcher.ratio())
            if key > best_key:
                best, best_key = (start, len(window), key[1]), key
    return best


def _align(quote: list[str], start: int, length: int, source: list[str], sentence: list[int]) -> tuple[int, int]:
    """Fit the passage to the quote: from its first to its last matching word, widened by up to
    three source words where the quote has unmatched words at an edge, so that a word changed at
    an edge reads as a swap, not as an addition. Widening stays in the same sentence and stops at
    a small function word ('to', 'the'). Returns (start, end), end excluded."""
    window = source[start:start + length]
    blocks = [b for b in difflib.SequenceMatcher(None, quote, window, autojunk=False).get_matching_blocks() if b.size]
    if not blocks:
        return start, start
    first, last = start + blocks[0].b, start + blocks[-1].b + blocks[-1].size
    lead = min(3, blocks[0].a)
    trail = min(3, len(quote) - (blocks[-1].a + blocks[-1].size))

    def widens_to(i: int, edge: int) -> bool:
        return 0 <= i < len(source) and sentence[i] == sentence[edge] and source[i] not in COMMON_WORDS
    while lead and widens_to(first - 1, first):
        first, lead = first - 1, lead - 1
    while trail and widens_to(last, last - 1):
        last, trail = last + 1, trail - 1
    return first, last


def _differences(quote: list[str], passage: list[str]) -> tuple[list[str], set[str]]:
    """Readable differences between the quote's words and the passage's, and the kinds of change."""
    notes, kinds = [], set()
    for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(None, quote, passage, autojunk=False).get_opcodes():
        said, source = " ".join(quote[i1:i2]), " ".join(passage[j1:j2])
        if tag == "replace":
            notes.append(f"'{said}' for '{source}'")
            kinds.add("word swap")
        elif tag == "insert":
            notes.append(f"left out '{source}'")
            kinds.add("omission")
        elif tag == "delete":
            notes.append(f"added '{said}'")
            kinds.add("addition")
    return notes, kinds


def _sentence_rest(source: str, end_offset: int) -> list[str]:
    """The source's words after `end_offset` up to the end of that sentence."""
    for start, end in _sentence_spans(source):
        if start <= end_offset <= end:
            return [w for w, _, _ in _words(source[end_offset:end])]
    return []


def _trace_one(quote: str, source: str, source_words: list[tuple[str, int, int]], units: dict[str, list[int]],
               min_score: float) -> dict:
    words = [w for w, _, _ in _words(quote)]
    plain = [w for w, _, _ in source_words]
    start, length, score = _best_window(words, plain, units["paragraph"])
    start, end = _align(words, start, length, plain, units["sentence"])
    length = end - start
    if score < min_score or length <= 0:
        return {"passage": "", "passage_start": -1, "passage_end": -1, "score": round(score, 2),
                "kind": "not found", "differences": "no passage of the source is close enough"}
    first, last = source_words[start], source_words[start + length - 1]
    passage_words = plain[start:start + length]
    notes, kinds = _differences(words, passage_words)
    rest = _sentence_rest(source, last[2])
    cut_short = len(words) >= 4 and len(rest) >= 2
    if kinds:
        kind = next(k for k in ("word swap", "addition", "omission") if k in kinds)
    else:
        kind = "truncation" if cut_short else "exact"
    if cut_short:
        shown = " ".join(rest[:6]) + (" …" if len(rest) > 6 else "")
        notes.append(f"stops before '{shown}'")
    return {"passage": source[first[1]:last[2]], "passage_start": first[1], "passage_end": last[2],
            "score": round(difflib.SequenceMatcher(None, words, passage_words, autojunk=False).ratio(), 2),
            "kind": kind, "differences": "; ".join(notes) if notes else "none"}


def trace_quotes(article: str, source: str | list[str], min_score: float = 0.5) -> pd.DataFrame:
    """For each quotation in `article`, the closest passage in `source`, a score and the differences.

    `source` is a text, or a list of separate passages (such as short cited renderings): a
    match never runs from one paragraph or passage of the source into the next.

    Returns a table with one row per quotation: quote_id (Q1, Q2, ...), start and end (the
    quotation's offsets in the article), quote, words, passage (the closest stretch of the
    source, as written there), passage_start and passage_end, score (0 to 1), kind (see the
    module's description) and differences, in words. An article with no quotation marks, or
    texts in which no words match, give a table with no rows, or rows marked 'not found'.
    """
    article_text, problem = _as_text(article, "article")
    source_text, problem2 = _as_text(source, "source")
    if problem or problem2:
        print(problem or problem2)
        return pd.DataFrame(columns=COLUMNS)
    source_words = _words(source_text)
    units = {"paragraph": _unit_of(source_words, paragraph_spans(source_text)),
             "sentence": _unit_of(source_words, _sentence_spans(source_text))}
    rows = []
    for number, quote in enumerate(find_quotes(article_text).itertuples(index=False), start=1):
        row = {"quote_id": f"Q{number}", "start": quote.start, "end": quote.end, "quote": quote.quote,
               "words": quote.words}
        if not _words(quote.quote) or not source_words:
            row.update(passage="", passage_start=-1, passage_end=-1, score=0.0, kind="not found",
                       differences="no words to compare")
        else:
            row.update(_trace_one(quote.quote, source_text, source_words, units, min_score))
        rows.append(row)
    return pd.DataFrame(rows, columns=COLUMNS)
