# Two commands for learners and instructors:
#   make lab   create .venv if needed, then open JupyterLab on lesson 00
#   make test  create .venv if needed, then run every test (unit, notebooks, invariants)

PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed
# JupyterLab refuses to run as root unless told; CI runs as root.
ALLOW_ROOT := $(if $(filter 0,$(shell id -u)),--allow-root,)
PIP := $(PY) -m pip --disable-pip-version-check --quiet

.PHONY: lab test build clean-venv

# The environment is rebuilt when requirements.txt or pyproject.toml is newer than it.
$(STAMP): requirements.txt pyproject.toml
	@echo "Setting up $(VENV) (first time: about a minute)..."
	$(PYTHON) -m venv $(VENV)
	$(PIP) install -r requirements.txt
	$(PIP) install --no-deps -e .
	@touch $(STAMP)

lab: $(STAMP)
	JUPYTERLAB_SETTINGS_DIR="$(CURDIR)/.jupyter/lab/user-settings" \
	$(VENV)/bin/jupyter lab --ip=127.0.0.1 --ServerApp.root_dir="$(CURDIR)" $(ALLOW_ROOT) \
	  notebooks/00_start_here.ipynb

test: $(STAMP)
	COURSE_STRICT=1 $(PY) -m pytest tests notebooks/solutions \
	  --nbval --nbval-current-env --nbval-sanitize-with tests/nbval_sanitize.cfg \
	  --nbval-cell-timeout=120

build: $(STAMP)
	$(PY) -m course build

clean-venv:
	rm -rf $(VENV)
