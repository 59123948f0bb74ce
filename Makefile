# Forum ouvert — the two commands a newcomer needs: `make run` and `make test`.
SHELL := /bin/bash
.DEFAULT_GOAL := help
.PHONY: help run test lint format messages bench verify scan backup restore services system-run system-test \
	system-verify worker beat

PORT ?= 8000
# pytest-xdist processes; each gets its own PostgreSQL and Redis databases. `loadgroup`
# hands out one test at a time, in the suite's order (tests/conftest.py: the long ones
# first), so that no worker is left with a queue of long tests when the other is done;
# the tests of an `xdist_group` (a costly module fixture) stay on one worker.
TEST_WORKERS ?= 2
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed-stamp
VERIFY_STAMP := $(VENV)/.verify-stamp
DEVTOOLS := forum_ouvert/devtools
# Used only where a fresh PostgreSQL asks for a password (trust auth needs none).
export PGPASSWORD ?= postgres

help:
	@echo "make run    installe, migre, importe le plan, charge la démo et sert sur http://127.0.0.1:$(PORT)/"
	@echo "make test   installe, démarre PostgreSQL et Redis si besoin, lance ruff et toute la suite pytest"
	@echo "make bench  mesure les pages et exports sur un grand jeu de données (hors CI)"
	@echo "make verify mesure débit, charge, pannes et deux serveurs en conditions de production (hors CI)"
	@echo "make scan   lance wapiti et sqlmap (anonyme et chaque rôle) sur une base jetable"
	@echo "make backup / make restore FILE=…  sauvegarde et restaure la base et les médias"

$(STAMP): pyproject.toml $(DEVTOOLS)/ensure-venv.sh
	@$(DEVTOOLS)/ensure-venv.sh
	@touch $(STAMP)

# The real OpenID provider of the tests (tests/oidc: panva's oidc-provider, from the
# committed lockfile); `make run` does not need it.
OIDC_STAMP := tests/oidc/node_modules/.installed-stamp
$(OIDC_STAMP): tests/oidc/package.json tests/oidc/package-lock.json
	@command -v npm >/dev/null || { echo "npm manque : installez Node.js (>= 20.19) pour les tests ProConnect et FranceConnect"; exit 1; }
	npm ci --prefix tests/oidc --no-audit --no-fund --loglevel=error
	@touch $(OIDC_STAMP)

# The load generator of make verify, on top of the test dependencies.
$(VERIFY_STAMP): $(STAMP)
	@$(DEVTOOLS)/ensure-venv.sh verify
	@touch $(VERIFY_STAMP)

system-verify:
	@$(DEVTOOLS)/ensure-system.sh verify

system-run:
	@$(DEVTOOLS)/ensure-system.sh run

system-test:
	@$(DEVTOOLS)/ensure-system.sh test

services:
	@$(DEVTOOLS)/ensure-services.sh

# PostgreSQL (database forum_ouvert_demo, never the tests') and Redis (databases 12-13),
# started when they do not answer; then the supervisor migrates, imports the plan, seeds
# the demo and serves web + Celery worker + beat with forum_ouvert.settings.demo, all
# stopped together by Ctrl-C. Safe to run again: nothing is duplicated.
run: system-run $(STAMP) services
	$(PY) -m forum_ouvert.devtools.run --port $(PORT)

test: system-test $(STAMP) $(OIDC_STAMP) services
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(PY) -m pytest -n $(TEST_WORKERS) --dist loadgroup --no-loadscope-reorder

lint: $(STAMP)
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

# The French plurals catalogue (forum_ouvert/devtools/plurals.py), after adding a plural.
messages: $(STAMP)
	$(PY) -m forum_ouvert.devtools.plurals
	$(PY) -m forum_ouvert.devtools.english

format: $(STAMP)
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

# A database of its own (never the demo's, never the tests'); kept between runs.
BENCH_DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/forum_ouvert_bench
bench: system-test $(STAMP) services
	@psql -h 127.0.0.1 -U postgres -d postgres -Atqc "SELECT 1 FROM pg_database WHERE datname='forum_ouvert_bench'" | grep -q 1 \
	  || psql -h 127.0.0.1 -U postgres -d postgres -qc "CREATE DATABASE forum_ouvert_bench"
	DJANGO_SETTINGS_MODULE=forum_ouvert.settings.test DATABASE_URL=$(BENCH_DATABASE_URL) FO_TEST_REDIS_DB=10 \
	  $(PY) manage.py bench $(BENCH_ARGS)

# Its own PostgreSQL cluster and Redis under var/verify/ (restarted freely during the fault
# checks; the dataset is loaded once and kept). VERIFY_ARGS: e.g. "throughput --duration 10".
verify: system-verify $(VERIFY_STAMP)
	$(PY) -m forum_ouvert.devtools.verify $(VERIFY_ARGS)

worker: $(STAMP)
	$(VENV)/bin/celery -A forum_ouvert worker -l info

beat: $(STAMP)
	$(VENV)/bin/celery -A forum_ouvert beat -l info

# Security scanners (wapiti, sqlmap), anonymous and as each role, over HTTPS with the
# production settings, against a throw-away database dropped at the end (never the demo's).
# Reports in var/scan/<timestamp>/. SCAN_ARGS e.g. "--roles anonymous,staff --keep".
scan: system-verify $(STAMP) services
	$(PY) -m forum_ouvert.devtools.verify.scan $(SCAN_ARGS)

# Backups of the configured database (DATABASE_URL, as for manage.py) and of the media:
# one file var/backups/forum-ouvert-<UTC timestamp>.tar with a manifest (row counts,
# journal hashes). Restore checks the manifest; it overwrites a non-empty database only
# with CONFIRM=yes.
backup: $(STAMP)
	$(PY) -m forum_ouvert.devtools.backup backup

restore: $(STAMP)
	@test -n "$(FILE)" || { echo "Usage : make restore FILE=var/backups/forum-ouvert-….tar [CONFIRM=yes]"; exit 2; }
	$(PY) -m forum_ouvert.devtools.backup restore "$(FILE)" $(if $(filter yes,$(CONFIRM)),--confirm)
