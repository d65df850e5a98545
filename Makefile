# The two commands of the README: `make run` and `make test`. Everything else supports them.
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
# Tests run in parallel (pytest-xdist): one worker per core unless told, e.g. WORKERS=1.
# `worksteal` hands a long test's neighbours to an idle worker; each test has its own store.
WORKERS ?= auto
# The slowest tests are listed at the end of each run: a suite that grows slower shows where.
PYTEST  := $(BIN)/python -m pytest -n $(WORKERS) --dist worksteal --durations=20

.PHONY: admin run test suite lint typecheck imports unit openapi schemas stored-events bench clean

$(BIN)/python:
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "Python 3.11 or newer is needed")'
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	@touch $(STAMP)

# The admin workspace (ADR 0030): npm ci from the lockfile, then its types generated from the
# committed OpenAPI documents, type-checked and bundled into admin/web/dist.
ADMIN       := admin/web
ADMIN_DEPS  := $(ADMIN)/node_modules/.package-lock.json
ADMIN_BUILT := $(ADMIN)/dist/index.html

$(ADMIN_DEPS): $(ADMIN)/package-lock.json
	cd $(ADMIN) && npm ci --no-audit --no-fund

$(ADMIN_BUILT): $(ADMIN_DEPS) $(ADMIN)/index.html $(ADMIN)/vite.config.ts $(ADMIN)/tsconfig.json \
		$(wildcard $(ADMIN)/src/*.ts $(ADMIN)/src/*.tsx $(ADMIN)/src/*.css) openapi/mso_ops.v1.json openapi/pc_governance.v1.json
	cd $(ADMIN) && npm run build

admin: $(ADMIN_BUILT)

# `make run DEMO=1` first fills both services with a demo year (mhg demo seed).
run: $(STAMP) $(ADMIN_BUILT)
	$(BIN)/mhg run $(if $(DEMO),--demo)

lint: $(STAMP)
	$(BIN)/ruff check src services contracts tests admin
	$(BIN)/ruff format --check src services contracts tests admin

typecheck: $(STAMP)
	$(BIN)/mypy

imports: $(STAMP)
	$(BIN)/lint-imports

# The type check runs beside the tests, not before them: it is one process on a machine
# whose test workers spend much of their time waiting on services they started.
test: lint imports
	@$(MAKE) --no-print-directory -j2 typecheck suite

suite: $(STAMP) $(ADMIN_BUILT)
	$(PYTEST) tests

# The fast half: rules, aggregates and contracts, no service started (under a minute).
unit: $(STAMP)
	$(PYTEST) tests/unit tests/contracts

openapi: $(STAMP)
	$(BIN)/mhg openapi export

schemas: $(STAMP)
	$(BIN)/python -m contracts.export

# After a compatible change to a stored event (ADR 0021); refuses an incompatible one.
stored-events: $(STAMP)
	$(BIN)/python -m tests.contracts.stored_events --write

# Each benchmark once, small and on SQLite (a minute or two); docs/performance.md has the
# full-size commands and the figures. Only ratios inside one run mean anything.
bench: $(STAMP)
	PYTHONPATH=.:src $(BIN)/python -m bench.command_path --backend sqlite --count 500 --seconds 3
	PYTHONPATH=.:src $(BIN)/python -m bench.audit_chain --records 50000 --rounds 1 --count 300 --seconds 3
	PYTHONPATH=.:src $(BIN)/python -m bench.kpi_history --backend sqlite --per-month 50 --repeat 5
	PYTHONPATH=.:src $(BIN)/python -m bench.replay --events 20000

clean:
	rm -rf var .pytest_cache .mypy_cache .ruff_cache .hypothesis
