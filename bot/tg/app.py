"""The application: which handler answers which update, command menus, start and shutdown, polling or webhook.

Only wiring lives here; the callbacks are in `asking`, `admin`, `buttons` and `errors`.
"""
from __future__ import annotations

import asyncio
import logging
import secrets
from typing import Any
from urllib.parse import urlsplit

from telegram import (
    Bot,
    BotCommand,
    BotCommandScope,
    BotCommandScopeAllGroupChats,
    BotCommandScopeAllPrivateChats,
    BotCommandScopeChat,
    LinkPreviewOptions,
    Update,
)
from telegram.constants import ParseMode
from telegram.error import InvalidToken, TelegramError
from telegram.ext import (
    Application,
    ApplicationBuilder,
    BaseHandler,
    CallbackQueryHandler,
    CommandHandler,
    Defaults,
    InlineQueryHandler,
    MessageHandler,
    filters,
)

from ..curation import Curator
from ..inbox import Inbox
from ..search.engine import Engine
from ..settings import Settings
from . import admin, asking, posts
from .buttons import on_button
from .errors import on_error
from .feedback import FeedbackStore
from .filters import AddressedToBot, FromChannel, OlderThan
from .i18n import ENGLISH, LANGUAGES, N_, translations
from .logs import protect_logs
from .ratelimit import SEND_RETRIES, RetryingRateLimiter
from .startup import wait_for_telegram
from .state import STATE, BotState
from .throttle import QuestionThrottle

log = logging.getLogger(__name__)

CONCURRENT_UPDATES = 64    # one slow chat must not hold up the others
READ_TIMEOUT = 5.0         # seconds to wait for Telegram's answer to a call (getUpdates adds its poll timeout)
ALLOWED_UPDATES = [Update.MESSAGE, Update.CALLBACK_QUERY, Update.INLINE_QUERY, Update.CHANNEL_POST,
                   Update.EDITED_CHANNEL_POST, Update.EDITED_MESSAGE]

# The command menus in English; `menu` translates them (Telegram shows each user the menu of their app's language).
PRIVATE_COMMANDS = [
    BotCommand("help", N_("What I know and how to ask")),
    BotCommand("sources", N_("The articles I know")),
]
GROUP_COMMANDS = [BotCommand("ask", N_("Ask a question about the news")), *PRIVATE_COMMANDS]
ADMIN_COMMANDS = [
    BotCommand("add", N_("Add an article: /add text or link, or reply to a message")),
    BotCommand("list", N_("Articles with their ids, newest first")),
    BotCommand("remove", N_("Remove an article: /remove id, list number or post link")),
    BotCommand("undo", N_("Undo the last add or remove")),
    BotCommand("reload", N_("Re-read corpus/ after editing files by hand")),
    BotCommand("stats", N_("Questions, answers, votes and what is missing")),
]


def menu(commands: list[BotCommand], language: str) -> list[BotCommand]:
    """`commands` with their descriptions in `language` (plain text: no marks, Telegram shows them as typed)."""
    catalog = translations(language)
    return [BotCommand(c.command, catalog.gettext(c.description)) for c in commands]


async def set_menus(bot: Bot, commands: list[BotCommand], scope: BotCommandScope) -> None:
    """One menu per catalog: the English one for everyone (no language_code), then each translation for the users
    whose app is in that language."""
    await bot.set_my_commands(commands, scope=scope)
    for language in LANGUAGES:
        if language != ENGLISH:
            await bot.set_my_commands(menu(commands, language), scope=scope, language_code=language)


