"""The test suite: one folder per wing of `bot/`, scenario suites, and shared fakes and helpers in `support/`."""
