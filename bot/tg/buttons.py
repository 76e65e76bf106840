"""Button presses: "More answers", 👍/👎 and list pages. Every press is answered, also when stale or forged."""
from __future__ import annotations

import asyncio
import logging

from telegram import CallbackQuery, InlineKeyboardMarkup, Message, Update
from telegram.constants import ChatType
from telegram.error import BadRequest
from telegram.ext import ContextTypes

from ..corpus.periods import parse_span, within
from . import messages
from .admin import is_admin, remove_pressed
from .asking import dated_list, sources_reply
from .button_data import (
    LatestSources,
    ListPage,
    RemoveAdded,
    ShowAnswer,
    SourcesPage,
    Vote,
    answer_keyboard,
    decode_button,
    sources_keyboard,
)
from .feedback import AskedQuestion
from .messages import Messages
from .state import BotState, state_of

log = logging.getLogger(__name__)


async def on_button(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Every press lands here and is answered, also when its data is stale, forged or missing."""
    query, tr = update.callback_query, messages.for_update(update)  # the language of whoever pressed
    match decode_button(query.data):
        case ShowAnswer() as button:
            await _show_answer(query, state_of(context), button, tr)
        case Vote() as button:
            await _vote(query, state_of(context), button, tr)
        case SourcesPage(page, span):
            await _sources_page(query, state_of(context), page, span, tr)
        case ListPage(page, span):
            await _list_page(query, update, context, page, span, tr)
        case LatestSources():
            await _latest(query, state_of(context), tr)
        case RemoveAdded(action_id):
            await remove_pressed(query, update, context, action_id)
        case _:
            await query.answer(tr.EXPIRED_BUTTON)


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


async def _show_answer(query: CallbackQuery, state: BotState, button: ShowAnswer, tr: Messages) -> None:
    """"More answers": rank the logged question again and show candidate `rank` in the same message."""
    asked = _asked_here(state, query, button.question_id)
    answer = await state.ask(asked.question) if asked else None
    passages = answer.passages if answer else []
    if button.rank >= len(passages):
        await query.answer(tr.EXPIRED_BUTTON)
        return
    passage, total = passages[button.rank], len(passages)
    state.store.record_shown(asked.id, button.rank, passage)
    await query.answer()
    counts = _group_counts(state, query, asked.id, button.rank)
    text = tr.format_answer(passage, button.rank, total, answer.read_as, tr.time_lines(answer, button.rank))
    await _edit(query, text, answer_keyboard(asked.id, button.rank, total, counts=counts, tr=tr))


def _group_counts(state: BotState, query: CallbackQuery, question_id: int, rank: int) -> tuple[int, int] | None:
    """The votes on a passage, for its buttons in a group (everyone sees the same message); None in a private chat."""
    in_group = query.message is not None and query.message.chat.type != ChatType.PRIVATE
    return state.store.vote_counts(question_id, rank) if in_group else None


async def _vote(query: CallbackQuery, state: BotState, button: Vote, tr: Messages) -> None:
    """👍/👎: stored with the question and the passage shown; the pressed button gets a tick (in a group, the
    buttons show the counts)."""
    asked = _asked_here(state, query, button.question_id)
    if not asked or not state.store.vote(asked.id, button.rank, query.from_user.id, button.up):
        await query.answer(tr.EXPIRED_BUTTON)
        return
    await query.answer(tr.THANKS)
    counts = _group_counts(state, query, asked.id, button.rank)
    await _edit(query, None, answer_keyboard(asked.id, button.rank, asked.candidates, voted=button.up, counts=counts,
                                             tr=tr))


async def _latest(query: CallbackQuery, state: BotState, tr: Messages) -> None:
    """🆕 under /help: the newest articles in a new message (the help stays readable)."""
    if not isinstance(query.message, Message):  # too old for Telegram to say which chat it was in
        await query.answer(tr.EXPIRED_BUTTON)
        return
    await query.answer()
    await sources_reply(query.message, state, "", tr)


async def _sources_page(query: CallbackQuery, state: BotState, page: int, token: str, tr: Messages) -> None:
    span = parse_span(token, state.engine.today()) if token else None
    if token and span is None:  # forged: this bot writes only spans it can read
        await query.answer(tr.EXPIRED_BUTTON)
        return
    articles = dated_list(state.engine.articles, span)
    await query.answer()
    await _edit(query, tr.sources_page(articles, page, span=span),
                sources_keyboard(page, len(articles), SourcesPage, token, tr))


async def _list_page(query: CallbackQuery, update: Update, context: ContextTypes.DEFAULT_TYPE, page: int,
                     token: str, tr: Messages) -> None:
    """A page of /list; the presser is checked, since anyone can send any button data."""
    if not is_admin(update, context):
        log.warning("Refused a /list page to user %s", query.from_user.id)
        await query.answer(tr.ADMINS_ONLY)
        return
    span = parse_span(token, state_of(context).engine.today()) if token else None
    if token and span is None:
        await query.answer(tr.EXPIRED_BUTTON)
        return
    state = state_of(context)
    articles = within(await asyncio.to_thread(state.curator.newest_first), span)
    languages = await asyncio.to_thread(state.engine.article_languages)
    await query.answer()
    await _edit(query, tr.sources_page(articles, page, with_ids=True, span=span, languages=languages),
                sources_keyboard(page, len(articles), ListPage, token, tr))
