"""Asking: private messages, `/ask` and mentions in groups, inline queries, and the commands anyone may use.

Each handler pulls the question out of an update and hands it to plain code: the engine answers, `messages`
formats, `feedback` stores, `throttle` limits.
"""
from __future__ import annotations

import logging

from telegram import InlineQueryResultArticle, InlineQueryResultsButton, InputTextMessageContent, Message, Update
from telegram.constants import ChatType
from telegram.ext import ApplicationHandlerStop, ContextTypes

from ..corpus.periods import Span, newest_first, parse_span, within
from ..models import Article
from ..search.smalltalk import small_talk
from . import messages
from .button_data import SourcesPage, answer_keyboard, help_keyboard, sources_keyboard
from .filters import replies_to_bot, text_of, without_mention
from .fit import shorten
from .messages import Messages
from .progress import typing_while
from .state import BotState, state_of

log = logging.getLogger(__name__)

MAX_QUESTION_CHARS = 500   # longer is a paste, not a question; it also bounds the engine's work
INLINE_MIN_CHARS = 3       # inline queries arrive while typing; don't search for "wh"
INLINE_CACHE_SECONDS = 60  # short, so newly added articles show up soon
PASSIVE = frozenset({"mention", "reply"})  # ways of asking that may just be chatter: no "typing…", a short "not found"


