# ametijuhend: `make build` and `make test` work on a fresh clone; each sets up
# the virtual environment in .venv first if it is missing or out of date.

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-stamp
# the committed lock: every runtime and development dependency, pinned with
# hashes for every Python from 3.10 on; `make lock` re-resolves it.
# .ci/install-lock installs it exactly (--no-deps, then pip check): nothing is
# resolved at install time, so a release made after the lock cannot break it;
# with uv (pinned with its hashes in .ci/uv-lock.txt), or pip where uv is not at hand
LOCK     := requirements-dev.txt
LOCK_RUN := requirements.txt
# the optional extra `keel` (the Estonian speller, Vabamorf through EstNLTK): its
# own lock, the runtime and the extra, pinned like the development lock where they share
LOCK_KEEL := requirements-keel.txt
KEEL_STAMP := $(VENV)/.keel-stamp
UV       := uv==0.13.9

# Python keeps the compiled modules (__pycache__, ignored by git): a machine that
# turns that off (PYTHONDONTWRITEBYTECODE) would compile the tool again in each of
# the thousand processes the tests start, and pytest its rewritten tests in each worker
unexport PYTHONDONTWRITEBYTECODE

.DEFAULT_GOAL := help
.PHONY: help venv venv-keel messages lock build validate check test test-quick test-spawn test-release test-newest test-oldest coverage-floor dist lint format check-office pdf reference schema docs clean

help: ## List the targets
	@grep -E '^[a-zA-Z_-]+:.*?## ' $(MAKEFILE_LIST) | \
		awk 'BEGIN {FS = ":.*?## "}; {printf "  make %-14s %s\n", $$1, $$2}'

$(STAMP): pyproject.toml $(LOCK)
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 10))' \
		|| { echo "ametijuhend needs Python 3.10 or newer (make PYTHON=python3.12 ...)"; exit 1; }
	$(PYTHON) -m venv $(VENV)
	.ci/install-lock $(BIN)/python $(LOCK)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --no-deps --no-build-isolation -e .
	touch $(STAMP)

venv: $(STAMP) ## Create .venv with the tool and the development tools, as locked

$(KEEL_STAMP): $(STAMP) $(LOCK_KEEL)
	.ci/install-lock $(BIN)/python $(LOCK) $(LOCK_KEEL)
	touch $(KEEL_STAMP)

venv-keel: $(KEEL_STAMP) ## Add the extra keel (the Estonian speller, ~500 MB) to .venv, as locked

lock: $(STAMP) ## Re-resolve the lock files from the ranges in pyproject.toml, pin the pre-commit hooks to them (then review and commit)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check '$(UV)'
	$(BIN)/uv pip compile --quiet --universal --generate-hashes --python-version 3.10 \
		pyproject.toml -o $(LOCK_RUN)
	printf 'setuptools>=77\n' | $(BIN)/uv pip compile --quiet --universal --generate-hashes \
		--python-version 3.10 --extra dev pyproject.toml - -o $(LOCK)
	$(BIN)/uv pip compile --quiet --universal --generate-hashes --python-version 3.10 \
		--extra keel -c $(LOCK) pyproject.toml -o $(LOCK_KEEL)
	printf '$(UV)\n' | $(BIN)/uv pip compile --quiet --universal --generate-hashes \
		--python-version 3.10 - -o .ci/uv-lock.txt
	$(BIN)/python .ci/hook-pins

build: $(STAMP) ## Build every position in data/ into out/ (Markdown and DOCX)
	$(BIN)/ametijuhend build

validate: $(STAMP) ## Check the sources without writing anything
	$(BIN)/ametijuhend validate

check: $(STAMP) ## Validate and fail when the committed Markdown in out/ is stale (as CI does)
	$(BIN)/ametijuhend validate
	$(BIN)/ametijuhend build --check --format md

# on every core (pytest-xdist); worksteal: a worker that is done takes tests queued for another
PARALLEL := -n auto --dist worksteal

# The tests' temporary folders go to a RAM disk where the machine has one with
# room to spare (.ci/test-tmpdir) instead of waiting for the disk: a fifth of
# the quick suite's time on a machine with a slow disk. Only the folders of
# failed tests are kept (pyproject.toml). `make test TEST_TMPDIR=` keeps them
# where TMPDIR says.
TEST_TMPDIR ?= $(shell .ci/test-tmpdir)
PYTEST := $(if $(TEST_TMPDIR),TMPDIR=$(TEST_TMPDIR) )$(BIN)/python -m pytest

test: $(STAMP) ## Run the test suite with branch coverage (every test but the office ones)
	$(PYTEST) -q $(PARALLEL) --cov --cov-report=term

test-quick: $(STAMP) ## Run the tests without the slow ones (kills, signals, long fuzzing), no coverage
	$(PYTEST) -q $(PARALLEL) -m 'not office and not slow and not release' \
		--hypothesis-profile=quick

lint: $(STAMP) ## Lint, check formatting and type-check
	$(BIN)/ruff check ametijuhend_cli tests
	$(BIN)/ruff format --check ametijuhend_cli tests
	$(BIN)/mypy --strict ametijuhend_cli tests

dist: $(STAMP) ## Build the sdist and the wheel into dist/ and check them (twine check)
	rm -rf dist
	$(BIN)/python -m build --quiet --no-isolation --outdir dist .
	$(BIN)/twine check --strict dist/*

test-spawn: $(STAMP) ## Run the tests of the worker processes with fork disabled, as on Windows (spawn)
	AMETIJUHEND_NO_FORK=1 $(PYTEST) -q $(PARALLEL) -m 'parallel and not office'

test-release: $(STAMP) ## Run the release tests: the built wheel and sdist in fresh environments, pre-commit try-repo
	$(PYTEST) -q $(PARALLEL) -m release

test-newest: ## Run the quick suite against the newest versions the ranges allow (throwaway venvs; only warns)
	.ci/matrix newest

test-oldest: ## Run the quick suite against the oldest versions the ranges allow (min-req, Python 3.10)
	.ci/matrix oldest

check-office: $(STAMP) ## Open every DOCX in LibreOffice, check the PDF text, draw the chart (needs soffice, pdftotext, dot)
	$(PYTEST) -q $(PARALLEL) -m office --cov --cov-append --cov-report=

coverage-floor: $(STAMP) ## After make test and make check-office: fail if a module is below 85 % branch coverage or the package below 94 %
	$(BIN)/python .ci/coverage_floor.py

pdf: $(STAMP) ## Build PDFs of every position into out/ through LibreOffice
	$(BIN)/ametijuhend build --format pdf

format: $(STAMP) ## Format the code
	$(BIN)/ruff check --fix ametijuhend_cli tests
	$(BIN)/ruff format ametijuhend_cli tests

reference: $(STAMP) ## Regenerate templates/reference.docx from the code
	$(BIN)/ametijuhend reference-docx --force templates/reference.docx

schema: $(STAMP) ## Regenerate schemas/ (JSON Schemas for editors) from the models
	$(BIN)/ametijuhend schema

messages: $(STAMP) ## Extract the messages into the catalog, update the .po files, compile the .mo (Babel)
	$(BIN)/python .ci/messages.py

docs: $(STAMP) ## Regenerate docs/format.md (the YAML format) from the models, docs/ci/ from the starter files
	$(BIN)/python -m ametijuhend_cli.authoring.docsgen docs/format.md
	$(BIN)/python -m ametijuhend_cli.authoring.init docs/ci

clean: ## Remove the outputs and caches (keeps .venv)
	rm -rf out dist .pytest_cache .mypy_cache .ruff_cache .coverage .coverage.*
