"""The Telegram front end: python-telegram-bot handlers that turn updates into engine calls and replies.

Each handler is a small async function that pulls the question out of an update and hands it to plain code:
`replies` formats, `feedback` stores, `throttle` limits, the engine answers. Admin handlers do the same with the
`Curator`: they only turn an update into an article (or an id) and run the curator off the event loop.
"""
from __future__ import annotations

import asyncio
import logging
import re
import secrets
from collections.abc import Awaitable, Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import UTC, datetime
from functools import partial, wraps
from typing import Any, TypeVar
from urllib.parse import urlsplit

from telegram import (
    BotCommand,
    BotCommandScopeAllGroupChats,
    BotCommandScopeAllPrivateChats,
    BotCommandScopeChat,
    CallbackQuery,
    Document,
    InlineKeyboardMarkup,
    InlineQueryResultArticle,
    InlineQueryResultsButton,
    InputTextMessageContent,
    LinkPreviewOptions,
    Message,
    MessageEntity,
    MessageOriginChannel,
    Update,
)
from telegram.constants import ChatAction, ChatType, ParseMode
from telegram.error import (
    BadRequest,
    Forbidden,
    NetworkError,
    RetryAfter,
    TelegramError,
)
from telegram.ext import (
    AIORateLimiter,
    Application,
    ApplicationBuilder,
    ApplicationHandlerStop,
    BaseHandler,
    CallbackQueryHandler,
    CommandHandler,
    ContextTypes,
    Defaults,
    InlineQueryHandler,
    MessageHandler,
    filters,
)

from . import messages as replies
from ..curation import Curator
from ..search.engine import Engine
from .feedback import AskedQuestion, FeedbackStore
from ..corpus.fetch import FetchError
from ..corpus.importing import (
    article_from_post,
    article_from_text,
    article_from_upload,
    article_from_url,
    check_upload,
)
from ..models import Answer, Article, Passage
from ..corpus.parsing import ArticleError
from ..settings import Settings
from .throttle import QuestionThrottle

log = logging.getLogger(__name__)

CANDIDATES = 5             # best passage + "More answers"
MAX_QUESTION_CHARS = 500   # longer is a paste, not a question; it also bounds the engine's work
INLINE_MIN_CHARS = 3       # inline queries arrive while typing; don't search for "wh"
INLINE_CACHE_SECONDS = 60  # short, so newly added articles show up soon
CONCURRENT_UPDATES = 64    # one slow chat must not hold up the others
TYPING_AFTER = 0.3         # seconds of work before "typing…" is shown
SEND_RETRIES = 3           # AIORateLimiter retries after Telegram's 429 "retry after N"
NETWORK_RETRIES = 3        # and after a 5xx, a timeout or a dropped connection (not 400/403: those are final)
NETWORK_BACKOFF = 0.5      # seconds before the first of those retries, doubling each time
READ_TIMEOUT = 5.0         # seconds to wait for Telegram's answer to a call (getUpdates adds its poll timeout)
ALLOWED_UPDATES = [Update.MESSAGE, Update.CALLBACK_QUERY, Update.INLINE_QUERY]
PASSIVE = frozenset({"mention", "reply"})  # ways of asking that may just be chatter: stay quiet when not found
STATE = "state"
DOWNLOAD_SECONDS = 30      # an uploaded file must arrive within this, whatever Telegram's own timeouts
_URL = re.compile(r"https?://\S+", re.IGNORECASE)

PRIVATE_COMMANDS = [
    BotCommand("help", "What I know and how to ask"),
    BotCommand("sources", "The articles I know"),
]
GROUP_COMMANDS = [BotCommand("ask", "Ask a question about the news"), *PRIVATE_COMMANDS]
ADMIN_COMMANDS = [
    BotCommand("add", "Add an article: /add text or link, or reply to a message"),
    BotCommand("list", "Articles with their ids, newest first"),
    BotCommand("remove", "Remove an article: /remove id"),
    BotCommand("undo", "Restore the last removed article"),
    BotCommand("reload", "Re-read corpus/ after editing files by hand"),
    BotCommand("stats", "Questions, answers, votes and what is missing"),
]

