# Quick start: `make run` (demo on http://127.0.0.1:5000) and `make test` (every test).
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
FLASK := $(BIN)/flask --app lernpfad
STAMP := $(VENV)/.installed
PORT ?= 5000

.PHONY: run test test-slow setup translations messages lint bench bench-reset bench-exports clean

$(STAMP): setup.cfg pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[postgres,dev]"
	touch $(STAMP)

# Compiled only when the catalogue changed: `make run` inside a running test suite must not
# rewrite a file the tests' apps are reading.
MO := lernpfad/translations/en/LC_MESSAGES/messages.mo
$(MO): lernpfad/translations/en/LC_MESSAGES/messages.po $(STAMP)
	$(BIN)/pybabel compile --use-fuzzy -d lernpfad/translations

translations: $(MO)

setup: $(STAMP) translations

# Links in mails name the address the app is served on (another port: make run PORT=5001).
RUN_ENV = LERNPFAD_BASE_URL="$${LERNPFAD_BASE_URL:-http://127.0.0.1:$(PORT)}" \
	LERNPFAD_COMPANY_NAME="$${LERNPFAD_COMPANY_NAME:-Muster GmbH}"
# The scheduler (mail, reminders, snapshots …) runs beside the web server; Ctrl-C stops both.
run: setup
	$(FLASK) db upgrade
	$(RUN_ENV) $(FLASK) lernpfad demo
	@$(RUN_ENV) $(FLASK) lernpfad scheduler & scheduler=$$!; \
	trap 'kill $$scheduler 2>/dev/null; wait $$scheduler 2>/dev/null' EXIT INT TERM; \
	$(RUN_ENV) $(FLASK) run --host 127.0.0.1 --port $(PORT)

# The suite runs on SQLite always, and on PostgreSQL too when LERNPFAD_TEST_DATABASE_URL is set
# (.ci/run sets it): then both runs go side by side (tests/run_both.sh).
test: setup
	@if [ -n "$$LERNPFAD_TEST_DATABASE_URL" ]; then \
		tests/run_both.sh $(BIN)/python $(PYTEST_ARGS); \
	else \
		$(BIN)/python -m pytest -q -m "not slow" $(PYTEST_ARGS); \
	fi

# Robustness and load checks that take longer (tests marked slow, benchmark scripts with checks).
test-slow: setup
	$(BIN)/python -m pytest -q -m slow $(PYTEST_ARGS)
	$(BIN)/python bench/reset_stall.py

lint: setup
	$(BIN)/ruff check lernpfad tests bench deploy
	$(BIN)/ruff format --check lernpfad tests bench deploy

# Page timings for the demo company at 61 and about 1,000 staff (a table; see bench/pages.py),
# then over real HTTP: 5,000 staff served by gunicorn, 8 connections (bench/http_pages.py; e.g.
# HTTP_BENCH_ARGS="--staff 20000 --reuse"; results in bench/RESULTS.md).
bench: setup
	$(BIN)/python bench/pages.py $(BENCH_ARGS)
	$(BIN)/python bench/http_pages.py $(HTTP_BENCH_ARGS)

# Reset requests while the mail server hangs; known vs unknown addresses (bench/reset_stall.py).
bench-reset: setup
	$(BIN)/python bench/reset_stall.py

# Time and peak memory of 200,000-row exports (training records, audit log) as CSV and XLSX
# (bench/exports.py; PostgreSQL too: EXPORTS_BENCH_ARGS="--postgres URL" of a database of your own).
bench-exports: setup
	$(BIN)/python bench/exports.py $(EXPORTS_BENCH_ARGS)

clean:
	rm -rf $(VENV) instance *.egg-info

# After changing user-facing text: refresh the catalog, then translate the new entries in
# lernpfad/translations/en/LC_MESSAGES/messages.po (tests/test_i18n.py checks completeness).
messages: $(STAMP)
	$(BIN)/pybabel extract -F babel.cfg -k _l -k ngettext:1,2 -o lernpfad/translations/messages.pot .
	$(BIN)/pybabel update -i lernpfad/translations/messages.pot -d lernpfad/translations
