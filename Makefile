# Alongside: `make run` starts a local demo, `make test` runs everything CI runs.
SHELL := /bin/bash
.SHELLFLAGS := -euo pipefail -c
.DEFAULT_GOAL := help

# uv must use the machine's Python 3.12 (.python-version), never download one.
export UV_PYTHON_DOWNLOADS := never

# A working uv on PATH, or one bootstrapped into var/uv. (A pyenv shim can exist and still
# fail, so ask uv for its version rather than only looking for it.)
UV := $(shell uv --version >/dev/null 2>&1 && echo uv || echo var/uv/bin/uv)
BOOTSTRAP_PYTHON := $(shell command -v python3.12 >/dev/null 2>&1 && echo python3.12 || echo python3)
PYTHON := .venv/bin/python
MANAGE := $(PYTHON) manage.py
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

POSTGRES_URL ?= postgres://postgres@127.0.0.1:5432/alongside
SQLITE_URL := sqlite:///$(CURDIR)/var/alongside-test.sqlite3
# Two workers: the machine (and CI) has two cores. PYTEST_ARGS= runs serially.
PYTEST_ARGS ?= -n 2

# Browser tests need /usr/bin/chromium. CI installs it; locally they are skipped without it.
ifeq ($(CI),true)
TEST_PREREQUISITES := deps compilemessages chromium
E2E_SELECTION :=
else ifeq ($(wildcard /usr/bin/chromium),)
TEST_PREREQUISITES := deps compilemessages
E2E_SELECTION := -m "not e2e"
else
TEST_PREREQUISITES := deps compilemessages
E2E_SELECTION :=
endif

# Under CI=true the PostgreSQL run is required and runs the browser journeys, so the SQLite
# run leaves them out: each journey runs once, on the production engine, and the whole run keeps
# to CI's 30 minutes (docs/adr/0012). Elsewhere the SQLite run has them too.
ifeq ($(CI),true)
SQLITE_SELECTION := -m "not e2e"
else
SQLITE_SELECTION := $(E2E_SELECTION)
endif

# pytest exits 5 when it ran no tests; say so, and fail.
pytest = $(PYTHON) -m pytest $(1) $(PYTEST_ARGS) \
  || { status=$$?; [ $$status -ne 5 ] || echo "pytest collected no tests: failing." >&2; exit $$status; }

.PHONY: help run test deps chromium gettext index-key demo-mark migrate static demo test-sqlite test-postgres \
        lint format typecheck templates migrations-check import-graph \
        messages compilemessages check-translations

help: ## List the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-18s %s\n", $$1, $$2}'

run: deps compilemessages .env migrate static demo ## Set up and start the web server and the worker
	@if grep -qix 'DJANGO_DEBUG=true' .env; then \
	  echo "NOTE: .env turns debugging on, so anyone who reaches this server sees stack traces."; \
	  echo "      The demo no longer needs it: set DJANGO_DEBUG=false in .env (see .env.example)."; \
	fi
	@$(MANAGE) seed_demo --logins
	@echo "Alongside: http://127.0.0.1:8000/ (Ctrl-C stops web and worker)"
	PATH="$(CURDIR)/.venv/bin:$$PATH" .venv/bin/honcho start

test: $(TEST_PREREQUISITES) test-sqlite test-postgres lint typecheck migrations-check ## Run the whole suite and every quality gate

# --- setup ---------------------------------------------------------------------------------

var/uv/bin/uv:
	$(BOOTSTRAP_PYTHON) -m venv var/uv
	var/uv/bin/pip install --quiet uv

deps: $(if $(filter var/uv/bin/uv,$(UV)),var/uv/bin/uv) node_modules/.package-lock.json ## Install Python and npm dependencies
	$(UV) sync --locked

node_modules/.package-lock.json: package.json package-lock.json
	npm ci --no-audit --no-fund

.env: | deps
	@echo "Creating .env with a new SECRET_KEY, field key and index key (see .env.example)."
	@umask 077; { \
	  echo "SECRET_KEY=$$($(PYTHON) -c 'import secrets; print(secrets.token_urlsafe(50))')"; \
	  echo "ALONGSIDE_FIELD_KEYS=$$($(PYTHON) -c 'from cryptography.fernet import Fernet; print(Fernet.generate_key().decode())')"; \
	  echo "ALONGSIDE_INDEX_KEYS=$$($(PYTHON) -c 'import secrets; print(secrets.token_urlsafe(32))')"; \
	  echo "# The demo is served as production would be: no debug pages (see .env.example)."; \
	  echo "DJANGO_DEBUG=false"; \
	  echo "# Plain HTTP on this machine: no secure-only cookies, no redirect to HTTPS."; \
	  echo "ALONGSIDE_HTTPS=false"; \
	  echo "# A demo: seed_demo may create its programs and logins (see .env.example)."; \
	  echo "ALONGSIDE_DEMO=true"; \
	} > .env.tmp && mv .env.tmp .env

