# ametijuhend: `make build` and `make test` work on a fresh clone; each sets up
# the virtual environment in .venv first if it is missing or out of date.

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-stamp

.DEFAULT_GOAL := help
.PHONY: help venv build validate test lint format check-office pdf reference clean

help: ## List the targets
	@grep -E '^[a-zA-Z_-]+:.*?## ' $(MAKEFILE_LIST) | \
		awk 'BEGIN {FS = ":.*?## "}; {printf "  make %-14s %s\n", $$1, $$2}'

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

venv: $(STAMP) ## Create .venv with the tool and the development tools

build: $(STAMP) ## Build every position in data/ into out/ (Markdown and DOCX)
	$(BIN)/ametijuhend build

validate: $(STAMP) ## Check the sources without writing anything
	$(BIN)/ametijuhend validate

test: $(STAMP) ## Run the test suite
	$(BIN)/python -m pytest -q

lint: $(STAMP) ## Lint, check formatting and type-check
	$(BIN)/ruff check ametijuhend_cli tests
	$(BIN)/ruff format --check ametijuhend_cli tests
	$(BIN)/mypy

check-office: $(STAMP) ## Open every DOCX in LibreOffice, check the PDF text, draw the chart (needs soffice, pdftotext, dot)
	$(BIN)/python -m pytest -q -m office

pdf: $(STAMP) ## Build PDFs of every position into out/ through LibreOffice
	$(BIN)/ametijuhend build --format pdf

format: $(STAMP) ## Format the code
	$(BIN)/ruff check --fix ametijuhend_cli tests
	$(BIN)/ruff format ametijuhend_cli tests

reference: $(STAMP) ## Regenerate templates/reference.docx from the code
	$(BIN)/ametijuhend reference-docx --force templates/reference.docx

clean: ## Remove the outputs and caches (keeps .venv)
	rm -rf out .pytest_cache .mypy_cache .ruff_cache
