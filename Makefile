# KHV Strategy — set-up, serving and testing. See README.md.
SHELL := /bin/bash
.DEFAULT_GOAL := help

VENV := .venv
PY := $(VENV)/bin/python
PIP := $(VENV)/bin/pip
MANAGE := $(PY) manage.py
export DJANGO_SETTINGS_MODULE ?= khv_strategy.settings.base
export DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/khv_strategy
SEED := data/plans/khabarovsk-2020-section-6.4.2.txt

.PHONY: help run test setup venv venv-dev npm database messages messages-extract demo lint check bench bench-quick bench-pull bench-selector chromium backup restore redis

help:
	@echo "make run   — install the runtime, prepare the database with the Khabarovsk plan and demo data, serve http://127.0.0.1:8000"
	@echo "make test  — install the runtime and the test tools, run the whole suite (lint, migrations, deploy checks, pytest with the browser)"

# --- interpreter: the first Python >= 3.12 found on this machine -------------------------------
PYTHON_CANDIDATES := python3.14 python3.13 python3.12 python3 \
	$(wildcard $(HOME)/.pyenv/versions/3.14*/bin/python3) \
	$(wildcard $(HOME)/.pyenv/versions/3.13*/bin/python3) \
	$(wildcard $(HOME)/.pyenv/versions/3.12*/bin/python3) \
	$(wildcard /usr/local/bin/python3.1[2-9]) $(wildcard /usr/bin/python3.1[2-9])
find_python = $(firstword $(foreach c,$(PYTHON_CANDIDATES),$(shell $(c) -c 'import sys; assert sys.version_info >= (3, 12); print("$(c)")' 2>/dev/null)))

$(VENV)/bin/python:
	@base="$(call find_python)"; \
	if [ -z "$$base" ]; then \
		echo "ERROR: Python 3.12 or newer is required (Django 6.1) and none was found." >&2; \
		echo "       Tried: $(PYTHON_CANDIDATES)" >&2; \
		echo "       Install one (e.g. 'pyenv install 3.13') and run make again." >&2; exit 1; \
	fi; \
	echo "Using $$base ($$($$base --version))"; \
	$$base -m venv $(VENV)

# requirements.txt is what production installs; requirements-dev.txt adds the test tools.
# Each stamp is remade only when a file it lists changes, so a second run reuses the venv.
$(VENV)/.installed: requirements.txt $(VENV)/bin/python
	$(PIP) install --quiet --upgrade pip
	$(PIP) install --quiet -r requirements.txt
	touch $@

$(VENV)/.installed-dev: requirements.txt requirements-dev.txt $(VENV)/.installed
	$(PIP) install --quiet -r requirements-dev.txt
	touch $@

venv: $(VENV)/.installed

venv-dev: $(VENV)/.installed-dev

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund
	touch $@

npm: node_modules/.installed

# gettext's msgfmt compiles the Russian catalogue; Debian's package when it is missing.
/usr/bin/msgfmt:
	apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq gettext

database: venv
	$(PY) bin/ensure_database.py

# Extract the UI strings of each app into its own Russian catalogue (<app>/locale) and the
# project's templates into locale/; translate the new msgstr entries and drop "fuzzy" flags.
APPS := core accounts activities partners indicators dashboards notifications search
messages-extract: venv /usr/bin/msgfmt
	for app in $(APPS); do (cd $$app && mkdir -p locale && ../$(PY) ../manage.py makemessages -l ru --no-obsolete -v 0); done
	$(MANAGE) makemessages -l ru --no-obsolete -v 0 $(foreach a,$(APPS),--ignore='$(a)/*') \
		--ignore='.venv/*' --ignore='node_modules/*' --ignore='tests/*' --ignore='staticfiles/*'

messages: venv /usr/bin/msgfmt
	$(MANAGE) compilemessages --ignore=.venv --ignore=node_modules -v 0

setup: venv npm database messages
	$(MANAGE) migrate --noinput -v 0

demo: setup
	$(MANAGE) import_plan --if-new $(SEED)
	$(MANAGE) load_demo
	$(MANAGE) ensure_demo_admin

