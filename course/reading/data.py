"""Load the course text and tables from `datasets/`.

One function per file. Each checks that the file is there and has the columns the
lessons rely on; if not, it raises a `DataFileError` that names the file and says
how to fix it.

>>> seed = load_seed()
>>> seed.startswith("As the crisis has worsened")
True
>>> load_sentences()["sentence_id"].tolist()[:3]
['S1', 'S2', 'S3']

Where the data is found, so the lessons run from a full checkout, an installed package,
a JupyterHub or Binder alike (`data_folder()`; the first folder holding `seed.txt` wins):

1. the folder named by the environment variable COURSE_DATA, if it is set;
2. `datasets/` in the current folder or any folder above it (a notebook runs in `notebooks/`
   or `my-work/`, one level below the course folder);
3. the data installed with the toolkit (`course/datasets/` inside the installed package);
4. the `datasets/` folder beside the toolkit's own folder (a checkout, `pip install -e .`).
"""

from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

DATA_ENV = "COURSE_DATA"
_PACKAGE = Path(__file__).resolve().parent.parent                      # the course/ folder
PACKAGED_DATA = _PACKAGE / "datasets"          # inside an installed package
CHECKOUT_DATA = _PACKAGE.parent / "datasets"   # beside course/ in a checkout
DATASETS = CHECKOUT_DATA  # the folder in a full checkout (for authors and tests); loaders use data_folder()
SEED_SHA256 = "63853985c4e0b4ac62ce8798a0fa773f7724ddfc15e909eede6b18369b9d330a"



@dataclass(frozen=True)
class Table:
    """One table of `datasets/`: its file, the columns the lessons rely on, and the function that loads it.

    The one registry of the course's tables: the loaders check these columns, the tests load every
    table through its loader and check that the datasheet (`datasets/README.md`) has a section for
    the file that names every column.
    """
    file: str                  # its path inside datasets/
    columns: tuple[str, ...]
    loader: str                # "module.function" inside course.reading

    @property
    def name(self) -> str:
        return self.file.rsplit("/", 1)[-1]


TABLES: dict[str, Table] = {table.name: table for table in [
    Table("sentences.csv", ("sentence_id", "paragraph_id", "start", "end", "words", "text"), "data.load_sentences"),
    Table("reporting_cues.csv", ("cue", "kind", "stance", "genre", "effect", "source"), "data.load_reporting_cues"),
    Table("war_names.csv", ("name", "register", "implies_attacker", "what_it_implies", "typical_users", "source"),
          "data.load_war_names"),
    Table("loaded_terms.csv", ("term", "kind", "plain_meaning", "note", "source"), "data.load_loaded_terms"),
    Table("diplomatic_formulae.csv", ("formula", "warmth", "signals", "note", "source"), "data.load_diplomatic_formulae"),
    Table("glossary.csv", ("term", "definition", "first_lesson", "source"), "data.load_glossary"),
    Table("frame_dimensions.csv", ("dimension", "covers", "source"), "data.load_frame_dimensions"),
    Table("readout_topics.csv", ("topic", "keywords", "source"), "readouts.load_readout_topics"),
    Table("sources.csv", ("key", "citation", "url"), "data.load_sources"),
    Table("readouts/annotation.csv", ("readout", "sentence_id", "speaker", "topic", "source", "rendering", "note"),
          "readouts.load_annotation"),
    Table("readouts/renderings.csv", ("passage", "rendering", "outlet", "kind", "source", "note"),
          "readouts.load_renderings"),
    Table("readouts/chinese_terms.csv", ("term_zh", "pinyin", "literal", "renderings", "where", "source", "note"),
          "readouts.load_chinese_terms"),
]}
# The columns each table must have, by file name (from TABLES).
COLUMNS = {name: list(table.columns) for name, table in TABLES.items()}

_RESTORE = "Restore it with `git checkout -- {path}` (or download the course again)."


class DataFileError(Exception):
    """A course data file is missing, unreadable or changed."""


def data_folder(start: Path | None = None) -> Path:
    """The course's `datasets/` folder, found in the order given at the top of this module.

    `start` is the folder to search upwards from (default: the current folder). Raises
    DataFileError naming every place it looked when none holds `seed.txt`.

    >>> (data_folder() / "seed.txt").is_file()
    True
    """
    chosen = os.environ.get(DATA_ENV, "").strip()
    if chosen:
        folder = Path(chosen).expanduser()
        if (folder / "seed.txt").is_file():
            return folder
        raise DataFileError(f"The environment variable {DATA_ENV} is set to {chosen}, but that folder has no "
                            f"seed.txt. Point {DATA_ENV} at the course's datasets/ folder, or unset it.")
    here = (start or Path.cwd()).resolve()
    tried = [folder / "datasets" for folder in (here, *here.parents)] + [PACKAGED_DATA, CHECKOUT_DATA]
    for folder in tried:
        if (folder / "seed.txt").is_file():
            return folder
    raise DataFileError(
        f"The course data (a folder datasets/ holding seed.txt) was not found. Looked in: {DATA_ENV} (not set); "
        f"datasets/ in {here} and every folder above it; the installed toolkit ({PACKAGED_DATA}); beside the "
        f"toolkit ({CHECKOUT_DATA}). Open the notebook from inside the course folder, or set {DATA_ENV} to the "
        "folder that holds seed.txt.")


