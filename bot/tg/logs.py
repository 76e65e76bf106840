"""Logs without secrets: the token and the webhook secret are blanked out of every line."""
from __future__ import annotations

import logging

from ..settings import Settings


class Redact(logging.Filter):
    """Blanks secrets out of every log line, tracebacks included (an HTTP error may quote the request URL)."""

    def __init__(self, *secrets_: str) -> None:
        super().__init__()
        # The part after "id:" is the secret; replacing it alone also covers an URL-encoded token.
        self.secrets = [s.partition(":")[2] or s for s in secrets_ if s]

    def _clean(self, text: str) -> str:
        for secret in self.secrets:
            text = text.replace(secret, "<redacted>")
        return text

    def filter(self, record: logging.LogRecord) -> bool:
        record.msg, record.args = self._clean(record.getMessage()), None
        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = self._clean(record.exc_text)
        return True


def protect_logs(settings: Settings) -> None:
    """Keep the token and webhook secret out of logs (httpx would log every request URL, token included) and
    routine lines out of an idle bot's log."""
    root = logging.getLogger()
    if not root.handlers:
        logging.basicConfig(format="%(asctime)s %(levelname)s %(name)s: %(message)s", level=logging.INFO)
    redact = Redact(settings.telegram_token, settings.webhook_secret)
    for handler in root.handlers:
        handler.addFilter(redact)
    logging.getLogger("httpx").setLevel(logging.WARNING)
    # The job queue's scheduler logs every run of the corpus watch; only what the watch finds is news.
    logging.getLogger("apscheduler").setLevel(logging.WARNING)
