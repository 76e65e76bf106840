"""Admin commands: the corpus curated from Telegram (add, list, remove, undo, reload, stats).

Handlers only turn an update into an article (or an id) and run the `Curator` off the event loop, in a thread
of its own, so everyone else keeps getting answers meanwhile; the curator serialises changes itself. Every
change is written to the audit log (who, what, when), which /stats shows.
"""
from __future__ import annotations

import asyncio
import logging
import re
import time
from collections.abc import Awaitable, Callable
from functools import partial, wraps
from typing import Any

from telegram import CallbackQuery, Document, Message, MessageOriginChannel, Update
from telegram.constants import ChatType
from telegram.ext import ContextTypes, JobQueue

from ..corpus.fetch import FetchError
from ..corpus.importing import article_from_upload, article_from_url, check_upload
from ..corpus.links import WEB_URL, is_web_url, link_in
from ..corpus.parsing import ArticleError
from ..corpus.periods import parse_span, within
from ..inbox import Inbox
from ..models import Article
from . import messages, posts
from .button_data import ListPage, remove_keyboard, sources_keyboard
from .filters import text_of
from .i18n import N_
from .messages import Messages
from .progress import typing_while
from .state import BotState, state_of

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
        message, tr = update.effective_message, messages.for_update(update)
        if not is_admin(update, context):
            log.warning("Refused an admin action to user %s in chat %s",
                        update.effective_user.id if update.effective_user else "-", message.chat_id)
            await message.reply_text(tr.ADMINS_ONLY)
        elif message.chat.type != ChatType.PRIVATE:
            await message.reply_text(tr.ADMIN_IN_PRIVATE)
        else:
            await callback(update, context)

    return guarded


def _channel_source(message: Message) -> dict[str, Any]:
    """For a post forwarded from a channel: its link (public channels only), the channel as the outlet and the
    post's date; for any other message its date (relative dates in the text count back from it)."""
    origin = message.forward_origin
    if not isinstance(origin, MessageOriginChannel):
        return {"sent": message.date.isoformat()}
    return {**posts.post_hints(origin.chat, origin.message_id, origin.date), "origin_chat": origin.chat.id}


async def _download(document: Document, tr: Messages) -> bytes:
    """Type and declared size are checked before a byte is fetched; the download itself is time-limited."""
    name = document.file_name or ""
    check_upload(name, document.file_size or 0)
    try:
        async with asyncio.timeout(DOWNLOAD_SECONDS):
            file = await document.get_file()
            check_upload(name, file.file_size or 0)  # in case the message did not say
            return bytes(await file.download_as_bytearray())
    except TimeoutError:
        raise ArticleError(tr.format(N_("the file did not arrive within %(seconds)s s"),
                                     seconds=f"{DOWNLOAD_SECONDS:g}")) from None


async def _add(message: Message, context: ContextTypes.DEFAULT_TYPE, make: Callable[[], Article],
               url: str | None = None) -> None:
    """Convert (parse, fetch) and store off the event loop and off the engine worker."""
    curator, tr = state_of(context).curator, messages.for_message(message)
    try:
        result = await typing_while(message, asyncio.to_thread(curator.add_from, make, url))
    except (ArticleError, FetchError) as exc:
        await message.reply_text(tr.failed("add this", str(exc)))
        return
    log.info("Admin %s: %s %s", message.chat_id, "duplicate of" if result.duplicate_of else "added",
             result.article.id)
    action = None if result.duplicate_of else _audit(message, context, "add", result.article)
    await message.reply_text(tr.added(result), reply_markup=remove_keyboard(action, tr) if action else None)


def _audit(message: Message, context: ContextTypes.DEFAULT_TYPE, action: str, article: Article) -> int:
    return state_of(context).store.log_action(posts.who(message), action, article.id, article.title)


async def _add_message(message: Message, context: ContextTypes.DEFAULT_TYPE, source: Message) -> None:
    """The article in `source`: its .txt/.md/.html file, or its text as a post (with the channel it was forwarded
    from as the source)."""
    tr = messages.for_message(message)
    if source.document:
        try:
            data = await _download(source.document, tr)
        except ArticleError as exc:
            await message.reply_text(tr.failed("add this", str(exc)))
            return
        await _add(message, context, partial(article_from_upload, source.document.file_name or "", data))
    elif text := text_of(source):
        kind = posts.FORWARD if isinstance(source.forward_origin, MessageOriginChannel) else posts.POST
        await posts.receive(context, kind, message, text, _channel_source(source), message.chat_id, source)
    elif not source.media_group_id:  # an album's text is on one of its parts; the others come without
        await message.reply_text(tr.NOTHING_TO_ADD)


