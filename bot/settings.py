"""Settings from the environment and `.env`: the one place that knows every knob (see `.env.example`)."""
from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TypeVar

from dotenv import dotenv_values

from .search.gate import MIN_CONFIDENCE
from .search.languages import language_code
from .search.tokenizer import DEFAULT_LANGUAGE

T = TypeVar("T")


class SettingsError(ValueError):
    """A setting that cannot be read: which one, what it holds and what it should hold (one line for the
    operator, not a traceback)."""


def _read(name: str, raw: str, convert: Callable[[str], T], expected: str) -> T:
    try:
        return convert(raw)
    except ValueError:
        raise SettingsError(f"{name}={raw!r} is not {expected} (see .env.example)") from None


def _ids(raw: str) -> frozenset[int]:
    return frozenset(int(part) for part in raw.replace(" ", "").split(",") if part)


def _language(raw: str) -> str:
    if language_code(raw) is None:
        raise ValueError(raw)
    return raw


def _channels(raw: str) -> frozenset[str]:
    """Channel ids ("-1001234567890") and @usernames (kept lowercased with their "@")."""
    parts = (part.strip() for part in raw.split(","))
    return frozenset(part.lower() if part.startswith("@") else str(int(part)) for part in parts if part)


def _bool(raw: str) -> bool:
    return raw.strip().lower() in {"1", "true", "yes", "on"}


@dataclass(frozen=True)
class Settings:
    corpus_dir: Path = Path("corpus")
    data_dir: Path = Path("var")
    language: str = DEFAULT_LANGUAGE
    min_confidence: float = MIN_CONFIDENCE  # the "not found" gate's threshold (MIN_COVERAGE; see gate)
    telegram_token: str = field(default="", repr=False)
    telegram_api_base_url: str = "https://api.telegram.org/bot"
    telegram_api_file_url: str = "https://api.telegram.org/file/bot"
    admin_ids: frozenset[int] = frozenset()
    channels: frozenset[str] = frozenset()  # channels whose posts become articles: ids and @usernames
    webhook_url: str = ""
    webhook_secret: str = field(default="", repr=False)
    webhook_listen: str = "0.0.0.0"
    webhook_port: int = 8443
    max_update_age: int = 300
    user_rate_limit: int = 5
    user_rate_window: float = 10.0
    allow_private_urls: bool = False
    corpus_watch_seconds: float = 30.0  # how often the bot looks for article files changed by others; 0: never

    @classmethod
    def from_env(cls, env_file: str | Path | None = ".env", environ: dict[str, str] | None = None) -> Settings:
        """Environment variables win over `.env`, so a deployment can override a checked-out file."""
        values: dict[str, str] = {}
        if env_file and Path(env_file).is_file():
            values.update({k: v for k, v in dotenv_values(env_file).items() if v is not None})
        values.update(os.environ if environ is None else environ)
        get = values.get
        defaults = cls()

        def number(name: str, convert: Callable[[str], T], default: T) -> T:
            raw = (get(name) or "").strip()
            return _read(name, raw, convert, "a number") if raw else default

        return cls(
            corpus_dir=Path(get("CORPUS_DIR") or defaults.corpus_dir),
            data_dir=Path(get("DATA_DIR") or defaults.data_dir),
            language=_read("SEARCH_LANGUAGE", get("SEARCH_LANGUAGE") or defaults.language, _language,
                           "a language code such as en, ru, uk, ar or zh"),
            min_confidence=number("MIN_COVERAGE", float, defaults.min_confidence),
            telegram_token=(get("TELEGRAM_BOT_TOKEN") or "").strip(),
            telegram_api_base_url=get("TELEGRAM_API_BASE_URL") or defaults.telegram_api_base_url,
            telegram_api_file_url=get("TELEGRAM_API_FILE_URL") or defaults.telegram_api_file_url,
            admin_ids=_read("ADMIN_IDS", get("ADMIN_IDS") or "", _ids, "a comma-separated list of numeric user ids"),
            channels=_read("CHANNELS", get("CHANNELS") or "", _channels,
                           "a comma-separated list of channel ids (-100…) and @usernames"),
            webhook_url=get("WEBHOOK_URL") or "",
            webhook_secret=get("WEBHOOK_SECRET") or "",
            webhook_listen=get("WEBHOOK_LISTEN") or defaults.webhook_listen,
            webhook_port=number("WEBHOOK_PORT", int, defaults.webhook_port),
            max_update_age=number("MAX_UPDATE_AGE", int, defaults.max_update_age),
            user_rate_limit=number("USER_RATE_LIMIT", int, defaults.user_rate_limit),
            user_rate_window=number("USER_RATE_WINDOW", float, defaults.user_rate_window),
            allow_private_urls=_bool(get("ALLOW_PRIVATE_URLS") or ""),
            corpus_watch_seconds=number("CORPUS_WATCH_SECONDS", float, defaults.corpus_watch_seconds),
        )
