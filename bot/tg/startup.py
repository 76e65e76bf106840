"""Waiting for Telegram at start: one clear line per try, with a growing pause, until it answers.

A bot started while the network (or Telegram) is down would otherwise stop at once with a wall of tracebacks.
The probe is a plain `Bot` (no rate limiter, whose own retries would add lines of their own); a refused token
is final.
"""
from __future__ import annotations

import asyncio
import logging

from telegram import Bot
from telegram.error import InvalidToken, NetworkError

from ..settings import Settings

log = logging.getLogger(__name__)

FIRST_PAUSE = 1.0  # seconds before the second try, doubling up to MAX_PAUSE
MAX_PAUSE = 60.0


async def wait_for_telegram(settings: Settings) -> None:
    """Return once Telegram answers getMe; raises InvalidToken when it refuses the token."""
    pause = FIRST_PAUSE
    while True:
        bot = Bot(settings.telegram_token, base_url=settings.telegram_api_base_url)
        try:
            await bot.initialize()  # calls getMe
        except InvalidToken:
            raise
        except NetworkError as exc:  # connection refused, DNS, timeouts, 5xx
            log.warning("Telegram cannot be reached (%s); trying again in %.0f s", exc.message or type(exc).__name__,
                        pause)
            await asyncio.sleep(pause)
            pause = min(2 * pause, MAX_PAUSE)
            continue
        finally:
            await bot.shutdown()
        if pause > FIRST_PAUSE:
            log.info("Telegram reachable again")
        return
