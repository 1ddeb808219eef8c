"""A first, mechanical reading of attribution: which sentences report someone, and how.

`attribution_table(text)` gives each sentence its reporting cues (from the lexicon
`reporting_cues.csv`, news usage), how many of its words sit inside quotation marks, and
a *mode*, after the quote types of attribution research (direct, indirect, mixed):

- narration: no reporting cue; the writer's own voice (quoted words there are mentions or labels);
- indirect:  a reporting cue and no quoted words (a paraphrase);
- mixed:     a reporting cue and some quoted words woven into the writer's own sentence
             (a paraphrase with quoted fragments: 'said the talks were "useful"');
- direct:    a reporting cue and a quotation that stands as a sentence of its own (it opens
             with a capital letter) and holds at least `direct_share` of the sentence's words.

It is a clue, not a verdict, like every lexicon scan: a cue can sit in a sentence that reports
nothing ("its stated policy"), and a sentence can report with no cue at all.

>>> t = attribution_table('The talks failed. Xi said he backed "dialogue between all sides". Putin agreed, his aide said.')
>>> t[["sentence_id", "cues", "quoted_words", "mode"]].values.tolist()
[['S1', '', 0, 'narration'], ['S2', 'said', 4, 'mixed'], ['S3', 'said', 0, 'indirect']]
"""

from __future__ import annotations

import pandas as pd

from course.reading.data import load_reporting_cues
from course.reading.text import find_quotes, find_terms, locate, sentence_table

MODES = ["narration", "indirect", "mixed", "direct"]


def _mode(cues: str, quoted: int, words: int, opens_sentence: bool, direct_share: float) -> str:
    if not cues:
        return "narration"
    if quoted == 0:
        return "indirect"
    return "direct" if opens_sentence and words and quoted / words >= direct_share else "mixed"


def attribution_table(text: str, sentences: pd.DataFrame | None = None, cues: list[str] | None = None,
                      direct_share: float = 0.5) -> pd.DataFrame:
    """One row per sentence: sentence_id, words, cues found (joined by ', '), quoted_words and mode.

    `sentences` is the text's sentence table (made with `sentence_table` if not given);
    `cues` defaults to the news cues of `reporting_cues.csv`.
    """
    text = text if isinstance(text, str) else ""
    table = sentence_table(text) if sentences is None else sentences
    if cues is None:
        lexicon = load_reporting_cues()
        cues = lexicon.loc[lexicon["genre"] == "news", "cue"].tolist()
    found = locate(find_terms(text, cues), table)
    quoted = locate(find_quotes(text), table)
    rows = []
    for row in table.itertuples(index=False):
        sentence_cues = found.loc[found["sentence_id"] == row.sentence_id, "found"].tolist()
        its_quotes = quoted.loc[quoted["sentence_id"] == row.sentence_id]
        quoted_words = int(its_quotes["words"].sum())
        opens_sentence = any(q.lstrip()[:1].isupper() for q in its_quotes["quote"])
        rows.append({"sentence_id": row.sentence_id, "words": int(row.words), "cues": ", ".join(sentence_cues),
                     "quoted_words": quoted_words,
                     "mode": _mode(", ".join(sentence_cues), quoted_words, int(row.words), opens_sentence,
                                   direct_share)})
    return pd.DataFrame(rows, columns=["sentence_id", "words", "cues", "quoted_words", "mode"])
