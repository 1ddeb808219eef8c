"""Time the test loops: `make test-fast`, `make test LESSON=03` and `make test`, on this machine, now.

    .venv/bin/python tests/benchmark_tests.py [--repeat N] [--skip-full]

Reports wall-clock seconds (median of N runs) and the machine's core count; asserts nothing
(speed is measured here, never in the tests). The environment must be installed already
(`make test` once).
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
LOOPS = {"make test-fast": ["make", "-s", "test-fast"], "make test LESSON=03": ["make", "-s", "test", "LESSON=03"],
         "make test": ["make", "-s", "test"]}


def time_command(command: list[str]) -> tuple[float, int]:
    """(wall seconds, exit status) of one run."""
    started = time.perf_counter()
    done = subprocess.run(command, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return time.perf_counter() - started, done.returncode


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=1)
    parser.add_argument("--skip-full", action="store_true", help="leave out the full `make test`")
    args = parser.parse_args()
    print(f"{os.cpu_count()} cores; median of {args.repeat} run(s)")
    for name, command in LOOPS.items():
        if args.skip_full and name == "make test":
            continue
        runs = [time_command(command) for _ in range(args.repeat)]
        status = "passed" if all(code == 0 for _, code in runs) else "FAILED"
        print(f"{name:<22} {statistics.median(t for t, _ in runs):7.1f} s   ({status})")


if __name__ == "__main__":
    main()
