"""Writing a whole output folder safely: all or nothing, and never over someone else's files.

The release and the HTML export both build their output in a hidden folder beside OUT_DIR
and move it into place only when everything has worked. A marker file in each output says
which command wrote it and lists the files it wrote; `--force` replaces an existing OUT_DIR
only if it carries that marker, so a typo can never wipe a folder of other files. Replacing
an output removes only what the command wrote before: anything else in the folder (a `.git`,
a CI file, a learner's `my-work/`, notes) is carried over into the new output, untouched.

>>> out_dir_problem(Path("/"), Path("/srv/course"), force=False, marker=".x")
'/ holds the course itself. Choose a new folder, such as ../release.'
"""

from __future__ import annotations

import json
import os
import shutil
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

# The course folders an output must not be written into (their contents are copied or read).
SOURCE_FOLDERS = ("course", "datasets", "notebooks", "tests", ".jupyter")


def out_dir_problem(out: Path, root: Path, force: bool, marker: str) -> str:
    """Why `out` cannot receive a new output, or '' if it can. Changes nothing.

    `root` is the course folder; `marker` is the file that the command writes into each output.
    """
    out, root = out.resolve(), root.resolve()
    if out == root or out in root.parents:
        return f"{out} holds the course itself. Choose a new folder, such as ../release."
    for name in SOURCE_FOLDERS:
        if out == root / name or (root / name) in out.parents:
            return f"{out} is inside the course's {name}/ folder. Choose a folder outside it."
    if out.exists() and not out.is_dir():
        return f"{out} exists and is not a folder. Choose another name."
    if out.is_dir() and any(out.iterdir()):
        if not (out / marker).is_file():
            return (f"{out} exists, is not empty, and was not written by this command, so it is left alone "
                    "(even with --force). Choose a new or empty folder.")
        if not force:
            return f"{out} already holds an earlier output of this command. Add --force to replace it."
    return ""


@contextmanager
def staging_folder(out: Path) -> Iterator[Path]:
    """A new, empty hidden folder beside `out`, named like it, removed afterwards whatever happens."""
    out = out.resolve()
    out.parent.mkdir(parents=True, exist_ok=True)
    holder = out.parent / f".{out.name}.partial-{os.getpid()}"
    shutil.rmtree(holder, ignore_errors=True)
    staging = holder / out.name
    staging.mkdir(parents=True)
    try:
        yield staging
    finally:
        shutil.rmtree(holder, ignore_errors=True)


def write_marker(staging: Path, marker: str, info: dict) -> None:
    """Write the marker file into `staging`: `info`, and the list of every file the command wrote."""
    files = sorted(p.relative_to(staging).as_posix() for p in staging.rglob("*") if p.is_file())
    (staging / marker).write_text(json.dumps({**info, "files": [*files, marker]}, indent=1) + "\n", encoding="utf-8")


def written_before(out: Path, marker: str) -> set[str] | None:
    """The files an earlier output in `out` was written with, from its marker; None if it does not say."""
    try:
        files = json.loads((out / marker).read_text(encoding="utf-8")).get("files")
    except (OSError, ValueError, AttributeError):
        return None
    return set(files) if isinstance(files, list) else None


def carry_over(old: Path, new: Path, written: set[str] | None) -> list[str]:
    """Move into `new` everything in `old` that the command did not write; return what was carried.

    `written` lists the files (relative paths) the command wrote into `old`; None means not
    known, and then whatever `new` lacks is carried. A file of someone else's that `new` now
    writes at the same path is kept beside it, as NAME.kept.
    """
    carried = []

    def walk(folder: Path) -> None:
        for entry in sorted(folder.iterdir()):
            rel = entry.relative_to(old).as_posix()
            target = new / rel
            if written is not None and rel in written:
                continue
            holds_written = written is None or any(w.startswith(rel + "/") for w in written)
            if entry.is_dir() and not entry.is_symlink() and (target.is_dir() or holds_written):
                if not target.exists():
                    target.mkdir(parents=True)
                walk(entry)
                continue
            if target.exists() or target.is_symlink():
                if written is None:
                    continue  # an old output that listed nothing: its files are the new output's
                target = target.with_name(target.name + ".kept")
            target.parent.mkdir(parents=True, exist_ok=True)
            entry.rename(target)
            carried.append(target.relative_to(new).as_posix())
    walk(old)
    return carried


def move_into_place(staging: Path, out: Path, marker: str | None = None) -> list[str]:
    """Put `staging` where `out` is; an earlier `out` is removed only once the new one is in place.

    With `marker`, what the earlier output did not write is carried into the new one
    (`carry_over`); the paths carried are returned.
    """
    out = out.resolve()
    old = out.parent / f".{out.name}.old-{os.getpid()}"
    written = written_before(out, marker) if marker and out.exists() else None
    if out.exists():
        out.rename(old)
    try:
        staging.rename(out)
    except OSError:
        if old.exists():
            old.rename(out)
        raise
    carried = carry_over(old, out, written) if marker and old.exists() else []
    shutil.rmtree(old, ignore_errors=True)
    return carried
