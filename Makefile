# Everyday commands. `make help` lists them.
SHELL := /bin/bash
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin

# `make briefing` passes on only the parameters given (START=2025-03-01 FOCUS=IRN ...,
# or PAIRS= with EVERY= for a portfolio);
# the others come from PARAMS=params/X.yaml if given, else from the notebooks'
# parameters cells, the one place defaults are written.
BRIEFING_ARGS = $(if $(PARAMS),--params $(PARAMS)) $(if $(START),--start $(START)) \
	$(if $(END),--end $(END)) $(if $(FOCUS),--focus $(FOCUS)) \
	$(if $(COUNTERPART),--counterpart $(COUNTERPART)) $(if $(PAIRS),--pairs $(PAIRS)) \
	$(if $(EVERY),--every $(EVERY))

# Jupyter refuses to start as root unless told to (containers often run as root).
LAB_ARGS = $(if $(filter 0,$(shell id -u)),--allow-root)

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

briefing: $(VENV)/.core ## Build a briefing into reports/ (optional: START= END= FOCUS= COUNTERPART= PAIRS= EVERY= PARAMS=)
	$(strip $(BIN)/briefing build $(BRIEFING_ARGS))

validate: $(VENV)/.core ## Check data/ against data/datapackage.json
	$(BIN)/briefing validate

test: $(VENV)/.test ## Run the whole test suite (installs test and browser extras)
	$(BIN)/python -m pytest

lab: $(VENV)/.lab ## Install the lab extra and open JupyterLab on notebooks/
	$(BIN)/jupyter lab --notebook-dir=notebooks $(LAB_ARGS)

hooks: $(VENV)/.test ## Install the dev extra and the git pre-commit hooks (nbstripout, ruff, size checks)
	$(BIN)/python -m pip install --quiet -e ".[dev]"
	$(BIN)/pre-commit install

lint: $(VENV)/.test ## ruff lint and format check across the tree
	$(BIN)/ruff check . && $(BIN)/ruff format --check .

format: $(VENV)/.test ## Apply ruff fixes and formatting
	$(BIN)/ruff check --fix . && $(BIN)/ruff format .

$(VENV)/.bench: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e ".[bench]"
	$(BIN)/python -m helpers.publishing.provisioner
	@touch $@ $(VENV)/.core

bench: $(VENV)/.bench ## Run the benchmark suite (not part of the tests; installs the bench extra)
	$(BIN)/python benchmarks/run.py

clean: ## Remove generated reports and caches (keeps .venv)
	rm -rf reports/*/ reports/index.* reports/.index.lock .pytest_cache .ruff_cache .cache
