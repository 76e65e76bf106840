"""Limits and failures: per-user limit, Telegram's 429/403/500, a crashing engine, webhook secrets, logs."""
from __future__ import annotations

import logging
import time
from dataclasses import replace

from bot.models import Answer
from bot.search.engine import Engine
from bot.settings import Settings
from bot.tg.app import build_application, webhook_options
from bot.tg.logs import protect_logs
from bot.tg.state import STATE
from tests.support.fake_telegram import FakeTelegram
from tests.support.telegram_harness import (
    ALICE,
    ALICE_CHAT,
    BOB,
    BOB_CHAT,
    VOLCANO_QUESTION,
    bot_settings,
    free_port,
    post_webhook,
    running_bot,
    write_corpus,
)


async def test_per_user_limit_answers_politely_once_then_stays_quiet(tmp_path):
    async with running_bot(tmp_path, user_rate_limit=2, user_rate_window=60) as bot:
        for _ in range(2):
            assert "<b>" in (await bot.ask(ALICE_CHAT, ALICE, VOLCANO_QUESTION))["text"]
        slow = await bot.ask(ALICE_CHAT, ALICE, VOLCANO_QUESTION)
        update_id, _ = bot.fake.message(ALICE_CHAT, ALICE, VOLCANO_QUESTION)
        await bot.processed(update_id)
        other = await bot.ask(BOB_CHAT, BOB, VOLCANO_QUESTION)

    assert slow["text"].startswith("You're asking faster than I can keep up. Please wait ")
    assert len(bot.fake.sent_to(ALICE_CHAT["id"])) == 3  # the 4th question got no second warning
    assert "<b>" in other["text"]  # the limit is per user


async def test_429_retry_after_is_waited_out_and_the_answer_delivered(tmp_path):
    async with running_bot(tmp_path) as bot:
        bot.fake.flood("sendMessage", retry_after=1)
        reply = await bot.ask(ALICE_CHAT, ALICE, VOLCANO_QUESTION)

    attempts = bot.fake.requests("sendMessage")
    assert [call.status for call in attempts] == [429, 200]
    assert attempts[1].at - attempts[0].at >= 1.0
    assert "<b>About 4,000 residents" in reply["text"]


async def test_blocked_by_the_user_is_logged_and_the_bot_carries_on(tmp_path, caplog):
    async with running_bot(tmp_path) as bot:
        bot.fake.block("sendChatAction")
        bot.fake.block("sendMessage")
        update_id, _ = bot.fake.message(ALICE_CHAT, ALICE, VOLCANO_QUESTION)
        await bot.processed(update_id)
        reply = await bot.ask(BOB_CHAT, BOB, VOLCANO_QUESTION)

    assert "<b>About 4,000 residents" in reply["text"]
    assert [c.status for c in bot.fake.requests("sendMessage")] == [403, 200]  # 403 is final: no retry
    assert "Forbidden: bot was blocked by the user" in caplog.text
    assert "Traceback" not in caplog.text


async def test_server_error_and_engine_crash_never_stop_the_bot(tmp_path, caplog):
    class Exploding(Engine):
        def ask(self, question: str, limit: int = 5, **kwargs) -> Answer:
            if "explode" in question:
                raise RuntimeError("engine bug")
            return super().ask(question, limit, **kwargs)

    async with running_bot(tmp_path) as bot:
        state = bot.app.bot_data[STATE]
        state.engine = Exploding(state.engine.articles)
        bot.fake.fail("sendMessage", 500, "Internal Server Error")
        update_id, _ = bot.fake.message(ALICE_CHAT, ALICE, VOLCANO_QUESTION)
        await bot.processed(update_id)
        apology = await bot.ask(ALICE_CHAT, ALICE, "please explode")
        reply = await bot.ask(ALICE_CHAT, ALICE, VOLCANO_QUESTION)

    assert apology["text"].startswith("Sorry, something went wrong on my side.")
    assert "<b>About 4,000 residents" in reply["text"]
    assert "RuntimeError: engine bug" in caplog.text


async def test_the_token_never_reaches_the_logs(tmp_path, caplog):
    caplog.set_level(logging.DEBUG)
    protect_logs(replace(Settings(), telegram_token=FakeTelegram().token))  # as `run` does, before building
    caplog.set_level(logging.DEBUG, logger="httpx")  # the chattiest case: every request URL
    async with running_bot(tmp_path) as bot:
        bot.fake.fail("sendMessage", 500, "Internal Server Error")
        update_id, _ = bot.fake.message(ALICE_CHAT, ALICE, VOLCANO_QUESTION)
        await bot.processed(update_id)
        await bot.ask(ALICE_CHAT, ALICE, VOLCANO_QUESTION)

    secret = bot.fake.token.partition(":")[2]
    assert "getUpdates" in caplog.text and "<redacted>" in caplog.text
    assert secret not in caplog.text
    assert all(secret not in record.getMessage() for record in caplog.records)


async def test_webhook_without_configured_secret_gets_a_random_one(tmp_path):
    port = free_port()
    async with FakeTelegram() as fake:
        settings = bot_settings(tmp_path, fake, webhook_url=f"http://127.0.0.1:{port}/telegram/hook",
                                webhook_listen="127.0.0.1", webhook_port=port)
        write_corpus(settings.corpus_dir)
        app = build_application(settings, Engine.load(settings.corpus_dir))
        async with app:
            await app.updater.start_webhook(**webhook_options(settings))
            await app.start()
            try:
                registered = fake.webhook
                secret = registered["secret_token"]
                url = settings.webhook_url
                update = {"update_id": 1, "message": {"message_id": 1, "date": int(time.time()), "chat": ALICE_CHAT,
                                                      "from": ALICE, "text": VOLCANO_QUESTION}}
                forged = await post_webhook(url, update, "wrong")
                accepted = await post_webhook(url, update, secret)
                [call] = await fake.wait_for("sendMessage")
            finally:
                await app.updater.stop()
                await app.stop()
                await app.post_shutdown(app)

    assert registered["url"] == url and registered["allowed_updates"] == [
        "message", "callback_query", "inline_query", "channel_post", "edited_channel_post", "edited_message"]
    assert len(secret) >= 32  # made up for this run
    assert (forged, accepted) == (403, 200)
    assert "<b>About 4,000 residents" in call.params["text"]

