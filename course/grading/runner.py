"""Run submitted notebooks in sandboxes, several at a time, under time limits; hand back only answers.

`run_notebooks` starts one slot per job (`limits.jobs`): a sandbox (`course.grading.sandbox`)
running a zygote (`course.grading.zygote`) that has imported what lessons use and holds no
answers. Each submission runs in a child the zygote forks; the child reports each step on the
slot's channel, every line prefixed with the run's own random token, and the grader accepts a
line only with the token of the run it is waiting for: no run can speak for another (the slots
cannot see each other at all, and a slot runs one submission at a time, killing whatever a run
left behind before the next starts).

A watchdog here stops a run whose cell overruns its limit by more than a grace period (the child
stops an ordinary overrunning cell itself) or whose notebook overruns its own limit: it asks the
zygote to abort the run, and if the zygote does not answer, kills the whole sandbox and starts a
new one for the next submission. When a cell ends the process (`os._exit`, a crash, running out
of memory, killing the zygote) or has to be stopped, the notebook runs again from the top
without that cell, so one bad cell costs only what depends on it. Each result is handed back
as soon as it is known; the answers are judged elsewhere, with the keys (`course.grading.results`).

>>> Limits().cell, Limits().notebook
(30.0, 300.0)
"""

from __future__ import annotations

import json
import os
import secrets
import select
import shutil
import signal
import subprocess
import tempfile
import time
from collections import deque
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

from course.grading.plan import Plan, cell_label
from course.grading.sandbox import become, zygote_command
from course.grading.values import decode_answer

MAX_LINE = 4 * 2**20   # the longest message a child may send (an encoded answer is far smaller)
START_LIMIT = 120.0    # seconds a new sandbox may take to be ready
ABORT_GRACE = 3.0      # seconds the zygote has to end an aborted run before its sandbox is killed
STRANGERS_NOTED = 1    # a note is made once a run's channel carries a line without its token


class SlotError(Exception):
    """A sandbox would not start; the message has the last line it wrote."""


@dataclass
class Limits:
    """Time limits in seconds, parallel jobs, reruns, and how learners' code is isolated."""
    cell: float = 30.0
    notebook: float = 300.0
    jobs: int = 2
    grace: float = 2.0
    reruns: int = 3
    user: tuple[int, int] | None = None   # (uid, gid) the sandboxes run as; None: the grader's own
    sandboxed: bool = True                # False only with --unsafe-no-sandbox


@dataclass
class Job:
    """One notebook to run: the submission it belongs to, its text, cell sources and plan."""
    key: object
    path: Path
    sources: dict[int, str]
    plan: Plan
    content: str = ""


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
class Run:
    """One pass of a job through a slot (a job may need several, without the cells that ended it)."""
    job: Job
    outcome: Outcome
    started: float
    token: str = ""
    skip: set[int] = field(default_factory=set)
    cell: int = 0              # the cell running now (0: none)
    cell_started: float = 0.0
    done: bool = False         # the child said "done"
    ended: bool = False        # the zygote said "ended" (or the sandbox is gone)
    code: int = 0              # the child's exit code
    stopped: str = ""          # why the watchdog stopped it: "cell", "notebook" or "garbled"
    aborted_at: float = 0.0
    strangers: int = 0         # lines without this run's token (ignored)
    restarting: bool = False   # to run again once its slot has a new sandbox


