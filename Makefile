# Two commands for a newcomer: `make app` (set up, start the app on the sample data) and
# `make test` (set up, lint, run the tests). Everything installs into .venv from PyPI.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: setup app test lint browser evals bench clean

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
	$(BIN)/mypy assistant app.py
	$(BIN)/lint-imports

# The browser test drives Debian's chromium (Playwright cannot download its own browser offline).
browser:
	@command -v chromium >/dev/null 2>&1 || { \
	  echo "Installing Debian's chromium for the browser test"; \
	  SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq chromium; }

test: setup lint browser
	$(BIN)/pytest

evals: setup
	$(BIN)/python -m evals

bench: setup
	$(BIN)/python benchmarks/bench_ingest.py
	$(BIN)/python benchmarks/bench_funnel.py

clean:
	rm -rf $(VENV) .journey .pytest_cache
