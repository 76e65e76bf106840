"""Shared pieces of the Telegram tests: a small corpus, people and chats, and the bot running in-process
against the fake Bot API server, driven the same way `run_polling` drives it."""
from __future__ import annotations

import asyncio
import socket
import sqlite3
import time
from collections.abc import AsyncIterator, Sequence
from contextlib import asynccontextmanager, closing
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import aiohttp
from telegram import Update
from telegram.ext import Application, ContextTypes, TypeHandler

from bot.corpus.folder import write_article
from bot.models import Article, Paragraph
from bot.search.engine import Engine
from bot.settings import Settings
from bot.tg.app import ALLOWED_UPDATES, build_application
from bot.tg.feedback import FILE_NAME, FeedbackStore
from bot.tg.state import STATE
from tests.support.fake_telegram import FakeTelegram

ARTICLES = (
    Article(
        id="volcano", title="Volcano erupts near Reykjavik", url="https://news.example/volcano?id=1&lang=en",
        outlets=("RÚV", "Reuters"), published="2024-03-17",
        paragraphs=(
            Paragraph("A volcano erupted on the Reykjanes peninsula on Saturday evening, sending lava fountains "
                      "into the night sky. About 4,000 residents of Grindavik were evacuated before the eruption."),
            Paragraph("The lava flow stopped short of the defensive walls built around the Svartsengi power "
                      "plant. Engineers said the walls held.", section="Power plant"),
            Paragraph("Flights at Keflavik airport continued as normal, the airport operator said, because the "
                      "eruption produced little ash."),
        ),
    ),
    Article(
        id="merger", title="AT&T <Telecom> merger approved", url="https://news.example/merger",
        outlets=("Wire & Co",), published="2024-05-02",
        paragraphs=(
            Paragraph("Regulators approved the merger of AT&T and <Telecom> on Thursday, saying prices would "
                      "stay below 5 < 6 dollars & cents per gigabyte."),
        ),
    ),
    Article(
        id="marathon", title="Record crowd at city marathon", outlets=("City Paper",),
        paragraphs=(
            Paragraph("More than 30,000 runners finished the city marathon on Sunday, a record for the race."),
            Paragraph("The winner crossed the line in two hours and five minutes, the marathon's fastest time."),
            Paragraph("Marathon organisers thanked volunteers who handed out water to the runners."),
        ),
    ),
)

ALICE = {"id": 1001, "is_bot": False, "first_name": "Alice", "username": "alice"}
BOB = {"id": 1002, "is_bot": False, "first_name": "Bob"}
ALICE_CHAT = {"id": ALICE["id"], "type": "private", "first_name": "Alice"}
BOB_CHAT = {"id": BOB["id"], "type": "private", "first_name": "Bob"}
GROUP = {"id": -100200300, "type": "supergroup", "title": "News fans"}
FORUM = {"id": -100400500, "type": "supergroup", "title": "Newsroom", "is_forum": True}

VOLCANO_QUESTION = "How many residents of Grindavik were evacuated?"


def speaking(user: dict, language_code: str) -> dict:
    """`user` with their Telegram app in another language (`language_code` as Telegram sends it: "ru", "pt-br")."""
    return {**user, "language_code": language_code}


def buttons(message: dict) -> dict[str, str]:
    """The buttons under a message or a reply (its sendMessage parameters): label → callback data."""
    markup = message.get("reply_markup") or {"inline_keyboard": []}
    return {b["text"]: b["callback_data"] for row in markup["inline_keyboard"] for b in row}


def private_chat(user: dict) -> dict:
    return {"id": user["id"], "type": "private", "first_name": user["first_name"]}


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


