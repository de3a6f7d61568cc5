# nsdesk — the two commands a newcomer needs are `make run` and `make test`.
# Both create .venv on first use and bring it up to date when pyproject.toml
# changes, so a fresh clone needs nothing installed by hand but Python 3.11+.

PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
DEMO_DESK ?= .demo/demo.nsdesk

.PHONY: run test lint bench screenshots catalogue schema-snapshot package wheelhouse clean help

help:
	@echo "make run    - set up .venv and open the app on a demo desk"
	@echo "make test   - set up .venv, lint, check the layers, run the tests (on desk files,"
	@echo "              then on a PostgreSQL server when its binaries are installed)"
	@echo "make bench  - run the benchmarks in bench/ (figures in bench/README.md)"
	@echo "make screenshots - every main view on the demo desk, as PNGs in screenshots/"
	@echo "make catalogue - rebuild resources/catalogue from ../shared/reference"
	@echo "make package - build the one-folder app bundle and smoke-test it (build/package)"
	@echo "make wheelhouse - every wheel for the supported platforms, install-tested offline"

$(BIN)/python:
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "nsdesk needs Python 3.11 or newer")'
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

# One stamp per install flavour; pyproject.toml changing re-installs.
$(VENV)/.installed-app: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e .
	@touch $@

$(VENV)/.installed-test: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e '.[test]'
	@touch $@ $(VENV)/.installed-app

$(VENV)/.installed-package: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e '.[test,package]'
	@touch $@ $(VENV)/.installed-app $(VENV)/.installed-test

run: $(VENV)/.installed-app
	@test -f "$(DEMO_DESK)" || { mkdir -p "$(dir $(DEMO_DESK))" && $(BIN)/nsdesk demo "$(DEMO_DESK)"; }
	$(BIN)/nsdesk "$(DEMO_DESK)"

# pyright: settings in pyproject.toml, named outright (pyright would otherwise take a
# pyrightconfig.json from any folder above this one first); the warning switched off
# is its check of PyPI for a newer release on every run.
lint: $(VENV)/.installed-test
	$(BIN)/ruff check nsdesk tests bench resources packaging
	$(BIN)/ruff format --check nsdesk tests bench resources packaging
	$(BIN)/lint-imports
	PYRIGHT_PYTHON_IGNORE_WARNINGS=1 $(BIN)/pyright --project pyproject.toml --pythonpath $(BIN)/python

# The suite twice: on desk files (SQLite), then on desks in a real PostgreSQL server
# that the tests start themselves (tests/support/pg_server.py) — skipped, with the
# reason and the apt line, where PostgreSQL's server binaries are not installed.
test: lint
	QT_QPA_PLATFORM=offscreen $(BIN)/python -m pytest -q
	@if $(BIN)/python -m tests.support.pg_server; then \
		QT_QPA_PLATFORM=offscreen $(BIN)/python -m pytest -q --desk-kind=server; \
	fi

OFFICERS_SECONDS ?= 10  # the officers bench's run; OFFICERS_SECONDS=60 for the full minute
bench: $(VENV)/.installed-test
	QT_QPA_PLATFORM=offscreen NSDESK_BENCH_OFFICERS_SECONDS=$(OFFICERS_SECONDS) $(BIN)/python bench/run.py

# Every main view on the demo desk (light, dark) and every view and dialog on each
# screen size (100 % and 200 %), to look at after a UI change.
screenshots: $(VENV)/.installed-test
	NSDESK_SCREENSHOTS=$(CURDIR)/screenshots QT_QPA_PLATFORM=offscreen $(BIN)/python -m pytest -q tests/ui/test_screenshots.py tests/ui/merge/test_merge_screens.py

catalogue: $(VENV)/.installed-test
	$(BIN)/python resources/catalogue/build.py ../shared/reference/reference.json resources/catalogue/catalogue.json \
		--addendum ../shared/reference/addendum-2026-12.json

# Regenerate db/schema/<revision>.sql after adding a migration (see db/README.md).
schema-snapshot: $(VENV)/.installed-test
	$(BIN)/python -m nsdesk.store.schema_snapshot db/schema

# The one-folder bundle for this platform (PyInstaller), then the smoke test: every
# command and the app run from the bundle with no Python on PATH and no network.
# Figures (size, start-up against source) land in build/package/report.json.
PACKAGE_DIR := build/package
package: $(VENV)/.installed-package
	$(BIN)/pyinstaller packaging/nsdesk.spec --noconfirm --clean \
		--distpath $(PACKAGE_DIR)/dist --workpath $(PACKAGE_DIR)/work --log-level WARN
	$(BIN)/python packaging/smoke_test.py $(PACKAGE_DIR)/dist/nsdesk --report $(PACKAGE_DIR)/report.json

# Every wheel nsdesk needs on the supported platforms, in one folder, for IT to
# install with no network (README); then installed into a fresh venv, offline, here.
wheelhouse: $(VENV)/.installed-package
	$(BIN)/python packaging/wheelhouse.py build/wheelhouse

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache .import_linter_cache build dist
