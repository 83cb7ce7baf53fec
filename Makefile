# The two commands: `make run` (embedded: SQLite, eager tasks) and `make test`
# (the whole suite, on PostgreSQL and Redis). See README.md.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PY := $(BIN)/python
HOST ?= 127.0.0.1
PORT ?= 8000

# Tests and the real stack default to the machine's PostgreSQL and Redis.
TEST_DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/portal
TEST_BROKER_URL ?= redis://127.0.0.1:6379/0

# Every form posted with hostile values, longer than in the test run (see README, Security).
HOSTILE_EXAMPLES ?= 300

.PHONY: run test fuzz check install install-dev migrate demo messages worker beat need-broker web bench bench-scheduler bench-pages clean

$(BIN)/activate:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

$(VENV)/.runtime: requirements.txt | $(BIN)/activate
	$(BIN)/pip install --quiet -r requirements.txt
	touch $@

$(VENV)/.dev: requirements.txt requirements-dev.txt | $(BIN)/activate
	$(BIN)/pip install --quiet -r requirements-dev.txt
	touch $(VENV)/.runtime $@

$(VENV)/.bench: requirements.txt requirements-dev.txt requirements-bench.txt | $(BIN)/activate
	$(BIN)/pip install --quiet -r requirements-bench.txt
	touch $(VENV)/.runtime $(VENV)/.dev $@

install: $(VENV)/.runtime
install-dev: $(VENV)/.dev

migrate: install
	$(PY) manage.py migrate --noinput

demo: migrate
	$(PY) manage.py seed_demo

run: demo
	DEBUG=$${DEBUG:-true} $(PY) manage.py runserver $(HOST):$(PORT)

test: install-dev
	DATABASE_URL=$${DATABASE_URL:-$(TEST_DATABASE_URL)} \
	CELERY_BROKER_URL=$${CELERY_BROKER_URL:-$(TEST_BROKER_URL)} \
	$(BIN)/pytest $(PYTEST_ARGS)

fuzz: install-dev
	DATABASE_URL=$${DATABASE_URL:-$(TEST_DATABASE_URL)} \
	CELERY_BROKER_URL=$${CELERY_BROKER_URL:-$(TEST_BROKER_URL)} \
	HOSTILE_EXAMPLES=$(HOSTILE_EXAMPLES) HYPOTHESIS_PROFILE=long \
	$(BIN)/pytest portal/tests/test_hostile_input.py core/tests $(PYTEST_ARGS)

check: install-dev
	$(BIN)/ruff check .
	$(BIN)/lint-imports --no-cache
	$(PY) manage.py makemigrations --check --dry-run

messages: install-dev
	$(PY) manage.py makemessages -l fr --no-obsolete --ignore=.venv --ignore=staticfiles
	$(PY) manage.py compilemessages --ignore=.venv

# The real stack (see Procfile): PostgreSQL and Redis from the environment.
web: install
	$(PY) manage.py collectstatic --noinput
	$(BIN)/gunicorn portal.wsgi --bind $(HOST):$(PORT) --workers 3

# A worker or beat without a broker would wait on nothing: say so instead.
need-broker:
	@test -n "$$CELERY_BROKER_URL" || { echo "Set CELERY_BROKER_URL (e.g. redis://127.0.0.1:6379/0) and DATABASE_URL first."; exit 2; }

worker: install need-broker
	$(BIN)/celery -A portal worker --loglevel=INFO

beat: install need-broker
	$(BIN)/celery -A portal beat --loglevel=INFO --schedule=/tmp/portal-celerybeat-schedule

# Benchmarks against the real stack: figures printed, non-zero exit if a target is missed.
BENCH_DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/portal_bench
BENCH_BROKER_URL ?= redis://127.0.0.1:6379/8

# The meeting scheduler first: it needs no database.
bench-scheduler: install-dev
	$(PY) bench/scheduler.py

bench: bench-scheduler
	DATABASE_URL=$(BENCH_DATABASE_URL) CELERY_BROKER_URL=$(BENCH_BROKER_URL) \
	$(PY) bench/outbox.py
	DATABASE_URL=$(BENCH_DATABASE_URL) CELERY_BROKER_URL=$(BENCH_BROKER_URL) $(PY) bench/grid_page.py
	$(MAKE) bench-pages

# Every page of every role at ten times the demo data, then 50 users of locust (bench/pages.py).
bench-pages: $(VENV)/.bench
	$(PY) bench/pages.py

clean:
	rm -rf $(VENV) staticfiles .pytest_cache .ruff_cache