# An .env made before the demo had to be marked as one gets the mark: `make run` and `make demo`
# set up a demo (a real installation starts with `manage.py start_installation`).
demo-mark: .env
	@grep -q '^ALONGSIDE_DEMO=' .env || { \
	  echo "Marking this installation as a demo in .env (ALONGSIDE_DEMO=true)."; \
	  echo "ALONGSIDE_DEMO=true" >> .env; \
	}

# An .env made before the blind indexes (ADR 0006) gets its index key before migrate fills them.
index-key: .env
	@grep -q '^ALONGSIDE_INDEX_KEYS=.' .env || { \
	  echo "Adding an index key to .env (ADR 0006: searching encrypted names)."; \
	  echo "ALONGSIDE_INDEX_KEYS=$$($(PYTHON) -c 'import secrets; print(secrets.token_urlsafe(32))')" >> .env; \
	}

migrate: deps .env index-key ## Create or update the database (SQLite under var/ by default) and its cache table
	@mkdir -p var
	$(MANAGE) migrate --noinput
	$(MANAGE) createcachetable

static: deps .env ## Collect static files into var/static
	$(MANAGE) collectstatic --noinput --verbosity 0

demo: migrate demo-mark ## Load the demo programs and logins (safe to repeat)
	$(MANAGE) seed_demo

chromium: ## Install Debian's Chromium for the browser tests, if missing
	@if [ ! -x /usr/bin/chromium ]; then \
	  $(SUDO) apt-get update && $(SUDO) apt-get install -y --no-install-recommends chromium; \
	fi

gettext: ## Install GNU gettext from Debian (msgfmt, xgettext, msgmerge), if missing
	@if ! command -v msgfmt >/dev/null || ! command -v xgettext >/dev/null; then \
	  $(SUDO) apt-get update && $(SUDO) apt-get install -y --no-install-recommends gettext; \
	fi

# --- translations (config/catalogues.py: one catalogue per app, one for the project) -------

messages: deps gettext ## Refresh the translation catalogues (.po) from the marked strings
	$(PYTHON) tools/messages.py

compilemessages: deps gettext ## Compile the catalogues into .mo files (only the stale ones)
	$(PYTHON) tools/messages.py --compile

check-translations: deps gettext ## Count the marked strings without a French translation; fail if any
	$(PYTHON) tools/check_translations.py

# --- tests and quality gates ---------------------------------------------------------------

test-sqlite: $(TEST_PREREQUISITES) ## Run pytest on SQLite
	@if [ -n '$(E2E_SELECTION)' ]; then \
	  echo "NOTE: /usr/bin/chromium is missing, so the browser (e2e) tests are skipped. 'make chromium' installs it."; \
	fi
	@mkdir -p var
	@echo "pytest on SQLite"
	@DATABASE_URL=$(SQLITE_URL) $(call pytest,$(SQLITE_SELECTION))

test-postgres: $(TEST_PREREQUISITES) ## Run pytest on PostgreSQL (required when CI=true)
	@if DATABASE_URL=$(POSTGRES_URL) $(PYTHON) -c 'import os, psycopg; psycopg.connect(os.environ["DATABASE_URL"], dbname="postgres", connect_timeout=3).close()' 2>/dev/null; then \
	  echo "pytest on PostgreSQL ($(POSTGRES_URL))"; \
	  DATABASE_URL=$(POSTGRES_URL) $(call pytest,$(E2E_SELECTION)); \
	elif [ "$${CI:-}" = true ]; then \
	  echo "ERROR: CI=true but PostgreSQL is not reachable at $(POSTGRES_URL)." >&2; exit 1; \
	else \
	  echo "NOTE: PostgreSQL is not reachable at $(POSTGRES_URL): skipping the PostgreSQL run (CI=true makes this an error)."; \
	fi

lint: deps templates check-translations ## ruff, djlint, import contracts, sizes, every string in French
	.venv/bin/ruff check .
	.venv/bin/ruff format --check .
	.venv/bin/lint-imports --no-logo --cache-dir var/import-linter
	$(PYTHON) tools/shape.py

import-graph: deps ## Print the apps' import graph, its cycles and the imports hidden in functions
	$(PYTHON) tools/import_graph.py

templates: deps ## Lint the Django templates with djlint
	@dirs="$(wildcard alongside/templates alongside/*/templates)"; \
	if [ -n "$$dirs" ]; then .venv/bin/djlint $$dirs --lint; else echo "djlint: no templates yet."; fi

format: deps ## Format the code and apply safe lint fixes
	.venv/bin/ruff format .
	.venv/bin/ruff check --fix .

typecheck: deps ## mypy --strict over alongside/ and config/
	ALONGSIDE_TESTING=true .venv/bin/mypy

migrations-check: deps ## Fail when a model change has no migration
	ALONGSIDE_TESTING=true $(MANAGE) makemigrations --check --dry-run
