# Forum Anak — the commands a person types. See README.md.
SHELL := /bin/bash
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
PY := $(VENV)/bin/python
PIP := $(VENV)/bin/pip
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: run test bench setup venv venv-dev messages lint check clean

$(VENV)/.runtime: requirements.txt
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PIP) install --quiet --upgrade pip
	$(PIP) install --quiet -r requirements.txt
	@touch $@

$(VENV)/.dev: $(VENV)/.runtime requirements-dev.txt
	$(PIP) install --quiet -r requirements-dev.txt
	@touch $@

venv: $(VENV)/.runtime
venv-dev: $(VENV)/.dev

## setup: database, translations, regions, schedules and demo data on the embedded default
setup: venv
	$(PY) manage.py migrate --no-input
	$(PY) manage.py compile_translations
	$(PY) manage.py load_regions
	$(PY) manage.py setup_schedules
	$(PY) manage.py setup_roles
	$(PY) manage.py seed_demo

## run: set everything up and serve at http://127.0.0.1:8000/ with a task cluster beside it
run: setup
	@echo "Serving at http://$(HOST):$(PORT)/  (Ctrl-C stops the site and the task cluster)"
	@$(PY) manage.py qcluster & QPID=$$!; \
	trap 'kill $$QPID 2>/dev/null; wait $$QPID 2>/dev/null' EXIT INT TERM; \
	$(PY) manage.py runserver $(HOST):$(PORT)

## test: the whole suite on PostgreSQL and on SQLite, plus the browser journeys
test: venv-dev
	bash scripts/test.sh

## messages: refresh the translation catalogue from the source and compile it
messages: venv-dev
	$(PY) manage.py makemessages --locale en --ignore '.venv/*' --ignore 'var/*' --ignore 'tests/*' --no-obsolete
	$(PY) manage.py compile_translations

## bench: gunicorn (production settings) on a throwaway PostgreSQL and Redis, loaded by wrk (see bench/run.py)
bench: venv-dev
	@missing=""; for tool in wrk redis-server; do command -v $$tool >/dev/null || missing="$$missing $$tool"; done; \
	if [ -n "$$missing" ]; then \
	  if [ "$$(id -u)" = 0 ]; then apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing >/dev/null || exit 1; \
	  else echo "make bench needs:$$missing — run: sudo apt-get install$$missing" >&2; exit 1; fi; fi
	bash scripts/with_postgres.sh $(PY) bench/run.py --workers $${WORKERS:-2}

lint: venv-dev
	$(VENV)/bin/ruff check .
	$(PY) manage.py makemigrations --check --dry-run

clean:
	rm -rf var/test-* .pytest_cache
