"""Inside the sandbox: the process that runs learners' notebooks, one at a time, and holds no answers.

    python -m course.grading.zygote          (started by the grader, inside bubblewrap: course.grading.sandbox)

It is a fresh Python process: it never loaded an answer key, and inside the sandbox there is
none to load (the keys folder is an empty folder there; the solution side is not mounted). It
imports what a lesson uses (pandas, matplotlib, IPython, the toolkit) once, then waits for jobs
on its standard input, one JSON line each. For each job it forks a child that runs the notebook's
cells (`course.grading.child`), which reports on standard output, each line prefixed with the
job's token. When the child has ended, the zygote kills every other process left in the sandbox
(the sandbox has its own process ids: it sees only its own), empties the scratch folder, and says
`ended`. Only then does the grader send the next job, so no run overlaps another.

Job: {"token": T, "actions": [...], "sources": {cell: text}, "skip": [cells], "cell_limit": S,
      "notebook": file name, "content": the notebook's text}
Lines out: "T [...]" (the child's messages, see course.grading.child); "T ["ended", code]";
and once, at start, "- ["ready"]". A job it cannot read gets "T ["ended", -1]".
The `abort` line ({"abort": T}) stops the running child at once.
"""

from __future__ import annotations

import json
import os
import select
import shutil
import signal
from pathlib import Path

from course.grading.child import send

# In the sandbox (COURSE_SANDBOX=bwrap), /tmp is private and every process in sight is a learner's; with
# --unsafe-no-sandbox, neither is true, so the zygote then clears only its own scratch folder and the
# child's own process group.
SANDBOXED = os.environ.get("COURSE_SANDBOX") == "bwrap"
SCRATCH = Path(os.environ.get("COURSE_SCRATCH") or "/tmp/runs")
KEPT = {"runs", "ipython", "mpl"}   # the zygote's own folders in the sandbox's /tmp (IPython's, matplotlib's)
GRADING_ENV = "COURSE_GRADING"   # set in the sandbox: checks say they are off, and no key can be loaded


def _not_dumpable() -> None:
    """Forbid other processes of this user to trace this one or read its memory (prctl PR_SET_DUMPABLE 0)."""
    try:
        import ctypes

        ctypes.CDLL(None, use_errno=True).prctl(4, 0, 0, 0, 0)
    except (OSError, AttributeError):
        pass


def kill_the_rest(child: int) -> None:
    """Kill what a run left behind: in the sandbox, every process but its init (1) and this one; without
    one, the child's process group."""
    if not SANDBOXED:
        _kill_group(child)
        _reap()
        return
    me = os.getpid()
    for _ in range(3):   # a process may fork while the list is read; go round until none is left
        others = [int(name) for name in os.listdir("/proc") if name.isdigit() and int(name) not in (1, me)]
        if not others:
            return
        for pid in others:
            try:
                os.kill(pid, signal.SIGKILL)
            except OSError:
                pass
        _reap()


def _kill_group(pid: int) -> None:
    for kill in (os.killpg, os.kill):
        try:
            kill(pid, signal.SIGKILL)
        except OSError:
            pass


def _kill(pid: int) -> None:
    try:
        os.kill(pid, signal.SIGKILL)
    except OSError:
        pass


def _reap() -> None:
    while True:
        try:
            pid, _ = os.waitpid(-1, os.WNOHANG)
        except ChildProcessError:
            return
        if pid == 0:
            return


def empty_scratch() -> None:
    """Empty the scratch folder (and, in the sandbox, the rest of its private /tmp)."""
    shutil.rmtree(SCRATCH, ignore_errors=True)
    SCRATCH.mkdir(parents=True, exist_ok=True)
    if not SANDBOXED:
        return
    for path in Path("/tmp").iterdir():   # whatever a run left in the sandbox's /tmp
        if path.name not in KEPT:
            if path.is_dir() and not path.is_symlink():
                shutil.rmtree(path, ignore_errors=True)
            else:
                path.unlink(missing_ok=True)


