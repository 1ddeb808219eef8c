"""`python -m course bench --grade`: time the grader against bare notebook runs, on this machine, now.

    python -m course bench --grade [--lesson 01] [--submissions DIR] [--workers 2] [--serial]
                                   [--nbgrader-json bench_results.json] [--json OUT.json]

By default it writes 30 made-up submissions of the lesson (10 complete, 10 half done, 10
untouched; `course.grading.samples`), then times, in this order:
  bare     every submission run by nbclient in a fresh kernel, `--workers` at a time (and one
           at a time too, with --serial), with allow_errors and a 30 s cell limit, as
           nbgrader's autograde runs them; a check cell without an error earns its point
  grader   `python -m course grade` on the same files with `--jobs` = `--workers`, timed from
           the command's start to its end
and prints submissions per second for each, the ratio, and whether the two agree on every
exercise of every submission. `--submissions` grades existing files instead (for instance an
nbgrader course's `submitted/` folder), and `--nbgrader-json` reads the JSON written by the
peer benchmark (`bench.py --json`) to print the ratio to nbgrader and compare scores with its
gradebook. Timings are printed, never asserted: the tests do not measure speed.
"""

from __future__ import annotations

import argparse
import concurrent.futures as cf
import csv
import json
import multiprocessing
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from course.exercises.lessons import CHECK_TAG, COURSE_ROOT, tagged_qids
from course.grading.results import lesson_exercises
from course.exercises.keys import load_readable_keys
from course.grading.runner import Limits
from course.grading.samples import write_samples


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """The `bench` command's options."""
    parser.add_argument("--grade", action="store_true", help="time the grader (the only benchmark here)")
    parser.add_argument("--lesson", default="01", help="the lesson whose submissions are made up (default 01)")
    parser.add_argument("--submissions", type=Path, metavar="DIR", help="grade these notebooks instead")
    parser.add_argument("--workers", type=int, default=2, help="parallel kernels and grader jobs (default 2)")
    parser.add_argument("--serial", action="store_true", help="also time the bare run one notebook at a time")
    parser.add_argument("--nbgrader-json", type=Path, metavar="FILE", help="the peer benchmark's results")
    parser.add_argument("--json", type=Path, metavar="OUT", help="also write the figures as JSON")


def _kernel_env(progress: str) -> None:
    os.environ["COURSE_STRICT"] = "1"
    os.environ["COURSE_PROGRESS_FILE"] = progress
    os.environ.pop("MPLBACKEND", None)


def run_bare(path_text: str, progress: str) -> tuple[str, float, dict[str, bool]]:
    """Run one notebook in a fresh kernel; (path, seconds, {qid: check cell ran without error})."""
    import nbformat
    from nbclient import NotebookClient

    _kernel_env(progress)
    path = Path(path_text)
    nb = nbformat.read(path, as_version=4)
    client = NotebookClient(nb, timeout=Limits.cell, kernel_name="python3", allow_errors=True,
                            resources={"metadata": {"path": str(path.parent)}})
    started = time.perf_counter()
    client.execute()
    passed = {qid: not any(o.get("output_type") == "error" for o in cell.get("outputs", []))
              for cell in nb.cells for qid in tagged_qids(cell, CHECK_TAG)}
    return path_text, time.perf_counter() - started, passed


def bare_runs(paths: list[Path], workers: int, progress: str) -> dict:
    """Time the bare nbclient runs, `workers` at a time (processes spawned; pool start counted)."""
    started = time.perf_counter()
    if workers == 1:
        results = [run_bare(str(p), progress) for p in paths]
    else:
        context = multiprocessing.get_context("spawn")
        with cf.ProcessPoolExecutor(max_workers=workers, mp_context=context) as pool:
            results = list(pool.map(run_bare, [str(p) for p in paths], [progress] * len(paths)))
    return {"wall_s": time.perf_counter() - started, "passed": {p: r for p, _, r in results}}


def grader_run(paths: list[Path], folder: Path, workers: int, out: Path) -> dict:
    """Time `python -m course grade` on the folder, as an instructor runs it; read what it passed."""
    command = [sys.executable, "-m", "course", "grade", str(folder), "--out", str(out), "--jobs", str(workers)]
    started = time.perf_counter()
    done = subprocess.run(command, capture_output=True, text=True)
    wall = time.perf_counter() - started
    if done.returncode != 0:
        raise RuntimeError(f"the grader failed: {done.stderr.strip()[-500:]}")
    with out.open(encoding="utf-8", newline="") as file:
        rows = list(csv.DictReader(file))
    open_status = {}
    for sheet in out.parent.glob(f"{out.stem}_marking_*.csv"):
        with sheet.open(encoding="utf-8", newline="") as file:
            for row in csv.DictReader(file):
                open_status[(row["submission"], row["exercise"])] = row["check"].startswith("Recorded")
    passed = {}
    for row in rows:
        qids = [c for c in row if c.startswith("q")]
        passed[row["submission"]] = {q: open_status.get((row["submission"], q), row[q] not in ("", "0"))
                                     for q in qids}
    return {"wall_s": wall, "passed": passed, "learners": {r["submission"]: r["learner"] for r in rows}}


