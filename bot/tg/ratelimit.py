"""Sending within Telegram's limits, and again after a blip."""
from __future__ import annotations

import asyncio
import logging

from telegram.error import BadRequest, NetworkError
from telegram.ext import AIORateLimiter

log = logging.getLogger(__name__)

SEND_RETRIES = 3       # AIORateLimiter retries after Telegram's 429 "retry after N"
NETWORK_RETRIES = 3    # and after a 5xx, a timeout or a dropped connection (not 400/403: those are final)
NETWORK_BACKOFF = 0.5  # seconds before the first of those retries, doubling each time


class RetryingRateLimiter(AIORateLimiter):
    """PTB's limiter waits out 429s; this one also retries what failed in transit (Telegram's 5xx, a read timeout,
    a dropped connection) a few times with backoff, so a network blip does not lose an answer. Refusals
    (400 Bad Request, 403 Forbidden) are final and never retried. getUpdates does not pass through here: the
    updater's own loop retries it."""

    async def process_request(self, callback, args, kwargs, endpoint, data, rate_limit_args):  # type: ignore[no-untyped-def]
        for attempt in range(NETWORK_RETRIES + 1):
            try:
                return await super().process_request(callback, args, kwargs, endpoint, data, rate_limit_args)
            except NetworkError as exc:
                if isinstance(exc, BadRequest) or attempt == NETWORK_RETRIES:
                    raise
                delay = NETWORK_BACKOFF * 2 ** attempt
                log.warning("%s failed (%s); retry %d of %d in %.1f s",
                            endpoint, exc, attempt + 1, NETWORK_RETRIES, delay)
                await asyncio.sleep(delay)
        raise AssertionError("unreachable")
