# One command to run, one to test. Both set everything up from the project's own files.
PYTHON ?= python3
VENV   ?= .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed

.PHONY: install run test verify test-unit lint-imports clean web-install web-build web-test chromium bench screenshots

$(STAMP): pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "Python 3.11 or newer is needed (set PYTHON=...)")'
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

install: $(STAMP)

run: install web-build
	$(PY) -m devtools.localstack

lint-imports: install
	$(VENV)/bin/lint-imports

test: install lint-imports web-build chromium
	$(PY) -m pytest
	$(MAKE) web-test

# The longer proofs: the whole API fuzzed from its OpenAPI document, and faults in the local services.
# Each run prints its figures (requests tried, failures, lost) at the end.
verify: install
	$(PY) -m pytest -m verify tests/verify -p no:cacheprovider -s

test-unit: install
	$(PY) -m pytest tests/unit

clean:
	rm -rf $(VENV) var .pytest_cache web/node_modules web/.next web/test-results

# The web front end (web/): npm packages from the lock file, and a production build that is redone only
# when its sources change (make's own timestamps: .next/BUILD_ID is newer than every source).
WEB_STAMP   := web/node_modules/.installed
WEB_SOURCES := $(shell find web/src web/public -type f 2>/dev/null) web/package.json web/next.config.mjs web/tsconfig.json \
               web/server.mjs web/scripts/standalone.mjs

$(WEB_STAMP): web/package-lock.json
	@command -v npm >/dev/null || { echo "Node.js 20+ and npm are needed for the web front end"; exit 1; }
	# npm install follows the lock file; npm 11's `npm ci` refuses it over rollup's optional per-platform packages.
	cd web && npm install --no-audit --no-fund
	touch $(WEB_STAMP)

web-install: $(WEB_STAMP)

web/.next/BUILD_ID: $(WEB_STAMP) $(WEB_SOURCES)
	cd web && NEXT_TELEMETRY_DISABLED=1 npm run build

web-build: web/.next/BUILD_ID

# The end-to-end tests drive Debian's chromium (no browser download); CI runs as root.
chromium:
	@test -x /usr/bin/chromium || { apt-get install -y chromium || { apt-get update && apt-get install -y chromium; }; }

# Speed and scaling figures as ratios measured in one run (BENCH_ARGS=--quick for a CI-sized run),
# then the web front end's (search page TTFB against the API search it wraps, gzipped JS).
bench: install web-build
	PYTHONPATH=src:. $(PY) -m bench $(BENCH_ARGS)
	cd web && PYTHON=$(abspath $(PY)) $(if $(BENCH_ARGS),,BENCH_RESULTS=$(abspath bench/RESULTS.md)) npm run bench

web-test: install web-build chromium
	cd web && npm run typecheck
	cd web && npm test
	cd web && PYTHON=$(abspath $(PY)) npm run e2e

# The main pages at 390x844 and 1366x900, into web/screenshots/ (linked from the README), from a fresh stack.
screenshots: install web-build chromium
	cd web && PYTHON=$(abspath $(PY)) node e2e/run.mjs --script e2e/screenshots.mjs
