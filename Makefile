# The two commands:  make run  (start the product)   make test  (run the whole test suite)
# Both set up everything they need from a fresh clone: .venv, packages, the embedded PostgreSQL and Redis.

SHELL := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
HOST ?= 127.0.0.1
PORT ?= 8000
PYTEST_ARGS ?=

.PHONY: help venv run db db-stop messages test test-resilience test-scaleout lint format clean bench bench-scaling bench-throughput bench-load

help:
	@echo "make run      start the configurator on http://$(HOST):$(PORT) (embedded PostgreSQL, catalog loaded)"
	@echo "make test     run the whole test suite (sets up everything it needs)"
	@echo "make lint     ruff, migrations check, catalog files check"
	@echo "make db-stop  stop the embedded PostgreSQL clusters and Redis instances"
	@echo "make messages update the message catalogs (locale/*/LC_MESSAGES/django.po) after strings changed"
	@echo "make bench    print the PDF sheet's render and download figures (bench/)"
	@echo "make bench-scaling  queries and latency at the shipped catalog's size and at 5,000 devices"
	@echo "make bench-throughput  gunicorn under wrk: requests/s and p50/p99 against the floor"
	@echo "make bench-load    5 minutes of mixed traffic: no 5xx, no lost configuration (BENCH_LOAD_SECONDS)"
	@echo "make test-resilience  fault runs: PostgreSQL restarted and a worker killed under load (opt-in)"
	@echo "make test-scaleout    two hosts behind haproxy sharing PostgreSQL, Redis and a worker (opt-in)"

$(STAMP): pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --disable-pip-version-check -e ".[test]"
	@touch $(STAMP)

venv: $(STAMP)

db: venv
	@scripts/pg.sh start run
	@scripts/redis.sh start run >/dev/null

db-stop:
	@scripts/pg.sh stop all
	@scripts/redis.sh stop all

# Migrations run as the database's owner role; the app (import, admin login, server) as the app role, which owns
# nothing and cannot rewrite an issued configuration (scripts/pg.sh, README "Database roles").
run: venv
	@scripts/locale.sh; \
	url=$$(scripts/pg.sh start run); \
	export REDIS_URL="$$(scripts/redis.sh start run)"; \
	DJANGO_DEBUG=true DATABASE_URL="$$(scripts/pg.sh url run owner)" $(BIN)/python manage.py migrate --noinput -v0; \
	export DJANGO_DEBUG=true DATABASE_URL="$$url"; \
	$(BIN)/python manage.py import_catalog; \
	$(BIN)/python manage.py refresh_verdicts; \
	$(BIN)/python manage.py ensure_admin; \
	echo ""; \
	echo "  Configurator:  http://$(HOST):$(PORT)/"; \
	echo "  Admin:         http://$(HOST):$(PORT)/admin/   (login above)"; \
	echo "  Health:        http://$(HOST):$(PORT)/healthz"; \
	echo "  Worker:        sheets and webhook deliveries (manage.py procrastinate worker), stopped with the server"; \
	echo "  Cache:         $$REDIS_URL (embedded Redis)"; \
	echo "  Stop with Ctrl+C; the database and Redis keep running (make db-stop stops them)."; \
	echo ""; \
	$(BIN)/python manage.py procrastinate worker --queues sheets,verdicts,webhooks & worker=$$!; \
	trap 'kill $$worker 2>/dev/null; wait $$worker 2>/dev/null' EXIT INT TERM; \
	$(BIN)/python manage.py runserver --noreload $(HOST):$(PORT)

# Tests run with production-like settings (DEBUG off), static files collected; the shell variable url names the
# database. The test Redis is started here too (the fault runs' servers use it).
TEST_SETUP = scripts/locale.sh; export REDIS_URL="$$(scripts/redis.sh start test)"; \
	export DJANGO_DEBUG=false DJANGO_SECRET_KEY="test-$$(head -c 24 /dev/urandom | od -An -tx1 | tr -d ' \n')" \
	       DJANGO_ALLOWED_HOSTS="localhost,127.0.0.1,testserver" DATABASE_URL="$$url" DJANGO_SECURE_SSL_REDIRECT=false \
	       DJANGO_STATIC_ROOT="$(CURDIR)/staticfiles"; \
	$(BIN)/python manage.py collectstatic --noinput -v0

