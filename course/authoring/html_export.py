"""The lessons as HTML pages that read offline: worksheets for learners, solutions for instructors.

    python -m course html OUT_DIR [--force]

writes

    OUT_DIR/index.html                 links to the two folders below
    OUT_DIR/learners/index.html        the worksheets: each learner notebook, run top to bottom as a
    OUT_DIR/learners/NN_name.html        learner first opens it (text, highlighted passages, tables
                                         and figures show; answers are blank; checks say Not attempted)
    OUT_DIR/instructors/index.html     the solution notebooks, with their saved outputs
    OUT_DIR/instructors/NN_name.html

`learners/` holds no solutions and can be handed out on its own. Every page reads with no
network: figures are inline (data URIs), and the scripts that nbconvert links from a CDN
(require.js, MathJax, mermaid) are removed; the lessons need none of them to be read. Links
to sources on the web stay links. Pages are built in a hidden folder and moved into place
only when all of them are written.

>>> offline("<p>x</p><script src='https://cdn.example/require.js'></script>")
'<p>x</p>'
"""

from __future__ import annotations

import copy
import html
import re
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

import nbformat
from nbconvert import HTMLExporter
from nbconvert.filters.markdown_mistune import markdown2html_mistune

from course.exercises.keys import load_readable_keys
from course.authoring.leaks import Secrets, readable_text, result_leaks, secret_texts_in
from course.authoring.stated_results import file_lesson, page_prose
from course.exercises.lessons import lesson_paths, title_and_time
from course.authoring.notebook_run import run_notebooks
from course.authoring.outdir import move_into_place, out_dir_problem, staging_folder, write_marker

MARKER = ".course-html.json"
_SCRIPT = re.compile(r"<script\b[^>]*>.*?</script>", re.IGNORECASE | re.DOTALL)
_REMOTE_LINK = re.compile(r"""<link\b[^>]*\bhref\s*=\s*["']https?://[^>]*>""", re.IGNORECASE)
_MATHJAX_CONFIG = "text/x-mathjax-config"
_DETAILS = re.compile(r"<details>\s*<summary>(.*?)</summary>(.*?)</details>", re.DOTALL)
_IMG = re.compile(r"<img\b[^>]*>")
_PNG_SRC = re.compile(r'\ssrc="data:image/png;base64,([^"]+)"')
_ALT = re.compile(r'\salt="[^"]*"')
PAGE = """<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>{title}</title>
<style>body{{font-family:system-ui,sans-serif;max-width:46rem;margin:2rem auto;padding:0 1rem;line-height:1.5}}
td,th{{padding:.3rem .8rem;text-align:left;border-bottom:1px solid #ccc}}</style></head>
<body><h1>{title}</h1>
{body}
</body></html>
"""


class ExportError(Exception):
    """The export cannot be written; the message says why. Nothing was written."""


@dataclass
class Export:
    """What `export` wrote."""
    folder: Path
    worksheets: list[str] = field(default_factory=list)
    solutions: list[str] = field(default_factory=list)

    @property
    def learners_index(self) -> Path:
        return self.folder / "learners" / "index.html"

    @property
    def instructors_index(self) -> Path:
        return self.folder / "instructors" / "index.html"


def offline(page: str) -> str:
    """Remove what would fetch from the network: scripts that load from a URL or import one, remote stylesheets.

    Inline scripts that fetch nothing stay.
    """
    def keep(match: re.Match) -> str:
        script = match.group(0)
        return "" if re.search(r"https?://", script) or _MATHJAX_CONFIG in script else script
    return _REMOTE_LINK.sub("", _SCRIPT.sub(keep, page))


def fold_details(markdown: str) -> str:
    """Turn each `<details>` block of a Markdown cell into one HTML block, its contents rendered inside it.

    A blank line ends an HTML block in Markdown, so the contents are rendered here and written
    with no blank line (an empty line inside preformatted text becomes a line-feed entity).
    """
    def fold(match: re.Match) -> str:
        inner = markdown2html_mistune(match.group(2).strip()).strip()
        inner = re.sub(r"\n\s*\n", "\n&#10;\n", inner)
        return f"<details><summary>{match.group(1)}</summary>{inner}</details>"
    return _DETAILS.sub(fold, markdown)


def figure_alt_texts(nb: nbformat.NotebookNode) -> dict[str, str]:
    """{base64 PNG data: description} for every figure output that carries alt text in its metadata."""
    found = {}
    for cell in nb.cells:
        for output in cell.get("outputs", []):
            data = output.get("data", {}).get("image/png")
            alt = output.get("metadata", {}).get("image/png", {}).get("alt")
            if data and isinstance(alt, str) and alt.strip():
                found["".join(data.split())] = alt.strip()
    return found


def with_alt_texts(page: str, alts: dict[str, str]) -> str:
    """Give each inline PNG of `page` the description recorded for its data (its alt attribute replaced)."""
    def describe(match: re.Match) -> str:
        tag = match.group(0)
        src = _PNG_SRC.search(tag)
        alt = alts.get("".join(src.group(1).split())) if src else None
        if alt is None:
            return tag
        return _ALT.sub("", tag)[:-1].rstrip("/ ") + f' alt="{html.escape(alt)}">'
    return _IMG.sub(describe, page)


def to_html(nb: nbformat.NotebookNode, title: str, exporter: HTMLExporter) -> str:
    """One notebook as an offline page: details folded, figures described."""
    nb = copy.deepcopy(nb)  # the caller's notebook is left as it was
    for cell in nb.cells:
        if cell.cell_type == "markdown" and "<details" in cell.source:
            cell.source = fold_details(cell.source)
    body, _ = exporter.from_notebook_node(nb, resources={"metadata": {"name": title}})
    return with_alt_texts(offline(body), figure_alt_texts(nb))


