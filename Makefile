# The two commands of the README's Quick start. Each one bootstraps what it needs:
# a virtual environment with the pinned packages, and the system library libzbar0;
# `make test` also Debian's chromium and chromedriver, for the HTML report's browser test.
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-stamp
RUNTIME_STAMP := $(VENV)/.installed-runtime
REPORT_DIR ?= conformance-report
# make report TARGET=url URL=http://127.0.0.1:4566 PROFILE=quick WORKERS=4
TARGET  ?= $(if $(URL),url,moto-server)
URL     ?=
PROFILE ?= default
WORKERS ?= 1

# pytest-xdist workers for the project's own tests: one more than the cores, 0 for none (one process).
# The one more: several tests mostly sleep (a 30 s TOTP step, 2 s read lags, stalls waited out), and a
# third worker on 2 cores keeps both busy meanwhile (fresh clone, idle machine: pytest 372 s with 2
# workers, 340 s with 3). worksteal: the tests last from milliseconds to tens of seconds, so an idle
# worker takes half of another's queue rather than wait.
PYTEST_WORKERS ?= $(shell echo $$(( $$(nproc 2>/dev/null || echo 1) + 1 )))
PYTEST := $(BIN)/pytest -n $(PYTEST_WORKERS) --dist worksteal
MYPY_OUTPUT := .mypy_cache/make-output.txt

.PHONY: report test test-fast pytest pytest-fast lint typecheck typecheck-beside bootstrap runtime browser clean

## make report: run the conformance suite against the embedded moto server; write $(REPORT_DIR)/
# Exit code 1 from the suite means "the report found failures": the report is still written and
# `make report` succeeds, silently: the suite's summary (which says where the report is) stays the last
# thing on screen. Exit code 2 (bad usage, endpoint down, missing library) is passed on.
report: runtime
	@$(BIN)/iam-conformance run --target $(TARGET) $(if $(URL),--endpoint-url $(URL)) --profile $(PROFILE) \
	  --workers $(WORKERS) --report-dir $(REPORT_DIR); \
	  rc=$$?; if [ $$rc -eq 1 ]; then exit 0; fi; exit $$rc

## make expectations: rewrite expectations/moto.toml from a run against the pinned moto (reasons kept)
# The run exits 1 (moto fails checks): that is what the file records, so it is not an error here.
MOTO_EXPECTATIONS ?= expectations/moto.toml
.PHONY: expectations
expectations: runtime
	@$(BIN)/iam-conformance run --target moto-server --profile quick --seed 20261122 \
	  --report-dir $(REPORT_DIR) --write-expectations $(MOTO_EXPECTATIONS); \
	  rc=$$?; if [ $$rc -eq 1 ]; then exit 0; fi; exit $$rc

## make bench: time a run against its floor (moto's cost per call), start-up, and --workers; not a test
.PHONY: bench
bench: bootstrap
	$(BIN)/python -m tests.benchmark

## make compat: moto, MiniStack and LocalStack side by side (each installed in a venv of its own under
## .emulators/, started on loopback behind a network guard, stopped by its PID); writes compat/
COMPAT_DIR ?= compat
.PHONY: compat
compat: runtime
	@$(BIN)/python -m conformance.emulators compat --out $(COMPAT_DIR)

## make test: the project's own tests, linters and type checks
# ruff first (it takes a moment); then pytest on every core and mypy beside it (a cold mypy is some
# seconds of one core). mypy's output waits until pytest is done, unless mypy fails.
test: bootstrap browser lint
	@$(MAKE) --no-print-directory -j2 pytest typecheck-beside
	@cat $(MYPY_OUTPUT)

## make test-fast: the same without the tests marked slow (the end-to-end suite runs): under a minute
test-fast: bootstrap browser lint
	@$(MAKE) --no-print-directory -j2 pytest-fast typecheck-beside
	@cat $(MYPY_OUTPUT)

pytest: bootstrap
	$(PYTEST)

pytest-fast: bootstrap
	$(PYTEST) -m "not slow"

lint: bootstrap
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

typecheck: bootstrap
	$(BIN)/mypy

typecheck-beside: bootstrap
	@mkdir -p $(dir $(MYPY_OUTPUT))
	@$(BIN)/mypy > $(MYPY_OUTPUT) 2>&1 || { cat $(MYPY_OUTPUT); echo "mypy failed (above)"; exit 1; }

# The runtime (make report): the suite and moto, no development tools.
runtime: $(RUNTIME_STAMP)
	@$(BIN)/python -m conformance.runner.system_deps --install
	@$(COMPILE)

# Everything make test needs: the runtime and the development tools.
bootstrap: $(STAMP)
	@$(BIN)/python -m conformance.runner.system_deps --install
	@$(COMPILE)

# The suite's modules compiled here, once (a tenth of a second when nothing changed): where bytecode is
# not written (PYTHONDONTWRITEBYTECODE), each process of a run compiled them all again, 0.2 s of CPU
# before its first test, in each --workers worker too.
COMPILE = $(BIN)/python -m compileall -q conformance strategies reports

# Installs chromium and chromium-driver when missing and allowed. When they cannot be had, the other
# tests still run, and the browser test fails with the one line this prints.
browser: bootstrap
	@$(BIN)/python -m conformance.runner.system_deps --install --with-browser || true

$(VENV)/bin/python:
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "error: Python 3.11 or newer is needed as $(PYTHON)")'
	@echo "bootstrap: creating the virtual environment $(VENV)/"
	@$(PYTHON) -m venv $(VENV)

$(RUNTIME_STAMP): pyproject.toml requirements.lock | $(VENV)/bin/python
	@echo "bootstrap: installing the suite and moto, pinned by requirements.lock (a minute or two the first time)"
	@$(BIN)/python -m pip install --quiet --disable-pip-version-check -c requirements.lock -e '.[moto]'
	@touch $@

$(STAMP): pyproject.toml requirements.lock | $(VENV)/bin/python
	@echo "bootstrap: installing the suite, moto and the development tools, pinned by requirements.lock"
	@$(BIN)/python -m pip install --quiet --disable-pip-version-check -c requirements.lock -e '.[moto,dev]'
	@touch $@ $(RUNTIME_STAMP)

clean:
	rm -rf $(VENV) $(REPORT_DIR) .mypy_cache .ruff_cache .pytest_cache .hypothesis
