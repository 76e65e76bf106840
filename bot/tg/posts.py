"""Articles that arrive as Telegram messages over time: long pastes Telegram split, channel posts, and edits.

These handlers run before all others (group -2) and stop the update there when they took it, so an edited
message is never answered as a new question and the second half of a paste never as "too long for a question".
Every part is stored in the `Inbox` before anything else happens; building the article runs off the event loop.
"""
from __future__ import annotations

import asyncio
import logging
from typing import Any

from telegram import Chat, Message, MessageOriginChannel, Update
from telegram.ext import (
    Application,
    ApplicationHandlerStop,
    BaseHandler,
    CallbackContext,
    ContextTypes,
    Job,
    MessageHandler,
    filters,
)

from ..inbox import ADD, FORWARD, OPEN, POST, READY, Group, Inbox, Outcome, may_continue
from ..settings import Settings
from . import messages
from .button_data import remove_keyboard
from .filters import text_of
from .state import state_of

log = logging.getLogger(__name__)

INBOX = "inbox"      # the Inbox in `bot_data`
JOBS = "join jobs"   # group id → the job that ends its wait for more parts
JOIN_SECONDS = 3.0   # Telegram delivers the parts of one paste within a second or two
QUESTION_CHARS = 500  # longer from an admin is a text, not a question (asking.MAX_QUESTION_CHARS)
LANGUAGE = "language"  # in a group's hints: the Telegram language of the admin who sent it, for the reply


def inbox_of(context: ContextTypes.DEFAULT_TYPE) -> Inbox:
    return context.bot_data[INBOX]


def who(message: Message) -> str:
    """For the audit log: the admin, or the channel a post came from."""
    if message.chat.type == Chat.CHANNEL:
        return f"channel @{message.chat.username}" if message.chat.username else f"channel {message.chat.id}"
    return f"user {message.from_user.id}" if message.from_user else "someone"


def handlers(settings: Settings) -> list[BaseHandler]:
    """Channel posts (new and edited), edited messages, and an admin's messages that may continue a paste."""
    admins = filters.User(user_id=settings.admin_ids)
    return [
        MessageHandler(filters.UpdateType.CHANNEL_POSTS, on_channel_post),
        MessageHandler(filters.UpdateType.EDITED_MESSAGE, on_edited_message),
        MessageHandler(filters.UpdateType.MESSAGE & filters.ChatType.PRIVATE & admins & filters.TEXT
                       & ~filters.COMMAND, on_admin_text),
    ]


# --- building -------------------------------------------------------------------------------------------------

async def build(context: ContextTypes.DEFAULT_TYPE, group_id: str) -> Outcome | None:
    """Build a complete group into its article (off the event loop), log it in the audit log, and confirm to
    the admin who sent it. None when there is nothing to build (unknown, or built already)."""
    state, inbox = state_of(context), inbox_of(context)
    group = inbox.group(group_id)
    if group is None or group.state not in (OPEN, READY):
        return None
    inbox.complete(group_id)
    outcome = await asyncio.to_thread(inbox.build, group, state.curator)
    action = None
    if outcome.added and not outcome.added.duplicate_of:
        action = state.store.log_action(group.who, "add", outcome.added.article.id, outcome.added.article.title)
    elif outcome.updated:
        state.store.log_action(group.who, "edit", outcome.updated.id, outcome.updated.title)
    log.info("%s %s: %s", group.who, group.id, _summary(outcome))
    if group.reply_chat is not None:  # in the language of the admin who sent it (kept with the parts)
        tr = messages.for_language(group.hints.get(LANGUAGE))
        await context.bot.send_message(group.reply_chat, tr.built(outcome, len(group.parts)),
                                       reply_markup=remove_keyboard(action, tr) if action else None)
    return outcome


def _summary(outcome: Outcome) -> str:
    if outcome.added:
        return f"duplicate of {outcome.added.duplicate_of}" if outcome.added.duplicate_of else \
            f"added {outcome.added.article.id}"
    return f"updated {outcome.updated.id}" if outcome.updated else f"not stored ({outcome.refused})"


def _wait_for_more(context: ContextTypes.DEFAULT_TYPE, group_id: str) -> None:
    """(Re)start the short wait for the next part; when it ends, the group is built as it is."""
    jobs: dict[str, Job] = context.bot_data.setdefault(JOBS, {})
    if job := jobs.pop(group_id, None):
        job.schedule_removal()
    jobs[group_id] = context.job_queue.run_once(_wait_over, JOIN_SECONDS, data=group_id, name=f"join {group_id}")


def _stop_waiting(context: ContextTypes.DEFAULT_TYPE, group_id: str) -> None:
    if job := context.bot_data.setdefault(JOBS, {}).pop(group_id, None):
        job.schedule_removal()


async def _wait_over(context: ContextTypes.DEFAULT_TYPE) -> None:
    context.bot_data.setdefault(JOBS, {}).pop(context.job.data, None)
    await build(context, context.job.data)


async def receive(context: ContextTypes.DEFAULT_TYPE, kind: str, message: Message, text: str,
                  hints: dict[str, Any], reply_chat: int | None, source: Message | None = None) -> None:
    """The first part of an article: stored, then built at once, or after a short wait when it is long enough
    for Telegram to have split it (the next parts join it). `source`: the message the text is in when it is not
    `message` itself (an /add sent as a reply to it): its edits update the article."""
    inbox = inbox_of(context)
    if message.from_user and message.from_user.language_code:
        hints = {**hints, LANGUAGE: message.from_user.language_code}
    group_id = inbox.open(kind, message.chat.id, (source or message).message_id, text, hints, who(message),
                          reply_chat, complete=not may_continue(text))
    if may_continue(text):
        _wait_for_more(context, group_id)
    else:
        await build(context, group_id)


