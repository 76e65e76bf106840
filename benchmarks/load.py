"""Load test of the real bot process over the fake Bot API server (a script, not a CI test).

Many private chats ask several questions each, all queued at once, over a large corpus imported from
../shared/data, while an admin adds articles with `/add`. The same load runs `--runs` times in one bot process.
Checks that every question is answered exactly once and every add is confirmed and on disk; reports throughput,
processing latency (getUpdates hands the update out → the answer's sendMessage reaches the server), end-to-end
time and the bot's resident memory. Throughput is capped by the bot's own AIORateLimiter: 30 Bot API calls/s
with a chat; a question takes one (the answer; "typing…" only when answering takes over 0.3 s); the bot's CPU
time shows the headroom.

    python -m benchmarks.load [--paragraphs 100000] [--chats 200] [--questions 5] [--adds 20] [--runs 2] [--log F]
"""
from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import re
import signal
import sqlite3
import subprocess
import sys
import tempfile
import time
from collections import Counter, defaultdict
from collections.abc import Iterator
from contextlib import closing
from dataclasses import dataclass, field
from pathlib import Path

from benchmarks import corpora
from bot.corpus.importing import article_from_json, article_from_text, jsonl_articles
from bot.corpus.parsing import ArticleError
from bot.curation import fingerprint
from bot.tg.button_data import Vote, decode_button
from bot.tg.feedback import FILE_NAME
from tests.support.fake_telegram import Call, FakeTelegram

ADMIN = {"id": 777, "is_bot": False, "first_name": "Admin"}
ADMIN_CHAT = {"id": ADMIN["id"], "type": "private", "first_name": "Admin"}
FIRST_CHAT = 100_000
MAX_ADD_CHARS = 3500  # an /add message must fit Telegram's 4,096 characters
_ADDED = re.compile(r"Added (\S+): ")
_READY = re.compile(r"ready: (?P<articles>\d+) articles, (?P<passages>\d+) passages")


# --- the corpus ------------------------------------------------------------------------------------------------

def documents() -> Iterator[dict]:
    """Whole articles from the corpora, news first (benchmarks/corpora.py's order), as `import` records."""
    for name in corpora.CORPORA:
        for article in jsonl_articles(corpora.DATA / name):
            yield {"title": article.title, "paragraphs": [p.text for p in article.paragraphs],
                   "outlets": [name.split("/")[0]]}


def split_corpus(paragraphs: int, adds: int) -> tuple[list[dict], list[dict]]:
    """Distinct articles up to `paragraphs` paragraphs to import, then `adds` short ones held back for `/add`."""
    imported, held, count, seen = [], [], 0, set()
    for doc in documents():
        text = fingerprint(article_from_json(doc))
        if text in seen:  # newswires repeat stories; the bot would skip them (import) or refuse them (/add)
            continue
        seen.add(text)
        if count < paragraphs:
            imported.append(doc)
            count += len(doc["paragraphs"])
        elif len(held) == adds:
            break
        elif addable(doc):
            held.append(doc)
    return imported, held


def addable(doc: dict) -> bool:
    """Fits one message, and the bot's own conversion of pasted text finds paragraphs in it (earnings tables of
    short lines read as headings only: the bot rightly refuses those)."""
    text = add_text(doc)
    try:
        return len(text) <= MAX_ADD_CHARS and len(article_from_text(text.removeprefix("/add ")).paragraphs) >= 2
    except ArticleError:
        return False


def add_text(doc: dict) -> str:
    """`/add` with the article pasted: title line, then one paragraph per line."""
    return "/add " + "\n".join([doc["title"], *doc["paragraphs"]])


def import_corpus(docs: list[dict], workdir: Path, env: dict[str, str]) -> None:
    """Through the project's own bulk import, which also saves the index the bot then loads."""
    source = workdir / "import.jsonl"
    source.write_text("".join(json.dumps(doc) + "\n" for doc in docs), encoding="utf-8")
    subprocess.run([sys.executable, "-m", "bot", "import", str(source)], cwd=workdir, env=env, check=True)
    source.unlink()


# --- the bot process -------------------------------------------------------------------------------------------

def bot_env(fake: FakeTelegram, workdir: Path) -> dict[str, str]:
    return fake.bot_environment(
        workdir, ADMIN_IDS=str(ADMIN["id"]), MAX_UPDATE_AGE="0",
        USER_RATE_LIMIT="1000", USER_RATE_WINDOW="10")  # the per-person limit stays on, far above 5 per chat


def rss_mib(pid: int) -> float:
    status = Path(f"/proc/{pid}/status").read_text()
    return int(re.search(r"VmRSS:\s+(\d+) kB", status).group(1)) / 1024


