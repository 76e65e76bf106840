"""`python -m bot` as a separate process against the fake Bot API, exactly as a user runs it."""
from __future__ import annotations

import asyncio
import signal
import statistics
import sys
import time
from pathlib import Path

from bot.tg.i18n import LANGUAGES
from tests.support.fake_telegram import FakeTelegram
from tests.support.telegram_harness import ALICE, ALICE_CHAT, VOLCANO_QUESTION, free_port, post_webhook, write_corpus


async def start_bot(tmp_path: Path, fake: FakeTelegram, **settings: str) -> asyncio.subprocess.Process:
    """The bot process, configured only through the environment (cwd has no .env)."""
    write_corpus(tmp_path / "corpus")
    env = fake.bot_environment(tmp_path, USER_RATE_LIMIT="50", **settings)
    log = (tmp_path / "bot.log").open("wb")
    return await asyncio.create_subprocess_exec(sys.executable, "-m", "bot", cwd=tmp_path, env=env,
                                                stdout=log, stderr=log)


async def test_bot_process_answers_and_shuts_down_cleanly_on_sigterm(tmp_path):
    async with FakeTelegram() as fake:
        process = await start_bot(tmp_path, fake, ADMIN_IDS=f" {ALICE['id']}, 42")
        try:
            await fake.wait_for("setMyCommands", count=4 * len(LANGUAGES), timeout=30)  # private, groups, admin
            fake.message(ALICE_CHAT, ALICE, VOLCANO_QUESTION)
            [answer] = await fake.wait_for("sendMessage", timeout=15)
            fake.message(ALICE_CHAT, ALICE, "Who won the football cup?")
            await fake.wait_for("sendMessage", count=2)

            # end-to-end processing time: update handed over by getUpdates → sendMessage arrives
            latencies = []
            for n in range(12):
                user = {"id": 5000 + n, "is_bot": False, "first_name": f"User {n}"}
                update_id, _ = fake.message({"id": user["id"], "type": "private"}, user, VOLCANO_QUESTION)
                [reply] = await fake.wait_for("sendMessage", lambda c, chat=user["id"]: c.params["chat_id"] == chat)
                latencies.append(reply.at - fake.delivered_at[update_id])

            fake.message(ALICE_CHAT, ALICE, "/add Ferry strike ends\nFerry crews returned to work on Tuesday.")
            [added] = await fake.wait_for("sendMessage", lambda c: c.params["text"].startswith("Added"))
            fake.message(ALICE_CHAT, ALICE, "When did the ferry crews return to work?")
            [ferry] = await fake.wait_for("sendMessage", lambda c: "<b>Ferry crews returned" in c.params["text"])
        finally:
            process.send_signal(signal.SIGTERM)
            code = await asyncio.wait_for(process.wait(), 20)
    log = (tmp_path / "bot.log").read_text()

    assert code == 0, log
    assert "<b>About 4,000 residents of Grindavik were evacuated before the eruption.</b>" in answer.params["text"]
    assert fake.requests("sendMessage")[1].params["text"].startswith("Sorry, I couldn't find that")
    assert "@NewsTestBot ready: 3 articles, 7 passages" in log
    assert added.params["text"].startswith("Added <code>ferry-strike-ends</code>: Ferry strike ends (1 paragraph)")
    assert (tmp_path / "corpus" / "ferry-strike-ends.md").is_file() and "Tuesday" in ferry.params["text"]
    assert "Traceback" not in log and fake.token.partition(":")[2] not in log
    assert fake.requests("getUpdates")[-1].params.get("timeout") == 0  # final call confirming the last offset
    median = statistics.median(latencies)
    print(f"\nend-to-end question processing over the fake Bot API: median {median * 1000:.1f} ms, "
          f"max {max(latencies) * 1000:.1f} ms ({len(latencies)} questions)")
    assert median < 1.0


