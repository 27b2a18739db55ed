# Enlace — one command to run the demo, one to test. See README.md.
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-stamp

.PHONY: demo test check bench bench-hits bench-smoke soak install clean-demo vendor

$(STAMP): pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet ".[embedded,dev]"
	@touch $(STAMP)

install: $(STAMP)

## make demo: the portal with a demo region on http://127.0.0.1:$${PORT:-8000} until Ctrl-C
demo: $(STAMP)
	$(BIN)/python scripts/demo.py

## make test: the whole suite against real PostgreSQL and Redis (embedded if none configured)
test: $(STAMP)
	$(BIN)/python scripts/run_tests.py $(PYTEST_ARGS)

## make check: lint, types, security scans
check: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	ENLACE_ENV=dev DATABASE_URL=$${DATABASE_URL:-postgresql://localhost/enlace} \
	  REDIS_URL=$${REDIS_URL:-redis://localhost:6379/0} $(BIN)/mypy .
	$(BIN)/bandit -q -c pyproject.toml -r portal agencies cases sharing hits notifications audit insight imports
	$(BIN)/python scripts/pip_audit.py

## make bench: the scale benchmark (builds the synthetic region once, then measures)
bench: $(STAMP)
	$(BIN)/python scripts/bench.py $(BENCH_ARGS)

## make bench-hits: deconfliction matching alone, on the seeded region (bench/hits.py)
bench-hits: $(STAMP)
	$(BIN)/python scripts/bench.py --only hits $(BENCH_ARGS)

## make bench-smoke: the same harness at a tiny size (runs in CI)
bench-smoke: $(STAMP)
	$(BIN)/python scripts/bench.py --smoke $(BENCH_ARGS)

## make soak: the long fault and load runs
soak: $(STAMP)
	$(BIN)/python scripts/run_tests.py -m soak $(PYTEST_ARGS)

## make clean-demo: forget the demo's data and keys (var/)
clean-demo:
	rm -rf var/pgdata var/redis var/keys var/celerybeat-schedule* var/mail var/media

## make vendor: refresh static/vendor/ from the npm registry
vendor:
	bash scripts/vendor.sh
