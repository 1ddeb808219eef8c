"""Each learner notebook runs top to bottom as a learner first opens it (every answer still
`...`, learner mode): no cell fails, and every check says Not attempted."""

from __future__ import annotations

import pytest
from nbclient import NotebookClient

from helpers import NOTEBOOKS, check_qids, ids, learner_notebooks, read_notebook, status_of, stream_text

LEARNERS = learner_notebooks()


@pytest.mark.parametrize("path", LEARNERS, ids=ids(LEARNERS))
def test_learner_notebook_runs_and_every_check_is_not_attempted(path, monkeypatch):
    monkeypatch.delenv("COURSE_STRICT", raising=False)  # the kernel inherits this environment
    monkeypatch.delenv("MPLBACKEND", raising=False)
    nb = read_notebook(path)
    NotebookClient(nb, timeout=120, kernel_name="python3",
                   resources={"metadata": {"path": str(NOTEBOOKS)}}).execute()

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