def _path(name: str, folder: Path | str | None) -> Path:
    return Path(folder or data_folder()) / name


def load_seed(folder: Path | str | None = None) -> str:
    """Return the course text byte for byte as captured from its web page (a news report of the 25 Feb 2022 call).

    Raises DataFileError if the file is missing or its bytes have changed: every
    sentence offset in the course depends on it being byte-identical.
    """
    path = _path("seed.txt", folder)
    if not path.is_file():
        raise DataFileError(f"The course text {path} is missing. " + _RESTORE.format(path=path))
    data = path.read_bytes()
    if hashlib.sha256(data).hexdigest() != SEED_SHA256:
        raise DataFileError(
            f"The course text {path} has been changed (its sha256 checksum differs), so the "
            "sentence offsets no longer fit it. " + _RESTORE.format(path=path))
    return data.decode("utf-8")


def load_table(name: str, folder: Path | str | None) -> pd.DataFrame:
    path = _path(name, folder)
    if not path.is_file():
        raise DataFileError(f"The table {path} is missing. " + _RESTORE.format(path=path))
    try:
        table = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8")
    except (pd.errors.ParserError, UnicodeDecodeError, pd.errors.EmptyDataError) as error:
        first_line = str(error).splitlines()[0] if str(error) else type(error).__name__
        raise DataFileError(
            f"The table {path} could not be read as CSV ({first_line}). "
            + _RESTORE.format(path=path)) from None
    missing = [c for c in COLUMNS[name] if c not in table.columns]
    if missing:
        raise DataFileError(
            f"The table {path} lacks the column(s) {', '.join(missing)}. "
            + _RESTORE.format(path=path))
    return table


def load_sentences(folder: Path | str | None = None) -> pd.DataFrame:
    """Return the seed split into sentences: one row per sentence, S1 to S10.

    `start` and `end` are character offsets: ``load_seed()[start:end]`` is the sentence.
    """
    table = load_table("sentences.csv", folder)
    try:
        for column in ("start", "end", "words"):
            table[column] = table[column].astype(int)
    except ValueError:
        raise DataFileError(
            f"The table {_path('sentences.csv', folder)} has a start, end or words value that "
            "is not a whole number. " + _RESTORE.format(path=_path("sentences.csv", folder))) from None
    return table


def load_reporting_cues(folder: Path | str | None = None) -> pd.DataFrame:
    """Return the lexicon of reporting cues ('said', 'warned', 'according to'...) with a stance and a genre.

    `genre` is `news` or `readout`: the same verb can do different work in each ("pointed
    out" can endorse in news copy, but in a Chinese readout it is a protocol verb).
    """
    return load_table("reporting_cues.csv", folder)


def load_war_names(folder: Path | str | None = None) -> pd.DataFrame:
    """Return the lexicon of names for wars and crises, with their register and what they imply."""
    return load_table("war_names.csv", folder)


def load_loaded_terms(folder: Path | str | None = None) -> pd.DataFrame:
    """Return the lexicon of euphemisms, vague words and diplomatic formulae with plain meanings."""
    return load_table("loaded_terms.csv", folder)


def load_glossary(folder: Path | str | None = None) -> pd.DataFrame:
    """Return the course glossary: term, definition, the lesson that introduces it, source key."""
    return load_table("glossary.csv", folder)


def load_frame_dimensions(folder: Path | str | None = None) -> pd.DataFrame:
    """Return the Media Frames Corpus dimensions (Card et al. 2015) with what each covers."""
    return load_table("frame_dimensions.csv", folder)


def load_sources(folder: Path | str | None = None) -> pd.DataFrame:
    """Return the bibliography: every `source` key used by the other tables, with citation and URL."""
    return load_table("sources.csv", folder)


def load_diplomatic_formulae(folder: Path | str | None = None) -> pd.DataFrame:
    """Return the lexicon of diplomatic atmosphere formulae ('cordial and friendly', 'frank'...).

    `warmth` runs from -2 (open conflict) to 2 (warm agreement): the course's reading of the
    sources, kept as text like every column; convert it with `.astype(int)` to compute.
    """
    return load_table("diplomatic_formulae.csv", folder)
