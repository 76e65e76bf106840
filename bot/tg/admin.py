"""Admin commands: the corpus curated from Telegram (add, list, remove, undo, reload, stats).

Handlers only turn an update into an article (or an id) and run the `Curator` off the event loop, in a thread
of its own, so everyone else keeps getting answers meanwhile; the curator serialises changes itself.
"""
from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from functools import partial, wraps
from typing import Any

from telegram import Document, Message, MessageOriginChannel, Update
from telegram.constants import ChatType
from telegram.ext import ContextTypes

from ..corpus.fetch import FetchError
from ..corpus.importing import article_from_post, article_from_text, article_from_upload, article_from_url, check_upload
from ..corpus.links import is_web_url
from ..corpus.parsing import ArticleError
from ..models import Article
from . import messages
from .button_data import ListPage, sources_keyboard
from .filters import text_of
from .progress import typing_while
from .state import state_of

log = logging.getLogger(__name__)

DOWNLOAD_SECONDS = 30  # an uploaded file must arrive within this, whatever Telegram's own timeouts

Callback = Callable[[Update, ContextTypes.DEFAULT_TYPE], Awaitable[None]]


def is_admin(update: Update, context: ContextTypes.DEFAULT_TYPE) -> bool:
    user = update.effective_user
    return user is not None and user.id in state_of(context).settings.admin_ids


def admin_only(callback: Callback) -> Callback:
    """Admin actions get a polite refusal from everyone else, wherever they are sent; admins act only in a private
    chat with the bot (a list or statistics posted in a group would be read by all its members)."""

    @wraps(callback)
    async def guarded(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        message = update.effective_message
        if not is_admin(update, context):
            log.warning("Refused an admin action to user %s in chat %s",
                        update.effective_user.id if update.effective_user else "-", message.chat_id)
            await message.reply_text(messages.ADMINS_ONLY)
        elif message.chat.type != ChatType.PRIVATE:
            await message.reply_text(messages.ADMIN_IN_PRIVATE)
        else:
            await callback(update, context)

    return guarded


def _channel_source(message: Message) -> dict[str, Any]:
    """For a post forwarded from a channel: its link (public channels only), the channel as the outlet and the
    post's date, as hints for `article_from_post`."""
    origin = message.forward_origin
    if not isinstance(origin, MessageOriginChannel):
        return {}
    channel = origin.chat
    return {"url": f"https://t.me/{channel.username}/{origin.message_id}" if channel.username else None,
            "outlets": (channel.title,) if channel.title else (), "published": origin.date.date().isoformat()}


async def _download(document: Document) -> bytes:
    """Type and declared size are checked before a byte is fetched; the download itself is time-limited."""
    name = document.file_name or ""
    check_upload(name, document.file_size or 0)
    try:
        async with asyncio.timeout(DOWNLOAD_SECONDS):
            file = await document.get_file()
            check_upload(name, file.file_size or 0)  # in case the message did not say
            return bytes(await file.download_as_bytearray())
    except TimeoutError:
        raise ArticleError(f"the file did not arrive within {DOWNLOAD_SECONDS} s") from None


async def _add(message: Message, context: ContextTypes.DEFAULT_TYPE, make: Callable[[], Article],
               url: str | None = None) -> None:
    """Convert (parse, fetch) and store off the event loop and off the engine worker."""
    curator = state_of(context).curator
    try:
        result = await typing_while(message, asyncio.to_thread(curator.add_from, make, url))
    except (ArticleError, FetchError) as exc:
        await message.reply_text(messages.failed("add this", str(exc)))
        return
    log.info("Admin %s: %s %s", message.chat_id, "duplicate of" if result.duplicate_of else "added",
             result.article.id)
    await message.reply_text(messages.added(result))


async def _add_message(message: Message, context: ContextTypes.DEFAULT_TYPE, source: Message) -> None:
    """The article in `source`: its .txt/.md/.html file, or its text as a post (with the channel it was forwarded
    from as the source)."""
    if source.document:
        try:
            data = await _download(source.document)
        except ArticleError as exc:
            await message.reply_text(messages.failed("add this", str(exc)))
            return
        await _add(message, context, partial(article_from_upload, source.document.file_name or "", data))
    elif text := text_of(source):
        await _add(message, context, partial(article_from_post, text, **_channel_source(source)))
    elif not source.media_group_id:  # an album's text is on one of its parts; the others come without
        await message.reply_text(messages.NOTHING_TO_ADD)


@admin_only
async def add_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """`/add` + pasted text, `/add https://…`, or `/add` as a reply to the message to add."""
    message = update.effective_message
    text = "".join((message.text or "").split(None, 1)[1:]).strip()  # all after the command, line breaks kept
    if is_web_url(text):
        allow_private = state_of(context).settings.allow_private_urls
        await _add(message, context, partial(article_from_url, text, allow_private), url=text)
    elif text:
        await _add(message, context, partial(article_from_text, text))
    elif message.reply_to_message:
        await _add_message(message, context, message.reply_to_message)
    else:
        await message.reply_text(messages.USAGE_ADD)


@admin_only
async def add_posted(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """A file, or a post forwarded from a channel, sent by an admin in a private chat: added without a command."""
    await _add_message(update.effective_message, context, update.effective_message)


@admin_only
async def list_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """`/list`: the articles with their ids, newest first (by file time), 10 per page."""
    articles = await asyncio.to_thread(state_of(context).curator.newest_first)
    await update.effective_message.reply_text(
        messages.sources_page(articles, 0, with_ids=True),
        reply_markup=sources_keyboard(0, len(articles), ListPage))


@admin_only
async def remove_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """`/remove id`: the file moves to corpus/.trash/ (so /undo can restore it) and answers stop using it."""
    message = update.effective_message
    if len(context.args) != 1:
        await message.reply_text(messages.USAGE_REMOVE)
        return
    try:
        article = await asyncio.to_thread(state_of(context).curator.remove, context.args[0])
    except KeyError:
        await message.reply_text(messages.unknown_article(context.args[0]))
        return
    await message.reply_text(messages.removed(article))


@admin_only
async def undo_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """`/undo`: restore the article removed last."""
    message = update.effective_message
    try:
        article = await asyncio.to_thread(state_of(context).curator.undo)
    except FileExistsError as exc:
        await message.reply_text(messages.failed("undo", str(exc)))
        return
    await message.reply_text(messages.restored(article) if article else messages.NOTHING_TO_UNDO)


@admin_only
async def reload_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """`/reload`: rescan corpus/ after files were edited by hand."""
    report = await asyncio.to_thread(state_of(context).curator.reload)
    await update.effective_message.reply_text(messages.reload_report(report))


async def watch_corpus(context: ContextTypes.DEFAULT_TYPE) -> None:
    """Job: pick up article files that others added, removed or edited (the shell, a copy into corpus/)."""
    report = await asyncio.to_thread(state_of(context).curator.reload_if_changed)
    if report and (report.added or report.changed or report.removed or report.errors):
        log.info("Corpus folder changed: %d added, %d changed, %d removed, %d unreadable", len(report.added),
                 len(report.changed), len(report.removed), len(report.errors))


@admin_only
async def stats_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """`/stats`: the corpus, how questions went, 👍/👎, and what people asked that the corpus could not answer."""
    state = state_of(context)
    await update.effective_message.reply_text(
        messages.stats_text(state.store.stats(), len(state.engine.articles), state.engine.paragraph_count))
