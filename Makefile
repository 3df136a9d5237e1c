# One command to set up and run, one to test (see README).
PY := .venv/bin/python
DATA ?= $(or $(CC_DATA_DIR),data)

.PHONY: run test setup demo lint clean-data

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

run: .venv/.installed $(DATA)/CURRENT
	CC_DATA_DIR=$(DATA) $(PY) app.py

test: .venv/.installed
	$(PY) -m pytest -q -p no:cacheprovider

lint: .venv/.installed
	$(PY) -m ruff check .

clean-data:
	rm -rf $(DATA)/snapshots $(DATA)/tmp $(DATA)/rejected $(DATA)/demo $(DATA)/CURRENT $(DATA)/etl.lock
