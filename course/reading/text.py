"""Turn any plain text into tables a reader can work with.

These functions know nothing about the seed: they work on any English news text,
so learners can point them at a readout they have never seen.

>>> table = sentence_table("Xi spoke. Putin listened.\\n\\nThey agreed.")
>>> list(table["sentence_id"])
['S1', 'S2', 'S3']
>>> list(table["paragraph_id"])
['P1', 'P1', 'P2']
"""

from __future__ import annotations

import re

import pandas as pd

# Words that end with a full stop but do not end a sentence.
ABBREVIATIONS = {"mr", "mrs", "ms", "dr", "st", "gen", "col", "lt", "sgt", "prof",
                 "u.s", "u.k", "u.n", "e.g", "i.e", "etc", "vs", "jan", "feb",
                 "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec"}

# A sentence ends at . ! or ? (optionally followed by closing quotes or brackets),
# when what follows is white space and then a capital letter, a digit or an opening quote;
# or at a Chinese or Japanese full stop, exclamation or question mark, whatever follows.
_OPENERS = "\"'\u201c\u2018\u00ab\u201e\u300c\u300e(\\["
_SENTENCE_END = re.compile(r"""[.!?]["'\u201d\u2019\u00bb)\]]*(?=\s+[""" + _OPENERS + r"""]?[A-Z0-9\u0400-\u042f])"""
                           r"""|[\u3002\uff01\uff1f][\u201d\u2019\u300d\u300f\uff09)]*""")
# A word: a run of letters or digits in any alphabet ("Russia's", "long-neglected" and "Путин"
# stay whole), or one Chinese or Japanese character, which is counted as one word.
_CJK = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
WORD_PATTERN = re.compile(r"[" + _CJK + r"]|(?:(?![" + _CJK + r"])[^\W_])+(?:['\u2019.-](?:(?![" + _CJK + r"])[^\W_])+)*")
# Frequent English words ("function words"); ordinary prose has many of them, filler and other languages few.
COMMON_WORDS = frozenset("""
a about above after again against all also an and any are as at be because been before being below
between both but by can could did do does doing down during each even few for from further had has have
having he her here hers him his how i if in into is it its itself just least less like may me might more
most much must my no nor not now of off on once one only or other our out over own rather same she should
so some such than that the their them then there these they this those though through to too under until
up upon very was we were what when where whether which while who whom whose why will with within without
would yet you your
""".split())
# Quotation marks in pairs: straight, curly, low-high („…“), guillemets («…», »…«) and corner brackets (「…」, 『…』).
QUOTE_PAIRS = {'"': '"', "\u201c": "\u201d", "\u201e": "\u201c", "\u00ab": "\u00bb", "\u00bb": "\u00ab",
               "\u300c": "\u300d", "\u300e": "\u300f"}
_QUOTE = re.compile("|".join(f"{re.escape(o)}([^{re.escape(o + c)}]+){re.escape(c)}" for o, c in QUOTE_PAIRS.items()))


def paragraph_spans(text: str) -> list[tuple[int, int]]:
    """Return (start, end) character offsets of each paragraph.

    Paragraphs are separated by one or more blank lines.

    >>> paragraph_spans("One.\\n\\nTwo.")
    [(0, 4), (6, 10)]
    """
    spans = []
    for match in re.finditer(r"\S(?:.*?\S)??(?=\s*\n\s*\n|\s*\Z)", text, flags=re.S):
        spans.append((match.start(), match.end()))
    return spans


def _ends_with_abbreviation(text: str, stop: int) -> bool:
    """True when the full stop at `stop` closes an abbreviation such as 'Mr.'."""
    before = re.search(r"([A-Za-z.]+)\.$", text[: stop + 1])
    if not before:
        return False
    word = before.group(1).lower()
    if word == "no":  # "No. 5" abbreviates "number"; "said no." ends a sentence
        return bool(re.match(r"\s*\d", text[stop + 1:]))
    return word in ABBREVIATIONS


def sentence_spans(text: str, start: int = 0, end: int | None = None) -> list[tuple[int, int]]:
    """Return (start, end) offsets of each sentence in text[start:end].

    An ellipsis followed by a lower-case word or a bracket does not end a sentence.

    >>> sentence_spans('He said "no... (and) never." Then he left.')
    [(0, 28), (29, 42)]
    """
    end = len(text) if end is None else end
    spans, begin = [], start
    for match in _SENTENCE_END.finditer(text, start, end):
        if text[match.start()] == "." and _ends_with_abbreviation(text, match.start()):
            continue
        spans.append((begin, match.end()))
        begin = match.end()
        while begin < end and text[begin].isspace():
            begin += 1
    if begin < end and text[begin:end].strip():
        spans.append((begin, end))
    return spans


def count_words(text: str) -> int:
    """Count words: runs of letters and digits, keeping "Russia's" and "long-neglected" whole.

    Works in any alphabet; each Chinese character counts as one word.

    >>> count_words("Russia's long-neglected concerns.")
    3
    >>> count_words("Путин и Си говорили."), count_words("中方支持")
    (4, 4)
    """
    return len(WORD_PATTERN.findall(text))