def handlers(settings: Settings) -> dict[int, list[BaseHandler]]:
    """Group -1 drops stale messages (not admins': an article sent while the bot was down must still be added);
    in group 0 the first matching handler wins, so admin handlers come before questions and fallbacks last."""
    text = filters.TEXT | filters.CAPTION
    private = filters.ChatType.PRIVATE
    admins = filters.User(user_id=settings.admin_ids)
    group0: list[BaseHandler] = [
        CommandHandler(["start", "help"], asking.help_command),
        CommandHandler("sources", asking.sources_command),
        CommandHandler("ask", asking.ask_command),
        CommandHandler("add", admin.add_command),
        CommandHandler("list", admin.list_command),
        CommandHandler("remove", admin.remove_command),
        CommandHandler("undo", admin.undo_command),
        CommandHandler("reload", admin.reload_command),
        CommandHandler("stats", admin.stats_command),
        MessageHandler(private & filters.Document.ALL, admin.add_posted),  # from others: the refusal
        MessageHandler(private & admins & FromChannel(), admin.add_posted),  # from others: a question
        MessageHandler(private & text & ~filters.COMMAND, asking.private_question),
        MessageHandler(filters.ChatType.GROUPS & text & ~filters.COMMAND & AddressedToBot(), asking.group_question),
        InlineQueryHandler(asking.inline_query),
        CallbackQueryHandler(on_button),
        # fallbacks
        MessageHandler(filters.ChatType.PRIVATE & filters.COMMAND, asking.unknown_command),
        MessageHandler(filters.ChatType.PRIVATE & ~text & ~filters.StatusUpdate.ALL, asking.not_text),
    ]
    table = {-2: posts.handlers(settings), 0: group0}  # -2: channel posts, edits, the rest of a long paste
    if settings.max_update_age > 0:
        table[-1] = [MessageHandler(filters.UpdateType.MESSAGE & OlderThan(settings.max_update_age) & ~admins,
                                    asking.skip_stale)]
    return table


async def _post_init(application: Application) -> None:
    """Commands menus per scope: no /ask in private chats, where any message is a question; admins see theirs."""
    bot = application.bot
    state: BotState = application.bot_data[STATE]
    await set_menus(bot, PRIVATE_COMMANDS, BotCommandScopeAllPrivateChats())
    await set_menus(bot, GROUP_COMMANDS, BotCommandScopeAllGroupChats())
    for admin_id in sorted(state.settings.admin_ids):
        try:
            await set_menus(bot, [*PRIVATE_COMMANDS, *ADMIN_COMMANDS], BotCommandScopeChat(admin_id))
        except TelegramError as exc:  # e.g. "chat not found" until that admin has opened a chat with the bot
            log.warning("No admin command menu for user %s: %s", admin_id, exc)
    engine = state.engine
    state.executor.submit(engine.warm_up)  # on the engine's worker: the first question queues behind it, no more
    log.info("@%s ready: %d articles, %d passages", bot.username, len(engine.articles), engine.paragraph_count)
    if finished := await posts.finish_unbuilt(application):
        log.info("Finished %d article(s) left half-joined or half-edited by the last run", finished)


async def _post_shutdown(application: Application) -> None:
    state: BotState = application.bot_data[STATE]
    state.executor.shutdown(wait=True)
    state.engine.save_index()  # what admins changed, so the next start does not re-index it
    state.store.close()
    application.bot_data[posts.INBOX].close()


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
        .rate_limiter(RetryingRateLimiter(max_retries=SEND_RETRIES))
        .concurrent_updates(CONCURRENT_UPDATES)
        .post_init(_post_init)
        .post_shutdown(_post_shutdown)
        .build()
    )
    application.bot_data[STATE] = BotState(
        settings, engine, Curator(settings.corpus_dir, engine), FeedbackStore.in_dir(settings.data_dir),
        QuestionThrottle(settings.user_rate_limit, settings.user_rate_window))
    application.bot_data[posts.INBOX] = Inbox.in_dir(settings.data_dir)
    application.add_handlers(handlers(settings))
    application.add_error_handler(on_error)
    if settings.corpus_watch_seconds > 0:
        admin.schedule_watch(application.job_queue, settings.corpus_watch_seconds)
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


def run(settings: Settings, engine: Engine) -> int:
    """Run until Ctrl-C/SIGTERM (PTB's run_* install the signal handlers and shut down cleanly); the exit code.
    Telegram is waited for first; a blip between that and the start is retried by PTB's own bootstrap loop."""
    protect_logs(settings)
    try:
        asyncio.run(wait_for_telegram(settings))
    except InvalidToken:
        log.error("Telegram refused the bot token: check TELEGRAM_BOT_TOKEN (from @BotFather)")
        return 2
    application = build_application(settings, engine)
    if settings.webhook_url:
        application.run_webhook(**webhook_options(settings), bootstrap_retries=-1)
    else:
        application.run_polling(allowed_updates=ALLOWED_UPDATES, bootstrap_retries=-1)
    return 0