async def post_webhook(url: str, update: dict, secret: str, timeout: float = 20.0) -> int:
    """POST an update the way Telegram calls a webhook; the HTTP status. Like Telegram, retry while nothing
    listens yet: the bot registers its webhook before its server is up, and no API call marks that moment."""
    deadline = time.monotonic() + timeout
    async with aiohttp.ClientSession() as session:
        while True:
            try:
                async with session.post(url, json=update,
                                        headers={"X-Telegram-Bot-Api-Secret-Token": secret}) as response:
                    return response.status
            except aiohttp.ClientConnectorError:
                if time.monotonic() > deadline:
                    raise
                await asyncio.sleep(0.05)


def write_corpus(directory: Path, articles: Sequence[Article] = ARTICLES) -> Path:
    for article in articles:
        write_article(directory, article)
    return directory


def bot_settings(tmp_path: Path, fake: FakeTelegram, **overrides: Any) -> Settings:
    """Settings as the bot would read them from the environment, pointed at the fake server."""
    values = {"corpus_dir": tmp_path / "corpus", "data_dir": tmp_path / "var", "telegram_token": fake.token,
              "telegram_api_base_url": fake.base_url, "telegram_api_file_url": fake.file_url}
    return replace(Settings(), **{**values, **overrides})


@dataclass
class RunningBot:
    fake: FakeTelegram
    app: Application
    settings: Settings
    _done: dict[int, asyncio.Event] = field(default_factory=dict)

    @property
    def store(self) -> FeedbackStore:
        return self.app.bot_data[STATE].store

    def stored(self, sql: str) -> list[tuple]:
        """Rows from the bot's SQLite file, read the way an admin tool would, through a connection of its own."""
        with closing(sqlite3.connect(self.settings.data_dir / FILE_NAME)) as db:
            return db.execute(sql).fetchall()

    def _event(self, update_id: int) -> asyncio.Event:
        return self._done.setdefault(update_id, asyncio.Event())

    async def _mark_done(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        self._event(update.update_id).set()

    async def processed(self, update_id: int, timeout: float = 10.0) -> None:
        """Wait until every handler ran for this update (the marker sits in the last handler group)."""
        await asyncio.wait_for(self._event(update_id).wait(), timeout)

    async def ask(self, chat: dict, user: dict, text: str, **kwargs: Any) -> dict:
        """Send a message and return the bot's reply in that chat (the sendMessage parameters)."""
        before = len(self.fake.sent_to(chat["id"]))
        self.fake.message(chat, user, text, **kwargs)
        calls = await self.fake.wait_for("sendMessage", lambda c: c.params["chat_id"] == chat["id"] and c.status == 200,
                                         count=before + 1)
        return calls[before].params

    async def press(self, user: dict, message: dict, data: str) -> dict:
        """Press a button and return the answerCallbackQuery parameters (every press must be answered)."""
        update_id, query_id = self.fake.press(user, message, data)
        [call] = await self.fake.wait_for("answerCallbackQuery", lambda c: c.params["callback_query_id"] == query_id)
        await self.processed(update_id)
        return call.params

    def bot_message(self, chat_id: int, reply: dict) -> dict:
        """The message the bot sent (as the fake server stored it), to reply to or press buttons under."""
        return next(m for (c, _), m in reversed(self.fake.messages.items())
                    if c == chat_id and m["text"] == reply["text"])


@asynccontextmanager
async def running_bot(tmp_path: Path, articles: Sequence[Article] = ARTICLES, **overrides: Any
                      ) -> AsyncIterator[RunningBot]:
    async with FakeTelegram() as fake:
        settings = bot_settings(tmp_path, fake, **overrides)
        write_corpus(settings.corpus_dir, articles)
        app = build_application(settings, Engine.load(settings.corpus_dir))
        running = RunningBot(fake, app, settings)
        app.add_handler(TypeHandler(Update, running._mark_done), group=1000)
        async with app:
            await app.post_init(app)
            await app.updater.start_polling(poll_interval=0, timeout=5, allowed_updates=ALLOWED_UPDATES)
            await app.start()
            try:
                yield running
            finally:
                await app.updater.stop()
                await app.stop()
                await app.post_shutdown(app)
