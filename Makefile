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

run: $(BIN)/.installed
	$(BIN)/python -m bot

test: lint
	$(BIN)/python -m pytest -q

lint: $(BIN)/.installed
	$(BIN)/ruff check .

eval: $(BIN)/.installed
	$(BIN)/python -m bot eval ../shared/data/squad-dev/dev-v1.1.json.gz
	$(BIN)/python -m bot eval ../shared/data/wikiqa/WikiQA-train.tsv.gz
	$(BIN)/python -m bot eval ../shared/data/trecqa/trecqa-train.csv

clean:
	rm -rf $(VENV)
