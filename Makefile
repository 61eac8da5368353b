# The two commands a new user needs: `make run` and `make test`. Both set everything up themselves.
# Every target is a one-line alias of `python tasks.py <target>` (standard library only), which is what
# to run where there is no make (Windows: `py tasks.py run`, `py tasks.py test`). Its variables reach
# tasks.py through the environment: make run PORT=8100, make test TEST_WORKERS=0 PYTEST_ARGS='-k x',
# make package STAGE=prod, LAMBDA_PYTHON=/path/to/python3.13, BENCH_RUNS=15.
PYTHON ?= python3
TASKS := $(PYTHON) tasks.py
export PORT TEST_WORKERS PYTEST_ARGS STAGE LAMBDA_PYTHON BENCH_RUNS

.PHONY: setup run test lint format lock clean runtime-check package undeploy bench

## Create .venv and install the locks (every target does it first when a lock changed).
setup:
	$(TASKS) setup

## Start the whole product on http://127.0.0.1:$PORT (8000; SQLite, embedded AWS, sandboxes, event runner).
run:
	$(TASKS) run

## Run the whole test suite (browser tests skip with a reason when no Chromium is installed), in random
## order over TEST_WORKERS pytest-xdist workers (default: one more than the cores; TEST_WORKERS=0 runs in one process).
test:
	$(TASKS) test

lint:
	$(TASKS) lint

format:
	$(TASKS) format

## Re-pin the locks after editing requirements.in or requirements-dev.in.
lock:
	$(TASKS) lock

clean:
	$(TASKS) clean

runtime-check:
	$(TASKS) runtime-check

## Build the Lambda zip of a stage offline (no AWS credentials): make package STAGE=dev -> build/dev.zip,
## by the interpreter of the function's runtime, for Lambda's platform from any host (tasks.py package).
package:
	$(TASKS) package

## Remove a deployed stage and everything we created beside it (event-source mappings, rules, API):
## make undeploy STAGE=dev (AWS credentials of the account; core/deploy/undeploy.py).
undeploy:
	$(TASKS) undeploy

## Benchmarks against the budgets (not part of `make test`): zip size and cold start of build/$(STAGE).zip.
## `make package bench` rebuilds the zip first; figures go in bench/README.md.
bench:
	$(TASKS) bench
