"""The official readouts of the 25 February 2022 call, as data, and topic labels for any readout.

Each readout is a plain-text file in `datasets/readouts/`: a header of `key: value` lines
(issuer, title, date, language, url, copy_kind, source, licence, stored_copy_note, ids),
a line `---`, then the text. Lines in square brackets are not text: `[GAP: ...]` and
`[MISSING: ...]` mark what no stored copy shows, and a line that starts with a source key,
`[tass-readout] quoted: ...`, says where that line of an assembled readout comes from.

>>> mfa = load_readout("cn_mfa_en")
>>> mfa.header["issuer"].startswith("Ministry of Foreign Affairs")
True
>>> readout_table("kremlin_en")["sentence_id"].tolist()[:3]
['K1', 'K2', 'K3']
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from course.reading.data import DATASETS, DataFileError, load_table, data_folder
from course.reading.text import sentence_table

READOUTS = DATASETS / "readouts"  # the folder in a full checkout; loaders look it up with data_folder()
HEADER_KEYS = ["issuer", "title", "date", "language", "url", "copy_kind", "source", "licence", "stored_copy_note"]
_MARKER = re.compile(r"^\[(GAP|MISSING): (.*)\]\s*$")
_TAGGED = re.compile(r"^\[([a-z0-9-]+)\] (quoted|paraphrased): (.*)$")
_RESTORE = "Restore it with `git checkout -- {path}` (or download the course again)."


def _folder(folder: Path | str | None) -> Path:
    """The readouts folder: the one given, else `readouts/` in the course's data folder."""
    return Path(folder) if folder else data_folder() / "readouts"


@dataclass
class Readout:
    """One readout: its provenance header, its text, and what no stored copy shows."""
    name: str
    header: dict[str, str]
    text: str
    gaps: list[str] = field(default_factory=list)
    line_sources: list[tuple[str, str]] = field(default_factory=list)  # (source key, quoted/paraphrased)

    def __repr__(self) -> str:
        return (f"Readout({self.name!r}: {self.header.get('issuer', '?')}; {len(self.text.split())} words; "
                f"{len(self.gaps)} gap(s) marked)")


def readout_names(folder: Path | str | None = None) -> list[str]:
    """The names of the readout files, such as 'cn_mfa_en' and 'kremlin_en'."""
    return sorted(p.stem for p in _folder(folder).glob("*.txt"))


def _parse(name: str, raw: str, path: Path) -> Readout:
    head, separator, body = raw.partition("\n---\n")
    if not separator:
        raise DataFileError(f"The readout {path} has no line '---' between its header and its text. "
                            + _RESTORE.format(path=path))
    header = {}
    for line in head.splitlines():
        key, colon, value = line.partition(":")
        if colon:
            header[key.strip()] = value.strip()
    missing = [k for k in HEADER_KEYS if k not in header]
    if missing:
        raise DataFileError(f"The readout {path} lacks the header line(s) {', '.join(missing)}. "
                            + _RESTORE.format(path=path))
    paragraphs, gaps, sources = [], [], []
    for block in re.split(r"\n\s*\n", body.strip()):
        kept = []
        for line in block.splitlines():
            marker, tagged = _MARKER.match(line), _TAGGED.match(line)
            if marker:
                gaps.append(f"{marker.group(1)}: {marker.group(2)}")
            elif tagged:
                sources.append((tagged.group(1), tagged.group(2)))
                kept.append(tagged.group(3))
            elif line.strip():
                kept.append(line.strip())
        if kept:
            paragraphs.append(" ".join(kept))
    return Readout(name, header, "\n\n".join(paragraphs) + "\n", gaps, sources)


def load_readout(name: str, folder: Path | str | None = None) -> Readout:
    """Load one readout by name ('cn_mfa_en', 'kremlin_en', 'cn_readout_zh')."""
    path = _folder(folder) / f"{name}.txt"
    if not path.is_file():
        known = ", ".join(readout_names(folder)) or "none found"
        raise DataFileError(f"There is no readout called {name!r} in {path.parent} (known: {known}). "
                            "Check the name, or restore the folder with `git checkout -- datasets/readouts`.")
    return _parse(name, path.read_text(encoding="utf-8"), path)


def load_annotation(folder: Path | str | None = None) -> pd.DataFrame:
    """The course's annotation of the readouts: speaker and topic for each sentence, and its source."""
    return load_table("annotation.csv", _folder(folder))


def readout_table(name: str, folder: Path | str | None = None) -> pd.DataFrame:
    """One readout as a sentence table (the course's splitter), with speaker, topic and source.

    Ids start with the readout's letter: C for the Chinese foreign ministry's English,
    K for the Kremlin's. Raises DataFileError if the annotation does not fit the text.
    """
    readout = load_readout(name, folder)
    prefix = readout.header.get("ids", name[0].upper())
    table = sentence_table(readout.text, prefix=prefix)
    notes = load_annotation(folder)
    notes = notes[notes["readout"] == name].drop(columns="readout")
    if notes.empty:
        return table
    if notes["sentence_id"].tolist() != table["sentence_id"].tolist():
        path = _folder(folder) / "annotation.csv"
        raise DataFileError(f"The annotation {path} does not fit the readout {name!r}: it labels "
                            f"{len(notes)} sentences, the text has {len(table)}. " + _RESTORE.format(path=path))
    return table.merge(notes, on="sentence_id")


def label_topics(table: pd.DataFrame, lexicon: pd.DataFrame | None = None) -> pd.DataFrame:
    """Give each sentence a topic from a keyword lexicon (the first topic whose keyword it contains).

    A rough, general labeller for a readout you have never seen; a careful reader's labels
    are better. Sentences that match nothing get the topic 'other'.

    >>> t = label_topics(sentence_table("They spoke by phone. Both oppose sanctions."))
    >>> t["topic"].tolist()
    ['other', 'sanctions']
    """
    lexicon = load_readout_topics() if lexicon is None else lexicon
    rules = [(row.topic, [k.strip().casefold() for k in row.keywords.split(";") if k.strip()])
             for row in lexicon.itertuples(index=False)]

    def topic_of(text: str) -> str:
        folded = str(text).casefold()
        return next((topic for topic, keys in rules if any(k in folded for k in keys)), "other")

    labelled = table.copy()
    labelled["topic"] = [topic_of(text) for text in labelled["text"]]
    return labelled


def load_readout_topics(folder: Path | str | None = None) -> pd.DataFrame:
    """The keyword lexicon for `label_topics`: topic, keywords (separated by ';'), source."""
    return load_table("readout_topics.csv", folder)


def load_renderings(folder: Path | str | None = None) -> pd.DataFrame:
    """Short cited phrases: how each English version rendered the same passages of the Chinese readout."""
    return load_table("renderings.csv", _folder(folder))


def load_chinese_terms(folder: Path | str | None = None) -> pd.DataFrame:
    """Key Chinese terms of the readout, with a literal gloss and the English renderings seen."""
    return load_table("chinese_terms.csv", _folder(folder))
