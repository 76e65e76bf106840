"""Fakes and helpers the tests and benchmarks share (a fake Bot API server, the bot driven against it, …)."""
