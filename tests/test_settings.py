"""Settings come from the environment and `.env`; `.env.example` documents them."""
from __future__ import annotations

from dataclasses import fields
from pathlib import Path

from bot.settings import Settings
from tests.support.paths import REPO

EXAMPLE = REPO / ".env.example"


def test_env_example_states_the_defaults() -> None:
    """Copying .env.example to .env must not quietly change a setting (say, an old gate threshold)."""
    example, defaults = Settings.from_env(EXAMPLE, environ={}), Settings()
    assert {f.name: getattr(example, f.name) for f in fields(Settings)} == {
        f.name: getattr(defaults, f.name) for f in fields(Settings)}


def test_environment_wins_over_the_file(tmp_path: Path) -> None:
    env = tmp_path / ".env"
    env.write_text("MIN_COVERAGE=0.3\nCORPUS_WATCH_SECONDS=5\n")
    settings = Settings.from_env(env, environ={"MIN_COVERAGE": "0.7"})
    assert settings.min_confidence == 0.7 and settings.corpus_watch_seconds == 5.0
