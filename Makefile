# Two commands do everything (see README):  make run   and   make test
SHELL := /bin/bash
.DEFAULT_GOAL := help
export RASA_TELEMETRY_ENABLED := false
export TF_CPP_MIN_LOG_LEVEL := 2
export PYTHONDONTWRITEBYTECODE := 1

VENV := .venv
PY := $(VENV)/bin/python
RASA := $(VENV)/bin/rasa
KB := build/knowledge.db
MODEL_DIR := models
MODEL := $(MODEL_DIR)/current.tar.gz
REQ_HASH := $(shell cat requirements.txt constraints.txt pyproject.toml | sha256sum | cut -c1-16)
INSTALL_STAMP := $(VENV)/.installed-$(REQ_HASH)
KB_SOURCES := $(shell find knowledge -name '*.py' -o -name '*.yml')
GENERATED_NLU := data/nlu/generated_programs.yml
TRAIN_INPUTS := config.yml domain.yml $(GENERATED_NLU) $(shell find data nlu -name '*.yml' -o -name '*.py' 2>/dev/null) $(KB)

WEB_ASSETS := web/node_modules/.package-lock.json

.PHONY: help install kb check-kb generate-nlu train web run test test-fast lint validate crossval bench bench-sets load coverage clean line-richmenu line-richmenu-check review review-purge

help:
	@echo "make run    install, build the knowledge base, train if needed, start the bot"
	@echo "make test   install, build, train if needed, and run every test"
	@echo "make coverage  which questions the bot answers right (reports/coverage/index.html)"
	@echo "make review    what real users asked and rated (reports/review/index.html); make review-purge BEFORE=YYYY-MM-DD"
	@echo "other: install kb check-kb generate-nlu train web lint validate test-fast crossval bench bench-sets load coverage clean"

install: $(INSTALL_STAMP)

# Recreated when requirements change; skipped when the stamp for this hash exists.
$(INSTALL_STAMP): requirements.txt constraints.txt pyproject.toml scripts/find_python.sh
	@python=$$(scripts/find_python.sh) || exit 1; \
	if [ -x $(PY) ] && ! $(PY) -c 'import sys; sys.exit(sys.version_info[:2] != (3, 10))'; then \
	  echo "$(VENV) is not Python 3.10; recreating"; rm -rf $(VENV); fi; \
	[ -x $(PY) ] || $$python -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check --upgrade pip==24.0
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements.txt -c constraints.txt
	$(PY) -m pip install --quiet --disable-pip-version-check --no-deps --no-build-isolation -e .
	rm -f $(VENV)/.installed-*
	touch $@

kb: $(KB)

$(KB): $(INSTALL_STAMP) $(KB_SOURCES)
	$(PY) -m knowledge --build --db $(KB)

check-kb: $(INSTALL_STAMP)
	$(PY) -m knowledge --check

# Training examples generated from the names and aliases: rebuilt when they change.
generate-nlu: $(GENERATED_NLU)

$(GENERATED_NLU): $(KB) scripts/generate_nlu.py
	$(PY) scripts/generate_nlu.py

train: $(MODEL)

$(MODEL): $(INSTALL_STAMP) $(TRAIN_INPUTS)
	@mkdir -p $(MODEL_DIR)
	$(RASA) train --force --fixed-model-name current --out $(MODEL_DIR)

# The web chat's browser assets (socket.io client) from npm, exactly as web/package-lock.json says.
web: $(WEB_ASSETS)

$(WEB_ASSETS): web/package.json web/package-lock.json
	cd web && npm ci --no-audit --no-fund

# Rasa's validator warns about every response that custom actions send (it sees only stories
# and rules); tests/e2e/test_rasa_cli.py fails on any other warning.
validate: $(INSTALL_STAMP) $(KB)
	$(RASA) data validate

run: $(MODEL) $(KB) $(WEB_ASSETS)
	scripts/run.sh

lint: $(INSTALL_STAMP)
	$(VENV)/bin/ruff check .

test-fast: $(KB) lint
	$(PY) -m pytest -m "not slow"

test: $(MODEL) $(KB) $(WEB_ASSETS) lint
	$(PY) -m pytest

crossval: $(KB)
	$(RASA) test nlu --nlu data/nlu --cross-validation --folds 5 --successes --out results/crossval
	$(PY) bench/thresholds.py results/crossval

bench: $(MODEL) $(KB)
	$(PY) bench/nlu_and_latency.py

# The conversation sets of tests/holdout/ against the bot (bench/conversations.py)
bench-sets: $(MODEL) $(KB)
	$(PY) bench/conversations.py $(sort $(wildcard tests/holdout/conversations_*.yml)) tests/holdout/answers_independent_2.yml tests/holdout/answers_fresh.yml tests/holdout/answers.yml

load: $(MODEL) $(KB)
	$(PY) bench/load.py

# One replica under load, profiled with py-spy (bench/profile_load.py, bench/PROFILE.md); the CPU
# time of the project's own code per message (bench/turn_cost.py)
.PHONY: load-profile
load-profile: $(MODEL) $(KB)
	$(PY) bench/turn_cost.py --label make
	$(PY) bench/profile_load.py --label make

# The cost at 1x, 10x (and 100x) the catalogue: synthetic copies built, trained and measured
# (bench/scale.py, issue 16) → bench/results/scale.json, bench/SCALE.md. The 100x step takes
# about half an hour on 2 cores: make bench-scale SCALE_FACTORS="1 10 100"
.PHONY: bench-scale
SCALE_FACTORS ?= 1 10
bench-scale: $(KB)
	$(PY) bench/scale.py --factors $(SCALE_FACTORS) $(SCALE_ARGS)

# Only the per-conversation flood scenario of the load benchmark (bench/flood.py, issue 15)
.PHONY: load-flood
load-flood: $(MODEL) $(KB)
	$(PY) bench/load.py --only flood

coverage: $(MODEL) $(KB)
	$(PY) -m coverage_report run $(COVERAGE_ARGS)

# The LINE rich menu of channels/line_richmenu.yml: checked, drawn (docs/line/richmenu.png),
# created, uploaded and set as the default (LINE_CHANNEL_ACCESS_TOKEN, LINE_API_ENDPOINT,
# LINE_API_DATA_ENDPOINT); `make line-richmenu-check` checks and draws only.
line-richmenu: $(INSTALL_STAMP)
	$(PY) -m channels.line_richmenu

line-richmenu-check: $(INSTALL_STAMP)
	$(PY) -m channels.line_richmenu --check

# Staff review of real conversations from the bot's tracker store (BOT_PROFILE=production: PostgreSQL):
#   make review [SINCE=YYYY-MM-DD] [UNTIL=YYYY-MM-DD] [CHANNEL=rest|socketio|line]  → reports/review/
#   make review-purge BEFORE=YYYY-MM-DD   deletes conversations ended before the date (SECURITY.md)
review: $(KB)
	$(PY) -m review run $(if $(SINCE),--since $(SINCE)) $(if $(UNTIL),--until $(UNTIL)) $(if $(CHANNEL),--channel $(CHANNEL)) $(REVIEW_ARGS)

review-purge: $(INSTALL_STAMP)
	@test -n "$(BEFORE)" || { echo "usage: make review-purge BEFORE=YYYY-MM-DD"; exit 2; }
	$(PY) -m review purge --before $(BEFORE)

clean:
	rm -rf build $(MODEL_DIR) results .pytest_cache
