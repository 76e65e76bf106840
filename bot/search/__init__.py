"""The search wing: tokens → BM25 index → ranked passages → "not found". Plain code over `Article`s; the
engine is its entry point for the CLI, the Telegram front end and the tests."""