T = TypeVar("T")
Callback = Callable[[Update, ContextTypes.DEFAULT_TYPE], Awaitable[None]]


@dataclass
class BotState:
    """What the handlers share. `engine` stays the same object for the bot's life: `curator` changes it by
    swapping its view whole, so a question sees the corpus either before or after a change."""

    settings: Settings
    engine: Engine
    curator: Curator
    store: FeedbackStore
    throttle: QuestionThrottle
    # One worker: ranking leaves the event loop free for other chats' I/O, and engine calls never overlap.
    executor: ThreadPoolExecutor = field(
        default_factory=lambda: ThreadPoolExecutor(max_workers=1, thread_name_prefix="engine"))

    async def ask(self, question: str) -> Answer:
        engine = self.engine
        return await asyncio.get_running_loop().run_in_executor(self.executor, engine.ask, question, CANDIDATES)


def _state(context: ContextTypes.DEFAULT_TYPE) -> BotState:
    return context.bot_data[STATE]


def _candidates(answer: Answer) -> list[Passage]:
    return [answer.best, *answer.alternatives] if answer.best else []


# --- who is asking what -------------------------------------------------------------------------------------

def _text(message: Message) -> str:
    return message.text or message.caption or ""


def _mentions_bot(message: Message, username: str) -> bool:
    handle = f"@{username}".casefold()
    found = (message.parse_entities([MessageEntity.MENTION]) if message.text
             else message.parse_caption_entities([MessageEntity.MENTION]))
    return any(value.casefold() == handle for value in found.values())


def _replies_to_bot(message: Message, bot_id: int) -> bool:
    """A reply to one of our messages; in a forum topic every message "replies" to the topic's first one."""
    replied = message.reply_to_message
    return bool(replied and replied.from_user and replied.from_user.id == bot_id
                and not replied.forum_topic_created)


def _without_mention(text: str, username: str) -> str:
    return re.sub(rf"@{re.escape(username)}\b", " ", text, flags=re.IGNORECASE).strip(" \t\n,:;-—")


class _AddressedToBot(filters.MessageFilter):
    """Group messages meant for the bot: a reply to one of its messages or an @mention of it."""

    def filter(self, message: Message) -> bool:
        bot = message.get_bot()
        return _replies_to_bot(message, bot.id) or _mentions_bot(message, bot.username)


class _OlderThan(filters.MessageFilter):
    """Messages that waited longer than `seconds` (queued while the bot was down): answering them now is noise."""

    def __init__(self, seconds: int) -> None:
        super().__init__(name=f"OlderThan({seconds})")
        self.seconds = seconds

    def filter(self, message: Message) -> bool:
        return (datetime.now(UTC) - message.date).total_seconds() > self.seconds


# --- asking ---------------------------------------------------------------------------------------------------

