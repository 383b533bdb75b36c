# qyzmet — two commands on a fresh machine: `make run` and `make test` (see README.md).
SHELL := /bin/bash
.DEFAULT_GOAL := help

VENV := .venv
BIN := $(VENV)/bin
PYTHON := $(shell scripts/find-python)
DEPS_STAMP := $(VENV)/.deps-installed
NODE_STAMP := node_modules/.deps-installed
SYSTEM_STAMP := var/.system-deps-installed
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: help run test deps node system-deps run-system-deps lint lock demo messages clean

help:
	@echo "make run   - set up (venv, database, catalogue, demo data, demo PKI) and start qyzmet"
	@echo "make test  - install what the tests need and run the whole suite"

$(DEPS_STAMP): requirements.lock pyproject.toml
	@test -n "$(PYTHON)" || { echo "no Python >= 3.12 found" >&2; exit 1; }
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --disable-pip-version-check -r requirements.lock
	$(BIN)/python -m pip install -q --disable-pip-version-check --no-deps --no-build-isolation -e .
	touch $@

deps: $(DEPS_STAMP)

$(NODE_STAMP): package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

node: $(NODE_STAMP)

# Debian packages the tests use: Chromium for the browser tests, poppler's pdfsig, NSS's certutil,
# OpenSSL's GOST provider.
$(SYSTEM_STAMP): scripts/install-system-deps
	@mkdir -p var
	scripts/install-system-deps
	touch $@

system-deps: $(SYSTEM_STAMP)

# What running benefits from (OpenSSL's GOST provider): installed when we are root, else a
# note — qyzmet then checks GOST signatures in pure Python (docs/eds.md).
run-system-deps:
	@scripts/install-system-deps --run

lint: deps
	$(BIN)/ruff check src bench

# Re-pin requirements.lock from pyproject.toml (run after changing dependencies).
lock: deps
	$(BIN)/pip-compile -q --strip-extras --no-emit-index-url --no-emit-find-links --extra test --output-file requirements.lock pyproject.toml

# The interface texts' catalogues: .po (committed) to .mo (built here; docs/i18n.md).
messages: deps
	$(BIN)/qyzmet i18n compile

demo: deps node run-system-deps messages
	$(BIN)/qyzmet migrate --noinput
	$(BIN)/qyzmet catalog load
	$(BIN)/qyzmet demo setup

run: demo
	$(BIN)/qyzmet serve --host $(HOST) --port $(PORT)

test: deps node system-deps messages
	$(BIN)/ruff check src bench
	$(BIN)/qyzmet catalog check
	$(BIN)/qyzmet i18n check
	$(BIN)/pytest

clean:
	rm -rf $(VENV) node_modules var
