"""Run submitted notebooks, several at a time, each in its own forked process under time limits.

`run_notebooks` imports pandas, matplotlib, IPython and the toolkit once, then forks one
child per submission (see `course.grading.child`), at most `jobs` at a time. A watchdog in
this process kills a child's whole process group when a cell overruns its limit by more than
a grace period (the child stops an ordinary overrunning cell itself) or when the notebook
overruns its own limit. When a cell ends the process (`os._exit`, a crash, running out of
memory) or has to be killed, the notebook runs again from the top without that cell, so one
bad cell costs only what depends on it. Each result is handed back as soon as it is known.

>>> Limits().cell, Limits().notebook
(30.0, 300.0)
"""

from __future__ import annotations

import json
import os
import select
import shutil
import signal
import sys
import tempfile
import time
from collections import deque
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

from course.grading.plan import Plan, cell_label
from course.grading.values import decode_answer

MAX_LINE = 4 * 2**20   # the longest message a child may send (an encoded answer is far smaller)


@dataclass
class Limits:
    """Time limits in seconds, parallel jobs, and how many reruns a notebook may need."""
    cell: float = 30.0
    notebook: float = 300.0
    jobs: int = 2
    grace: float = 2.0
    reruns: int = 3
    user: tuple[int, int] | None = None   # (uid, gid) the learner's code runs as; None: the grader's own


@dataclass
class Job:
    """One notebook to run: its file (copied, never touched), cell sources and plan."""
    key: object
    path: Path
    sources: dict[int, str]
    plan: Plan


@dataclass
class Outcome:
    """What running one notebook gave: the answers read, and what went wrong where."""
    reads: dict[str, object] = field(default_factory=dict)
    errors: dict[int, str] = field(default_factory=dict)   # cell -> "TypeName: message"
    timed_out: list[int] = field(default_factory=list)     # cells stopped at the cell limit
    removed: list[int] = field(default_factory=list)       # cells that ended or hung the process
    status: str = "ok"     # ok, cell-timeout, kernel-died, notebook-timeout or grader-error
    notes: list[str] = field(default_factory=list)
    seconds: float = 0.0


@dataclass
class _Child:
    job: Job
    outcome: Outcome
    folder: Path
    started: float
    skip: set[int] = field(default_factory=set)
    pid: int = 0
    fd: int = -1
    buffer: bytes = b""
    cell: int = 0             # the cell running now (0: none)
    cell_started: float = 0.0
    done: bool = False
    exited: bool = False      # ended (a zombie until reaped, so its group id stays its own)
    reaped: bool = False
    eof: bool = False
    stopped: str = ""         # why the watchdog killed it: "cell", "notebook" or "garbled"


_shell: list = []
_profile: list[Path] = []   # the throwaway IPython profile folder, so the instructor's own is never touched


def prepare() -> object:
    """Import everything a lesson uses, once, and make the IPython shell the children run cells in."""
    if _shell:
        return _shell[0]
    os.environ["MPLBACKEND"] = "Agg"
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot  # noqa: F401
    import pandas  # noqa: F401

    import course  # noqa: F401  (the toolkit every lesson imports)

    _profile.append(Path(tempfile.mkdtemp(prefix="course-grade-ipython-")))
    os.environ["IPYTHONDIR"] = str(_profile[-1])
    from IPython.core.interactiveshell import InteractiveShell
    from traitlets.config import Config

    config = Config()
    config.HistoryManager.enabled = False
    config.InteractiveShell.colors = "NoColor"
    shell = InteractiveShell.instance(config=config)
    shell.run_cell("pass", store_history=False)  # trusted: loads what IPython loads on its first cell, once
    _shell.append(shell)
    return shell


def _kill(child: _Child) -> None:
    if child.reaped:  # its process id may belong to another process by now
        return
    for kill, target in ((os.killpg, child.pid), (os.kill, child.pid)):
        try:
            kill(target, signal.SIGKILL)
        except (ProcessLookupError, PermissionError):
            pass


def _fork(child: _Child, shell: object, limits: Limits) -> None:
    from course.grading.child import child_main

    read_fd, write_fd = os.pipe()
    sys.stdout.flush()
    sys.stderr.flush()
    pid = os.fork()
    if pid == 0:  # the child never comes back from child_main
        os.close(read_fd)
        child_main(shell, child.job.plan.actions, child.job.sources, child.skip, child.folder, write_fd, limits.cell,
                   limits.user)
    os.close(write_fd)
    child.pid, child.fd, child.buffer = pid, read_fd, b""
    child.cell, child.done, child.exited, child.reaped, child.eof, child.stopped = 0, False, False, False, False, ""


