"""Time each notebook: kernel start-up, then running every cell top to bottom.

    .venv/bin/python tests/benchmark_notebooks.py [--repeat N]

Reports times; asserts nothing (speed is measured here, never in the tests).
The target is under 5 s per notebook once its kernel has started.
"""

from __future__ import annotations

import argparse
import os
import statistics
import time
from pathlib import Path

import nbformat
from nbclient import NotebookClient

ROOT = Path(__file__).resolve().parent.parent


def time_notebook(path: Path) -> tuple[float, float]:
    """Return (kernel start seconds, run seconds) for one notebook."""
    nb = nbformat.read(path, as_version=4)
    client = NotebookClient(nb, timeout=120, kernel_name="python3",
                            resources={"metadata": {"path": str(path.parent)}})
    started = time.perf_counter()
    with client.setup_kernel():
        ready = time.perf_counter()
        for index, cell in enumerate(nb.cells):
            client.execute_cell(cell, index)
        finished = time.perf_counter()
    return ready - started, finished - ready


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    os.environ.pop("COURSE_STRICT", None)
    paths = sorted((ROOT / "notebooks" / "solutions").glob("*.ipynb")) + sorted((ROOT / "notebooks").glob("*.ipynb"))
    print(f"{'notebook':<45} {'kernel start':>12} {'run (median)':>13} {'run (max)':>10}")
    for path in paths:
        starts, runs = zip(*(time_notebook(path) for _ in range(args.repeat)))
        name = str(path.relative_to(ROOT))
        print(f"{name:<45} {statistics.median(starts):>11.2f}s {statistics.median(runs):>12.2f}s {max(runs):>9.2f}s")


if __name__ == "__main__":
    main()
