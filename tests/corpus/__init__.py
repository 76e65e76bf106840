"""Tests of `bot/corpus/`: the folder, the article formats, importing and fetching."""
