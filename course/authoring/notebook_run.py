"""Run notebooks top to bottom, a few at a time, as a learner first opens them.

The offline HTML export and the tests of a learner release both need every learner notebook
run once. Each notebook gets its own kernel, started in `workdir`, in learner mode (checks
print and never raise) and with its own throw-away progress record, so a run changes no file
and leaves no trace of a learner's progress. Notebooks run `jobs` at a time (by default the
number of cores plus two), each kernel in its own process, talking to it over local sockets
in a scratch folder (not over TCP).

>>> from pathlib import Path
>>> [nb.cells[0].cell_type for nb in run_notebooks([Path("notebooks/00_start_here.ipynb")],
...                                                 Path("notebooks"))]   # doctest: +SKIP
['markdown']
"""

from __future__ import annotations

import asyncio
import os
import tempfile
from pathlib import Path

import nbformat
from jupyter_client.manager import AsyncKernelManager
from nbclient import NotebookClient

# Checks must not raise (strict mode is for the solutions), and figures must be drawn inline.
DROPPED = ("COURSE_STRICT", "MPLBACKEND")
# A kernel spends part of each cell waiting for messages, so a few more kernels than cores finish sooner
# (measured on 2 cores: 6 lessons took 9.3 s two at a time, 7.8 s four at a time).
JOBS = (os.cpu_count() or 1) + 2
# How long one cell of a lesson may run when the course runs its lessons (execute, HTML export, release tests):
# far above the lessons' real times (under a second a cell), so only a hung cell meets it.
CELL_SECONDS = 120


def kernel_environment(progress_file: Path, extra: dict[str, str] | None = None) -> dict[str, str]:
    """This process's environment as a learner's kernel should see it.

    >>> env = kernel_environment(Path("/tmp/p.json"), {"COURSE_DATA": "/data"})
    >>> env["COURSE_PROGRESS_FILE"], env["COURSE_DATA"], "COURSE_STRICT" in env
    ('/tmp/p.json', '/data', False)
    """
    env = {name: value for name, value in os.environ.items() if name not in DROPPED}
    env["COURSE_PROGRESS_FILE"] = str(progress_file)
    env.update(extra or {})
    return env


async def _run_one(path: Path, workdir: Path, scratch: Path, env: dict[str, str], timeout: int,
                   allow_errors: bool, slots: asyncio.Semaphore) -> nbformat.NotebookNode:
    async with slots:
        nb = nbformat.read(path, as_version=4)
        kernel = AsyncKernelManager(kernel_name="python3", transport="ipc", ip=str(scratch / "kernel"))
        client = NotebookClient(nb, km=kernel, timeout=timeout, allow_errors=allow_errors,
                                resources={"metadata": {"path": str(workdir)}})
        await client.async_execute(env=env, cleanup_kc=True)  # cleanup_kc: shut the kernel down afterwards
        return nb


async def _run_all(paths: list[Path], workdir: Path, scratch: Path, extra_env: dict[str, str] | None,
                   timeout: int, allow_errors: bool, jobs: int) -> list[nbformat.NotebookNode]:
    slots = asyncio.Semaphore(max(1, jobs))
    runs = []
    for number, path in enumerate(paths):
        own = scratch / str(number)
        own.mkdir()
        env = kernel_environment(own / "progress.json", extra_env)
        runs.append(_run_one(path, workdir, own, env, timeout, allow_errors, slots))
    return list(await asyncio.gather(*runs))


def run_notebooks(paths: list[Path], workdir: Path, extra_env: dict[str, str] | None = None, timeout: int = CELL_SECONDS,
                  allow_errors: bool = False, jobs: int = JOBS) -> list[nbformat.NotebookNode]:
    """Execute each notebook in a fresh kernel started in `workdir`; return them with their outputs, in order.

    The files are read, never written. With `allow_errors=False`, a cell that raises stops
    everything with nbclient's CellExecutionError; with True, errors stay in the outputs.
    """
    with tempfile.TemporaryDirectory(prefix="course-run-") as scratch:
        return asyncio.run(_run_all(list(paths), Path(workdir), Path(scratch), extra_env, timeout, allow_errors,
                                    jobs))