class Slot:
    """One sandbox with its zygote, running one run at a time."""

    def __init__(self, limits: Limits, package: Path, data: Path):
        self.limits, self.package, self.data = limits, package, data
        self.process: subprocess.Popen | None = None
        self.buffer = b""
        self.ready = False
        self.run: Run | None = None
        self.errors = tempfile.TemporaryFile()
        self.scratch: Path | None = None   # without a sandbox: the slot's temporary folder

    # ------------------------------------------------------------ the sandbox itself

    def start(self) -> None:
        scratch = None
        if not self.limits.sandboxed:
            self.scratch = Path(tempfile.mkdtemp(prefix="course-grade-"))
            scratch = self.scratch / "runs"
        command, env = zygote_command(self.package, self.data, self.limits.sandboxed, scratch)
        self.process = subprocess.Popen(command, env=env or None, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                        stderr=self.errors, start_new_session=True, close_fds=True,
                                        preexec_fn=become(self.limits.user) if self.limits.user else None)
        self.buffer, self.ready = b"", False

    def stop(self) -> None:
        """Kill the sandbox and everything in it."""
        if self.process is None:
            return
        for kill in (lambda: os.killpg(self.process.pid, signal.SIGKILL), self.process.kill):
            try:
                kill()
            except OSError:
                pass
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            pass
        for stream in (self.process.stdin, self.process.stdout):
            try:
                stream.close()
            except OSError:
                pass
        self.process = None
        if self.scratch is not None:
            shutil.rmtree(self.scratch, ignore_errors=True)
            self.scratch = None

    def last_error(self) -> str:
        self.errors.seek(0)
        lines = self.errors.read().decode("utf-8", "replace").strip().splitlines()
        return lines[-1][:300] if lines else "no message"

    @property
    def fd(self) -> int:
        return self.process.stdout.fileno()

    def send(self, message: dict) -> bool:
        try:
            self.process.stdin.write((json.dumps(message) + "\n").encode("utf-8"))
            self.process.stdin.flush()
            return True
        except (OSError, ValueError):
            return False

    # ------------------------------------------------------------ runs

    def begin(self, run: Run) -> None:
        run.token = secrets.token_hex(16)
        run.cell, run.done, run.ended, run.code, run.stopped, run.aborted_at = 0, False, False, 0, "", 0.0
        run.strangers, run.restarting = 0, False
        self.run = run
        sent = self.send({"token": run.token, "actions": run.job.plan.actions,
                          "sources": {str(n): s for n, s in run.job.sources.items()}, "skip": sorted(run.skip),
                          "cell_limit": self.limits.cell, "notebook": run.job.path.name, "content": run.job.content})
        if not sent:
            self.lost()

    def abort(self, reason: str, now: float) -> None:
        run = self.run
        run.stopped = run.stopped or reason
        if not run.aborted_at:
            run.aborted_at = now
            if not self.send({"abort": run.token}):
                self.lost()

    def lost(self) -> None:
        """The sandbox is gone (or had to be killed): the run ends here; a new sandbox starts for the next."""
        self.stop()
        if self.run is not None:
            self.run.ended, self.run.code = True, -9

    def read(self, now: float) -> None:
        try:
            data = os.read(self.fd, 65536)
        except OSError:
            data = b""
        if not data:
            if not self.ready:
                raise SlotError(self.last_error())
            self.lost()
            return
        self.buffer += data
        *lines, self.buffer = self.buffer.split(b"\n")
        if len(self.buffer) > MAX_LINE:
            self.buffer = b""
            lines.append(b"- garbled")
        for line in lines:
            self.handle(line, now)

    def handle(self, line: bytes, now: float) -> None:
        token, _, text = line.partition(b" ")
        if not self.ready:
            self.ready = token == b"-" and text.strip() == b'["ready"]'
            return
        run = self.run
        if run is None or run.ended:
            return
        if token.decode("ascii", "replace") != run.token:
            run.strangers += 1   # not this run's: ignored (no other run can write here; this is forged or garbage)
            if run.strangers == STRANGERS_NOTED:
                run.outcome.notes.append("the notebook wrote lines into the grader's channel; they were ignored")
            return
        try:
            message = json.loads(text)
            if isinstance(message, list) and message[:1] == ["ended"] and len(message) == 2 \
                    and isinstance(message[1], int):
                run.ended, run.code = True, message[1]
            else:
                _handle(run, message, now)
        except (ValueError, RecursionError, TypeError):
            self.abort("garbled", now)


def _handle(run: Run, message: object, now: float) -> None:
    """Apply one message from a child; anything malformed raises ValueError."""
    if not isinstance(message, list) or not message or not isinstance(message[0], str):
        raise ValueError("not a message")
    kind, rest = message[0], message[1:]
    sources = run.job.sources
    if kind in ("start", "timeout", "error") and (not rest or rest[0] not in sources):
        raise ValueError("unknown cell")
    if kind == "start" and len(rest) == 1:
        run.cell, run.cell_started = rest[0], now
    elif kind == "timeout" and len(rest) == 1:
        run.outcome.timed_out.append(rest[0])
        run.cell = 0
    elif kind == "error" and len(rest) == 2 and isinstance(rest[1], str):
        run.outcome.errors[rest[0]] = rest[1][:300]
        run.cell = 0
    elif kind == "read" and len(rest) == 2 and rest[0] in run.job.plan.answer_cells:
        run.outcome.reads[rest[0]] = decode_answer(rest[1])
        run.cell = 0
    elif kind == "done" and not rest:
        run.done = True
    elif kind == "crash" and len(rest) == 1 and isinstance(rest[0], str):
        run.outcome.notes.append(f"the grader failed inside the notebook's process ({rest[0][:200]})")
        run.outcome.status = "grader-error"
    else:
        raise ValueError("unknown message")


def _overdue(run: Run, now: float, limits: Limits) -> str:
    if now - run.started > limits.notebook:
        return "notebook"
    if run.cell and now - run.cell_started > limits.cell + limits.grace:
        return "cell"
    return ""


SEVERITY = ["ok", "cell-timeout", "kernel-died", "notebook-timeout", "grader-error"]


def worse(status: str, other: str) -> str:
    """The more serious of two run statuses.

    >>> worse("ok", "cell-timeout"), worse("kernel-died", "cell-timeout")
    ('cell-timeout', 'kernel-died')
    """
    return max(status, other, key=SEVERITY.index)


