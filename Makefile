# wijkbeeld: `make demo` to see it, `make test` to check it. `make help` lists every target.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
DATA_DIR ?= data/build
HOST ?= 127.0.0.1
PORT ?= 8050
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

.DEFAULT_GOAL := help
.PHONY: help install install-test chromium nginx demo demo-data serve test test-fast bench audit lock clean

help: ## list the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-12s %s\n", $$1, $$2}'

$(BIN)/wijkbeeld: pyproject.toml requirements.lock
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --disable-pip-version-check -c requirements.lock -e .
	@touch $@

$(VENV)/.test-installed: $(BIN)/wijkbeeld
	$(BIN)/pip install --quiet --disable-pip-version-check -c requirements.lock -e '.[test]'
	@touch $@

install: $(BIN)/wijkbeeld ## create .venv and install wijkbeeld into it

install-test: $(VENV)/.test-installed ## install wijkbeeld with the test tools

chromium: ## install Debian's chromium and chromium-driver for the browser tests, when missing
	@test -x /usr/bin/chromium || { $(SUDO) apt-get update -qq && \
		DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq chromium chromium-driver; }

nginx: ## install Debian's nginx for the tests with a real reverse proxy (tests/deploy), when missing
	@test -x /usr/sbin/nginx || { $(SUDO) apt-get update -qq && \
		DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq nginx; }

demo-data: install ## load the embedded demo (fictional Voorbeeldstad) and publish it to $(DATA_DIR)
	$(BIN)/wijkbeeld --data-dir $(DATA_DIR) demo

demo: demo-data ## build the demo database and open the dashboard on http://127.0.0.1:8050
	$(BIN)/wijkbeeld --data-dir $(DATA_DIR) serve --host $(HOST) --port $(PORT)

serve: install ## serve what is published in $(DATA_DIR) (staff view, 127.0.0.1 only)
	$(BIN)/wijkbeeld --data-dir $(DATA_DIR) serve --host $(HOST) --port $(PORT)

test: install-test chromium nginx ## set up and run the whole test suite (browser tests in headless chromium, real nginx)
	$(BIN)/pytest

test-fast: install-test ## the tests without a browser or nginx
	$(BIN)/pytest -m "not browser and not deploy"

bench: install-test chromium nginx ## national benchmark: generate data/bench-input once, then load, serve and measure it
	@test -d data/bench-input || $(BIN)/python -m bench.generate --out data/bench-input
	$(BIN)/python -m bench.run --data data/bench-input

audit: ## check the locked dependencies (requirements.lock) for known vulnerabilities with pip-audit
	@test -x .venv-audit/bin/pip-audit || { $(PYTHON) -m venv .venv-audit && \
		.venv-audit/bin/pip install --quiet --disable-pip-version-check pip-audit; }
	.venv-audit/bin/python .ci/audit.py .venv-audit/bin/pip-audit

lock: install-test ## rewrite requirements.lock from what .venv has installed
	$(BIN)/pip freeze --exclude-editable | grep -v '^-e' > requirements.lock

clean: ## remove built data (not the venv)
	rm -rf $(DATA_DIR) test-artifacts
