"""Writing a whole output folder safely: all or nothing, and never over someone else's files.

The release and the HTML export both build their output in a hidden folder beside OUT_DIR
and move it into place only when everything has worked. A marker file in each output says
which command wrote it; `--force` replaces an existing OUT_DIR only if it carries that marker,
so a typo can never wipe a folder of other files.

>>> out_dir_problem(Path("/"), Path("/srv/course"), force=False, marker=".x")
'/ holds the course itself. Choose a new folder, such as ../release.'
"""

from __future__ import annotations

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


def move_into_place(staging: Path, out: Path) -> None:
    """Put `staging` where `out` is; an earlier `out` is removed only once the new one is in place."""
    out = out.resolve()
    old = out.parent / f".{out.name}.old-{os.getpid()}"
    if out.exists():
        out.rename(old)
    try:
        staging.rename(out)
    except OSError:
        if old.exists():
            old.rename(out)
        raise
    shutil.rmtree(old, ignore_errors=True)