def _after_end(run: Run, limits: Limits, now: float) -> bool:
    """Decide what an ended run means; True when the notebook must run again without a cell."""
    outcome = run.outcome
    if run.done or outcome.status == "grader-error":
        return False
    label = lambda number: cell_label(run.job.plan, number)  # noqa: E731
    if run.stopped in ("notebook", "garbled") or not run.cell:
        if run.stopped == "notebook":
            where = f" while {label(run.cell)} ran" if run.cell else ""
            why = f"stopped at the notebook's time limit ({limits.notebook:g} s){where}"
        elif run.stopped == "garbled":
            why = "the notebook's process sent the grader data it could not read"
        else:
            why = "the notebook's process ended between cells"
        outcome.status = worse(outcome.status, "notebook-timeout" if run.stopped == "notebook" else "grader-error")
        outcome.notes.append(f"{why}; exercises after that point were not graded")
        return False
    culprit = run.cell
    outcome.removed.append(culprit)
    if run.stopped == "cell":
        how = "did not stop at the cell time limit and was killed"
        outcome.status = worse(outcome.status, "cell-timeout")
    else:
        how = "ended the Python process (os._exit, a crash, or too much memory)"
        outcome.status = worse(outcome.status, "kernel-died")
    if len(run.skip) < limits.reruns and now - run.started < limits.notebook:
        outcome.notes.append(f"{label(culprit)} {how}; the notebook ran again without it")
        run.skip.add(culprit)
        return True
    outcome.notes.append(f"{label(culprit)} {how}; exercises after it were not graded")
    return False


def _finish(run: Run, deliver: Callable[[Job, Outcome], None]) -> None:
    outcome = run.outcome
    outcome.timed_out = sorted(set(outcome.timed_out))
    if outcome.timed_out:
        outcome.status = worse(outcome.status, "cell-timeout")
    outcome.seconds = time.monotonic() - run.started
    deliver(run.job, outcome)


def _ready_slot(slot: Slot, now: float, started: dict[int, float]) -> None:
    """Start a slot's sandbox if it has none; wait until it says it is ready."""
    if slot.process is None:
        slot.start()
        started[id(slot)] = now
    if not slot.ready and now - started.get(id(slot), now) > START_LIMIT:
        raise SlotError(f"the sandbox did not start within {START_LIMIT:g} s ({slot.last_error()})")


def run_notebooks(jobs: list[Job], limits: Limits, deliver: Callable[[Job, Outcome], None],
                  package: Path | None = None, data: Path | None = None) -> None:
    """Run every job, at most `limits.jobs` at once, and call `deliver(job, outcome)` as each finishes.

    `package` and `data` are the toolkit's folder and the course data mounted in the sandboxes
    (by default: the toolkit this code belongs to, and its data folder). Raises SlotError if a
    sandbox cannot start.
    """
    if package is None or data is None:
        import course
        from course.reading.data import data_folder

        package = package or Path(course.__file__).resolve().parent
        data = data or data_folder()
    waiting = deque(jobs)
    slots = [Slot(limits, package, data) for _ in range(max(1, min(limits.jobs, len(jobs))))]
    started: dict[int, float] = {}
    try:
        while waiting or any(slot.run for slot in slots):
            now = time.monotonic()
            for slot in slots:
                if slot.run is None and waiting:
                    _ready_slot(slot, now, started)
                    if slot.ready:
                        slot.begin(Run(waiting.popleft(), Outcome(), now))
                elif slot.run is not None and slot.run.restarting:   # its sandbox was lost: a new one, then again
                    _ready_slot(slot, now, started)
                    if slot.ready:
                        slot.begin(slot.run)
            listening = [slot for slot in slots if slot.process is not None]
            ready = select.select([slot.fd for slot in listening], [], [], 0.05)[0] if listening else []
            if not listening:
                time.sleep(0.01)
            now = time.monotonic()
            for slot in listening:
                if slot.process is not None and slot.fd in ready:
                    slot.read(now)
            for slot in slots:
                _watch(slot, limits, now, deliver)
    finally:
        for slot in slots:
            slot.stop()


def _watch(slot: Slot, limits: Limits, now: float, deliver: Callable[[Job, Outcome], None]) -> None:
    """Stop what is overdue; when a run has ended, hand it back or run it again."""
    run = slot.run
    if run is None or run.restarting:
        return
    if not run.ended:
        reason = _overdue(run, now, limits)
        if reason:
            slot.abort(reason, now)
        if run.aborted_at and now - run.aborted_at > ABORT_GRACE:
            slot.lost()   # the zygote did not end the run: the whole sandbox goes, and a new one starts
        if not run.ended:
            return
    if _after_end(run, limits, now):
        if slot.process is not None and slot.ready:
            slot.begin(run)
        else:   # the sandbox is gone; the run begins again once a new one is ready (run_notebooks)
            run.ended, run.restarting = False, True
        return
    slot.run = None
    _finish(run, deliver)
