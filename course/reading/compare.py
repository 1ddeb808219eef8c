"""Compare two readouts of the same call: what each includes, in what order, at what length, by whom.

`compare_readouts(a, b)` takes two readouts as sentence tables with a `topic` column (and,
if known, a `speaker` column), such as `readout_table("cn_mfa_en")`, or as plain strings,
which it splits into sentences and labels with the keyword lexicon (`label_topics`).

>>> a = "Xi thanked Putin for coming to the Olympics. Both oppose sanctions."
>>> b = "Putin congratulated China on the Olympics. The call was friendly and constructive."
>>> comparison = compare_readouts(a, b, names=("China", "Russia"))
>>> comparison.only_in("Russia")
['atmosphere of the call']
"""

from __future__ import annotations

import html as _html
from dataclasses import dataclass

import pandas as pd
from IPython.display import HTML

from course.reading.figures import PALETTE_LIST
from course.reading.readouts import label_topics
from course.reading.text import sentence_table


@dataclass
class ReadoutComparison:
    """The comparison of two readouts, as tables.

    - `topics`: one row per topic: in each readout or not, its position (1 = first topic),
      its words and its share of the readout's words;
    - `order`: the topics of each readout in the order they first appear;
    - `speakers`: who each readout reports as saying what, topic by topic, with sentence ids;
    - `tables`: the two sentence tables compared.
    """
    names: tuple[str, str]
    topics: pd.DataFrame
    order: pd.DataFrame
    speakers: pd.DataFrame
    tables: dict[str, pd.DataFrame]

    def only_in(self, name: str) -> list[str]:
        """The topics that only the named readout has, in its order."""
        other = self.names[1] if name == self.names[0] else self.names[0]
        present = self.topics[self.topics[f"in {name}"] & ~self.topics[f"in {other}"]]
        return present.sort_values(f"position in {name}").index.tolist()

    def summary(self) -> str:
        """The comparison in a few plain sentences (also for screen readers)."""
        a, b = self.names
        both = self.topics[self.topics[f"in {a}"] & self.topics[f"in {b}"]].index.tolist()
        unmatched = "other" in both  # sentences the topic lexicon could not place: not a shared topic
        both = [topic for topic in both if topic != "other"]
        parts = [f"Topics in both readouts: {', '.join(both) or 'none'}."
                 + (" Both have sentences of no known topic ('other'): read those yourself." if unmatched else ""),
                 f"Only in {a}: {', '.join(self.only_in(a)) or 'nothing'}.",
                 f"Only in {b}: {', '.join(self.only_in(b)) or 'nothing'}."]
        for name in self.names:
            first = self.order[name].dropna().tolist()[:1]
            biggest = self.topics[f"share of {name}"].idxmax()
            parts.append(f"{name}'s first topic (as the table has it) is {first[0] if first else 'none'}; its largest is {biggest} "
                         f"({self.topics.loc[biggest, f'share of {name}']:.0%} of its words).")
        return " ".join(parts)

    def __repr__(self) -> str:
        return f"ReadoutComparison({self.names[0]} and {self.names[1]}): {self.summary()}"


def _prepared(readout: object, name: str) -> pd.DataFrame:
    """A sentence table with words, topic and speaker columns, from a table or a plain string."""
    if isinstance(readout, str):
        table = label_topics(sentence_table(readout, prefix=name[:1].upper() or "S"))
    elif isinstance(readout, pd.DataFrame) and {"text", "topic"} <= set(readout.columns):
        table = readout.copy()
    elif hasattr(readout, "text") and isinstance(readout.text, str):
        table = label_topics(sentence_table(readout.text, prefix=name[:1].upper() or "S"))
    else:
        raise ValueError(f"compare_readouts needs each readout as text, or as a sentence table with 'text' and "
                         f"'topic' columns (such as readout_table('cn_mfa_en')); {name!r} is a "
                         f"{type(readout).__name__}.")
    if "words" not in table.columns:
        from course.reading.text import count_words
        table["words"] = [count_words(t) for t in table["text"]]
    if "speaker" not in table.columns:
        table["speaker"] = "not labelled"
    return table


