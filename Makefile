# Omnitron order service. `make help` lists the targets.
SHELL := /bin/bash
.DEFAULT_GOAL := help

PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
PY := $(VENV)/bin/python
CLIENTS_VENV := .venv-clients
HOST ?= 127.0.0.1
PORT ?= 8000
FUZZ_EXAMPLES ?= 300

.PHONY: help run demo-reset test lint typecheck audit format serve bench bench-workers fuzz soak clean clients

help: ## List the targets
	@grep -E '^[a-zA-Z_-]+:.*?## ' $(MAKEFILE_LIST) | awk 'BEGIN {FS = ":.*?## "}; {printf "  make %-9s %s\n", $$1, $$2}'

$(PY):
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip

$(VENV)/.runtime: requirements.txt | $(PY)
	$(PY) -m pip install --quiet -r requirements.txt
	touch $@

$(VENV)/.dev: requirements.txt requirements-dev.txt | $(PY)
	$(PY) -m pip install --quiet -r requirements-dev.txt
	touch $@ $(VENV)/.runtime

run: $(VENV)/.runtime ## Install, migrate the SQLite default, load demo data and serve on 127.0.0.1:8000
	$(PY) manage.py migrate --noinput
	$(PY) manage.py collectstatic --noinput -v0
	$(PY) manage.py seed_demo --base-url http://$(HOST):$(PORT)
	@echo "API docs: http://$(HOST):$(PORT)/api/docs/  (send 'Authorization: Token <token>' from above)"
	$(PY) manage.py runserver $(HOST):$(PORT)

demo-reset: $(VENV)/.runtime ## Empty the local database and load the demo data again, same ids (the README's examples start from it)
	$(PY) manage.py migrate --noinput -v0
	$(PY) manage.py seed_demo --reset --base-url http://$(HOST):$(PORT)

# Akinon's published clients for tests/clients, in their own virtualenv (their pins clash with ours).
$(CLIENTS_VENV)/.installed: requirements-clients.txt
	$(PYTHON) -m venv $(CLIENTS_VENV)
	$(CLIENTS_VENV)/bin/python -m pip install --quiet --upgrade pip
	$(CLIENTS_VENV)/bin/python -m pip install --quiet -r requirements-clients.txt
	touch $@

clients: $(CLIENTS_VENV)/.installed ## Install omnisdk and channel-app into .venv-clients (for tests/clients)

test: $(VENV)/.dev $(CLIENTS_VENV)/.installed ## Run lint, the type check, bandit and the test suite (PostgreSQL when DATABASE_URL is set, SQLite otherwise)
	$(MAKE) --no-print-directory lint
	$(MAKE) --no-print-directory typecheck
	$(VENV)/bin/bandit -q -c pyproject.toml -r .
	$(PY) -m pytest

lint: $(VENV)/.dev ## ruff, formatting and missing-migration checks
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(PY) manage.py makemigrations --check --dry-run

typecheck: $(VENV)/.dev ## mypy with django-stubs over the domain code (models, services, selectors, locks, ...) and omnitron/
	$(VENV)/bin/mypy

audit: $(VENV)/.dev ## Security audit: bandit on the code, pip-audit of requirements.txt against PyPI's advisories (network)
	$(VENV)/bin/bandit -q -c pyproject.toml -r .
	$(VENV)/bin/pip-audit --strict --progress-spinner off -r requirements.txt

format: $(VENV)/.dev ## Apply ruff fixes and formatting
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

serve: $(VENV)/.runtime ## Serve under gunicorn as in production (needs DATABASE_URL etc., see README)
	$(PY) manage.py collectstatic --noinput -v0
	$(VENV)/bin/gunicorn -c gunicorn.conf.py omnitron.wsgi

$(VENV)/.bench: requirements.txt requirements-bench.txt | $(PY)
	$(PY) -m pip install --quiet -r requirements-bench.txt
	touch $@ $(VENV)/.runtime

bench: $(VENV)/.bench ## App vs floor on 1M order items under gunicorn on PostgreSQL; report in bench/results/ (BENCH_ARGS="--duration 20 ...")
	$(PY) bench/run.py $(BENCH_ARGS)

bench-workers: $(VENV)/.bench ## gunicorn worker counts swept on this machine, the app alone (SWEEP_ARGS="--workers-list 2,3,5,8 ...")
	$(PY) bench/sweep.py $(SWEEP_ARGS)

soak: $(VENV)/.runtime ## Soak: 5 min of mixed reads and create_orders under gunicorn on PostgreSQL, then audit (SOAK_ARGS="--duration 60 ...")
	$(PY) -m bench.soak $(SOAK_ARGS)

fuzz: $(VENV)/.dev ## Contract-fuzz every API operation at length: random seed, boundary cases (FUZZ_EXAMPLES=300 per operation)
	FUZZ_EXAMPLES=$(FUZZ_EXAMPLES) FUZZ_RANDOM=1 FUZZ_COVERAGE=1 $(PY) -m pytest tests/test_contract_fuzz.py

clean: ## Remove the virtualenvs, the SQLite database, collected static files and the type-check cache
	rm -rf $(VENV) $(CLIENTS_VENV) db.sqlite3 staticfiles .mypy_cache
