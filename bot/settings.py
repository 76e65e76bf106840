"""Settings from the environment and `.env`: the one place that knows every knob (see `.env.example`)."""
from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

from dotenv import dotenv_values

from .search.gate import MIN_CONFIDENCE
from .search.tokenizer import DEFAULT_LANGUAGE


def _ids(raw: str) -> frozenset[int]:
    return frozenset(int(part) for part in raw.replace(" ", "").split(",") if part)


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
        return cls(
            corpus_dir=Path(get("CORPUS_DIR") or defaults.corpus_dir),
            data_dir=Path(get("DATA_DIR") or defaults.data_dir),
            language=get("SEARCH_LANGUAGE") or defaults.language,
            min_confidence=float(get("MIN_COVERAGE") or defaults.min_confidence),
            telegram_token=(get("TELEGRAM_BOT_TOKEN") or "").strip(),
            telegram_api_base_url=get("TELEGRAM_API_BASE_URL") or defaults.telegram_api_base_url,
            telegram_api_file_url=get("TELEGRAM_API_FILE_URL") or defaults.telegram_api_file_url,
            admin_ids=_ids(get("ADMIN_IDS") or ""),
            channels=_channels(get("CHANNELS") or ""),
            webhook_url=get("WEBHOOK_URL") or "",
            webhook_secret=get("WEBHOOK_SECRET") or "",
            webhook_listen=get("WEBHOOK_LISTEN") or defaults.webhook_listen,
            webhook_port=int(get("WEBHOOK_PORT") or defaults.webhook_port),
            max_update_age=int(get("MAX_UPDATE_AGE") or defaults.max_update_age),
            user_rate_limit=int(get("USER_RATE_LIMIT") or defaults.user_rate_limit),
            user_rate_window=float(get("USER_RATE_WINDOW") or defaults.user_rate_window),
            allow_private_urls=_bool(get("ALLOW_PRIVATE_URLS") or ""),
            corpus_watch_seconds=float(get("CORPUS_WATCH_SECONDS") or defaults.corpus_watch_seconds),
        )