def _handle(child: _Child, message: object, now: float) -> None:
    """Apply one message from a child; anything malformed raises ValueError."""
    if not isinstance(message, list) or not message or not isinstance(message[0], str):
        raise ValueError("not a message")
    kind, rest = message[0], message[1:]
    sources = child.job.sources
    if kind in ("start", "timeout", "error") and (not rest or rest[0] not in sources):
        raise ValueError("unknown cell")
    if kind == "start" and len(rest) == 1:
        child.cell, child.cell_started = rest[0], now
    elif kind == "timeout" and len(rest) == 1:
        child.outcome.timed_out.append(rest[0])
        child.cell = 0
    elif kind == "error" and len(rest) == 2 and isinstance(rest[1], str):
        child.outcome.errors[rest[0]] = rest[1][:300]
        child.cell = 0
    elif kind == "read" and len(rest) == 2 and rest[0] in child.job.plan.answer_cells:
        child.outcome.reads[rest[0]] = decode_answer(rest[1])
        child.cell = 0
    elif kind == "done" and not rest:
        child.done = True
    elif kind == "crash" and len(rest) == 1 and isinstance(rest[0], str):
        child.outcome.notes.append(f"the grader failed inside the notebook's process ({rest[0][:200]})")
        child.outcome.status = "grader-error"
    else:
        raise ValueError("unknown message")


def _read(child: _Child, now: float) -> None:
    try:
        data = os.read(child.fd, 65536)
    except OSError:
        data = b""
    if not data:
        child.eof = True
        return
    child.buffer += data
    *lines, child.buffer = child.buffer.split(b"\n")
    try:
        if len(child.buffer) > MAX_LINE:
            raise ValueError("line too long")
        for line in lines:
            _handle(child, json.loads(line), now)
    except (ValueError, RecursionError):
        child.stopped = child.stopped or "garbled"
        _kill(child)


def _overdue(child: _Child, now: float, limits: Limits) -> str:
    if now - child.started > limits.notebook:
        return "notebook"
    if child.cell and now - child.cell_started > limits.cell + limits.grace:
        return "cell"
    return ""


def _cell_label(child: _Child, number: int) -> str:
    return cell_label(child.job.plan, number)


SEVERITY = ["ok", "cell-timeout", "kernel-died", "notebook-timeout", "grader-error"]


def worse(status: str, other: str) -> str:
    """The more serious of two run statuses.

    >>> worse("ok", "cell-timeout"), worse("kernel-died", "cell-timeout")
    ('cell-timeout', 'kernel-died')
    """
    return max(status, other, key=SEVERITY.index)


def _after_exit(child: _Child, limits: Limits, now: float) -> bool:
    """Decide what a finished child means; True when the notebook must run again without a cell."""
    outcome = child.outcome
    if child.done or outcome.status == "grader-error":
        return False
    if child.stopped in ("notebook", "garbled") or not child.cell:
        if child.stopped == "notebook":
            where = f" while {_cell_label(child, child.cell)} ran" if child.cell else ""
            why = f"stopped at the notebook's time limit ({limits.notebook:g} s){where}"
        elif child.stopped == "garbled":
            why = "the notebook's process sent the grader data it could not read"
        else:
            why = "the notebook's process ended between cells"
        outcome.status = worse(outcome.status, "notebook-timeout" if child.stopped == "notebook" else "grader-error")
        outcome.notes.append(f"{why}; exercises after that point were not graded")
        return False
    culprit = child.cell
    outcome.removed.append(culprit)
    if child.stopped == "cell":
        how = "did not stop at the cell time limit and was killed"
        outcome.status = worse(outcome.status, "cell-timeout")
    else:
        how = "ended the Python process (os._exit, a crash, or too much memory)"
        outcome.status = worse(outcome.status, "kernel-died")
    if len(child.skip) < limits.reruns and now - child.started < limits.notebook:
        outcome.notes.append(f"{_cell_label(child, culprit)} {how}; the notebook ran again without it")
        child.skip.add(culprit)
        return True
    outcome.notes.append(f"{_cell_label(child, culprit)} {how}; exercises after it were not graded")
    return False


def _has_exited(child: _Child) -> bool:
    """True once the child has ended; where possible it is left unreaped, so its group id stays its own."""
    if hasattr(os, "waitid"):
        return os.waitid(os.P_PID, child.pid, os.WEXITED | os.WNOHANG | os.WNOWAIT) is not None
    pid, _ = os.waitpid(child.pid, os.WNOHANG)  # macOS before Python 3.13: reaped at once, so
    if pid:                                      # its group is killed straight away
        try:
            os.killpg(child.pid, signal.SIGKILL)
        except OSError:
            pass
        child.reaped = True
    return bool(pid)


