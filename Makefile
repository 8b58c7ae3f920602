# Everyday commands. `make help` lists them.
SHELL := /bin/bash
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
START ?= 2025-01-01
END ?= 2025-05-31

.DEFAULT_GOAL := help
.PHONY: help briefing test validate lab lint format bench clean install hooks

help: ## List the targets with one line each
	@grep -hE '^[a-zA-Z_-]+:.*## ' $(MAKEFILE_LIST) | awk 'BEGIN {FS = ":.*## "}; {printf "  make %-10s %s\n", $$1, $$2}'

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.core: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e .
	$(BIN)/python -m helpers.publishing.provisioner
	@touch $@

$(VENV)/.test: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e ".[test,browser]"
	$(BIN)/python -m helpers.publishing.provisioner
	@touch $@ $(VENV)/.core

$(VENV)/.lab: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e ".[lab]"
	$(BIN)/python -m helpers.publishing.provisioner
	@touch $@ $(VENV)/.core

install: $(VENV)/.core ## Create .venv and install the project (runtime only)

briefing: $(VENV)/.core ## Build the default briefing (START/END to change the period) into reports/
	$(BIN)/briefing build --start $(START) --end $(END)

validate: $(VENV)/.core ## Check data/ against data/datapackage.json
	$(BIN)/briefing validate

test: $(VENV)/.test ## Run the whole test suite (installs test and browser extras)
	$(BIN)/python -m pytest

lab: $(VENV)/.lab ## Install the lab extra and open JupyterLab on notebooks/
	$(BIN)/jupyter lab --notebook-dir=notebooks

hooks: $(VENV)/.test ## Install the dev extra and the git pre-commit hooks (nbstripout, ruff, size checks)
	$(BIN)/python -m pip install --quiet -e ".[dev]"
	$(BIN)/pre-commit install

lint: $(VENV)/.test ## ruff lint and format check across the tree
	$(BIN)/ruff check . && $(BIN)/ruff format --check .

format: $(VENV)/.test ## Apply ruff fixes and formatting
	$(BIN)/ruff check --fix . && $(BIN)/ruff format .

bench: $(VENV)/.core ## Run the benchmark suite (not part of the tests)
	$(BIN)/python benchmarks/run.py

clean: ## Remove generated reports and caches (keeps .venv)
	rm -rf reports/*/ reports/index.* reports/.index.lock .pytest_cache .ruff_cache .cache