def cpu_seconds(pid: int) -> float:
    """User + system CPU time the process used so far: how busy answering kept the bot, whatever the limits."""
    fields = Path(f"/proc/{pid}/stat").read_text().rpartition(")")[2].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


# --- one run ---------------------------------------------------------------------------------------------------

@dataclass
class Tally:
    """The bot's successful sendMessage calls, read incrementally so waiting stays cheap with many calls."""

    fake: FakeTelegram
    chats: set[int]
    seen: int = 0
    answers: dict[int, list[Call]] = field(default_factory=lambda: defaultdict(list))
    admin: list[Call] = field(default_factory=list)

    def update(self) -> None:
        calls = self.fake.calls
        for call in calls[self.seen:]:
            if call.method != "sendMessage" or call.status != 200:
                continue
            chat = call.params.get("chat_id")
            if chat in self.chats:
                self.answers[chat].append(call)
            elif chat == ADMIN_CHAT["id"]:
                self.admin.append(call)
        self.seen = len(calls)

    def answered(self) -> int:
        self.update()
        return sum(len(calls) for calls in self.answers.values())


@dataclass
class RunResult:
    questions: int
    answered_once: int
    missing: int
    doubled: int
    logged_once: int
    found: int
    adds_confirmed: int
    admin_other: list[str]  # replies to the admin other than "Added …" (a refusal, a duplicate, an error)
    adds_on_disk: int
    latencies: list[float]
    wall: float
    cpu: float
    api_rate: float
    rss: float


def chat_of(n: int) -> dict:
    return {"id": FIRST_CHAT + n, "type": "private", "first_name": f"Reader {n}"}