def sentence_table(text: str, prefix: str = "S") -> pd.DataFrame:
    """Split a text into a table with one row per sentence.

    Columns: sentence_id (S1, S2, ...; `prefix` sets the letter), paragraph_id (P1, P2, ...),
    start and end (character offsets, so ``text[start:end]`` is the sentence), words, text.
    Anything that is not text gives an empty table.

    >>> sentence_table("One. Two.")[["sentence_id", "start", "end", "text"]].values.tolist()
    [['S1', 0, 4, 'One.'], ['S2', 5, 9, 'Two.']]
    >>> sentence_table("中方支持谈判。俄方愿意。", prefix="Z")["sentence_id"].tolist()
    ['Z1', 'Z2']
    """
    rows = []
    if not isinstance(text, str):
        text = ""
    for p_number, (p_start, p_end) in enumerate(paragraph_spans(text), start=1):
        for s_start, s_end in sentence_spans(text, p_start, p_end):
            rows.append({
                "sentence_id": f"{prefix}{len(rows) + 1}",
                "paragraph_id": f"P{p_number}",
                "start": s_start,
                "end": s_end,
                "words": count_words(text[s_start:s_end]),
                "text": text[s_start:s_end],
            })
    return pd.DataFrame(rows, columns=["sentence_id", "paragraph_id", "start", "end", "words", "text"])


def find_quotes(text: str) -> pd.DataFrame:
    """List every stretch of text inside double quotation marks.

    Straight and curly marks, „low-high“ marks, «guillemets» and 「corner brackets」 all
    count; single quotation marks do not, since they double as apostrophes. Columns:
    start, end (offsets of the quoted words, without the marks), quote, words.

    >>> find_quotes('Beijing refused to call it an "invasion".')["quote"].tolist()
    ['invasion']
    >>> find_quotes("Il a parlé d'une «opération spéciale».")["quote"].tolist()
    ['opération spéciale']
    """
    if not isinstance(text, str):
        text = ""
    rows = []
    for m in _QUOTE.finditer(text):
        group = next(i for i in range(1, (m.lastindex or 1) + 1) if m.group(i) is not None)
        rows.append({"start": m.start(group), "end": m.end(group), "quote": m.group(group),
                     "words": count_words(m.group(group))})
    return pd.DataFrame(rows, columns=["start", "end", "quote", "words"])


def find_terms(text: str, terms: list[str]) -> pd.DataFrame:
    """Find each term in the text, ignoring case, as whole words.

    Longer terms win where two overlap ("special military operation" beats
    "military operation"). A hyphenated word counts as one word, so "stated" is not
    found in "long-stated". Columns: start, end, term (as listed), found (as written).

    >>> find_terms("The crisis and the Crisis.", ["crisis"])["found"].tolist()
    ['crisis', 'Crisis']
    >>> find_terms("a long-stated view, as stated", ["stated"])["start"].tolist()
    [23]
    """
    taken: list[tuple[int, int]] = []
    rows = []
    # Longest first; terms of equal length keep the order they were listed in.
    for term in sorted(dict.fromkeys(terms), key=len, reverse=True):
        # Letters, digits and hyphens join words: "stated" is not found inside "long-stated".
        pattern = (r"(?<![A-Za-z0-9])(?<![A-Za-z0-9]-)" + re.escape(term)
                   + r"(?![A-Za-z0-9])(?!-[A-Za-z0-9])")
        for m in re.finditer(pattern, text, flags=re.I):
            if any(m.start() < e and s < m.end() for s, e in taken):
                continue
            taken.append((m.start(), m.end()))
            rows.append({"start": m.start(), "end": m.end(), "term": term, "found": m.group()})
    table = pd.DataFrame(rows, columns=["start", "end", "term", "found"])
    return table.sort_values("start", ignore_index=True)


def locate(found: pd.DataFrame, sentences: pd.DataFrame) -> pd.DataFrame:
    """Add the sentence_id and paragraph_id in which each found item (a row with `start`) sits.

    Works on the output of find_terms or find_quotes, with the sentences of the same text.

    >>> text = "Talks failed. The crisis grew."
    >>> locate(find_terms(text, ["crisis"]), sentence_table(text))[["found", "sentence_id"]].values.tolist()
    [['crisis', 'S2']]
    """
    def where(position: int, column: str) -> str:
        inside = sentences[(sentences["start"] <= position) & (position < sentences["end"])]
        return inside[column].iloc[0] if len(inside) else ""

    located = found.copy()
    located["sentence_id"] = [where(p, "sentence_id") for p in located["start"]]
    located["paragraph_id"] = [where(p, "paragraph_id") for p in located["start"]]
    return located


def repeated_sentences(sentences: pd.DataFrame) -> pd.DataFrame:
    """Return the sentences whose text appears earlier in the table, word for word.

    Adds a column `first_seen` with the id of the earlier sentence.

    >>> t = sentence_table("Same. Other.\\n\\nSame.")
    >>> repeated_sentences(t)[["sentence_id", "first_seen"]].values.tolist()
    [['S3', 'S1']]
    """
    first = sentences.drop_duplicates("text").set_index("text")["sentence_id"]
    repeats = sentences[sentences.duplicated("text")].copy()
    repeats["first_seen"] = repeats["text"].map(first)
    return repeats


def lexicon_hits(text: str, lexicon: pd.DataFrame, column: str, sentences: pd.DataFrame | None = None) -> pd.DataFrame:
    """Find every entry of a lexicon in a text, with the lexicon's other columns beside each hit.

    `column` names the lexicon's column of terms (such as "name" in war_names.csv). With
    `sentences` (the text's sentence table), each hit also gets its sentence_id and paragraph_id.

    >>> names = pd.DataFrame({"name": ["crisis", "war"], "register": ["vague", "plain"]})
    >>> lexicon_hits("The crisis became a war.", names, "name")[["found", "register"]].values.tolist()
    [['crisis', 'vague'], ['war', 'plain']]
    """
    found = find_terms(text if isinstance(text, str) else "", lexicon[column].tolist())
    hits = found.merge(lexicon, left_on="term", right_on=column, how="left")
    if column != "term":
        hits = hits.drop(columns=column)
    if sentences is not None:
        hits = locate(hits, sentences)
    return hits.sort_values("start", ignore_index=True)
