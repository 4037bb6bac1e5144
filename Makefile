# The two commands: `make run` and `make test`. Each creates .venv and installs what it needs.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: run test lint types pytest system-deps bench demo clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip

$(VENV)/.run-installed: pyproject.toml | $(BIN)/python
	$(BIN)/pip install -q -e .
	touch $@

$(VENV)/.test-installed: pyproject.toml | $(BIN)/python
	$(BIN)/pip install -q -e '.[test]'
	touch $@ $(VENV)/.run-installed

run: $(VENV)/.run-installed
	$(BIN)/rxflow init --demo
	$(BIN)/rxflow serve --host $(HOST) --port $(PORT)

demo: $(VENV)/.run-installed
	$(BIN)/rxflow demo --out out/demo

system-deps:
	bash scripts/system-deps.sh

lint: $(VENV)/.test-installed
	$(BIN)/ruff check .

types: $(VENV)/.test-installed
	$(BIN)/mypy rxflow

pytest: $(VENV)/.test-installed system-deps
	bash scripts/with-postgres.sh $(BIN)/pytest $(PYTEST_ARGS)

test: lint types pytest

bench: $(VENV)/.run-installed
	bash scripts/with-postgres.sh sh -c 'for b in bench/*.py; do $(BIN)/python $$b; done'

clean:
	rm -rf $(VENV) var out .mypy_cache .pytest_cache .ruff_cache .hypothesis
