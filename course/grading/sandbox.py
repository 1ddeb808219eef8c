"""The sandbox learners' code runs in while grading: bubblewrap, with no answers inside it.

Each grading slot (one per `--jobs`) is one bubblewrap sandbox (`bwrap`, the sandbox Flatpak
uses) running `python -m course.grading.zygote`. Inside it:

- no network (its own, empty network namespace), its own process ids (other slots, the grader
  and the instructor's processes are invisible and cannot be signalled), its own IPC and host name;
- read-only: Python, the course's toolkit (`course/`) and its data (`datasets/`), and the system's
  libraries (`/usr`); the toolkit's `keys/` folder is an empty folder there; nothing else of the
  machine is mounted: not the solution side, not the keys given with --keys, not a home folder;
- writable: a private `/tmp` (memory only), emptied after every run;
- it ends with the grader (`--die-with-parent`), and every process in it with its init: nothing
  outlives grading.

The zygote is a fresh process: it never loaded a key, so neither its memory nor its children's
holds one. Where bubblewrap is missing or not allowed, grading stops with one line that says how
to install it, unless the instructor passes `--unsafe-no-sandbox` (then the zygote runs as an
ordinary process, which can read and write what the instructor can, and every row says so).

>>> "--unshare-all" in bwrap_arguments(Path("/srv/course/course"), Path("/srv/course/datasets"))
True
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

UNSAFE_NOTE = "graded WITHOUT a sandbox (--unsafe-no-sandbox): learner code could read the keys and other files"
INSTALL = ("Grading runs learners' code in a bubblewrap sandbox, and bubblewrap is {why}. Install it "
           "(Debian/Ubuntu: sudo apt install bubblewrap; Fedora: sudo dnf install bubblewrap), or run the grader "
           "inside a container with no network (docker run --rm --network none -v \"$PWD\":/course -w /course IMAGE "
           "python -m course grade ... --unsafe-no-sandbox), or, knowing learner code can then read the keys, pass "
           "--unsafe-no-sandbox.")
SYSTEM = [("/usr", True), ("/etc/ld.so.cache", False), ("/etc/fonts", False), ("/etc/localtime", False)]


def _real(path: Path | str) -> Path:
    return Path(os.path.realpath(path))


def python_folders() -> list[Path]:
    """The folders this Python needs: its installation, the virtual environment, the executable's folder."""
    found: list[Path] = []
    for folder in (sys.base_prefix, sys.prefix, _real(sys.executable).parent, Path(sys.executable).parent):
        folder = _real(folder)
        if not any(folder == f or f in folder.parents for f in found):
            found = [f for f in found if folder not in f.parents] + [folder]
    return found


def bwrap_arguments(package: Path, data: Path) -> list[str]:
    """bubblewrap's arguments (before the command) for a sandbox that runs the toolkit in `package`.

    `package` is the toolkit's folder (holding `grading/`, `keys/`); `data` the course's data folder.
    """
    arguments = ["--unshare-all", "--die-with-parent", "--new-session", "--clearenv",
                 "--uid", "65534", "--gid", "65534", "--proc", "/proc", "--dev", "/dev", "--tmpfs", "/tmp"]
    for path, must in SYSTEM:
        if Path(path).exists():
            arguments += ["--ro-bind", path, path]
        elif must:
            raise FileNotFoundError(path)
    for name in ("bin", "lib", "lib64", "sbin"):
        target = Path("/") / name
        if target.is_symlink():
            arguments += ["--symlink", os.readlink(target), str(target)]
        elif target.is_dir():
            arguments += ["--ro-bind", str(target), str(target)]
    for folder in python_folders():
        arguments += ["--ro-bind", str(folder), str(folder)]
    package, data = _real(package), _real(data)
    arguments += ["--ro-bind", str(package), str(package), "--tmpfs", str(package / "keys"),
                  "--ro-bind", str(data), str(data), "--chdir", "/tmp"]
    return arguments


def environment(package: Path, data: Path) -> dict[str, str]:
    """The environment inside the sandbox: nothing of the instructor's, only what the lessons need."""
    return {"PATH": "/usr/bin:/bin", "HOME": "/tmp", "LANG": "C.UTF-8", "PYTHONDONTWRITEBYTECODE": "1",
            "PYTHONPATH": str(_real(package).parent), "COURSE_DATA": str(_real(data)), "COURSE_GRADING": "1",
            "MPLBACKEND": "Agg", "MPLCONFIGDIR": "/tmp/mpl", "IPYTHONDIR": "/tmp/ipython", "COURSE_SANDBOX": "bwrap",
            "COURSE_SCRATCH": "/tmp/runs"}


def zygote_command(package: Path, data: Path, sandboxed: bool = True,
                   scratch: Path | None = None) -> tuple[list[str], dict[str, str]]:
    """The command that starts one slot's zygote, and its environment.

    Without a sandbox, `scratch` is the slot's own temporary folder (the zygote empties it after
    each run, and nothing else); the zygote then runs as an ordinary process.
    """
    python = [sys.executable, "-m", "course.grading.zygote"]
    env = environment(package, data)
    if not sandboxed:
        unsafe = {**env, "COURSE_SANDBOX": "none", "COURSE_SCRATCH": str(scratch),
                  "MPLCONFIGDIR": str(scratch) + "-mpl", "IPYTHONDIR": str(scratch) + "-ipython", "HOME": str(scratch)}
        return python, {**os.environ, **unsafe, "PATH": os.environ.get("PATH", env["PATH"])}
    setenv = [argument for name, value in env.items() for argument in ("--setenv", name, value)]
    return ["bwrap", *bwrap_arguments(package, data), *setenv, *python], {}


def sandbox_problem(package: Path, data: Path, user: tuple[int, int] | None = None) -> str:
    """Why a sandbox cannot start here ('' when it can): bubblewrap missing, or refused by the system."""
    if shutil.which("bwrap") is None:
        return INSTALL.format(why="not installed")
    command = ["bwrap", *bwrap_arguments(package, data), sys.executable, "-c", "import sys"]
    try:
        done = subprocess.run(command, capture_output=True, text=True, timeout=30,
                              preexec_fn=become(user) if user else None)
    except (OSError, subprocess.SubprocessError) as error:
        return INSTALL.format(why=f"not usable here ({type(error).__name__})")
    if done.returncode != 0:
        reason = (done.stderr.strip().splitlines() or ["no reason given"])[-1][:200]
        return INSTALL.format(why=f"not allowed to start here ({reason})")
    return ""


def become(user: tuple[int, int]):
    """A function that makes the process it runs in (before exec) the given (uid, gid)."""
    def switch() -> None:
        os.setgroups([])
        os.setgid(user[1])
        os.setuid(user[0])
    return switch
