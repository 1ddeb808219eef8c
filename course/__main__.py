"""Command line: `python -m course COMMAND`.

For learners:
    python -m course workspace           make your working copies of new lessons in my-work/
                                         (make lab runs it; an existing copy is never overwritten)

For authors and instructors (in the full course repository, which has notebooks/solutions/):
    python -m course build [--check]     regenerate learner notebooks and sealed keys (--check: only report)
    python -m course execute [NN]        re-run solution notebooks top to bottom, saving outputs (builds
                                         before and after, so it works in either order with build)
    python -m course add-exercise NN --kind KIND [--title T] [--after CELL]
                                         add an exercise's cells and key stub to a lesson (MAINTAINING.md)
    python -m course release OUT_DIR [--mode self-study|graded] [--lessons 00-03] [--force]
                                         write a learner release (a folder and OUT_DIR.zip), scanned for leaks
    python -m course scan FOLDER [--mode self-study|graded]
                                         scan any folder for answers and for links to files it lacks
    python -m course html OUT_DIR [--force]
                                         write the lessons as offline HTML: worksheets, and solutions apart
    python -m course grade SUBMISSION... --out grades.csv [--feedback DIR] [--jobs N] ...
                                         grade learners' notebooks and exports with the full keys
                                         (notebooks/solutions/GRADING.md)
    python -m course bench --grade       time the grader against bare notebook runs

Every command reports a problem in one message that says what to do, and exits non-zero.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
FULL_COURSE_ONLY = ("`python -m course {command}` works in the full course repository, which has "
                    "notebooks/solutions/; {root} has none (it is a learner's copy).")


def _relative(path: Path) -> str:
    try:
        return str(path.relative_to(ROOT))
    except ValueError:
        return str(path)


def one_line(error: Exception) -> str:
    """An unexpected error as one line: its kind and the last line of its message."""
    lines = str(error).strip().splitlines()
    return f"{type(error).__name__}: {lines[-1] if lines else ''}"


def _full_course(command: str, root: Path) -> bool:
    """True if `root` has the solution side; otherwise say so, once."""
    if (root / "notebooks" / "solutions").is_dir():
        return True
    print(FULL_COURSE_ONLY.format(command=command, root=root), file=sys.stderr)
    return False


def build_command(check: bool, root: Path) -> int:
    if not _full_course("build", root):
        return 2
    from course.authoring.build import BuildError, plan, stale_files, write

    try:
        build = plan(root)
    except BuildError as error:
        print(f"Build stopped, nothing written: {error}", file=sys.stderr)
        return 2
    if check:
        stale = stale_files(build) + build.orphans
        if stale:
            print("Stale generated files (run `python -m course build`):", file=sys.stderr)
            for path in stale:
                print(f"  {_relative(path)}", file=sys.stderr)
            return 1
        print(f"Up to date: {len(build.files)} generated files.")
        return 0
    changed = write(build)
    print(f"Built {len(build.files)} files; {len(changed)} changed.")
    for path in changed:
        print(f"  {_relative(path)}")
    return 0


def execute_command(names: list[str]) -> int:
    if not _full_course("execute", ROOT):
        return 2
    from course.authoring.execute import execute_notebook, solution_paths

    paths = solution_paths(names)
    if not paths:
        print(f"No solution notebook matches {names}.", file=sys.stderr)
        return 2
    if build_command(False, ROOT) != 0:   # the checks judge with the keys as they are now
        return 2
    for path in paths:
        print(f"Executing {_relative(path)} ...", flush=True)
        try:
            execute_notebook(path)
        except Exception as error:  # report which notebook failed, in one line
            print(f"  failed: {one_line(error)}", file=sys.stderr)
            return 1
    return build_command(False, ROOT)   # the learner notebooks follow the solutions just executed


def add_exercise_command(lesson: str, kind: str, title: str, after: int | None, label: str) -> int:
    if not _full_course("add-exercise", ROOT):
        return 2
    from course.authoring.add_exercise import AddExerciseError, add_exercise
    from course.authoring.build import BuildError

    try:
        qid, path, key = add_exercise(lesson, kind, title, after, root=ROOT, label=label)
    except (AddExerciseError, BuildError, OSError) as error:
        print(f"No exercise added, nothing written: {error}", file=sys.stderr)
        return 2
    print(f"Added {qid} ({kind}) to {_relative(path)}, with its key in {_relative(key)}.")
    what = "the options and each one's feedback" if kind == "choice" else "the answer, the explanation"
    print(f"  1. In the key, replace every TODO: {what}, the hints.")
    print(f"  2. In the lesson, write the question under its heading, and the solution in the answer cell.")
    print(f"  3. Run `python -m course execute {path.name[:2]}`: it builds, runs the lesson in strict mode and "
          "saves its outputs.")
    print("  `make test` fails while a TODO is left. MAINTAINING.md has the whole recipe.")
    return 0


def workspace_command(source: Path, into: Path) -> int:
    from course.exercises.workspace import WorkspaceError, describe, update_workspace

    try:
        report = update_workspace(source, into)
    except (WorkspaceError, OSError) as error:
        print(f"Could not make your working copies: {error}", file=sys.stderr)
        return 2
    print(describe(report, source, into))
    return 0


def release_command(out: Path, mode: str, force: bool, lessons: str | None = None) -> int:
    if not _full_course("release", ROOT):
        return 2
    from course.authoring.release import LeakFound, ReleaseError, release

    try:
        result = release(ROOT, out, mode, force, lessons)
    except LeakFound as found:
        print(f"Release stopped, nothing written: the leak scan found {len(found.leaks)} problem(s).",
              file=sys.stderr)
        for leak in found.leaks:
            print(f"  LEAK {leak}", file=sys.stderr)
        return 1
    except (ReleaseError, OSError) as error:
        print(f"Release stopped, nothing written: {error}", file=sys.stderr)
        return 2
    except Exception as error:  # a damaged lesson file, for example: one line, never a traceback
        print(f"Release stopped, nothing written: {one_line(error)}", file=sys.stderr)
        return 2
    count = len(result.lessons)
    print(f"Wrote a {result.mode} release of {count} lesson{'' if count == 1 else 's'} ({', '.join(result.lessons)}; "
          f"{result.files} files): {result.folder}")
    print(f"  and {result.archive}")
    if result.kept:
        shown = ", ".join(result.kept[:5]) + (f" and {len(result.kept) - 5} more" if len(result.kept) > 5 else "")
        print(f"  Kept what the folder held that no release wrote: {shown}")
    print("  The leak scan found nothing. Learners start with `make lab`; `make test` checks the folder.")
    return 0


def scan_command(folder: Path, mode: str | None) -> int:
    if not _full_course("scan", ROOT):
        return 2
    from course.authoring.leaks import scan

    if not folder.is_dir():
        print(f"{folder} is not a folder. Give the folder to scan.", file=sys.stderr)
        return 2
    leaks = scan(folder, ROOT / "notebooks" / "solutions" / "keys", mode)
    for leak in leaks:
        print(f"LEAK {leak}", file=sys.stderr)
    print(f"{len(leaks)} leak(s) in {folder}.", file=sys.stderr if leaks else sys.stdout)
    return 1 if leaks else 0


def html_command(out: Path, force: bool) -> int:
    if not _full_course("html", ROOT):
        return 2
    from course.authoring.html_export import ExportError, export

    try:
        written = export(ROOT, out, force)
    except (ExportError, OSError) as error:
        print(f"HTML export stopped, nothing written: {error}", file=sys.stderr)
        return 2
    except Exception as error:  # a kernel that would not start, for example: one line, never a traceback
        print(f"HTML export stopped, nothing written: {one_line(error)}", file=sys.stderr)
        return 2
    print(f"Wrote {len(written.worksheets)} worksheets and {len(written.solutions)} solutions as HTML: {out}")
    print(f"  learners:    {written.learners_index}  (hand out this folder; it has no solutions)")
    print(f"  instructors: {written.instructors_index}")
    return 0


def parser() -> argparse.ArgumentParser:
    """The command line's options, one sub-command each."""
    from course.exercises.keys import KINDS, MODES

    top = argparse.ArgumentParser(prog="python -m course", description="Course tools.")
    commands = top.add_subparsers(dest="command", required=True)
    build = commands.add_parser("build", help="generate learner notebooks and sealed keys")
    build.add_argument("--check", action="store_true", help="only report stale files; write nothing")
    build.add_argument("--root", type=Path, default=ROOT, help=argparse.SUPPRESS)
    execute = commands.add_parser("execute", help="re-run solution notebooks and save their outputs")
    execute.add_argument("names", nargs="*", help="lesson numbers or names (default: all)")
    add = commands.add_parser("add-exercise", help="add an exercise's cells and key stub to a lesson")
    add.add_argument("lesson", metavar="NN", help="the lesson's number, such as 03")
    add.add_argument("--kind", required=True, choices=sorted(KINDS), help="the kind of exercise")
    add.add_argument("--title", default="", help="the exercise's title")
    add.add_argument("--label", default="", help="the skill its heading names, such as judge, find, compute, "
                                                 "transfer (default: from the kind)")
    add.add_argument("--after", type=int, metavar="CELL",
                     help="put it after this cell (counted from 1; default: before the Reflection)")
    workspace = commands.add_parser("workspace", help="make your working copies of new lessons in my-work/")
    workspace.add_argument("--from", dest="source", type=Path, default=Path("notebooks"),
                           help="the course's lessons (default: notebooks)")
    workspace.add_argument("--into", type=Path, default=Path("my-work"), help="your folder (default: my-work)")
    release = commands.add_parser("release", help="write a learner release folder and zip, scanned for leaks")
    release.add_argument("out", type=Path, metavar="OUT_DIR")
    release.add_argument("--mode", choices=MODES, default="self-study",
                         help="self-study: sealed keys, instant feedback; graded: no answers shipped")
    release.add_argument("--force", action="store_true",
                         help="replace an earlier release in OUT_DIR (files it did not write, such as .git, stay)")
    release.add_argument("--lessons", metavar="LIST",
                         help="release only these lessons, such as 00-03 or 01,03 (lesson 00 is always included)")
    scan = commands.add_parser("scan", help="scan a folder for answers and links to missing files")
    scan.add_argument("folder", type=Path, metavar="FOLDER")
    scan.add_argument("--mode", choices=MODES, default=None, help="graded: sealed keys count as leaks too")
    html = commands.add_parser("html", help="write the lessons as offline HTML (worksheets; solutions apart)")
    html.add_argument("out", type=Path, metavar="OUT_DIR")
    html.add_argument("--force", action="store_true", help="replace an earlier export in OUT_DIR")
    try:  # instructors' tools: a learner's copy of the course does not have them
        from course.grading import bench, grade
    except ImportError:
        return top
    usage = argparse.RawDescriptionHelpFormatter
    grade.add_arguments(commands.add_parser("grade", help="grade submissions with the full keys (instructors)",
                                            description=grade.__doc__.split(">>>")[0], formatter_class=usage))
    bench.add_arguments(commands.add_parser("bench", help="time the grader (instructors)",
                                            description=bench.__doc__, formatter_class=usage))
    return top


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    if args.command in ("grade", "bench"):
        if not _full_course(args.command, ROOT):
            return 2
        from course.grading import bench, grade

        return grade.main(args) if args.command == "grade" else bench.main(args)
    if args.command == "build":
        return build_command(args.check, args.root.resolve())
    if args.command == "execute":
        return execute_command(args.names)
    if args.command == "add-exercise":
        return add_exercise_command(args.lesson, args.kind, args.title, args.after, args.label)
    if args.command == "workspace":
        return workspace_command(args.source, args.into)
    if args.command == "release":
        return release_command(args.out, args.mode, args.force, args.lessons)
    if args.command == "scan":
        return scan_command(args.folder, args.mode)
    return html_command(args.out, args.force)


if __name__ == "__main__":
    sys.exit(main())
