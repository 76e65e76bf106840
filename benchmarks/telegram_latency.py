"""End-to-end processing time of a question inside the bot, over the fake Bot API server (not CI).

Measured from the moment a getUpdates response carries the update to the moment the answer's sendMessage
reaches the server: parsing, routing, "typing…", ranking, logging, formatting and the HTTP call.

    python -m benchmarks.telegram_latency [CORPUS.jsonl.gz] [--questions N]

Without a corpus file it uses the tests' three-article corpus; with one (e.g. ../shared/data/bbc-news/
bbc-news.jsonl.gz, one JSON document with `title` and `paragraphs` per line) it ranks over that corpus and
asks each document's title back as the question.
"""
from __future__ import annotations

import argparse
import asyncio
import statistics
import tempfile
from dataclasses import replace
from pathlib import Path

from bot.corpus.importing import jsonl_articles
from bot.models import Article
from bot.search.engine import Engine
from bot.tg.app import ALLOWED_UPDATES, build_application
from tests.support.fake_telegram import FakeTelegram
from tests.support.telegram_harness import ARTICLES, VOLCANO_QUESTION, bot_settings


async def measure(articles: list[Article], questions: list[str]) -> list[float]:
    async with FakeTelegram() as fake:
        settings = replace(bot_settings(Path(tempfile.mkdtemp()), fake), user_rate_limit=0)
        app = build_application(settings, Engine(articles))
        async with app:
            await app.updater.start_polling(poll_interval=0, allowed_updates=ALLOWED_UPDATES)
            await app.start()
            latencies = []
            for n, question in enumerate(questions):
                chat = {"id": 10_000 + n, "type": "private"}
                update_id, _ = fake.message(chat, {"id": chat["id"], "is_bot": False, "first_name": "U"}, question)
                [reply] = await fake.wait_for("sendMessage", lambda c, to=chat["id"]: c.params["chat_id"] == to)
                latencies.append(reply.at - fake.delivered_at[update_id])
                await asyncio.sleep(0.07)  # stay under the 30 messages/s that AIORateLimiter enforces
            await app.updater.stop()
            await app.stop()
            await app.post_shutdown(app)
    return latencies


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("corpus", nargs="?", type=Path)
    parser.add_argument("--questions", type=int, default=50)
    args = parser.parse_args()
    articles = list(jsonl_articles(args.corpus, id_prefix="d")) if args.corpus else list(ARTICLES)
    questions = ([a.title for a in articles[::max(1, len(articles) // args.questions)]][:args.questions]
                 if args.corpus else [VOLCANO_QUESTION] * args.questions)
    print(f"{len(articles)} articles, {sum(len(a.paragraphs) for a in articles)} paragraphs, "
          f"{len(questions)} questions")
    ms = sorted(x * 1000 for x in asyncio.run(measure(articles, questions)))
    print(f"median {statistics.median(ms):.1f} ms, p90 {ms[int(len(ms) * 0.9)]:.1f} ms, max {ms[-1]:.1f} ms")


if __name__ == "__main__":
    main()
