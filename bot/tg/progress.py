""""typing…" while slow work runs, and only then."""
from __future__ import annotations

import asyncio
from collections.abc import Awaitable
from typing import TypeVar

from telegram import Message
from telegram.constants import ChatAction

TYPING_AFTER = 0.3  # seconds of work before "typing…" is shown

T = TypeVar("T")


async def typing_while(message: Message, work: Awaitable[T]) -> T:
    """Show "typing…" when the engine or an add takes longer than `TYPING_AFTER`. Most answers take milliseconds
    and need none; under load each "typing…" would cost a send of Telegram's ~30 per second, halving how many
    questions get answered. The action is awaited before replying, so it never arrives after the answer and
    lingers."""
    task = asyncio.ensure_future(work)
    try:
        return await asyncio.wait_for(asyncio.shield(task), TYPING_AFTER)
    except TimeoutError:
        pass
    typing = asyncio.create_task(message.reply_chat_action(ChatAction.TYPING))
    try:
        return await task
    finally:
        await asyncio.gather(typing, return_exceptions=True)  # a failed "typing…" must not stop the answer