async def private_question(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """In a private chat any text (or a caption) is a question."""
    await answer(update, context, text_of(update.effective_message), via="private")


async def ask_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """`/ask question`, also as `/ask@BotName` (the handler ignores commands addressed to other bots)."""
    if not context.args:
        await update.effective_message.reply_text(messages.for_update(update).USAGE_ASK)
        return
    await answer(update, context, " ".join(context.args), via="ask")


async def group_question(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """A group message that mentions the bot or replies to it; the mention is not part of the question."""
    message = update.effective_message
    via = "reply" if replies_to_bot(message, context.bot.id) else "mention"
    await answer(update, context, without_mention(text_of(message), context.bot.username), via=via)


def question_problem(question: str, tr: Messages = messages.ENGLISH) -> str | None:
    if not question:
        return tr.EMPTY_QUESTION
    if len(question) > MAX_QUESTION_CHARS:
        return tr.too_long(MAX_QUESTION_CHARS)
    return None


def problem_reply(question: str, via: str, bot_username: str, tr: Messages = messages.ENGLISH) -> str | None:
    """What to say about a message that is no question at all: nothing to a reply (chatter), how to ask to a
    bare mention, the problem otherwise."""
    problem = question_problem(question, tr)
    if problem is None or via == "reply":
        return None
    return tr.mention_usage(bot_username) if via == "mention" and not question else problem


async def answer(update: Update, context: ContextTypes.DEFAULT_TYPE, question: str, via: str) -> None:
    """Validate, rate-limit, rank, log and reply. Small talk gets a line of its own, except as a reply in a
    group (people thank each other there); what the bot stays quiet about does not count towards the limit."""
    message, passive = update.effective_message, via in PASSIVE
    question = " ".join(question.split())
    state, tr = state_of(context), messages.for_update(update)
    if question_problem(question):
        if problem := problem_reply(question, via, context.bot.username, tr):
            await message.reply_text(problem)
        return
    user = update.effective_user
    hint = user.language_code if user else None
    chat = small_talk(question, hint or state.engine.tokenizer.language)
    if chat and via == "reply":
        return
    verdict = state.throttle.check(user.id if user else message.chat_id)
    if not verdict.allowed:
        if verdict.notify:
            await message.reply_text(tr.slow_down(verdict.retry_in))
        return
    if chat:
        private = message.chat.type == ChatType.PRIVATE
        example = next(iter(state.engine.example_questions(1, hint)), None) if private else None
        await message.reply_text(tr.small_talk_reply(chat.kind, context.bot.username, private, example))
        return
    # "typing…" not in passive cases: chatter must not look like an answer is coming.
    reply = await (state.ask(question, hint) if passive else typing_while(message, state.ask(question, hint)))
    passages = reply.passages
    question_id = state.store.log_question(
        question, found=reply.found, candidates=len(passages), via=via,
        user_id=user.id if user else None, chat_id=message.chat_id, chat_type=message.chat.type)
    log.info("%s question in chat %s: %s", via, message.chat_id, "answered" if reply.found else "not found")
    if not passages:
        engine = state.engine
        articles = len(engine.articles)
        reason = tr.not_found_here(articles) if passive else \
            tr.not_found(articles, engine.missing_language(reply), engine.languages)
        await message.reply_text(tr.time_lines(reply, 0)[0] + reason)
        return
    state.store.record_shown(question_id, 0, passages[0])
    await message.reply_text(tr.format_answer(passages[0], 0, len(passages), reply.read_as, tr.time_lines(reply, 0)),
                             reply_markup=answer_keyboard(question_id, 0, len(passages), tr=tr))


async def inline_query(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """`@BotName question` in any chat: the top passages, each a ready message with its source."""
    query, tr = update.inline_query, messages.for_update(update)
    question = " ".join(query.query.split())[:MAX_QUESTION_CHARS]
    if len(question) < INLINE_MIN_CHARS:
        await query.answer([], cache_time=INLINE_CACHE_SECONDS,
                           button=InlineQueryResultsButton(tr.INLINE_HINT, start_parameter="help"))
        return
    user = update.effective_user
    reply = await state_of(context).ask(question, user.language_code if user else None)
    passages = reply.passages
    results = [
        InlineQueryResultArticle(
            id=str(rank),
            title=shorten(passage.article.title, 100),
            description=shorten(passage.sentence or passage.text, 200),
            input_message_content=InputTextMessageContent(
                tr.format_passage(passage, after_source=tr.time_lines(reply, rank)[1])),
        )
        for rank, passage in enumerate(passages)
    ]
    button = None if results else InlineQueryResultsButton(tr.INLINE_NOT_FOUND, start_parameter="help")
    await query.answer(results, cache_time=INLINE_CACHE_SECONDS, button=button)


async def help_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """`/start` and `/help`: what the bot knows (with example questions from the corpus) and how to ask."""
    engine = state_of(context).engine
    message, tr, user = update.effective_message, messages.for_update(update), update.effective_user
    await message.reply_text(tr.help_text(
        context.bot.username, len(engine.articles), engine.paragraph_count,
        engine.example_questions(3, user.language_code if user else None),
        private=message.chat.type == ChatType.PRIVATE), reply_markup=help_keyboard(tr) if engine.articles else None)


async def sources_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """`/sources [7d | 2025-11 | …]`: the first page of the article list, newest first, narrowed to a span."""
    await sources_reply(update.effective_message, state_of(context), " ".join(context.args or ()),
                        messages.for_update(update))


async def sources_reply(message: Message, state: BotState, token: str, tr: Messages) -> None:
    """Page 1 of the articles within the span `token` ("" for all), or how to write a span."""
    span = parse_span(token, state.engine.today()) if token else None
    if token and span is None:
        await message.reply_text(tr.usage_span("/sources"))
        return
    articles = dated_list(state.engine.articles, span)
    if not articles and span is not None:
        await message.reply_text(tr.no_articles_in(span, "/sources"))
        return
    await message.reply_text(tr.sources_page(articles, 0, span=span),
                             reply_markup=sources_keyboard(0, len(articles), SourcesPage, span.token if span else "",
                                                           tr))


def dated_list(articles: list[Article], span: Span | None) -> list[Article]:
    """What /sources lists: newest first, the span's articles only."""
    return within(newest_first(articles), span)


async def unknown_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    await update.effective_message.reply_text(messages.for_update(update).UNKNOWN_COMMAND)


async def not_text(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Stickers, photos without a caption, voice notes… in a private chat: say what works instead."""
    await update.effective_message.reply_text(messages.for_update(update).NOT_TEXT)


async def skip_stale(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    log.info("Skipped a message from chat %s that waited too long to be answered", update.effective_chat.id)
    raise ApplicationHandlerStop
