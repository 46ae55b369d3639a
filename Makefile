# Two commands set everything up on a fresh machine with Python 3.11:
#   make demo   — virtualenv, install, seed database, reports, and serve the app
#   make test   — virtualenv, install, lint, type-check, the suite on SQLite and PostgreSQL
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
TEST_DATABASE_URL ?= postgresql://postgres@127.0.0.1:5432/test

.PHONY: demo test install lint typecheck test-sqlite test-postgres bench clean

$(STAMP): pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	@touch $(STAMP)

install: $(STAMP)

demo: install
	$(BIN)/scrutineer demo

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports

typecheck: install
	$(BIN)/mypy

test-sqlite: install
	DATABASE_URL= $(BIN)/pytest -q -p no:cacheprovider

test-postgres: install
	@$(BIN)/python -m scrutineer.dbcheck "$(TEST_DATABASE_URL)"; rc=$$?; \
	if [ $$rc -eq 0 ]; then DATABASE_URL="$(TEST_DATABASE_URL)" $(BIN)/pytest -q -p no:cacheprovider -m "not browser"; \
	elif [ $$rc -ne 3 ]; then exit $$rc; fi

test: lint typecheck test-sqlite test-postgres

bench: install
	$(BIN)/python bench/engine_bench.py
	$(BIN)/python bench/report_bench.py
	$(BIN)/python bench/web_bench.py

clean:
	rm -rf $(VENV) var/*.sqlite3 out
