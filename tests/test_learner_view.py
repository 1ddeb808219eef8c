"""What a learner sees: each learner notebook run top to bottom as a learner first opens it (every
answer still `...`, learner mode), and the same runs as offline HTML (`python -m course html`):
worksheets (text, tables and figures show, answers blank, checks Not attempted) and solutions apart,
with index pages, readable offline. The lessons run once for the whole file."""

from __future__ import annotations

import re
from pathlib import Path

import nbformat
import pytest
from nbconvert import HTMLExporter

from course.__main__ import main
from course.authoring.html_export import MARKER, export, fold_details, offline, to_html
from course.exercises.keys import load_readable_keys
from course.authoring.leaks import Secrets, readable_text, secret_texts_in
from course.authoring.notebook_run import run_notebooks
from helpers import (DATASETS, READABLE_KEYS, check_qids, ids, learner_notebooks, read_notebook, solution_notebooks,
                     status_of, stream_text)

REMOTE_SCRIPT = re.compile(r"""<script\b[^>]*\bsrc\s*=\s*["']?(https?:)?//""", re.IGNORECASE)
REMOTE_LINK = re.compile(r"""<link\b[^>]*\bhref\s*=\s*["']?(https?:)?//""", re.IGNORECASE)
REMOTE_IMPORT = re.compile(r"""import\s*\(?\s*["']https?://|@import\s+url\(\s*["']?https?://""", re.IGNORECASE)
IMAGE_SOURCE = re.compile(r"""<img\b[^>]*\bsrc\s*=\s*["']([^"']*)["']""", re.IGNORECASE)


pytestmark = pytest.mark.slow
LEARNERS = learner_notebooks()


@pytest.fixture(scope="module")
def learner_runs(tmp_path_factory) -> dict[str, object]:
    """Every learner notebook, run once as a learner first opens it (a few at a time, in learner mode,
    in a scratch folder): {file name: the notebook with its outputs}."""
    scratch = tmp_path_factory.mktemp("learner-runs")
    ran = run_notebooks(LEARNERS, scratch, extra_env={"COURSE_DATA": str(DATASETS)}, allow_errors=True)
    return {path.name: nb for path, nb in zip(LEARNERS, ran)}


@pytest.mark.parametrize("path", LEARNERS, ids=ids(LEARNERS))
def test_learner_notebook_runs_and_every_check_is_not_attempted(path, learner_runs):
    nb = learner_runs[path.name]
    checked = []
    for number, cell in enumerate(nb.cells, start=1):
        if cell.cell_type != "code":
            continue
        errors = [o for o in cell.outputs if o.output_type == "error"]
        assert not errors, f"cell {number} raised {errors[0].ename}: {errors[0].evalue}"
        assert stream_text(cell, "stderr") == "", f"cell {number} wrote to stderr: {stream_text(cell, 'stderr')}"
        if check_qids(cell):
            out = stream_text(cell)
            assert out.startswith("○ Not attempted"), f"check cell {number}: {out!r}"
            assert status_of(out) == "Not attempted"
            checked += check_qids(cell)
    assert checked, "the notebook has no check cells"


@pytest.fixture(scope="module")
def pages(tmp_path_factory, learner_runs) -> Path:
    out = tmp_path_factory.mktemp("html") / "offline"
    export(Path(__file__).resolve().parent.parent, out, ran=learner_runs)   # the session's runs of the lessons
    return out


def all_pages(folder: Path) -> list[Path]:
    return sorted(folder.rglob("*.html"))


def test_the_layout_worksheets_and_solutions_apart(pages):
    stems = [p.stem for p in learner_notebooks()]
    assert sorted(p.stem for p in (pages / "learners").glob("*.html")) == sorted(stems + ["index"])
    assert sorted(p.stem for p in (pages / "instructors").glob("*.html")) == \
        sorted([p.stem for p in solution_notebooks()] + ["index"])
    assert (pages / "index.html").is_file() and (pages / MARKER).is_file()
    learners_index = (pages / "learners" / "index.html").read_text(encoding="utf-8")
    assert all(f'href="{stem}.html"' in learners_index for stem in stems)
    assert "instructors" not in learners_index, "the learners' folder does not point at the solutions"


@pytest.mark.parametrize("folder", ["learners", "instructors"])
def test_every_page_reads_with_no_network(pages, folder):
    for page in all_pages(pages / folder):
        text = page.read_text(encoding="utf-8")
        for pattern in (REMOTE_SCRIPT, REMOTE_LINK, REMOTE_IMPORT):
            assert not pattern.search(text), f"{page.name}: {pattern.search(text).group(0)}"
        for source in IMAGE_SOURCE.findall(text):
            assert source.startswith("data:image/"), f"{page.name}: an image is not inline: {source[:60]}"


