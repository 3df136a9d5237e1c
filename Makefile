# One command to set up and run, one to test (see README).
PY := .venv/bin/python
DATA ?= $(or $(CC_DATA_DIR),data)
AUTH ?= $(or $(CC_AUTH_DIR),$(DATA))

.PHONY: run serve test setup demo lint clean-data bench bench-data

.venv/.installed: requirements.txt requirements-dev.txt
	python3 -m venv .venv
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q -r requirements-dev.txt
	touch $@

setup: .venv/.installed

$(DATA)/CURRENT: | .venv/.installed
	$(PY) -m etl demo --data-dir $(DATA)

demo: .venv/.installed
	$(PY) -m etl demo --data-dir $(DATA)

# First run: one demo account per role and a wall token, printed (README, "Security").
$(AUTH)/auth.sqlite: | .venv/.installed
	$(PY) -m auth demo-accounts --data-dir $(DATA)

# The app, and beside it the one loader of the submissions inbox (python -m etl
# worker), stopped with the app (SIGTERM: it finishes its batch first).
run: .venv/.installed $(DATA)/CURRENT $(AUTH)/auth.sqlite
	CC_DATA_DIR=$(DATA) $(PY) -m etl worker --data-dir $(DATA) & worker=$$!; \
	trap 'kill $$worker 2>/dev/null; wait $$worker' EXIT INT TERM; \
	CC_DATA_DIR=$(DATA) $(PY) app.py

# Production: gunicorn, settings from the environment (see gunicorn.conf.py):
# WEB_CONCURRENCY workers, CC_THREADS threads, HOST, PORT, CC_REDIS_URL.
serve: .venv/.installed $(DATA)/CURRENT
	CC_DATA_DIR=$(DATA) $(PY) -m gunicorn -c gunicorn.conf.py app:server

# Benchmarks at national scale (bench/RESULTS.md); BENCH_DATA holds the warehouse.
BENCH_DATA ?= $(or $(CC_BENCH_DATA),/tmp/cc-bench/national)

$(BENCH_DATA)/CURRENT: | .venv/.installed
	$(PY) -m bench build --data $(BENCH_DATA)

bench-data: $(BENCH_DATA)/CURRENT

bench: .venv/.installed $(BENCH_DATA)/CURRENT
	$(PY) -m bench all --data $(BENCH_DATA)

test: .venv/.installed lint
	$(PY) -m pytest -q -p no:cacheprovider

# ruff (pyproject.toml): the lint rules and the formatter, both clean on main
lint: .venv/.installed
	$(PY) -m ruff check .
	$(PY) -m ruff format --check .

clean-data:
	rm -rf $(DATA)/snapshots $(DATA)/tmp $(DATA)/rejected $(DATA)/demo $(DATA)/CURRENT $(DATA)/etl.lock
