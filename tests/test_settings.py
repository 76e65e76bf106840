"""Settings come from the environment and `.env`; `.env.example` documents them."""
from __future__ import annotations

import re
from dataclasses import fields
from pathlib import Path

import pytest

from bot.settings import Settings, SettingsError
from tests.support.cli import run_bot
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


@pytest.mark.parametrize(("name", "value"), [
    ("SEARCH_LANGUAGE", "klingon"), ("ADMIN_IDS", "alice"), ("ADMIN_IDS", "1, two"), ("CHANNELS", "mychannel"),
    ("MIN_COVERAGE", "high"), ("WEBHOOK_PORT", "80a"), ("MAX_UPDATE_AGE", "1h"), ("USER_RATE_LIMIT", "5.5"),
    ("USER_RATE_WINDOW", "ten"), ("CORPUS_WATCH_SECONDS", "never"),
])
def test_a_setting_that_cannot_be_read_names_itself_and_what_it_should_be(name: str, value: str) -> None:
    with pytest.raises(SettingsError, match=rf"^{name}='{re.escape(value)}' is not "):
        Settings.from_env(None, environ={name: value})


@pytest.mark.parametrize(("value", "language"), [("ru", "ru"), ("Russian", "Russian"), ("pt-br", "pt-br"), ("", "en")])
def test_search_language_takes_codes_and_english_names(value: str, language: str) -> None:
    assert Settings.from_env(None, environ={"SEARCH_LANGUAGE": value}).language == language


def test_the_command_line_says_which_setting_is_wrong_in_one_line() -> None:
    result = run_bot("ask", "how many soldiers died?", env={"SEARCH_LANGUAGE": "klingon"})
    assert result.returncode == 2 and result.stdout == ""
    assert result.stderr == ("error: SEARCH_LANGUAGE='klingon' is not a language code such as en, ru, uk, ar or zh "
                             "(see .env.example)\n")
