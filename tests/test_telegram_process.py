"""`python -m bot` as a separate process against the fake Bot API, exactly as a user runs it."""
from __future__ import annotations

import asyncio
import os
import signal
import statistics
import sys
from pathlib import Path

from fake_telegram import FakeTelegram
from telegram_harness import ALICE, ALICE_CHAT, VOLCANO_QUESTION, write_corpus

REPO = Path(__file__).resolve().parent.parent


async def start_bot(tmp_path: Path, fake: FakeTelegram) -> asyncio.subprocess.Process:
    """The bot process, configured only through the environment (cwd has no .env)."""
    write_corpus(tmp_path / "corpus")
    env = {
        **os.environ,
        "PYTHONPATH": str(REPO),
        "TELEGRAM_BOT_TOKEN": fake.token,
        "TELEGRAM_API_BASE_URL": fake.base_url,
        "TELEGRAM_API_FILE_URL": fake.file_url,
        "CORPUS_DIR": str(tmp_path / "corpus"),
        "DATA_DIR": str(tmp_path / "var"),
        "USER_RATE_LIMIT": "50",
    }
    log = (tmp_path / "bot.log").open("wb")
    return await asyncio.create_subprocess_exec(sys.executable, "-m", "bot", cwd=tmp_path, env=env,
                                                stdout=log, stderr=log)


async def test_bot_process_answers_and_shuts_down_cleanly_on_sigterm(tmp_path):
    async with FakeTelegram() as fake:
        process = await start_bot(tmp_path, fake)
        try:
            await fake.wait_for("setMyCommands", count=2, timeout=30)
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
        finally:
            process.send_signal(signal.SIGTERM)
            code = await asyncio.wait_for(process.wait(), 20)
    log = (tmp_path / "bot.log").read_text()

    assert code == 0, log
    assert "<b>About 4,000 residents of Grindavik were evacuated before the eruption.</b>" in answer.params["text"]
    assert fake.requests("sendMessage")[1].params["text"].startswith("Sorry, I couldn't find that")
    assert "@NewsTestBot ready: 3 articles, 7 passages" in log
    assert "Traceback" not in log and fake.token.partition(":")[2] not in log
    assert fake.requests("getUpdates")[-1].params.get("timeout") == 0  # final call confirming the last offset
    median = statistics.median(latencies)
    print(f"\nend-to-end question processing over the fake Bot API: median {median * 1000:.1f} ms, "
          f"max {max(latencies) * 1000:.1f} ms ({len(latencies)} questions)")
    assert median < 1.0