async def private_question(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """In a private chat any text (or a caption) is a question."""
    await _answer(update, context, _text(update.effective_message), via="private")


async def ask_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """`/ask question`, also as `/ask@BotName` (the handler ignores commands addressed to other bots)."""
    if not context.args:
        await update.effective_message.reply_text(replies.USAGE_ASK)
        return
    await _answer(update, context, " ".join(context.args), via="ask")


async def group_question(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """A group message that mentions the bot or replies to it; the mention is not part of the question."""
    message = update.effective_message
    via = "reply" if _replies_to_bot(message, context.bot.id) else "mention"
    await _answer(update, context, _without_mention(_text(message), context.bot.username), via=via)


def _question_problem(question: str) -> str | None:
    if not question:
        return replies.EMPTY_QUESTION
    if len(question) > MAX_QUESTION_CHARS:
        return replies.too_long(MAX_QUESTION_CHARS)
    return None


async def _answer(update: Update, context: ContextTypes.DEFAULT_TYPE, question: str, via: str) -> None:
    """Validate, rate-limit, rank, log and reply; in passive cases only a found answer is worth a message."""
    message, passive = update.effective_message, via in PASSIVE
    question = " ".join(question.split())
    if problem := _question_problem(question):
        if not passive:
            await message.reply_text(problem)
        return
    state = _state(context)
    user = update.effective_user
    verdict = state.throttle.check(user.id if user else message.chat_id)
    if not verdict.allowed:
        if verdict.notify:
            await message.reply_text(replies.slow_down(verdict.retry_in))
        return
    answer = await (state.ask(question) if passive else _typing_while(message, state.ask(question)))
    passages = _candidates(answer)
    question_id = state.store.log_question(
        question, found=answer.found, candidates=len(passages), via=via,
        user_id=user.id if user else None, chat_id=message.chat_id, chat_type=message.chat.type)
    log.info("%s question in chat %s: %s", via, message.chat_id, "answered" if answer.found else "not found")
    if not passages:
        if not passive:
            await message.reply_text(replies.not_found(len(state.engine.articles)))
        return
    state.store.record_shown(question_id, 0, passages[0])
    await message.reply_text(replies.format_answer(passages[0], 0, len(passages), answer.read_as),
                             reply_markup=replies.answer_keyboard(question_id, 0, len(passages)))


async def _typing_while(message: Message, work: Awaitable[T]) -> T:
    """Show "typing…" when the engine or an add takes longer than `TYPING_AFTER` (not in passive cases: chatter
    must not look like an answer is coming). Most answers take milliseconds and need none; under load each
    "typing…" would cost a send of Telegram's ~30 per second, halving how many questions get answered. The
    action is awaited before replying, so it never arrives after the answer and lingers."""
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


async def inline_query(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """`@BotName question` in any chat: the top passages, each a ready message with its source."""
    query = update.inline_query
    question = " ".join(query.query.split())[:MAX_QUESTION_CHARS]
    if len(question) < INLINE_MIN_CHARS:
        await query.answer([], cache_time=INLINE_CACHE_SECONDS,
                           button=InlineQueryResultsButton(replies.INLINE_HINT, start_parameter="help"))
        return
    passages = _candidates(await _state(context).ask(question))
    results = [
        InlineQueryResultArticle(
            id=str(rank),
            title=replies.shorten(passage.article.title, 100),
            description=replies.shorten(passage.sentence or passage.text, 200),
            input_message_content=InputTextMessageContent(replies.format_passage(passage)),
        )
        for rank, passage in enumerate(passages)
    ]
    button = None if results else InlineQueryResultsButton(replies.INLINE_NOT_FOUND, start_parameter="help")
    await query.answer(results, cache_time=INLINE_CACHE_SECONDS, button=button)


# --- commands ---------------------------------------------------------------------------------------------------

async def help_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """`/start` and `/help`: what the bot knows (with example questions from the corpus) and how to ask."""
    engine = _state(context).engine
    await update.effective_message.reply_text(replies.help_text(
        context.bot.username, len(engine.articles), engine.paragraph_count, engine.example_questions(3)))


async def sources_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """`/sources`: the first page of the article list."""
    articles = _state(context).engine.articles
    await update.effective_message.reply_text(replies.sources_page(articles, 0),
                                              reply_markup=replies.sources_keyboard(0, len(articles)))


async def unknown_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    await update.effective_message.reply_text(replies.UNKNOWN_COMMAND)


async def not_text(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Stickers, photos without a caption, voice notes… in a private chat: say what works instead."""
    await update.effective_message.reply_text(replies.NOT_TEXT)


async def skip_stale(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    log.info("Skipped a message from chat %s that waited too long to be answered", update.effective_chat.id)
    raise ApplicationHandlerStop


# --- admin ------------------------------------------------------------------------------------------------------

def _is_admin(update: Update, context: ContextTypes.DEFAULT_TYPE) -> bool:
    user = update.effective_user
    return user is not None and user.id in _state(context).settings.admin_ids


def _admin_only(callback: Callback) -> Callback:
    """Admin actions get a polite refusal from everyone else, wherever they are sent; admins act only in a private
    chat with the bot (a list or statistics posted in a group would be read by all its members)."""

    @wraps(callback)
    async def guarded(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        message = update.effective_message
        if not _is_admin(update, context):
            log.warning("Refused an admin action to user %s in chat %s",
                        update.effective_user.id if update.effective_user else "-", message.chat_id)
            await message.reply_text(replies.ADMINS_ONLY)
        elif message.chat.type != ChatType.PRIVATE:
            await message.reply_text(replies.ADMIN_IN_PRIVATE)
        else:
            await callback(update, context)

    return guarded


class _FromChannel(filters.MessageFilter):
    """A post forwarded from a channel."""

    def filter(self, message: Message) -> bool:
        return isinstance(message.forward_origin, MessageOriginChannel)


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
    """Convert (parse, fetch) and store in a thread of its own, off the event loop and off the engine worker,
    so everyone else keeps getting answers meanwhile; the curator serialises changes itself."""
    curator = _state(context).curator
    try:
        result = await _typing_while(message, asyncio.to_thread(curator.add_from, make, url))
    except (ArticleError, FetchError) as exc:
        await message.reply_text(replies.failed("add this", str(exc)))
        return
    log.info("Admin %s: %s %s", message.chat_id, "duplicate of" if result.duplicate_of else "added",
             result.article.id)
    await message.reply_text(replies.added(result))


async def _add_message(message: Message, context: ContextTypes.DEFAULT_TYPE, source: Message) -> None:
    """The article in `source`: its .txt/.md/.html file, or its text as a post (with the channel it was forwarded
    from as the source)."""
    if source.document:
        try:
            data = await _download(source.document)
        except ArticleError as exc:
            await message.reply_text(replies.failed("add this", str(exc)))
            return
        await _add(message, context, partial(article_from_upload, source.document.file_name or "", data))
    elif text := _text(source):
        await _add(message, context, partial(article_from_post, text, **_channel_source(source)))
    elif not source.media_group_id:  # an album's text is on one of its parts; the others come without
        await message.reply_text(replies.NOTHING_TO_ADD)


@_admin_only
async def add_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """`/add` + pasted text, `/add https://…`, or `/add` as a reply to the message to add."""
    message = update.effective_message
    text = "".join((message.text or "").split(None, 1)[1:]).strip()  # all after the command, line breaks kept
    if _URL.fullmatch(text):
        allow_private = _state(context).settings.allow_private_urls
        await _add(message, context, partial(article_from_url, text, allow_private), url=text)
    elif text:
        await _add(message, context, partial(article_from_text, text))
    elif message.reply_to_message:
        await _add_message(message, context, message.reply_to_message)
    else:
        await message.reply_text(replies.USAGE_ADD)


@_admin_only
async def add_posted(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """A file, or a post forwarded from a channel, sent by an admin in a private chat: added without a command."""
    await _add_message(update.effective_message, context, update.effective_message)


@_admin_only
async def list_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """`/list`: the articles with their ids, newest first (by file time), 10 per page."""
    articles = await asyncio.to_thread(_state(context).curator.newest_first)
    await update.effective_message.reply_text(
        replies.sources_page(articles, 0, with_ids=True),
        reply_markup=replies.sources_keyboard(0, len(articles), replies.ListPage))


@_admin_only
async def remove_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """`/remove id`: the file moves to corpus/.trash/ (so /undo can restore it) and answers stop using it."""
    message = update.effective_message
    if len(context.args) != 1:
        await message.reply_text(replies.USAGE_REMOVE)
        return
    try:
        article = await asyncio.to_thread(_state(context).curator.remove, context.args[0])
    except KeyError:
        await message.reply_text(replies.unknown_article(context.args[0]))
        return
    await message.reply_text(replies.removed(article))


@_admin_only
async def undo_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """`/undo`: restore the article removed last."""
    message = update.effective_message
    try:
        article = await asyncio.to_thread(_state(context).curator.undo)
    except FileExistsError as exc:
        await message.reply_text(replies.failed("undo", str(exc)))
        return
    await message.reply_text(replies.restored(article) if article else replies.NOTHING_TO_UNDO)


@_admin_only
async def reload_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """`/reload`: rescan corpus/ after files were edited by hand."""
    report = await asyncio.to_thread(_state(context).curator.reload)
    await update.effective_message.reply_text(replies.reload_report(report))


async def watch_corpus(context: ContextTypes.DEFAULT_TYPE) -> None:
    """Job: pick up article files that others added, removed or edited (the shell, a copy into corpus/)."""
    report = await asyncio.to_thread(_state(context).curator.reload_if_changed)
    if report and (report.added or report.changed or report.removed or report.errors):
        log.info("Corpus folder changed: %d added, %d changed, %d removed, %d unreadable", len(report.added),
                 len(report.changed), len(report.removed), len(report.errors))


@_admin_only
async def stats_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """`/stats`: the corpus, how questions went, 👍/👎, and what people asked that the corpus could not answer."""
    state = _state(context)
    await update.effective_message.reply_text(
        replies.stats_text(state.store.stats(), len(state.engine.articles), state.engine.paragraph_count))


# --- buttons (every press is answered, also when stale or forged) --------------------------------------------

def _asked_here(state: BotState, query: CallbackQuery, question_id: int) -> AskedQuestion | None:
    """The logged question, if it was asked in the chat where the button was pressed (ids are guessable)."""
    asked = state.store.question(question_id)
    chat_id = query.message.chat.id if query.message else None
    return asked if asked and asked.chat_id == chat_id else None


async def _edit(query: CallbackQuery, text: str | None, markup: InlineKeyboardMarkup | None) -> None:
    """Edit the button's message; a double press makes the same edit twice, which Telegram refuses harmlessly."""
    try:
        if text is None:
            await query.edit_message_reply_markup(markup)
        else:
            await query.edit_message_text(text, reply_markup=markup)
    except BadRequest as exc:
        if "not modified" not in exc.message.lower():
            raise


async def on_button(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Every press lands here and is answered, also when its data is stale, forged or missing."""
    query = update.callback_query
    match replies.decode_button(query.data):
        case replies.ShowAnswer() as button:
            await _show_answer(query, _state(context), button)
        case replies.Vote() as button:
            await _vote(query, _state(context), button)
        case replies.SourcesPage(page):
            await _sources_page(query, _state(context), page)
        case replies.ListPage(page):
            await _list_page(query, update, context, page)
        case _:
            await query.answer(replies.EXPIRED_BUTTON)


async def _show_answer(query: CallbackQuery, state: BotState, button: replies.ShowAnswer) -> None:
    """"More answers": rank the logged question again and show candidate `rank` in the same message."""
    asked = _asked_here(state, query, button.question_id)
    answer = await state.ask(asked.question) if asked else None
    passages = _candidates(answer) if answer else []
    if button.rank >= len(passages):
        await query.answer(replies.EXPIRED_BUTTON)
        return
    passage, total = passages[button.rank], len(passages)
    state.store.record_shown(asked.id, button.rank, passage)
    await query.answer()
    await _edit(query, replies.format_answer(passage, button.rank, total, answer.read_as),
                replies.answer_keyboard(asked.id, button.rank, total))


async def _vote(query: CallbackQuery, state: BotState, button: replies.Vote) -> None:
    """👍/👎: stored with the question and the passage shown; the pressed button gets a tick."""
    asked = _asked_here(state, query, button.question_id)
    if not asked or not state.store.vote(asked.id, button.rank, query.from_user.id, button.up):
        await query.answer(replies.EXPIRED_BUTTON)
        return
    await query.answer(replies.THANKS)
    await _edit(query, None, replies.answer_keyboard(asked.id, button.rank, asked.candidates, voted=button.up))


async def _sources_page(query: CallbackQuery, state: BotState, page: int) -> None:
    articles = state.engine.articles
    await query.answer()
    await _edit(query, replies.sources_page(articles, page), replies.sources_keyboard(page, len(articles)))


async def _list_page(query: CallbackQuery, update: Update, context: ContextTypes.DEFAULT_TYPE, page: int) -> None:
    """A page of /list; the presser is checked, since anyone can send any button data."""
    if not _is_admin(update, context):
        log.warning("Refused a /list page to user %s", query.from_user.id)
        await query.answer(replies.ADMINS_ONLY)
        return
    articles = await asyncio.to_thread(_state(context).curator.newest_first)
    await query.answer()
    await _edit(query, replies.sources_page(articles, page, with_ids=True),
                replies.sources_keyboard(page, len(articles), replies.ListPage))


# --- errors -------------------------------------------------------------------------------------------------------

async def on_error(update: object, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Log and carry on: one bad update never stops the bot. Expected Telegram refusals get no traceback."""
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
    try:
        if update.callback_query:
            await update.callback_query.answer(replies.SOMETHING_WENT_WRONG)
        elif update.effective_message:
            await update.effective_message.reply_text(replies.SOMETHING_WENT_WRONG)
    except TelegramError as exc:
        log.warning("%s: could not apologise: %s", where, exc)


# --- the application -----------------------------------------------------------------------------------------

class _RetryingRateLimiter(AIORateLimiter):
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


def _handlers(settings: Settings) -> dict[int, list[BaseHandler]]:
    """Group -1 drops stale messages (not admins': an article sent while the bot was down must still be added);
    in group 0 the first matching handler wins, so admin handlers come before questions and fallbacks last."""
    text = filters.TEXT | filters.CAPTION
    private = filters.ChatType.PRIVATE
    admin = filters.User(user_id=settings.admin_ids)
    group0: list[BaseHandler] = [
        CommandHandler(["start", "help"], help_command),
        CommandHandler("sources", sources_command),
        CommandHandler("ask", ask_command),
        CommandHandler("add", add_command),
        CommandHandler("list", list_command),
        CommandHandler("remove", remove_command),
        CommandHandler("undo", undo_command),
        CommandHandler("reload", reload_command),
        CommandHandler("stats", stats_command),
        MessageHandler(private & filters.Document.ALL, add_posted),  # from others: the refusal
        MessageHandler(private & admin & _FromChannel(), add_posted),  # from others: a question
        MessageHandler(private & text & ~filters.COMMAND, private_question),
        MessageHandler(filters.ChatType.GROUPS & text & ~filters.COMMAND & _AddressedToBot(), group_question),
        InlineQueryHandler(inline_query),
        CallbackQueryHandler(on_button),
        # fallbacks
        MessageHandler(filters.ChatType.PRIVATE & filters.COMMAND, unknown_command),
        MessageHandler(filters.ChatType.PRIVATE & ~text & ~filters.StatusUpdate.ALL, not_text),
    ]
    handlers = {0: group0}
    if settings.max_update_age > 0:
        handlers[-1] = [MessageHandler(filters.UpdateType.MESSAGE & _OlderThan(settings.max_update_age) & ~admin,
                                       skip_stale)]
    return handlers


async def _post_init(application: Application) -> None:
    """Commands menus per scope: no /ask in private chats, where any message is a question; admins see theirs."""
    bot = application.bot
    state: BotState = application.bot_data[STATE]
    await bot.set_my_commands(PRIVATE_COMMANDS, scope=BotCommandScopeAllPrivateChats())
    await bot.set_my_commands(GROUP_COMMANDS, scope=BotCommandScopeAllGroupChats())
    for admin_id in sorted(state.settings.admin_ids):
        try:
            await bot.set_my_commands([*PRIVATE_COMMANDS, *ADMIN_COMMANDS], scope=BotCommandScopeChat(admin_id))
        except TelegramError as exc:  # e.g. "chat not found" until that admin has opened a chat with the bot
            log.warning("No admin command menu for user %s: %s", admin_id, exc)
    engine = state.engine
    log.info("@%s ready: %d articles, %d passages", bot.username, len(engine.articles), engine.paragraph_count)


async def _post_shutdown(application: Application) -> None:
    state: BotState = application.bot_data[STATE]
    state.executor.shutdown(wait=True)
    state.engine.save_index()  # what admins changed, so the next start does not re-index it
    state.store.close()


def build_application(settings: Settings, engine: Engine) -> Application:
    """The bot, ready to `run_polling`/`run_webhook` (or to drive by hand in tests)."""
    application = (
        ApplicationBuilder()
        .token(settings.telegram_token)
        .base_url(settings.telegram_api_base_url)
        .base_file_url(settings.telegram_api_file_url)
        .defaults(Defaults(parse_mode=ParseMode.HTML, allow_sending_without_reply=True,
                           link_preview_options=LinkPreviewOptions(is_disabled=True)))
        .read_timeout(READ_TIMEOUT)
        .rate_limiter(_RetryingRateLimiter(max_retries=SEND_RETRIES))
        .concurrent_updates(CONCURRENT_UPDATES)
        .post_init(_post_init)
        .post_shutdown(_post_shutdown)
        .build()
    )
    application.bot_data[STATE] = BotState(
        settings, engine, Curator(settings.corpus_dir, engine), FeedbackStore.in_dir(settings.data_dir),
        QuestionThrottle(settings.user_rate_limit, settings.user_rate_window))
    application.add_handlers(_handlers(settings))
    application.add_error_handler(on_error)
    if settings.corpus_watch_seconds > 0:
        application.job_queue.run_repeating(watch_corpus, interval=settings.corpus_watch_seconds,
                                            first=settings.corpus_watch_seconds, name="watch corpus")
    return application


def webhook_options(settings: Settings) -> dict[str, Any]:
    """Telegram posts to WEBHOOK_URL; a reverse proxy forwards the same path to listen:port. Every request must
    carry the secret; without WEBHOOK_SECRET a random one is made per run (setWebhook is called at each start)."""
    return {
        "listen": settings.webhook_listen,
        "port": settings.webhook_port,
        "url_path": urlsplit(settings.webhook_url).path.lstrip("/"),
        "webhook_url": settings.webhook_url,
        "secret_token": settings.webhook_secret or secrets.token_urlsafe(32),
        "allowed_updates": ALLOWED_UPDATES,
    }


class _Redact(logging.Filter):
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
    """Keep the token and webhook secret out of logs; httpx would log every request URL (token included)."""
    root = logging.getLogger()
    if not root.handlers:
        logging.basicConfig(format="%(asctime)s %(levelname)s %(name)s: %(message)s", level=logging.INFO)
    redact = _Redact(settings.telegram_token, settings.webhook_secret)
    for handler in root.handlers:
        handler.addFilter(redact)
    logging.getLogger("httpx").setLevel(logging.WARNING)


def run(settings: Settings, engine: Engine) -> None:
    """Run until Ctrl-C/SIGTERM (PTB's run_* install the signal handlers and shut down cleanly)."""
    protect_logs(settings)
    application = build_application(settings, engine)
    if settings.webhook_url:
        application.run_webhook(**webhook_options(settings))
    else:
        application.run_polling(allowed_updates=ALLOWED_UPDATES)
