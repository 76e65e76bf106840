# Two entry points: `make run` (the bot: Telegram when a token is configured, else a terminal chat)
# and `make test`. Both create the virtual environment on first use.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin

.PHONY: run test lint eval clean

$(BIN)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q -e '.[test]'
	touch $@

# The BM25 kernels compiled once into numba's cache (bot/search/__pycache__), so a start loads them in a
# fraction of a second; again whenever their source changes.
$(BIN)/.kernels: $(BIN)/.installed bot/search/kernels.py
	$(BIN)/python -m bot.search.kernels
	touch $@

run: $(BIN)/.kernels
	$(BIN)/python -m bot

test: lint
	$(BIN)/python -m pytest -q

lint: $(BIN)/.kernels
	$(BIN)/ruff check .

eval: $(BIN)/.installed
	$(BIN)/python -m bot eval ../shared/data/squad-dev/dev-v1.1.json.gz
	$(BIN)/python -m bot eval ../shared/data/wikiqa/WikiQA-train.tsv.gz
	$(BIN)/python -m bot eval ../shared/data/trecqa/trecqa-train.csv

clean:
	rm -rf $(VENV)
