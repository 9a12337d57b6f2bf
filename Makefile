# FamilyBot. Two commands on a fresh machine: `make up` runs it, `make test` tests it.
# Every target first installs what is missing (uv, Python 3.10, .venv) via scripts/bootstrap.sh.
SHELL := /bin/bash
RUN := bash scripts/bootstrap.sh
FORMAT ?= jsonl
.DEFAULT_GOAL := help
.PHONY: help setup up test train chat lint typecheck validate bench seed export clean

help: ## list these targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-10s %s\n", $$1, $$2}'

setup: ## install uv if missing, Python 3.10 and every dependency into .venv
	@$(RUN)

up: ## run FamilyBot locally (Rasa server + action server, SQLite) until Ctrl-C
	@$(RUN) familybot up

test: ## run the whole test suite (trains the model once per run)
	@$(RUN) pytest $(PYTEST_ARGS)

train: ## train the Rasa model if config, domain or data changed
	@$(RUN) familybot train

chat: ## chat with the bot that `make up` runs (in another terminal)
	@$(RUN) familybot chat

lint: ## ruff
	@$(RUN) ruff check .

typecheck: ## mypy
	@$(RUN) mypy bot actions

validate: ## check the Rasa domain and training data for mistakes
	@$(RUN) rasa data validate --config config.yml --domain domain.yml --data data

bench: ## run the benchmarks in bench/ (they print figures; not part of the tests)
	@$(RUN) bash -c 'set -e; for script in bench/*.py; do [ -e "$$script" ] && python "$$script"; done; true'

seed: ## load a small demo school into the database
	@$(RUN) familybot seed-demo

export: ## print every check-in as JSON lines (FORMAT=csv for CSV)
	@$(RUN) familybot export checkins --format $(FORMAT)

clean: ## remove generated files: models, .familybot/, caches (keeps .venv and databases)
	rm -rf models .familybot .rasa .pytest_cache .mypy_cache .ruff_cache results bench/results tests/artifacts
	find . -name __pycache__ -type d -not -path './.venv/*' -prune -exec rm -rf {} +
