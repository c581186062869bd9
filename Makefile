# Two commands for a newcomer: `make app` (set up, start the app on the sample data) and
# `make test` (set up, lint, run the tests). Everything installs into .venv from PyPI.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: setup app test lint evals bench clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	# torch first and pinned: pip then takes the CPU build instead of a multi-GB CUDA one.
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet "torch==2.13.0"
	$(BIN)/pip install --quiet -e ".[dev]"
	touch $(STAMP)

setup: $(STAMP)

app: setup
	$(BIN)/python app.py

lint: setup
	$(BIN)/ruff check assistant app.py evals tests benchmarks scripts

test: setup lint
	$(BIN)/pytest

evals: setup
	$(BIN)/python -m evals

bench: setup
	$(BIN)/python benchmarks/bench_ingest.py

clean:
	rm -rf $(VENV) .journey .pytest_cache
