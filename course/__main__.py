"""Command line: `python -m course build [--check]`.

    python -m course build          regenerate learner notebooks and sealed keys
    python -m course build --check  exit 1 if any generated file is stale (writes nothing)
    python -m course execute [NN]   re-run solution notebooks top to bottom, saving outputs
    python -m course grade ...      grade learners' notebooks and exports (see course/grade.py)
    python -m course bench --grade  time the grader against bare notebook runs (see course/bench.py)
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from course.build import ROOT, BuildError, plan, stale_files, write


def _relative(path: Path) -> str:
    try:
        return str(path.relative_to(ROOT))
    except ValueError:
        return str(path)


def build_command(check: bool, root: Path) -> int:
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
    from course.execute import execute_notebook, solution_paths

    paths = solution_paths(names)
    if not paths:
        print(f"No solution notebook matches {names}.", file=sys.stderr)
        return 2
    for path in paths:
        print(f"Executing {_relative(path)} ...", flush=True)
        try:
            execute_notebook(path)
        except Exception as error:  # report which notebook failed, in one line
            print(f"  failed: {type(error).__name__}: {str(error).splitlines()[-1] if str(error) else ''}",
                  file=sys.stderr)
            return 1
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m course", description="Course tools.")
    commands = parser.add_subparsers(dest="command", required=True)
    build = commands.add_parser("build", help="generate learner notebooks and sealed keys")
    build.add_argument("--check", action="store_true", help="only report stale files; write nothing")
    build.add_argument("--root", type=Path, default=ROOT, help=argparse.SUPPRESS)
    execute = commands.add_parser("execute", help="re-run solution notebooks and save their outputs")
    execute.add_argument("names", nargs="*", help="lesson numbers or names (default: all)")
    from course import bench, grade

    usage = argparse.RawDescriptionHelpFormatter
    grade.add_arguments(commands.add_parser("grade", help="grade submissions with the full keys (instructors)",
                                            description=grade.__doc__.split(">>>")[0], formatter_class=usage))
    bench.add_arguments(commands.add_parser("bench", help="time the grader (instructors)",
                                            description=bench.__doc__, formatter_class=usage))
    args = parser.parse_args(argv)
    if args.command == "grade":
        return grade.main(args)
    if args.command == "bench":
        return bench.main(args)
    if args.command == "build":
        return build_command(args.check, args.root.resolve())
    return execute_command(args.names)


if __name__ == "__main__":
    sys.exit(main())