def _reap(children: dict[int, _Child]) -> None:
    """Note which children have ended, leaving each as a zombie so its process group can still be killed."""
    for child in children.values():
        if not child.exited:
            try:
                child.exited = _has_exited(child)
            except ChildProcessError:
                child.exited = True
    if os.getpid() == 1 and hasattr(os, "waitid"):  # in a container without an init process, adopted orphans are ours to reap
        ours = {child.pid for child in children.values()}
        try:
            while True:
                found = os.waitid(os.P_ALL, 0, os.WEXITED | os.WNOHANG | os.WNOWAIT)
                if found is None or found.si_pid in ours:
                    break
                os.waitpid(found.si_pid, 0)
        except ChildProcessError:
            pass


def _bury(child: _Child) -> None:
    """Kill what is left of the child's process group, then reap the child itself."""
    _kill(child)
    if not child.reaped:
        try:
            os.waitpid(child.pid, 0)
        except ChildProcessError:
            pass
    child.reaped = True


def _remove(folder: Path) -> None:
    def unlock(function: Callable, path: str, _: object) -> None:
        try:
            os.chmod(os.path.dirname(path), 0o700)
            os.chmod(path, 0o700)
            function(path)
        except OSError:
            pass
    shutil.rmtree(folder, onerror=unlock)


def _fresh_folder(job: Job) -> Path:
    """A new temporary folder holding a copy of the submission: the notebook's working folder."""
    folder = Path(tempfile.mkdtemp(prefix="course-grade-"))
    try:
        shutil.copyfile(job.path, folder / job.path.name)
    except OSError:
        pass  # the cells are already read; the copy only lets a notebook find its own file
    return folder


def _start(job: Job, shell: object, limits: Limits) -> _Child:
    child = _Child(job=job, outcome=Outcome(), folder=_fresh_folder(job), started=time.monotonic())
    _fork(child, shell, limits)
    return child


def _restart(child: _Child, shell: object, limits: Limits) -> None:
    """Run the notebook again from the top, in a fresh copy, without the cells in `child.skip`."""
    os.close(child.fd)
    _remove(child.folder)
    child.folder = _fresh_folder(child.job)
    _fork(child, shell, limits)


def _finish(child: _Child, deliver: Callable[[Job, Outcome], None]) -> None:
    os.close(child.fd)
    _remove(child.folder)
    outcome = child.outcome
    outcome.timed_out = sorted(set(outcome.timed_out))
    if outcome.timed_out:
        outcome.status = worse(outcome.status, "cell-timeout")
    outcome.seconds = time.monotonic() - child.started
    deliver(child.job, outcome)


def _drain(child: _Child, now: float) -> None:
    """Read what an exited child left in the pipe (at most a pipe's buffer: it could write no more)."""
    os.set_blocking(child.fd, False)
    while not child.eof:
        try:
            if not select.select([child.fd], [], [], 0)[0]:
                return
        except OSError:
            return
        _read(child, now)


def _step(running: dict[int, _Child], limits: Limits, now: float) -> list[_Child]:
    """Kill what is overdue and return the children whose process has ended."""
    _reap(running)
    ended = []
    for child in running.values():
        if child.exited:
            _bury(child)  # whatever the notebook started in its process group goes too
            _drain(child, now)
            ended.append(child)
        elif child.done:
            _kill(child)  # finished: only leftovers are still running
        else:
            reason = _overdue(child, now, limits)
            if reason:
                child.stopped = reason
                _kill(child)
    return ended


def run_notebooks(jobs: list[Job], limits: Limits, deliver: Callable[[Job, Outcome], None]) -> None:
    """Run every job, at most `limits.jobs` at once, and call `deliver(job, outcome)` as each finishes."""
    shell = prepare()
    waiting = deque(jobs)
    running: dict[int, _Child] = {}
    try:
        while waiting or running:
            while waiting and len(running) < max(1, limits.jobs):
                child = _start(waiting.popleft(), shell, limits)
                running[child.fd] = child
            listening = [fd for fd, child in running.items() if not child.eof]
            ready = select.select(listening, [], [], 0.05)[0] if listening else []
            if not listening:
                time.sleep(0.01)
            now = time.monotonic()
            for fd in ready:
                _read(running[fd], now)
            for child in _step(running, limits, now):
                del running[child.fd]
                if _after_exit(child, limits, now):
                    _restart(child, shell, limits)
                    running[child.fd] = child
                else:
                    _finish(child, deliver)
    finally:
        for child in running.values():
            _bury(child)
            _remove(child.folder)
        for folder in _profile:
            _remove(folder)