def agreement(bare: dict[str, dict], graded: dict[str, dict]) -> list[str]:
    """The submissions on which the two runs disagree about any exercise (empty: they agree)."""
    return [path for path in bare if bare[path] != graded.get(str(Path(path).resolve()), graded.get(path))]


def nbgrader_comparison(path: Path, grader: dict) -> tuple[float, list[str]]:
    """nbgrader's median wall time from the peer benchmark's JSON, and the learners it scored differently."""
    data = json.loads(path.read_text(encoding="utf-8"))
    wall = statistics.median(run["wall_s"] for run in data["nbgrader"])
    scores = data.get("nbgrader_scores", {})
    by_learner = {grader["learners"][p]: passes for p, passes in grader["passed"].items()}
    differ = [student for student, cells in scores.items()
              if {k.removeprefix("check_"): v > 0 for k, v in cells.items()} != by_learner.get(student)]
    return wall, differ


def bench(args: argparse.Namespace) -> dict:
    """Run the benchmark and print its figures; returns them."""
    keys = load_readable_keys(COURSE_ROOT / "notebooks" / "solutions" / "keys")
    with tempfile.TemporaryDirectory(prefix="course-bench-") as scratch:
        scratch_path = Path(scratch)
        if args.submissions:
            folder = args.submissions.resolve()
            paths = sorted(folder.rglob("*.ipynb"))
        else:
            folder = scratch_path / "submitted"
            paths = write_samples(folder, args.lesson)
        lesson = next((ex["lesson"] for ex in keys.values() if ex["lesson"][:2] == args.lesson.zfill(2)), args.lesson)
        n = len(paths)
        print(f"{n} submissions of {lesson} ({len(lesson_exercises(keys, lesson))} exercises); {os.cpu_count()} CPUs; "
              f"python {sys.version.split()[0]}", flush=True)
        progress = str(scratch_path / "progress.json")
        figures: dict = {"n": n, "workers": args.workers}
        if args.serial:
            serial = bare_runs(paths, 1, progress)
            figures["bare_serial_s"] = serial["wall_s"]
            print(f"bare nbclient, one at a time: {serial['wall_s']:.1f} s, {n / serial['wall_s']:.2f} "
                  "submissions/s", flush=True)
        bare = bare_runs(paths, args.workers, progress)
        figures["bare_parallel_s"] = bare["wall_s"]
        print(f"bare nbclient, {args.workers} workers: {bare['wall_s']:.1f} s, {n / bare['wall_s']:.2f} "
              "submissions/s", flush=True)
        grader = grader_run(paths, folder, args.workers, scratch_path / "out" / "grades.csv")
        figures["grader_s"] = grader["wall_s"]
        print(f"course grade, --jobs {args.workers}: {grader['wall_s']:.1f} s, {n / grader['wall_s']:.2f} "
              "submissions/s", flush=True)
        ratio = bare["wall_s"] / grader["wall_s"]
        figures["ratio_to_bare_parallel"] = ratio
        print(f"ratio: the grader is {ratio:.1f}x as fast as the bare {args.workers}-worker run")
        differ = agreement(bare["passed"], grader["passed"])
        figures["disagree_with_bare"] = differ
        print("scores: the grader and the bare run agree on every exercise of every submission" if not differ else
              f"scores differ from the bare run on {len(differ)} submissions: {differ[:5]}")
        if args.nbgrader_json:
            wall, differ = nbgrader_comparison(args.nbgrader_json, grader)
            figures.update(nbgrader_s=wall, ratio_to_nbgrader=wall / grader["wall_s"], disagree_with_nbgrader=differ)
            print(f"nbgrader autograde (median of the peer benchmark's runs): {wall:.1f} s, "
                  f"{n / wall:.2f} submissions/s; the grader is {wall / grader['wall_s']:.1f}x as fast")
            print("scores: the grader and nbgrader agree on every exercise of every submission" if not differ else
                  f"scores differ from nbgrader's for: {differ}")
    if args.json:
        args.json.write_text(json.dumps(figures, indent=1), encoding="utf-8")
    return figures


def main(args: argparse.Namespace) -> int:
    """The `bench` command."""
    if not args.grade:
        print("Say what to time: `python -m course bench --grade` times the grader. Notebook run times: "
              "`python tests/benchmark_notebooks.py`.", file=sys.stderr)
        return 2
    try:
        bench(args)
    except (RuntimeError, OSError, StopIteration, ValueError, KeyError) as error:
        print(f"The benchmark stopped: {type(error).__name__}: {error}", file=sys.stderr)
        return 1
    return 0
