# roverops: `make run` starts everything, `make test` runs every test. Both set up what they need.
SHELL := /bin/bash
.DEFAULT_GOAL := help

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
export PATH := $(CURDIR)/$(BIN):$(PATH)

# Debian packages the tests and the hardware side need (see docs/bench.md).
APT_PACKAGES := mosquitto mosquitto-clients chromium gcc-avr avr-libc binutils-avr avrdude simavr \
	libsimavr-dev libsimavrparts1 libelf-dev pkg-config make gcc

RUN_ARGS ?=

.PHONY: help run test test-fast test-integration test-hil test-browser check lint typecheck \
	imports bench system node venv clean

help:
	@echo "make run    build what is needed and start everything (roverops up $(RUN_ARGS))"
	@echo "make test   install what is missing and run every test, lint and type check"
	@echo "make bench  run the benchmarks and print their figures"
	@echo "make test-fast | test-integration | test-hil | test-browser   one tier of tests"

# ---------------------------------------------------------------- environment

venv: $(VENV)/.installed
$(VENV)/.installed: pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	@touch $@

# Installs the missing Debian packages as root; elsewhere it names them and goes on (the tests
# that need them are then skipped, each saying what is missing).
system: .stamp-system
.stamp-system: Makefile
	@missing=$$(for p in $(APT_PACKAGES); do dpkg-query -W -f='$${Status}' $$p 2>/dev/null \
		| grep -q 'install ok installed' || echo $$p; done); \
	if [ -z "$$missing" ]; then touch $@; exit 0; fi; \
	if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
		echo "installing: $$missing"; \
		export DEBIAN_FRONTEND=noninteractive; \
		apt-get update -qq && apt-get install -y -qq --no-install-recommends $$missing >/dev/null \
		&& touch $@; \
	else \
		echo "missing system packages (tests needing them will be skipped): $$missing"; \
	fi

# The console's build needs Node.js and npm: installed here when missing (Debian, as root).
node:
	@command -v npm >/dev/null || { \
		if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
			apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nodejs npm; \
		else echo "Node.js and npm are needed to build the console: install them" >&2; exit 1; fi; }

include ground/web/web.mk
include hil/firmware/firmware.mk

$(WEB_STAMP): | node
$(FW_HEADER): | $(VENV)/.installed
api-types-check api-types: | $(VENV)/.installed  # the API's OpenAPI comes from Python

# ---------------------------------------------------------------- the two commands

run: venv web
	$(BIN)/roverops up $(RUN_ARGS)

test: system venv web firmware simavr-harness check
	@if [ -f .stamp-system ]; then export ROVEROPS_REQUIRE_ALL=1; fi; \
	$(BIN)/pytest

test-fast: venv
	$(BIN)/pytest -m "not integration and not hil and not browser"

test-integration: system venv
	$(BIN)/pytest -m integration

test-hil: system venv firmware simavr-harness
	$(BIN)/pytest -m hil

test-browser: system venv web
	$(BIN)/pytest -m browser

check: lint typecheck imports

lint: venv
	$(BIN)/ruff check .

typecheck: venv
	$(BIN)/mypy

# The import contracts in pyproject.toml: the layering of the packages.
imports: venv
	$(BIN)/lint-imports --no-logo --no-cache

bench: venv web firmware simavr-harness
	@for script in bench/*.py; do echo "== $$script"; $(BIN)/python $$script || exit 1; done

clean:
	rm -rf $(VENV) .stamp-* .mypy_cache .ruff_cache .pytest_cache
