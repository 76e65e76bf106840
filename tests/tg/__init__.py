"""Tests of `bot/tg/`, through real HTTP against the fake Bot API server."""
