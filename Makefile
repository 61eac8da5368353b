# The two commands a new user needs: `make run` and `make test`. Both set everything up themselves.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed

.PHONY: run test lint format lock clean package bench

$(STAMP): requirements.txt requirements-dev.txt
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade "pip>=24"
	$(PY) -m pip install --quiet -r requirements-dev.txt
	@touch $(STAMP)

## Start the whole product on http://127.0.0.1:8000 (SQLite, embedded AWS, sandboxes, event runner).
run: $(STAMP)
	$(PY) manage.py migrate --noinput
	$(PY) manage.py devserver --demo

## Run the whole test suite (browser tests skip with a reason when no Chromium is installed), in random
## order over TEST_WORKERS pytest-xdist workers (auto: one per core; TEST_WORKERS=0 runs in one process).
TEST_WORKERS ?= auto
test: $(STAMP)
	$(PY) -m pytest -n $(TEST_WORKERS) --dist loadgroup $(PYTEST_ARGS)

lint: $(STAMP)
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/mypy

format: $(STAMP)
	$(VENV)/bin/ruff format .
	$(VENV)/bin/ruff check --fix .

## Re-pin the locks after editing requirements.in or requirements-dev.in.
lock: $(STAMP)
	$(VENV)/bin/pip-compile --quiet --strip-extras --no-emit-index-url --no-emit-find-links requirements.in -o requirements.txt
	$(VENV)/bin/pip-compile --quiet --strip-extras --no-emit-index-url --no-emit-find-links requirements-dev.in -o requirements-dev.txt

clean:
	rm -rf $(VENV) staticfiles build dist .pytest_cache .ruff_cache
	rm -rf "$$($(PYTHON) core/deploy/runtime.py out-of-tree)"

## Build the Lambda zip of a stage offline (no AWS credentials): make package STAGE=dev -> build/dev.zip
## It is built by the interpreter of the function's runtime (zappa_settings.json, python3.13; found on
## PATH or under pyenv, or LAMBDA_PYTHON=...), from a virtualenv OUTSIDE the project folder (Zappa
## walks the project folder for WebSocket handlers; core/deploy/runtime.py says why and where).
STAGE ?= dev
RUNTIME_TOOL := $(PYTHON) core/deploy/runtime.py
LAMBDA_PYTHON ?= $(shell $(RUNTIME_TOOL) interpreter)
OUT_OF_TREE := $(shell $(RUNTIME_TOOL) out-of-tree)
PACKAGE_VENV := $(shell $(RUNTIME_TOOL) package-venv)
PACKAGE_STAMP := $(PACKAGE_VENV)/.installed

.PHONY: runtime-check undeploy

runtime-check:
	@test -n "$(LAMBDA_PYTHON)" || { $(RUNTIME_TOOL) interpreter >/dev/null; exit 1; }
	@$(RUNTIME_TOOL) check "$(LAMBDA_PYTHON)"
	@test ! -x $(PACKAGE_VENV)/bin/python || $(RUNTIME_TOOL) check $(PACKAGE_VENV)/bin/python \
		|| { echo "make package: removing $(PACKAGE_VENV), built by another interpreter"; rm -rf $(PACKAGE_VENV); }

# A virtualenv holding only the runtime lock: nothing from requirements-dev.txt can reach the zip.
$(PACKAGE_STAMP): requirements.txt
	@test -x $(PACKAGE_VENV)/bin/python || $(LAMBDA_PYTHON) -m venv $(PACKAGE_VENV)
	$(PACKAGE_VENV)/bin/python -m pip install --quiet --upgrade "pip>=24"
	$(PACKAGE_VENV)/bin/python -m pip install --quiet -r requirements.txt
	@touch $(PACKAGE_STAMP)

# The zip's dependencies: the runtime lock's wheels for the function's architecture (zappa_settings.json),
# whatever this machine is (binary wheels only), in a virtualenv-shaped folder Zappa copies from.
LAMBDA_SITE := $(shell $(RUNTIME_TOOL) lambda-site)
LAMBDA_SITE_STAMP := $(LAMBDA_SITE)/.installed

$(LAMBDA_SITE_STAMP): requirements.txt
	rm -rf $(LAMBDA_SITE)
	$(PACKAGE_VENV)/bin/python -m pip install --quiet --no-deps --target "$$($(RUNTIME_TOOL) lambda-site-packages)" \
		$$($(RUNTIME_TOOL) pip-platform) -r requirements.txt
	@touch $(LAMBDA_SITE_STAMP)

package: runtime-check
	@$(MAKE) --no-print-directory $(PACKAGE_STAMP) LAMBDA_PYTHON="$(LAMBDA_PYTHON)"
	@$(MAKE) --no-print-directory $(LAMBDA_SITE_STAMP) LAMBDA_PYTHON="$(LAMBDA_PYTHON)"
	rm -rf staticfiles build/$(STAGE).zip
	mkdir -p build
	env DJANGO_SETTINGS_MODULE=config.settings STAGE=$(STAGE) DEBUG=false SECRET_KEY=collectstatic-only DATABASE_URL=sqlite:///:memory: \
		$(PACKAGE_VENV)/bin/python manage.py collectstatic --noinput --verbosity 0
	env -u AWS_PROFILE -u AWS_ACCESS_KEY_ID -u AWS_SECRET_ACCESS_KEY -u AWS_SESSION_TOKEN -u AWS_ENDPOINT_URL \
		DJANGO_SETTINGS_MODULE=config.settings VIRTUAL_ENV=$(LAMBDA_SITE) PATH=$(PACKAGE_VENV)/bin:$$PATH \
		$(PACKAGE_VENV)/bin/zappa package $(STAGE) -o build/$(STAGE).zip
	env DJANGO_SETTINGS_MODULE=config.settings STAGE=$(STAGE) DEBUG=false SECRET_KEY=collectstatic-only DATABASE_URL=sqlite:///:memory: $(PACKAGE_VENV)/bin/python manage.py cfn_template --stage $(STAGE) -o build/$(STAGE).template.json

## Remove a deployed stage and everything we created beside it (event-source mappings, rules, API):
## make undeploy STAGE=dev (AWS credentials of the account; core/deploy/undeploy.py).
undeploy: $(STAMP)
	$(PY) manage.py undeploy --stage $(STAGE) --yes

## Benchmarks against the budgets (not part of `make test`): zip size and cold start of build/$(STAGE).zip.
## `make package bench` rebuilds the zip first; figures go in bench/README.md. Both sides of the cold
## start run on the runtime's interpreter.
BENCH_VENV := $(OUT_OF_TREE)/bench-venv
BENCH_STAMP := $(BENCH_VENV)/.installed
BENCH_RUNS ?= 15

$(BENCH_STAMP): bench/requirements-bench.txt
	@test -x $(BENCH_VENV)/bin/python || $(LAMBDA_PYTHON) -m venv $(BENCH_VENV)
	$(BENCH_VENV)/bin/python -m pip install --quiet -r bench/requirements-bench.txt
	@touch $(BENCH_STAMP)

bench: $(STAMP) $(BENCH_STAMP)
	@test -f build/$(STAGE).zip || $(MAKE) package STAGE=$(STAGE)
	$(PY) bench/zip_size.py build/$(STAGE).zip
	$(PY) bench/cold_start.py --zip build/$(STAGE).zip --runs $(BENCH_RUNS) --bench-venv $(BENCH_VENV)