def push_load(fake: FakeTelegram, questions: list[list[str]], adds: list[dict]) -> dict[tuple[int, str], int]:
    """Queue every question (question-major, so each chat's questions are spread over the backlog) with the admin's
    adds interleaved evenly; (chat id, question) → update id."""
    sent: dict[tuple[int, str], int] = {}
    flat = [(n, q) for k in range(len(questions[0])) for n, qs in enumerate(questions) for q in qs[k:k + 1]]
    every = max(1, len(flat) // max(1, len(adds)))
    pending = list(adds)
    for i, (n, question) in enumerate(flat):
        if pending and i % every == every // 2:
            fake.message(ADMIN_CHAT, ADMIN, add_text(pending.pop(0)))
        chat = chat_of(n)
        update_id, _ = fake.message(chat, {"id": chat["id"], "is_bot": False, "first_name": chat["first_name"]},
                                    question)
        sent[chat["id"], question] = update_id
    for doc in pending:
        fake.message(ADMIN_CHAT, ADMIN, add_text(doc))
    return sent


def logged(db: Path, after: int) -> list[tuple[int, int, str, int]]:
    """(id, chat id, question, found) the bot logged after question id `after`."""
    with closing(sqlite3.connect(db)) as conn:
        return conn.execute("SELECT id, chat_id, question, found FROM questions WHERE id > ? ORDER BY id",
                            (after,)).fetchall()


def question_id(call: Call) -> int | None:
    """The logged question an answer belongs to, from its 👍 button; None for "not found"."""
    markup = call.params.get("reply_markup") or {}
    rows = markup.get("inline_keyboard") or [[]]
    button = decode_button(rows[0][0].get("callback_data")) if rows[0] else None
    return button.question_id if isinstance(button, Vote) else None


def match_latencies(fake: FakeTelegram, tally: Tally, rows: list[tuple[int, int, str, int]],
                    sent: dict[tuple[int, str], int]) -> list[float]:
    """Found answers name their question through the button; a chat's "not found" replies are identical, so they
    are paired with its not-found questions in delivery order."""
    by_id = {row[0]: row for row in rows}
    latencies = []
    for chat, calls in tally.answers.items():
        unmatched = [c for c in calls if question_id(c) is None]
        not_found = sorted(sent[chat, q] for _, c, q, found in rows if c == chat and not found)
        for call in calls:
            if (qid := question_id(call)) in by_id:
                latencies.append(call.at - fake.delivered_at[sent[chat, by_id[qid][2]]])
        for call, update_id in zip(sorted(unmatched, key=lambda c: c.at), not_found, strict=False):
            latencies.append(call.at - fake.delivered_at[update_id])
    return latencies


async def run_load(fake: FakeTelegram, pid: int, workdir: Path, questions: list[list[str]], adds: list[dict],
                   last_logged: int, timeout: float) -> tuple[RunResult, int]:
    """Queue the whole load at once, wait for every answer and confirmation, then check and measure."""
    chats = {chat_of(n)["id"] for n in range(len(questions))}
    total = sum(len(qs) for qs in questions)
    tally = Tally(fake, chats, seen=len(fake.calls))
    first_call = len(fake.calls)
    started, cpu_before = time.perf_counter(), cpu_seconds(pid)
    sent = push_load(fake, questions, adds)
    await fake.wait_until(lambda: tally.answered() >= total and len(tally.admin) >= len(adds), timeout)
    finished = max(c.at for calls in tally.answers.values() for c in calls)
    cpu = cpu_seconds(pid) - cpu_before
    await asyncio.sleep(2.0)  # let a late duplicate show up before counting
    tally.update()
    rows = logged(workdir / "var" / FILE_NAME, last_logged)
    window = [c for c in fake.calls[first_call:] if c.method in {"sendMessage", "sendChatAction"}]
    added = [m.group(1) for c in tally.admin if (m := _ADDED.match(c.params["text"]))]
    result = RunResult(
        **exactly_once(tally, rows, sent, len(questions[0])),
        found=sum(1 for row in rows if row[3]),
        adds_confirmed=len(added),
        admin_other=[c.params["text"] for c in tally.admin if not _ADDED.match(c.params["text"])],
        adds_on_disk=sum(1 for article_id in added if (workdir / "corpus" / f"{article_id}.md").is_file()),
        latencies=match_latencies(fake, tally, rows, sent),
        wall=finished - started,
        cpu=cpu,
        api_rate=len(window) / (window[-1].at - window[0].at),
        rss=rss_mib(pid),
    )
    return result, max((row[0] for row in rows), default=last_logged)


def exactly_once(tally: Tally, rows: list[tuple[int, int, str, int]], sent: dict[tuple[int, str], int],
                 per_chat: int) -> dict[str, int]:
    """A question is answered once when the bot logged it once and its chat got exactly `per_chat` replies (private
    replies quote nothing); an answer's button names its logged question, so two answers to one question show too."""
    logged_as = Counter((chat, q) for _, chat, q, _ in rows)
    replies = {chat: len(tally.answers[chat]) for chat, _ in sent}
    buttons = Counter(qid for calls in tally.answers.values() for c in calls if (qid := question_id(c)) is not None)
    return {
        "questions": len(sent),
        "answered_once": sum(1 for key in sent if logged_as[key] == 1 and replies[key[0]] == per_chat),
        "missing": sum(max(0, per_chat - n) for n in replies.values()),
        "doubled": sum(max(0, n - per_chat) for n in replies.values()) + sum(k - 1 for k in buttons.values()),
        "logged_once": sum(1 for key in sent if logged_as[key] == 1),
    }


# --- report ----------------------------------------------------------------------------------------------------

def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def table(corpus: str, chats: int, per_chat: int, start_rss: float, results: list[RunResult]) -> str:
    rows = [("corpus (as the bot indexed it)", corpus),
            ("load per run", f"{chats} chats × {per_chat} questions = {chats * per_chat:,}, "
                             f"+ {results[0].adds_confirmed} admin /add"),
            ("RSS at start (after warm-up)", f"{start_rss:.0f} MiB")]
    for n, r in enumerate(results, 1):
        ms = [x * 1000 for x in r.latencies]
        rows += [
            (f"run {n}: throughput", f"{r.questions / r.wall:.1f} questions/s "
                                     f"(sendMessage + sendChatAction: {r.api_rate:.1f}/s)"),
            (f"run {n}: processing latency", f"p50 {percentile(ms, .5):,.0f} ms, p99 {percentile(ms, .99):,.0f} ms, "
                                             f"max {max(ms):,.0f} ms ({len(ms)} matched)"),
            (f"run {n}: end-to-end", f"{r.wall:.1f} s from queueing all to the last answer"),
            (f"run {n}: bot CPU", f"{r.cpu:.1f} s = {r.cpu / r.questions * 1000:.0f} ms per question "
                                  f"({r.cpu / r.wall:.0%} of one core)"),
            (f"run {n}: exactly once", f"{r.answered_once}/{r.questions} answered once, {r.missing} missing, "
                                       f"{r.doubled} doubled; {r.logged_once} logged once; {r.found} found"),
            (f"run {n}: admin adds", f"{r.adds_confirmed} confirmed, {r.adds_on_disk} in corpus/"
                                     + (f"; {len(r.admin_other)} other replies: {r.admin_other[:2]}" if r.admin_other
                                        else "")),
            (f"run {n}: RSS after", f"{r.rss:.0f} MiB"),
        ]
    if len(results) > 1:
        rows.append(("RSS growth, run 1 → last run", f"{results[-1].rss - results[0].rss:+.1f} MiB"))
    width = max(len(k) for k, _ in rows)
    return "\n".join(f"{k:<{width}}  {v}" for k, v in rows)


def unique_questions(texts: list[str], count: int) -> list[str]:
    """Half SQuAD dev questions (mostly not in a news corpus), half made from indexed paragraphs; whitespace as
    the bot normalises it and no repeats, so the bot's question log tells each question apart."""
    def fresh(squad: int, made: int) -> list[str]:
        return list(dict.fromkeys(" ".join(q.split()) for q in corpora.questions(texts, squad, made)))

    squad, made = fresh(count // 2 + 50, 0)[:count // 2], fresh(0, count + 50)
    mixed = squad + [q for q in made if q not in set(squad)][:count - len(squad)]
    random.Random(11).shuffle(mixed)  # every chat gets both kinds
    return mixed


# --- main ------------------------------------------------------------------------------------------------------

async def start_bot(fake: FakeTelegram, workdir: Path, env: dict[str, str], warm_up: str
                    ) -> asyncio.subprocess.Process:
    """`python -m bot`, started and asked one question, so the timed runs find its index loaded and warm."""
    with (workdir / "bot.log").open("wb") as log:
        process = await asyncio.create_subprocess_exec(sys.executable, "-m", "bot", cwd=workdir, env=env,
                                                       stdout=log, stderr=log)
    await fake.wait_for("setMyCommands", count=3, timeout=600)  # private, groups, the admin's chat
    fake.message({"id": 1, "type": "private"}, {"id": 1, "is_bot": False, "first_name": "Warm"}, warm_up)
    await fake.wait_for("sendMessage", lambda c: c.params.get("chat_id") == 1, timeout=120)
    return process


def passed(code: int, log_text: str, results: list[RunResult], adds: int) -> bool:
    """Clean exit, no error in the log, every question answered exactly once, every add confirmed and on disk."""
    errors = log_text.count(" ERROR ") + log_text.count("Traceback")
    print(f"bot exit code {code}; {errors} error line(s)/traceback(s) in its log")
    ok = code == 0 and not errors and all(
        r.answered_once == r.questions and not r.doubled and r.adds_on_disk == r.adds_confirmed == adds
        for r in results)
    if not ok:
        print("\n".join([line for line in log_text.splitlines() if " ERROR " in line or " WARNING " in line][:20]))
    return ok


async def main_async(args: argparse.Namespace) -> int:
    docs, held = split_corpus(args.paragraphs, args.adds * args.runs)
    texts = [p for doc in docs for p in doc["paragraphs"]]
    asked = unique_questions(texts, args.chats * args.questions)
    per_chat = [asked[n * args.questions:(n + 1) * args.questions] for n in range(args.chats)]
    with tempfile.TemporaryDirectory(prefix="newsbot-load-") as tmp:
        workdir = Path(tmp)
        async with FakeTelegram() as fake:
            env = bot_env(fake, workdir)
            began = time.perf_counter()
            await asyncio.to_thread(import_corpus, docs, workdir, env)
            print(f"imported {len(docs):,} articles, {len(texts):,} paragraphs in {time.perf_counter() - began:.0f} s "
                  "(bulk import, index saved)", flush=True)
            process = await start_bot(fake, workdir, env, asked[0])
            try:
                start_rss = rss_mib(process.pid)
                print(f"bot ready, RSS {start_rss:.0f} MiB; {len(asked)} questions per run", flush=True)
                results, last = [], 0
                for run in range(args.runs):
                    result, last = await run_load(fake, process.pid, workdir, per_chat,
                                                  held[run * args.adds:(run + 1) * args.adds], last, args.timeout)
                    results.append(result)
                    print(f"run {run + 1} done in {result.wall:.1f} s, RSS {result.rss:.0f} MiB", flush=True)
            finally:
                process.send_signal(signal.SIGTERM)
                code = await asyncio.wait_for(process.wait(), 300)
        log_text = (workdir / "bot.log").read_text(errors="replace")
    if args.log:
        args.log.write_text(log_text, encoding="utf-8")
    ready = _READY.search(log_text)
    corpus = f"{int(ready['passages']):,} paragraphs, {int(ready['articles']):,} articles" if ready else "?"
    print("\n" + table(corpus, args.chats, args.questions, start_rss, results))
    return 0 if passed(code, log_text, results, args.adds) else 1


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--paragraphs", type=int, default=100_000, help="corpus size to import (whole articles)")
    parser.add_argument("--chats", type=int, default=200)
    parser.add_argument("--questions", type=int, default=5, help="questions per chat, all queued at once")
    parser.add_argument("--adds", type=int, default=20, help="articles the admin adds with /add during each run")
    parser.add_argument("--runs", type=int, default=2, help="the same load again in the same bot process")
    parser.add_argument("--timeout", type=float, default=900, help="seconds to wait for a run's answers")
    parser.add_argument("--log", type=Path, help="keep the bot's log here (the work folder is deleted)")
    sys.exit(asyncio.run(main_async(parser.parse_args())))


if __name__ == "__main__":
    main()
