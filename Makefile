# Quick start: `make run` (demo on http://127.0.0.1:5000) and `make test` (every test).
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
FLASK := $(BIN)/flask --app lernpfad
STAMP := $(VENV)/.installed

.PHONY: run test setup translations messages lint bench clean

$(STAMP): setup.cfg pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[postgres,dev]"
	touch $(STAMP)

translations: $(STAMP)
	$(BIN)/pybabel compile --use-fuzzy -d lernpfad/translations

setup: $(STAMP) translations

run: setup
	$(FLASK) db upgrade
	$(FLASK) lernpfad demo
	$(FLASK) run --host 127.0.0.1 --port 5000

# The suite runs on SQLite always, and a second time on PostgreSQL when
# LERNPFAD_TEST_DATABASE_URL is set (.ci/run sets it).
test: setup
	env -u LERNPFAD_TEST_DATABASE_URL $(BIN)/python -m pytest -q $(PYTEST_ARGS)
	@if [ -n "$$LERNPFAD_TEST_DATABASE_URL" ]; then \
		echo "== again on $$LERNPFAD_TEST_DATABASE_URL"; \
		$(BIN)/python -m pytest -q -p no:cacheprovider $(PYTEST_ARGS); \
	fi

lint: setup
	$(BIN)/ruff check lernpfad tests bench
	$(BIN)/ruff format --check lernpfad tests bench

# Page timings for the demo company at 61 and about 1,000 staff (a table; see bench/pages.py).
bench: setup
	$(BIN)/python bench/pages.py $(BENCH_ARGS)

clean:
	rm -rf $(VENV) instance *.egg-info

# After changing user-facing text: refresh the catalog, then translate the new entries in
# lernpfad/translations/en/LC_MESSAGES/messages.po (tests/test_i18n.py checks completeness).
messages: $(STAMP)
	$(BIN)/pybabel extract -F babel.cfg -k _l -k ngettext:1,2 -o lernpfad/translations/messages.pot .
	$(BIN)/pybabel update -i lernpfad/translations/messages.pot -d lernpfad/translations
