# Two entry points: `make run` (the bot: Telegram when a token is configured, else a terminal chat)
# and `make test`. Both create the virtual environment on first use.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin

.PHONY: run test lint eval catalogs clean

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

# The bot's texts (bot/tg) into its gettext catalogs: extract them, merge them into the .po file of each language
# in bot/tg/i18n.py's LANGUAGES (a new language's file is created; new texts come in untranslated, changed ones
# marked fuzzy), then compile the .mo files the bot reads. Translate in the .po files and run it again: `make test`
# fails while a text is untranslated, fuzzy or not compiled. (The extraction date is set to a fixed one, so running it
# again changes no file unless a text changed.)
LOCALES := bot/tg/locales
catalogs: $(BIN)/.installed
	$(BIN)/pybabel -q extract -k N_ -k Text -k nformat:1,2 --add-location=file --sort-by-file --no-wrap \
		--project=newsbot --version=1 --copyright-holder= --msgid-bugs-address= -o $(LOCALES)/newsbot.pot bot/tg
	for language in $$($(BIN)/python -c 'from bot.tg.i18n import LANGUAGES; print(*LANGUAGES)'); do \
		$(BIN)/pybabel -q update -i $(LOCALES)/newsbot.pot -d $(LOCALES) -D newsbot -l $$language --init-missing \
			--no-wrap --ignore-obsolete || exit 1; \
	done
	sed -i 's/^"POT-Creation-Date: .*/"POT-Creation-Date: 2025-01-01 00:00+0000\\n"/' $(LOCALES)/*/LC_MESSAGES/newsbot.po
	$(BIN)/pybabel compile -d $(LOCALES) -D newsbot --statistics

clean:
	rm -rf $(VENV)
