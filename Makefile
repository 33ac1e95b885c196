# One command to run, one to test. Both set everything up from the project's own files.
PYTHON ?= python3
VENV   ?= .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed

.PHONY: install run test test-unit lint-imports clean bench

$(STAMP): pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "Python 3.11 or newer is needed (set PYTHON=...)")'
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

install: $(STAMP)

run: install
	$(PY) -m devtools.localstack

lint-imports: install
	$(VENV)/bin/lint-imports

test: install lint-imports
	$(PY) -m pytest

test-unit: install
	$(PY) -m pytest tests/unit

clean:
	rm -rf $(VENV) var .pytest_cache

# Speed and scaling figures as ratios measured in one run; BENCH_ARGS=--quick for a CI-sized run.
bench: install
	PYTHONPATH=src:. $(PY) -m bench $(BENCH_ARGS)