async def _continue(context: ContextTypes.DEFAULT_TYPE, group: Group, message: Message, text: str) -> None:
    """A next part: joined; the last part (shorter than a split part) ends the wait."""
    done = not may_continue(text)
    inbox_of(context).append(group.id, message.chat.id, message.message_id, text, complete=done)
    if done:
        _stop_waiting(context, group.id)
        await build(context, group.id)
    else:
        _wait_for_more(context, group.id)


def _forward_origin(message: Message) -> MessageOriginChannel | None:
    origin = message.forward_origin
    return origin if isinstance(origin, MessageOriginChannel) else None


def _continues(group: Group | None, message: Message) -> bool:
    """Whether this admin message is the next part of the open group: a plain message after an /add, or a
    forward from the same channel, posted at the same moment, after a forward."""
    if group is None:
        return False
    origin = _forward_origin(message)
    if group.kind == ADD:
        return origin is None
    return group.kind == FORWARD and origin is not None and origin.chat.id == group.hints.get("origin_chat") \
        and abs(origin.date.timestamp() - group.sent.timestamp()) <= 2 * JOIN_SECONDS


# --- admins' messages -------------------------------------------------------------------------------------------

async def on_admin_text(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """An admin's text in private: the next part of a paste, a long text that came too late to be joined (said
    so, never "too long for a question"), or else a question like anyone's (the update goes on)."""
    message = update.effective_message
    text = text_of(message)
    group = inbox_of(context).open_group(message.chat.id)
    if _continues(group, message):
        await _continue(context, group, message, text)
        raise ApplicationHandlerStop
    if len(text) > QUESTION_CHARS and not _forward_origin(message):
        await message.reply_text(messages.for_update(update).LONG_TEXT_NOT_JOINED)
        raise ApplicationHandlerStop


async def on_edited_message(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """An edited message. An admin's edit of an /add (or of a later part of it, or of the message an /add
    replied to) rebuilds the article in place; every other edit is ignored: it was answered (or refused) as it
    was first sent."""
    message = update.effective_message
    state = state_of(context)
    user = message.from_user
    if user is None or user.id not in state.settings.admin_ids or message.chat.type != Chat.PRIVATE:
        raise ApplicationHandlerStop
    text = text_of(message)
    found = inbox_of(context).group_of(message.chat.id, message.message_id)
    if found is not None and found.parts[0][0] == message.message_id and found.kind == ADD:
        text = _after_command(text)
    if found is None or not text.strip():
        raise ApplicationHandlerStop
    inbox_of(context).edit(message.chat.id, message.message_id, text)
    await build(context, found.id)
    raise ApplicationHandlerStop


def _after_command(text: str) -> str:
    """All after "/add" (or "/add@Bot"), line breaks kept."""
    return "".join(text.split(None, 1)[1:]).strip() if text.startswith("/") else text


# --- channels ---------------------------------------------------------------------------------------------------

def is_listed(chat: Chat, channels: frozenset[str]) -> bool:
    """Only the channels in CHANNELS feed the bot: anyone can make the bot an admin of their channel."""
    return str(chat.id) in channels or bool(chat.username and f"@{chat.username.lower()}" in channels)


def post_hints(chat: Chat, message_id: int, date: Any) -> dict[str, Any]:
    """The channel as the outlet, the post's date, and its link (public channels have one)."""
    return {"url": f"https://t.me/{chat.username}/{message_id}" if chat.username else None,
            "outlets": [chat.title] if chat.title else [], "published": date.date().isoformat(),
            "sent": date.isoformat()}


async def on_channel_post(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """A post of a listed channel becomes an article (the parts of a split paste one article); an edited post
    updates its article in place. Posts without text (photos, stickers) are skipped with a log line."""
    post = update.effective_message
    chat = post.chat
    settings = state_of(context).settings
    if not is_listed(chat, settings.channels):
        log.warning("Ignored a post of channel %s (@%s): it is not in CHANNELS", chat.id, chat.username or "-")
        raise ApplicationHandlerStop
    text = text_of(post)
    if not text.strip():
        log.info("Skipped post %s of channel %s: no text (%s)", post.message_id, chat.id,
                 "edited" if update.edited_channel_post else "media only or empty")
        raise ApplicationHandlerStop
    inbox = inbox_of(context)
    if update.edited_channel_post and (group := inbox.edit(chat.id, post.message_id, text)):
        await build(context, group.id)
        raise ApplicationHandlerStop
    group = inbox.open_group(chat.id)
    if group and group.parts[-1][0] == post.message_id - 1:
        await _continue(context, group, post, text)
    elif inbox.group_of(chat.id, post.message_id) is None:  # not a delivery seen before
        await receive(context, POST, post, text, post_hints(chat, post.message_id, post.date), None)
    raise ApplicationHandlerStop


async def finish_unbuilt(application: Application) -> int:
    """At start: build what a crash or a stop left half-joined or half-edited (the wait for more parts is long
    over); the number of articles built."""
    context = CallbackContext(application)
    groups = inbox_of(context).unbuilt()
    for group in groups:
        await build(context, group.id)
    return len(groups)