def test_worksheets_show_the_lesson_with_blank_answers_and_no_solution(pages):
    secrets = Secrets.from_keys(load_readable_keys(READABLE_KEYS))
    for path in learner_notebooks():
        page = pages / "learners" / f"{path.stem}.html"
        text = page.read_text(encoding="utf-8")
        words = readable_text(page, text)
        checks = sum(bool(check_qids(cell)) for cell in read_notebook(path).cells)
        assert words.count("○ Not attempted:") == checks > 0, f"{page.name}: every check says Not attempted"
        assert not re.search(r"(✓ Correct|✗ Not yet|◆ Recorded):", words), page.name
        assert re.search(r"answer\s*=\s*\.\.\.", words), f"{page.name}: the answer cells should be blank"
        assert "<table" in text, f"{page.name}: tables should show"
        assert "BEGIN SOLUTION" not in text and secret_texts_in(words, secrets) == [], page.name
    framing = (pages / "learners" / f"{learner_notebooks()[1].stem}.html").read_text(encoding="utf-8")
    assert "data:image/png;base64," in framing, "the lessons' figures show in the worksheets"
    assert "Figure description:" in framing


def test_solutions_show_the_saved_answers(pages):
    for path in solution_notebooks():
        words = readable_text(Path("page.html"), (pages / "instructors" / f"{path.stem}.html").read_text("utf-8"))
        assert "✓ Correct" in words, path.name


def test_offline_keeps_inline_scripts_and_drops_remote_ones():
    page = ('<script>var a = 1;</script><script src="https://cdn.example/require.js"></script>'
            '<script type="module">await import("https://cdn.example/mermaid.mjs")</script>'
            '<script type="text/x-mathjax-config">MathJax.Hub.Config({})</script>'
            '<link rel="stylesheet" href="https://cdn.example/x.css"><a href="https://example.org">a source</a>')
    assert offline(page) == '<script>var a = 1;</script><a href="https://example.org">a source</a>'


def test_an_export_is_replaced_only_with_force_and_other_folders_never(pages, tmp_path, capsys):
    assert main(["html", str(pages)]) == 2
    assert "--force" in capsys.readouterr().err
    other = tmp_path / "notes"
    other.mkdir()
    (other / "mine.html").write_text("<p>mine</p>", encoding="utf-8")
    assert main(["html", str(other), "--force"]) == 2
    assert "was not written by this command" in capsys.readouterr().err
    assert [p.name for p in other.iterdir()] == ["mine.html"]


DETAILS = re.compile(r"<details>(.*?)</details>", re.DOTALL)


@pytest.mark.parametrize("folder", ["learners", "instructors"])
def test_hints_and_readings_stay_folded_with_their_text_inside(pages, folder):
    for path in learner_notebooks():
        page = (pages / folder / f"{path.stem}.html").read_text(encoding="utf-8")
        nb = read_notebook(path)
        wanted = sum(cell.source.count("<details") for cell in nb.cells if cell.cell_type == "markdown")
        folded = DETAILS.findall(page)
        assert len(folded) == wanted, f"{folder}/{path.stem}: {len(folded)} of {wanted} <details> blocks"
        for block in folded:
            summary, _, inside = block.partition("</summary>")
            assert "<summary>" in summary and len(re.sub(r"<[^>]+>", "", inside).strip()) > 10, \
                f"{folder}/{path.stem}: an empty fold: {block[:80]!r}"


def test_every_figure_carries_its_own_description_as_alt_text(pages):
    generic = "No description has been provided"
    figures = 0
    for page in all_pages(pages):
        for tag in re.findall(r"<img\b[^>]*>", page.read_text(encoding="utf-8")):
            figures += 1
            alt = re.search(r'\balt="([^"]*)"', tag)
            assert alt and generic not in alt.group(1) and len(alt.group(1)) > 20, f"{page.name}: {tag[:120]}"
    assert figures >= 8, "the lessons' figures are in the pages"


def test_a_fold_renders_its_markdown_inside_and_leaves_the_notebook_alone():
    source = "Try it.\n\n<details><summary>Hint 1</summary>\n\nUse `len()` on **S5**.\n\n```\na\n\nb\n```\n\n</details>\n"
    folded = fold_details(source)
    assert folded.startswith("Try it.\n\n<details><summary>Hint 1</summary><p>Use <code>len()</code> on <strong>S5")
    assert "\n\n" not in folded[len("Try it.\n\n"):], "a blank line would end the HTML block early"
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_markdown_cell(source)])
    page = to_html(nb, "t", HTMLExporter(template_name="lab"))
    assert re.search(r"<details><summary>Hint 1</summary><p>Use <code>len\(\)</code>", page)
    assert nb.cells[0].source == source
