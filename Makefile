# Klachtenregeling. `make run` starts the whole system; `make test` runs every test.
SHELL := /bin/bash
VENV := .venv
BIN := $(VENV)/bin
PY := $(BIN)/python
MANAGE := $(PY) manage.py
PYTEST_ARGS ?=

.PHONY: install run test test-fast migrations-check lint bench bench-small messages clean-db audit

$(BIN)/.installed: pyproject.toml
	@test -x $(PY) || "$$(scripts/find-python)" -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[dev]'
	@touch $@

install: $(BIN)/.installed messages

messages: $(BIN)/.installed
	@$(PY) scripts/compile_translations.py

## The whole system on SQLite: web server, task worker and scheduler, with demo data.
run: install
	$(MANAGE) migrate --noinput
	$(MANAGE) load_demo
	@echo "Klachtenregeling runs at http://127.0.0.1:8000 (Ctrl+C stops everything)."
	@trap 'kill 0' EXIT INT TERM; \
	  $(MANAGE) db_worker --queue-name '*' & \
	  $(MANAGE) run_periodic --every 60 & \
	  $(MANAGE) runserver 127.0.0.1:8000

## Every test: SQLite by default, PostgreSQL when DATABASE_URL is set.
test: install
	$(PY) -m pytest $(PYTEST_ARGS)

## While editing: the tests without a browser (the journeys and the test_browser modules), on SQLite,
## stopping at the first failure. `make test` runs them all.
test-fast: install
	$(PY) -m pytest -q -x --ignore=tests/journeys --ignore-glob='*/test_browser.py' $(PYTEST_ARGS)

## Fails when a model change has no migration.
migrations-check: install
	$(MANAGE) makemigrations --check --dry-run

## Start `make run` again from an empty database (its demo data is loaded again).
clean-db:
	rm -f var/klachtenregeling.sqlite3 var/klachtenregeling.sqlite3-wal var/klachtenregeling.sqlite3-shm

## The benchmark (docs/deployment.md): 1,000,000 complaints in PostgreSQL database klachten_bench,
## served by gunicorn under the production settings and driven by wrk. BENCH_ARGS=--regenerate
## builds the data again. Results in bench/results/.
BENCH_ARGS ?=
bench: install
	$(PY) -m bench.run --complaints 1000000 $(BENCH_ARGS)

## The same on SQLite with 50,000 complaints.
bench-small: install
	$(PY) -m bench.run --sqlite --complaints 50000 $(BENCH_ARGS)

## ruff, mypy (strict for the app code) and the layers of docs/architecture.md (.importlinter).
lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy .
	$(BIN)/lint-imports

## Known vulnerabilities in the installed packages (pip-audit) and a scan of our own code (bandit:
## medium severity and confidence and up; findings reviewed as harmless carry `# nosec` and the reason).
audit: install
	$(BIN)/pip-audit --local --skip-editable --progress-spinner off
	$(BIN)/bandit -r . -x ./.venv,./tests,./bench,./var,./staticfiles,./build,./node_modules -q -ll -ii