class Lines:
    """Whole lines from a file descriptor, read without blocking beyond what select says is there."""

    def __init__(self, fd: int):
        self.fd, self.buffer, self.closed = fd, b"", False

    def next(self, wait: float | None) -> str | None:
        """The next line, waiting up to `wait` seconds (None: for ever); '' once the other end has closed."""
        while b"\n" not in self.buffer:
            if self.closed:
                return ""
            if not select.select([self.fd], [], [], wait)[0]:
                return None
            data = os.read(self.fd, 65536)
            if not data:
                self.closed = True
            self.buffer += data
        line, _, self.buffer = self.buffer.partition(b"\n")
        return line.decode("utf-8", "replace")


def run_job(shell: object, job: dict, channel: int, commands: Lines) -> int:
    """Fork a child for one job, wait for it (or for an abort), then clear up; return its exit code."""
    from course.grading.child import child_main

    token = job["token"]
    folder = SCRATCH / "work"
    folder.mkdir(parents=True, exist_ok=True)
    (folder / Path(str(job.get("notebook", "submission.ipynb"))).name).write_text(str(job.get("content", "")),
                                                                                  encoding="utf-8")
    actions = [tuple(step) for step in job["actions"]]
    sources = {int(number): text for number, text in job["sources"].items()}
    pid = os.fork()
    if pid == 0:   # never returns
        child_main(shell, actions, sources, set(job.get("skip", [])), folder, channel, float(job["cell_limit"]),
                   token)
    code = _wait(pid, commands, token)
    kill_the_rest(pid)
    empty_scratch()
    return code


def _wait(pid: int, commands: Lines, token: str) -> int:
    """Wait for the child to end, or for the grader to abort it; return its exit code (-9 if killed)."""
    while True:
        line = commands.next(0.05)
        if line == "":   # the grader is gone: stop everything
            _kill_group(pid)
        elif line:
            try:
                abort = json.loads(line).get("abort") == token
            except (ValueError, AttributeError):
                abort = False
            if abort:
                _kill_group(pid)
        done, status = os.waitpid(pid, os.WNOHANG)
        if done:
            return os.waitstatus_to_exitcode(status)


def prepare() -> object:
    """Import everything a lesson uses, once, and make the IPython shell the children run cells in."""
    os.environ["MPLBACKEND"] = "Agg"
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot  # noqa: F401
    import pandas  # noqa: F401

    import course

    for name in course.__all__:   # what `from course import *` imports, loaded once for every child
        getattr(course, name)
    from IPython.core.interactiveshell import InteractiveShell
    from traitlets.config import Config

    config = Config()
    config.HistoryManager.enabled = False
    config.InteractiveShell.colors = "NoColor"
    shell = InteractiveShell.instance(config=config)
    shell.run_cell("pass", store_history=False)  # trusted: loads what IPython loads on its first cell, once
    from course.grading.child import stop_notebook

    shell.user_ns["exit"] = shell.user_ns["quit"] = stop_notebook
    return shell


def main() -> None:
    os.environ[GRADING_ENV] = "1"
    channel = os.dup(1)   # the grader's channel; fd 1 itself goes to /dev/null in each child
    shell = prepare()
    _not_dumpable()
    empty_scratch()
    send(channel, "-", ["ready"])
    commands = Lines(0)
    while True:
        line = commands.next(None)
        if not line:
            if line == "":
                return
            continue
        try:
            job = json.loads(line)
            if "abort" in job:
                continue   # an abort that came after its run ended
            code = run_job(shell, job, channel, commands)
        except (ValueError, KeyError, TypeError, AttributeError):
            code, job = -1, job if isinstance(job, dict) else {}
        send(channel, str(job.get("token", "-")), ["ended", code])


if __name__ == "__main__":
    main()