async def test_bot_process_in_webhook_mode(tmp_path):
    port = free_port()
    url = f"http://127.0.0.1:{port}/telegram/hook"
    async with FakeTelegram() as fake:
        process = await start_bot(tmp_path, fake, WEBHOOK_URL=url, WEBHOOK_LISTEN="127.0.0.1",
                                  WEBHOOK_PORT=str(port), WEBHOOK_SECRET="s3cret-hook")
        try:
            [registered] = await fake.wait_for("setWebhook", timeout=30)
            await fake.wait_for("setMyCommands", count=2 * len(LANGUAGES))
            update = {"update_id": 1, "message": {"message_id": 1, "date": int(time.time()), "chat": ALICE_CHAT,
                                                  "from": ALICE, "text": VOLCANO_QUESTION}}
            statuses = [await post_webhook(url, update, "wrong"), await post_webhook(url, update, "s3cret-hook")]
            [answer] = await fake.wait_for("sendMessage")
        finally:
            process.send_signal(signal.SIGTERM)
            code = await asyncio.wait_for(process.wait(), 20)
    log = (tmp_path / "bot.log").read_text()

    assert code == 0, log
    assert registered.params["url"] == url and registered.params["secret_token"] == "s3cret-hook"
    assert statuses == [403, 200]
    assert "<b>About 4,000 residents" in answer.params["text"]
    assert fake.requests("getUpdates") == []
    assert "Traceback" not in log and "s3cret-hook" not in log and fake.token.partition(":")[2] not in log


async def test_first_start_and_an_idle_bot_log_only_what_an_operator_needs(tmp_path):
    """No saved index yet is not an error, and the corpus watch says nothing while nothing changes."""
    async with FakeTelegram() as fake:
        process = await start_bot(tmp_path, fake, CORPUS_WATCH_SECONDS="0.2")
        try:
            await fake.wait_for("setMyCommands", count=2 * len(LANGUAGES), timeout=30)
            await asyncio.sleep(1.5)  # several rounds of the watch
            (tmp_path / "corpus" / "volcano.md").unlink()
            await fake.wait_until(lambda: "Corpus folder changed" in (tmp_path / "bot.log").read_text())
        finally:
            process.send_signal(signal.SIGTERM)
            code = await asyncio.wait_for(process.wait(), 20)
    lines = (tmp_path / "bot.log").read_text().splitlines()

    assert code == 0
    assert any("building the index" in line for line in lines)
    assert not [line for line in lines if " WARNING " in line or " ERROR " in line or "Errno" in line], lines
    started = next(n for n, line in enumerate(lines) if "Application started" in line)
    assert "Corpus folder changed: 0 added, 0 changed, 1 removed, 0 unreadable" in lines[started + 1], lines
    assert len(lines) <= 8, lines  # the index, ready, started, the one change, shutdown: no line per watch round


async def test_a_bot_started_before_telegram_is_reachable_waits_for_it(tmp_path):
    fake = FakeTelegram()
    fake.port = free_port()  # nothing listens there yet
    process = await start_bot(tmp_path, fake)
    try:
        log = tmp_path / "bot.log"
        # Serve only once the bot has tried and failed (it starts by indexing the corpus, which may take seconds).
        for _ in range(300):
            if log.exists() and "Telegram cannot be reached" in log.read_text():
                break
            await asyncio.sleep(0.1)
        async with fake:
            await fake.wait_for("setMyCommands", count=2 * len(LANGUAGES), timeout=30)
            fake.message(ALICE_CHAT, ALICE, VOLCANO_QUESTION)
            [answer] = await fake.wait_for("sendMessage", timeout=15)
            process.send_signal(signal.SIGTERM)
            code = await asyncio.wait_for(process.wait(), 20)
    finally:
        if process.returncode is None:
            process.kill()
    lines = (tmp_path / "bot.log").read_text().splitlines()

    assert code == 0 and "About 4,000 residents" in answer.params["text"]
    waits = [line for line in lines if "Telegram cannot be reached" in line]
    assert 1 <= len(waits) <= 3, lines  # one line per try, pauses of 1, 2, 4 s
    assert "Traceback" not in "\n".join(lines) and len(lines) <= len(waits) + 8, lines


async def test_a_refused_token_stops_the_bot_with_one_clear_line(tmp_path):
    async with FakeTelegram() as fake:
        process = await start_bot(tmp_path, fake, TELEGRAM_BOT_TOKEN="123456:not-the-right-one")
        code = await asyncio.wait_for(process.wait(), 30)
    log = (tmp_path / "bot.log").read_text()

    assert code == 2
    assert "Telegram refused the bot token: check TELEGRAM_BOT_TOKEN" in log and "Traceback" not in log
