"""Tests of `bot/search/`: tokens, the index and its saved form, ranking, the gate, spelling, the engine, evaluation."""