# The whole suite, against a throwaway cluster (fsync off). pytest connects as the owner role (it creates and
# migrates its own test database); DATABASE_APP_URL names the app role, whose limits tests/security checks.
test: venv
	@scripts/pg.sh start test >/dev/null; \
	url=$$(scripts/pg.sh url test owner); \
	chromium=$$(scripts/test-deps.sh); \
	export CHROMIUM="$$chromium" DATABASE_APP_URL="$$(scripts/pg.sh url test app)"; \
	$(TEST_SETUP); \
	$(BIN)/pytest $(PYTEST_ARGS)

# Fault runs (opt-in): gunicorn under mixed load, its own PostgreSQL restarted, a worker killed. About 2 minutes.
# They start their own cluster; the test cluster's address only satisfies the settings.
test-resilience: venv
	@url=$$(scripts/pg.sh url test owner); \
	$(TEST_SETUP); \
	$(BIN)/pytest -m resilience -s tests/resilience $(PYTEST_ARGS)

# Scale-out run (opt-in): two gunicorn hosts behind haproxy (Debian package, installed when missing as root) with
# their own PostgreSQL, Redis and worker. About 2 minutes.
test-scaleout: venv
	@url=$$(scripts/pg.sh url test owner); \
	$(TEST_SETUP); \
	$(BIN)/pytest -m scaleout -s -p no:randomly tests/scaleout $(PYTEST_ARGS)

lint: venv
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	@url=$$(scripts/pg.sh start test); \
	DJANGO_DEBUG=true DATABASE_URL="$$url" $(BIN)/python manage.py makemigrations --check --dry-run; \
	DJANGO_DEBUG=true DATABASE_URL="$$url" $(BIN)/python manage.py check_catalog

# The message catalogs, after a string was added or changed: every language's django.po gains the new msgids
# (empty, to be translated; tests/test_translations.py fails until they are). Compiled by scripts/locale.sh.
messages: venv
	DJANGO_DEBUG=true $(BIN)/python manage.py makemessages --no-location --no-obsolete \
	  -l de -l it -l es -l fr --ignore='.venv' --ignore='tests' --ignore='bench' --ignore='staticfiles' \
	  --ignore='.pgdata' --ignore='.redisdata'

format: venv
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

clean: db-stop
	rm -rf $(VENV) .pgdata .redisdata staticfiles test-artifacts .pytest_cache .ruff_cache

# Benchmarks print figures and ratios; they assert nothing. Production-like settings (rates lifted), the run
# database with the shipped catalog, static files collected.
BENCH_SETUP = scripts/locale.sh; scripts/pg.sh start run >/dev/null; url=$$(scripts/pg.sh url run owner); \
	export REDIS_URL="$$(scripts/redis.sh start run)"; \
	export DJANGO_DEBUG=false DJANGO_SECRET_KEY="bench-$$(head -c 24 /dev/urandom | od -An -tx1 | tr -d ' \n')" \
	       DJANGO_ALLOWED_HOSTS="localhost,127.0.0.1" DATABASE_URL="$$url" DJANGO_STATIC_ROOT="$(CURDIR)/staticfiles" \
	       DJANGO_SECURE_COOKIES=false DJANGO_SECURE_SSL_REDIRECT=false API_ANONYMOUS_RATE="100000000/minute" \
	       SHEET_RENDER_RATE="100000000/minute"; \
	$(BIN)/python manage.py migrate --noinput -v0; \
	$(BIN)/python manage.py import_catalog -v0 >/dev/null; \
	$(BIN)/python manage.py refresh_verdicts >/dev/null; \
	$(BIN)/python manage.py collectstatic --noinput -v0

bench: venv
	@$(BENCH_SETUP); $(BIN)/python bench/sheet.py

bench-scaling: venv
	@$(BENCH_SETUP); $(BIN)/python bench/scaling.py

bench-throughput: venv
	@command -v wrk >/dev/null || { [ "$$(id -u)" = 0 ] && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk >/dev/null; } \
	  || { echo "Install wrk (e.g. sudo apt-get install wrk)"; exit 1; }
	@$(BENCH_SETUP); $(BIN)/python bench/throughput.py

bench-load: venv
	@$(BENCH_SETUP); $(BIN)/python bench/load.py