@admin_only
async def add_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """`/add` + pasted text, `/add https://…`, or `/add` as a reply to the message to add."""
    message = update.effective_message
    text = "".join((message.text or "").split(None, 1)[1:]).strip()  # all after the command, line breaks kept
    if link := text if is_web_url(text) else link_in(text):  # "/add see this https://…" is a link too
        allow_private = state_of(context).settings.allow_private_urls
        await _add(message, context, partial(article_from_url, link, allow_private), url=link)
    elif text:  # kept in the inbox: the rest of a long paste joins it, and an edit of it updates the article
        await posts.receive(context, posts.ADD, message, text, {"sent": message.date.isoformat()}, message.chat_id)
    elif message.reply_to_message:
        await _add_message(message, context, message.reply_to_message)
    else:
        await message.reply_text(messages.for_message(message).USAGE_ADD)


@admin_only
async def add_posted(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """A file, or a post forwarded from a channel, sent by an admin in a private chat: added without a command."""
    await _add_message(update.effective_message, context, update.effective_message)


@admin_only
async def list_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """`/list [7d | 2025-11 | …]`: the articles with their ids, newest first (by file time), 10 per page, narrowed
    to the articles dated within a span."""
    message, token, tr = update.effective_message, " ".join(context.args or ()), messages.for_update(update)
    span = parse_span(token, state_of(context).engine.today()) if token else None
    if token and span is None:
        await message.reply_text(tr.usage_span("/list"))
        return
    state = state_of(context)
    articles = within(await asyncio.to_thread(state.curator.newest_first), span)
    if not articles and span is not None:
        await message.reply_text(tr.no_articles_in(span, "/list"))
        return
    languages = await asyncio.to_thread(state.engine.article_languages)
    await message.reply_text(tr.sources_page(articles, 0, with_ids=True, span=span, languages=languages),
                             reply_markup=sources_keyboard(0, len(articles), ListPage, span.token if span else "", tr))


_POST_LINK = re.compile(r"https?://t\.me/(?:c/(?P<internal>\d+)|(?P<username>\w+))/(?P<post>\d+)", re.IGNORECASE)


def _target(state: BotState, inbox: Inbox, query: str, tr: Messages) -> Article | str:
    """The article `/remove` means: a link (a channel post's, or the article's own URL), a /list number, an id
    or the start of one. A string is the reply when it is not exactly one article."""
    curator = state.curator
    if WEB_URL.fullmatch(query):
        article_id = curator.duplicate_of(url=query)
        if article_id is None and (post := _POST_LINK.fullmatch(query.rstrip("/"))) and post["internal"]:
            article_id = inbox.article_of(int(f"-100{post['internal']}"), int(post["post"]))
        article = curator.engine.article(article_id) if article_id else None
        return article or tr.no_article_from(query)
    if query.isdigit() and curator.engine.article(query) is None:
        listed = curator.newest_first()
        number = int(query)
        return listed[number - 1] if 0 < number <= len(listed) else tr.not_a_list_number(number, len(listed))
    matches = curator.find(query)
    if len(matches) == 1:
        return matches[0]
    return tr.ambiguous(query, matches) if matches else tr.unknown_article(query)


async def _remove(message: Message, context: ContextTypes.DEFAULT_TYPE, article_id: str) -> Article | None:
    try:
        article = await asyncio.to_thread(state_of(context).curator.remove, article_id)
    except KeyError:
        return None
    _audit(message, context, "remove", article)
    return article


@admin_only
async def remove_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """`/remove id` (or the start of it, a /list number, a post's link): the file moves to corpus/.trash/ (so
    /undo can restore it) and answers stop using it."""
    message, tr = update.effective_message, messages.for_update(update)
    if len(context.args) != 1:
        await message.reply_text(tr.USAGE_REMOVE)
        return
    state = state_of(context)
    target = await asyncio.to_thread(_target, state, posts.inbox_of(context), context.args[0], tr)
    if isinstance(target, str):
        await message.reply_text(target)
        return
    article = await _remove(message, context, target.id)
    await message.reply_text(tr.removed(article) if article else tr.unknown_article(target.id))


async def remove_pressed(query: CallbackQuery, update: Update, context: ContextTypes.DEFAULT_TYPE,
                         action_id: int) -> None:
    """The 🗑 button under an add's confirmation: that article goes (admins only: button data can be forged)."""
    message, tr = query.message, messages.for_update(update)
    action = state_of(context).store.action(action_id)
    if not is_admin(update, context) or message is None or message.chat.type != ChatType.PRIVATE:
        log.warning("Refused a remove button to user %s", query.from_user.id)
        await query.answer(tr.ADMINS_ONLY)
        return
    if action is None or action.action != "add":
        await query.answer(tr.EXPIRED_BUTTON)
        return
    article = await _remove(message, context, action.article_id)
    await query.answer(tr.REMOVED if article else tr.REMOVED_ALREADY)
    await query.edit_message_reply_markup(None)
    if article:
        await message.reply_text(tr.removed(article))


@admin_only
async def undo_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """`/undo`: take back the last add or removal."""
    message, tr = update.effective_message, messages.for_update(update)
    try:
        result = await asyncio.to_thread(state_of(context).curator.undo)
    except FileExistsError as exc:
        await message.reply_text(tr.failed("undo", str(exc)))
        return
    if result is None:
        await message.reply_text(tr.NOTHING_TO_UNDO)
        return
    _audit(message, context, f"undo {result.action}", result.article)
    await message.reply_text(tr.undone(result))


@admin_only
async def reload_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """`/reload`: rescan corpus/ after files were edited by hand."""
    report = await asyncio.to_thread(state_of(context).curator.reload)
    await update.effective_message.reply_text(messages.for_update(update).reload_report(report))


WATCH_JOB = "watch corpus"


def schedule_watch(job_queue: JobQueue, seconds: float) -> None:
    """The next look at corpus/ in `seconds`. Each look schedules the next when it is done, so a slow reload
    (a big edit) never overlaps the next look nor makes the scheduler warn about one."""
    job_queue.run_once(watch_corpus, when=seconds, data=seconds, name=WATCH_JOB)


async def watch_corpus(context: ContextTypes.DEFAULT_TYPE) -> None:
    """Job: pick up article files that others added, removed or edited (the shell, a copy into corpus/)."""
    try:
        report = await asyncio.to_thread(state_of(context).curator.reload_if_changed)
        if report and (report.added or report.changed or report.removed or report.errors):
            log.info("Corpus folder changed: %d added, %d changed, %d removed, %d unreadable", len(report.added),
                     len(report.changed), len(report.removed), len(report.errors))
    finally:
        schedule_watch(context.job_queue, context.job.data)


_WINDOW = re.compile(r"(\d{1,4})\s*([mhdw])", re.IGNORECASE)
_UNIT_SECONDS = {"m": 60, "h": 3600, "d": 86400, "w": 7 * 86400}


def parse_window(text: str) -> tuple[float, tuple[int, str]] | None:
    """"7d" → (seconds, (7, "d")); also m, h and w. None for anything else."""
    match = _WINDOW.fullmatch(text.strip())
    if not match or int(match[1]) == 0:
        return None
    n, unit = int(match[1]), match[2].lower()
    return n * _UNIT_SECONDS[unit], (n, unit)


@admin_only
async def stats_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """`/stats [7d]`: the corpus, how questions went, 👍/👎, what the corpus could not answer, the answers voted
    👎 and the latest changes (who did what, when), over all time or the window given."""
    state, message, tr = state_of(context), update.effective_message, messages.for_update(update)
    window = parse_window(" ".join(context.args)) if context.args else (0.0, None)
    if window is None:
        await message.reply_text(tr.USAGE_STATS)
        return
    seconds, label = window
    since = time.time() - seconds if seconds else 0.0
    store = state.store
    await message.reply_text(tr.stats_window_text(
        label, store.stats_since(since), len(state.engine.articles), state.engine.paragraph_count,
        store.downvoted(since), store.actions(since)))