def compare_readouts(a: object, b: object, names: tuple[str, str] = ("A", "B")) -> ReadoutComparison | None:
    """Compare two readouts: topics in one and not the other, order, share of words, speakers.

    A readout given in a form it cannot use gets one line saying what to pass, and None.
    """
    try:
        tables = {names[0]: _prepared(a, names[0]), names[1]: _prepared(b, names[1])}
    except ValueError as problem:
        print(problem)
        return None
    if names[0] == names[1]:
        print("compare_readouts needs two different names, such as names=('China', 'Kremlin').")
        return None
    columns = {}
    for name, table in tables.items():
        order = list(dict.fromkeys(table["topic"]))
        words = table.groupby("topic", sort=False)["words"].sum()
        columns[f"in {name}"] = pd.Series(True, index=order)
        columns[f"position in {name}"] = pd.Series(range(1, len(order) + 1), index=order)
        columns[f"words in {name}"] = words
        columns[f"share of {name}"] = (words / max(int(table["words"].sum()), 1)).round(3)
    all_topics = list(dict.fromkeys(list(tables[names[0]]["topic"]) + list(tables[names[1]]["topic"])))
    topics = pd.DataFrame(columns).reindex(all_topics)
    for name in names:
        topics[f"in {name}"] = topics[f"in {name}"].fillna(False).astype(bool)
        topics[f"words in {name}"] = topics[f"words in {name}"].fillna(0).astype(int)
        topics[f"share of {name}"] = topics[f"share of {name}"].fillna(0.0)
        topics[f"position in {name}"] = topics[f"position in {name}"].astype("Int64")
    topics.index.name = "topic"
    longest = max(len(dict.fromkeys(t["topic"])) for t in tables.values())
    order = pd.DataFrame({name: pd.Series(list(dict.fromkeys(t["topic"]))) for name, t in tables.items()},
                         index=range(longest))
    order.index = range(1, longest + 1)
    order.index.name = "position"
    speakers = pd.concat(
        [t.groupby(["topic", "speaker"], sort=False)["sentence_id"].apply(", ".join).reset_index()
         .assign(readout=name) for name, t in tables.items()], ignore_index=True)
    speakers = speakers[["readout", "topic", "speaker", "sentence_id"]].rename(columns={"sentence_id": "sentences"})
    return ReadoutComparison(tuple(names), topics, order, speakers, tables)


def aligned_topics(comparison: ReadoutComparison) -> list[str]:
    """All topics in one order: the first readout's, with each topic only the second has placed
    after the topic that comes before it in the second readout."""
    a, b = comparison.names
    merged = list(comparison.order[a].dropna())
    previous = None
    for topic in comparison.order[b].dropna():
        if topic not in merged:
            merged.insert(merged.index(previous) + 1 if previous in merged else len(merged), topic)
        previous = topic
    return merged


def _cell(table: pd.DataFrame, topic: str) -> str:
    rows = table[table["topic"] == topic]
    if rows.empty:
        return '<span style="color:#555">— not in this readout (as stored)</span>'
    return "<br>".join(f"<b>{_html.escape(r.sentence_id)}</b> {_html.escape(str(r.text))}"
                       for r in rows.itertuples(index=False))


def side_by_side(comparison: ReadoutComparison, summary: bool = True) -> HTML:
    """Show two readouts in two columns, topics aligned; a topic only one side has is marked.

    Colour is not the only signal: such rows also say "only in ..." in words. A plain-text
    summary for screen readers comes first; `summary=False` leaves it out (a lesson shows the
    table before an exercise that asks what the summary would say).
    """
    a, b = comparison.names
    mark = PALETTE_LIST[1]
    rows = []
    for topic in aligned_topics(comparison):
        only = [n for n in (a, b) if comparison.topics.loc[topic, f"in {n}"]
                and not comparison.topics.loc[topic, f"in {b if n == a else a}"]]
        label = _html.escape(topic) + (f'<br><i>only in {_html.escape(only[0])}</i>' if only else "")
        style = f' style="background:{mark}33;border-left:4px solid {mark}"' if only else ""
        rows.append(f"<tr{style}><td style='vertical-align:top;width:16%'><b>{label}</b></td>"
                    f"<td style='vertical-align:top;width:42%'>{_cell(comparison.tables[a], topic)}</td>"
                    f"<td style='vertical-align:top;width:42%'>{_cell(comparison.tables[b], topic)}</td></tr>")
    head = (f"<tr><th>Topic</th><th>{_html.escape(a)}</th><th>{_html.escape(b)}</th></tr>")
    said = f'<p><b>Summary:</b> {_html.escape(comparison.summary())}</p>' if summary else ""
    return HTML(f'<div style="max-width:70em">{said}<table style="border-collapse:collapse;text-align:left">'
                f"{head}{''.join(rows)}</table></div>")
