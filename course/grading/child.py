"""Inside the graded notebook's own process: run the learner's cells and report, one line at a time.

The zygote (`course.grading.zygote`, inside the sandbox) forks one child per submission from a
process that has already imported pandas, matplotlib, IPython and the toolkit, so each notebook
starts in a few milliseconds instead of a kernel's seconds. The child cuts itself off first (its
own session and process group, no terminal, no input, output thrown away, the zygote's other
files closed, a private scratch folder as its working and home folder, limits on memory and file
size), then follows the plan: run a cell, reset `answer`, read `answer`. Each step is reported to
the grader at once, as one JSON line on the run's channel, prefixed with the run's token, so
whatever was graded survives a crash.

Messages: ["start", cell], ["error", cell, text], ["timeout", cell], ["read", qid, value],
["done"], ["crash", text]. The grader trusts none of them further than a learner's answer.

>>> describe_error(ZeroDivisionError("division by zero"))
'ZeroDivisionError: division by zero'
"""

from __future__ import annotations

import builtins
import json
import os
import resource
import signal
import sys
from pathlib import Path

from course.grading.values import Missing, encode

MEMORY_LIMIT_MB = 2048      # address space of one graded notebook
FILE_LIMIT_MB = 100         # the largest file a notebook may write
REPEAT_ALARM = 0.5          # after a cell's time is up, interrupt it again this often


EXIT_NOTE = "exit() or quit(): the notebook stops here, as its kernel would end in JupyterLab"


class CellTimeout(BaseException):
    """Raised inside a learner's cell when its time is up (a BaseException, so `except Exception` cannot keep it)."""


class NotebookExit(BaseException):
    """Raised by `exit()` or `quit()` in a learner's cell: in JupyterLab they end the kernel, so the notebook stops."""


def stop_notebook(*args: object, **kwargs: object) -> None:
    """What `exit()` and `quit()` do while grading: stop the notebook here, as ending the kernel would."""
    raise NotebookExit()


_armed = [False]


def _on_alarm(signum: int, frame: object) -> None:
    if _armed[0]:
        raise CellTimeout()


def _no_input(prompt: object = "") -> str:
    raise RuntimeError("input() cannot be answered while grading; write the value in the cell instead")


def send(channel: int, token: str, message: list) -> None:
    """One line on the grader's channel: the run's token, a space, the message as JSON."""
    data = (token + " " + json.dumps(message, ensure_ascii=True) + "\n").encode("ascii")
    while data:
        data = data[os.write(channel, data):]


def describe_error(error: BaseException) -> str:
    """'TypeName: message', cut short; never raises, whatever the learner's exception does."""
    try:
        text = str(error)
    except BaseException:
        text = ""
    name = type(error).__name__ if isinstance(type(error).__name__, str) else "Exception"
    return f"{name}: {text}"[:300] if text else name[:300]




def _die_with_parent() -> None:
    """Be killed at once if the zygote dies (prctl PR_SET_PDEATHSIG): a cell that kills the zygote is then
    the cell the grader names, not whichever cell the child had reached by the time it noticed."""
    try:
        import ctypes

        ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGKILL, 0, 0, 0)
    except (OSError, AttributeError):
        pass


def _isolate(folder: Path, fd: int) -> None:
    """Cut the child off from the grader's terminal, files and folders; set limits."""
    _die_with_parent()
    os.setsid()
    os.closerange(3, fd)
    os.closerange(fd + 1, 65536)
    null = os.open(os.devnull, os.O_RDWR)
    for target in (0, 1, 2):
        os.dup2(null, target)
    os.close(null)
    for name, limit in ((resource.RLIMIT_CORE, 0), (resource.RLIMIT_FSIZE, FILE_LIMIT_MB * 2**20),
                        (resource.RLIMIT_AS, MEMORY_LIMIT_MB * 2**20)):
        soft, hard = resource.getrlimit(name)
        if hard == resource.RLIM_INFINITY or hard > limit:
            try:
                resource.setrlimit(name, (limit, limit))
            except (ValueError, OSError):
                pass
    signal.signal(signal.SIGINT, signal.default_int_handler)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    signal.signal(signal.SIGALRM, _on_alarm)
    old_cwd = os.getcwd()
    os.chdir(folder)
    sys.path[:] = [str(folder) if p in ("", old_cwd) else p for p in sys.path]
    os.environ.pop("COURSE_STRICT", None)
    os.environ.update(HOME=str(folder), TMPDIR=str(folder), MPLBACKEND="Agg", COURSE_GRADING="1",
                      COURSE_PROGRESS_FILE=str(folder / ".course_progress.json"))
    import tempfile

    tempfile.tempdir = None
    builtins.input = _no_input


def run_cell(shell: object, source: str, limit: float) -> str | None:
    """Run one cell in the IPython shell; None if it ran, "timeout", or the error it stopped with."""
    try:
        try:
            _armed[0] = True
            signal.setitimer(signal.ITIMER_REAL, limit, REPEAT_ALARM)
            result = shell.run_cell(source, store_history=True)
        finally:
            _armed[0] = False
            signal.setitimer(signal.ITIMER_REAL, 0)
    except CellTimeout:
        return "timeout"
    except NotebookExit:
        return "exit"
    error = result.error_before_exec or result.error_in_exec
    if isinstance(error, CellTimeout):
        return "timeout"
    if isinstance(error, NotebookExit):
        return "exit"
    return describe_error(error) if error is not None else None


def child_main(shell: object, actions: list, sources: dict[int, str], skip: set[int], folder: Path, fd: int,
               cell_limit: float, token: str) -> None:
    """Follow the plan in this (forked) process, report each step on `fd` under `token`, and exit; never returns."""
    def _send(fd: int, message: list) -> None:
        send(fd, token, message)

    code = 0
    zygote = os.getppid()
    try:
        _isolate(folder, fd)
        namespace = shell.user_ns
        for action, target in actions:
            if os.getppid() != zygote:   # the zygote is gone (a cell killed it): stop here, before another cell
                os._exit(71)
            if action == "reset":
                namespace["answer"] = ...
            elif action == "read":
                _send(fd, ["read", target, encode(namespace.get("answer", Missing()))])
            elif target not in skip:
                _send(fd, ["start", target])
                outcome = run_cell(shell, sources[target], cell_limit)
                if outcome == "exit":   # exit() or quit(): the notebook ends here, as its kernel would
                    _send(fd, ["error", target, EXIT_NOTE])
                    break
                if outcome == "timeout":
                    _send(fd, ["timeout", target])
                elif outcome:
                    _send(fd, ["error", target, outcome])
        _send(fd, ["done"])
    except BaseException as error:  # anything here is the grader's problem, or a learner's sabotage
        try:
            _send(fd, ["crash", describe_error(error)])
        except BaseException:
            pass
        code = 70
    finally:
        os._exit(code)