# The worker (django-tasks-db) and the scheduler run beside the web server and stop with it;
# e-mails land in sent-mail/ unless EMAIL_URL names an SMTP server.
run: demo
	@echo "Worker and scheduler started beside the web server; e-mails go to sent-mail/."
	DJANGO_DEBUG=1 $(MANAGE) db_worker & worker=$$!; \
	$(MANAGE) run_scheduler & scheduler=$$!; \
	trap 'kill $$worker $$scheduler 2>/dev/null' EXIT INT TERM; \
	DJANGO_DEBUG=1 DJANGO_PUBLIC_PORTAL=1 $(MANAGE) runserver 127.0.0.1:8000

# --- tests -----------------------------------------------------------------------------------------
# Browser tests drive Debian's Chromium (Playwright cannot download its own browser here).
chromium:
	@command -v chromium >/dev/null || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium; }

# The dashboards' cache tests also run against Redis, as production does.
redis:
	@command -v redis-server >/dev/null || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq redis-server; }
	@redis-cli -h 127.0.0.1 ping >/dev/null 2>&1 || { mkdir -p /var/lib/redis /var/log/redis; \
		redis-server --daemonize yes --bind 127.0.0.1 -::1 --port 6379 --save "" --appendonly no \
		--dir /var/lib/redis --logfile /var/log/redis/ci.log; sleep 1; }

lint: venv-dev
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

check: venv database
	$(MANAGE) makemigrations --check --dry-run
	DJANGO_SETTINGS_MODULE=khv_strategy.settings.production \
	DJANGO_SECRET_KEY=$$($(PY) -c 'import secrets; print(secrets.token_urlsafe(64))') \
	DJANGO_ALLOWED_HOSTS=strategy.khabarovsk.example REDIS_URL=redis://127.0.0.1:6379/0 \
		$(MANAGE) check --deploy --fail-level WARNING

test: venv-dev setup chromium redis lint check
	mkdir -p test-results
	# One pytest worker per CPU (pytest-xdist; each has its own test database); loadgroup keeps
	# a module marked xdist_group (schemathesis) on one worker.
	DJANGO_SETTINGS_MODULE=khv_strategy.settings.test $(VENV)/bin/pytest -n auto --dist loadgroup -m "not ops" $(PYTEST_ARGS)
	# Operations tests restart PostgreSQL, so they run alone, after everything else.
	DJANGO_SETTINGS_MODULE=khv_strategy.settings.test $(VENV)/bin/pytest -m ops $(PYTEST_ARGS)

# --- operations --------------------------------------------------------------------------------
# make backup [BACKUP=file.dump]; make restore BACKUP=file.dump [DATABASE_URL=…]
backup: database
	@file="$(or $(BACKUP),backups/khv_strategy-$(shell date +%Y%m%d-%H%M%S).dump)"; \
	mkdir -p "$$(dirname "$$file")" && \
	pg_dump --format=custom --no-owner --no-privileges --dbname="$(DATABASE_URL)" --file="$$file" && \
	echo "Backup written to $$file"

restore: venv
	@test -n "$(BACKUP)" && test -f "$(BACKUP)" || { echo "usage: make restore BACKUP=file.dump" >&2; exit 2; }
	$(PY) bin/ensure_database.py
	pg_restore --clean --if-exists --no-owner --no-privileges --single-transaction --exit-on-error \
		--dbname="$(DATABASE_URL)" "$(BACKUP)"
	@echo "Restored $(BACKUP) into the database of DATABASE_URL"

# --- benchmarks (bench/run.py): make bench [SCALES="1 10"] [DURATION=15] [MIXED=60] [ONLY=regex] ---
# Each URL alone for DURATION seconds, then every URL in turn for MIXED seconds, at each scale.
SCALES ?= 1 10
DURATION ?= 15
MIXED ?= 60
/usr/bin/wrk:
	apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk

bench: setup redis /usr/bin/wrk
	$(PY) bench/run.py --scales "$(SCALES)" --duration $(DURATION) --mixed $(MIXED) \
		$(if $(ONLY),--only '$(ONLY)')

bench-quick: setup redis /usr/bin/wrk
	$(PY) bench/run.py --scales 1 --duration 5 --mixed 10

# The full pull of indicator values (export vs COPY) and the sync cursor's pages, one scale.
bench-pull: setup redis
	$(PY) bench/full_pull.py --scale $(or $(SCALE),10)

# The progress selector alone, 500 indicators × 13 years, in a rolled-back transaction.
bench-selector: database
	$(PY) bench/indicators_selector.py
