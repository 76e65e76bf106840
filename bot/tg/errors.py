"""The error handler: log and carry on, so one bad update never stops the bot."""
from __future__ import annotations

import logging

from telegram import Update
from telegram.error import BadRequest, Forbidden, NetworkError, RetryAfter, TelegramError
from telegram.ext import ContextTypes

from . import messages

log = logging.getLogger(__name__)


async def on_error(update: object, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Expected Telegram refusals and outages get one warning line, bugs a traceback and, when a person was
    waiting, an apology."""
    error = context.error
    where = (f"update {update.update_id} (chat {update.effective_chat.id if update.effective_chat else '-'})"
             if isinstance(update, Update) else "background work")
    if isinstance(error, Forbidden) or (isinstance(error, BadRequest) and "too old" in error.message.lower()):
        log.warning("%s: Telegram refused: %s", where, error)  # blocked, kicked, or a press from before a restart
    elif isinstance(error, (RetryAfter, NetworkError)) and not isinstance(error, BadRequest):
        log.warning("%s: Telegram unavailable or flood-limited: %s", where, error)
    else:
        log.error("%s failed", where, exc_info=error)
    if not isinstance(update, Update) or isinstance(error, TelegramError):
        return  # a Telegram error means a reply would most likely fail the same way
    sorry = messages.for_update(update).SOMETHING_WENT_WRONG
    try:
        if update.callback_query:
            await update.callback_query.answer(sorry)
        elif update.effective_message:
            await update.effective_message.reply_text(sorry)
    except TelegramError as exc:
        log.warning("%s: could not apologise: %s", where, exc)
