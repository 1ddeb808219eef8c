# Two commands for learners and instructors:
#   make lab   create .venv if needed, make the learner's working copies in my-work/ (never
#              overwriting one), then open JupyterLab on lesson 00 there
#   make test  create .venv if needed, then run every test (unit, notebooks, invariants), in parallel
# and, for maintainers (MAINTAINING.md):
#   make test-fast         the unit and invariant tests only: no notebook, kernel or whole command runs
#   make test LESSON=03    one lesson: its solution notebook under nbval, and the tests named after it
# The same Makefile ships in a learner release (python -m course release), which has no solutions.

PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed
# JupyterLab refuses to run as root unless told; CI runs as root.
ALLOW_ROOT := $(if $(filter 0,$(shell id -u)),--allow-root,)
PIP := $(PY) -m pip --disable-pip-version-check --quiet

.PHONY: lab test test-fast build clean-venv

# The pinned pandas and matplotlib need Python 3.11 or newer. Check before installing anything,
# with a command that even a very old Python (or a missing one) answers.
NEED_PYTHON := 3.11
PYTHON_OK := import sys; sys.exit(0 if sys.version_info >= (3, 11) else 1)

# The environment is rebuilt when requirements.txt or pyproject.toml is newer than it.
$(STAMP): requirements.txt pyproject.toml
	@$(PYTHON) -c '$(PYTHON_OK)' 2>/dev/null || { \
	  found=$$($(PYTHON) --version 2>&1 | head -n 1); \
	  echo "This course needs Python $(NEED_PYTHON) or newer, but '$(PYTHON)' is $${found:-not found}. Install Python $(NEED_PYTHON)+ and run, for example: make $(MAKECMDGOALS) PYTHON=python3.11" >&2; \
	  exit 1; }
	@echo "Setting up $(VENV) (first time: about a minute)..."
	$(PYTHON) -m venv $(VENV)
	$(PIP) install -r requirements.txt
	$(PIP) install --no-deps -e .
	@touch $(STAMP)

# The learner works in my-work/ (git ignores it): copies of the lessons made on first run, never overwritten.
WORK := my-work

lab: $(STAMP)
	$(PY) -m course workspace --into $(WORK)
	JUPYTERLAB_SETTINGS_DIR="$(CURDIR)/.jupyter/lab/user-settings" \
	$(VENV)/bin/jupyter lab --ip=127.0.0.1 --ServerApp.root_dir="$(CURDIR)" $(ALLOW_ROOT) \
	  $(WORK)/00_start_here.ipynb

# The full course also re-runs every solution notebook and compares its outputs; a learner release has none.
NBVAL := --nbval --nbval-current-env --nbval-sanitize-with tests/nbval_sanitize.cfg --nbval-cell-timeout=120
LESSON ?=
ifneq ($(wildcard notebooks/solutions/*.ipynb),)
ifneq ($(LESSON),)
TESTS := tests $(wildcard notebooks/solutions/$(LESSON)_*.ipynb) $(NBVAL) -k "$(LESSON)_ or q$(LESSON)_"
else
TESTS := tests notebooks/solutions $(NBVAL)
endif
else
TESTS := tests $(if $(LESSON),-k "$(LESSON)_ or q$(LESSON)_")
endif
# Independent test files run in parallel (pytest-xdist), one worker per core; a file's tests stay together.
PARALLEL := -n auto --dist loadfile

# The notebooks under test keep their progress record in a scratch folder, never beside the lessons.
test: $(STAMP)
	@scratch=$$(mktemp -d) && \
	COURSE_STRICT=1 COURSE_PROGRESS_FILE="$$scratch/progress.json" $(PY) -m pytest $(PARALLEL) $(TESTS); \
	status=$$?; rm -rf "$$scratch"; exit $$status

test-fast: $(STAMP)
	@scratch=$$(mktemp -d) && \
	COURSE_STRICT=1 COURSE_PROGRESS_FILE="$$scratch/progress.json" $(PY) -m pytest $(PARALLEL) -q -m "not slow" tests; \
	status=$$?; rm -rf "$$scratch"; exit $$status

build: $(STAMP)
	$(PY) -m course build

clean-venv:
	rm -rf $(VENV)