def index_page(title: str, intro: str, rows: list[tuple[str, str, str]]) -> str:
    """A plain page listing lessons: (link, title, time) rows."""
    items = "\n".join(f'<tr><td><a href="{html.escape(link)}">{html.escape(name)}</a></td><td>{html.escape(time)}</td></tr>'
                      for link, name, time in rows)
    body = f"<p>{intro}</p>\n<table><tr><th>Lesson</th><th>Time</th></tr>\n{items}\n</table>"
    return PAGE.format(title=html.escape(title), body=body)


def worksheets(root: Path, ran: dict[str, nbformat.NotebookNode] | None = None
               ) -> list[tuple[Path, nbformat.NotebookNode]]:
    """Every learner notebook, run as a learner first opens it; raises ExportError naming a failing cell.

    `ran` ({file name: notebook with outputs}) gives runs made already, as a learner first opens
    each notebook; the lessons are run here otherwise.
    """
    paths = lesson_paths(root / "notebooks")
    if ran is not None and sorted(ran) == [p.name for p in paths]:
        run = [ran[p.name] for p in paths]
    else:
        with tempfile.TemporaryDirectory(prefix="course-worksheets-") as workdir:  # what a lesson writes lands here
            run = run_notebooks(paths, Path(workdir), extra_env={"COURSE_DATA": str(root / "datasets")},
                                allow_errors=True)
    for path, nb in zip(paths, run):
        for number, cell in enumerate(nb.cells, start=1):
            errors = [o for o in cell.get("outputs", []) if o.output_type == "error"]
            if errors:
                raise ExportError(f"{path.name}, cell {number} raised {errors[0].ename}: {errors[0].evalue}. "
                                  "Fix the lesson, then export again.")
    return list(zip(paths, run))


def check_worksheets(folder: Path, keys_folder: Path) -> None:
    """Raise ExportError if a worksheet page shows solution text (a model answer, feedback, a marker)."""
    secrets = Secrets.from_keys(load_readable_keys(keys_folder))
    for page in sorted(folder.glob("*.html")):
        raw = page.read_text(encoding="utf-8")
        text = readable_text(page, raw)
        found = secret_texts_in(text, secrets)
        if found or "BEGIN SOLUTION" in raw:
            raise ExportError(f"the worksheet {page.name} shows solution text ({', '.join(found) or 'a marker'}); "
                              "nothing was written.")
        stated = result_leaks(page.name, page_prose(raw), file_lesson(page.name), secrets)
        if stated:
            raise ExportError(f"the worksheet {stated[0]}; nothing was written.")


def export(root: Path, out: Path, force: bool = False,
           ran: dict[str, nbformat.NotebookNode] | None = None) -> Export:
    """Write the worksheets and solutions of the course at `root` as offline HTML into `out`.

    `ran` passes on learner notebooks already run (see `worksheets`), so they are not run twice.
    """
    root, out = root.resolve(), out.resolve()
    problem = out_dir_problem(out, root, force, MARKER)
    if problem:
        raise ExportError(problem)
    solutions = lesson_paths(root / "notebooks" / "solutions")
    if not solutions:
        raise ExportError(f"no solution notebooks in {root / 'notebooks' / 'solutions'}.")
    exporter = HTMLExporter(template_name="lab", embed_images=True)
    result = Export(out)
    with staging_folder(out) as staging:
        (staging / "learners").mkdir()
        (staging / "instructors").mkdir()
        learner_rows, solution_rows = [], []
        for path, nb in worksheets(root, ran):
            title, time = title_and_time(nb, path.stem)
            (staging / "learners" / f"{path.stem}.html").write_text(to_html(nb, title, exporter), encoding="utf-8")
            learner_rows.append((f"{path.stem}.html", title, time))
            result.worksheets.append(path.stem)
        for path in solutions:
            nb = nbformat.read(path, as_version=4)
            title, time = title_and_time(nb, path.stem)
            page = to_html(nb, f"{title} (solution)", exporter)
            (staging / "instructors" / f"{path.stem}.html").write_text(page, encoding="utf-8")
            solution_rows.append((f"{path.stem}.html", title, time))
            result.solutions.append(path.stem)
        check_worksheets(staging / "learners", root / "notebooks" / "solutions" / "keys")
        (staging / "learners" / "index.html").write_text(index_page(
            "Reading Diplomatic Readouts: worksheets",
            "Each lesson as a learner first opens it, with its text, tables and figures. The answer cells are "
            "blank: work in the notebooks to answer and to get feedback.", learner_rows), encoding="utf-8")
        (staging / "instructors" / "index.html").write_text(index_page(
            "Reading Diplomatic Readouts: solutions (instructors only)",
            'The complete lessons with every answer and output. Do not hand out this folder; the worksheets are '
            'in <a href="../learners/index.html">learners/</a>.', solution_rows), encoding="utf-8")
        (staging / "index.html").write_text(PAGE.format(
            title="Reading Diplomatic Readouts: the lessons offline",
            body='<ul><li><a href="learners/index.html">Worksheets</a>: for learners; no solutions.</li>\n'
                 '<li><a href="instructors/index.html">Solutions</a>: for instructors only.</li></ul>'),
            encoding="utf-8")
        write_marker(staging, MARKER, {"worksheets": result.worksheets})
        move_into_place(staging, out, MARKER)
    return result
