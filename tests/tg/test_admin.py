"""Admins grow and manage the corpus from Telegram, driven through the fake Bot API server over HTTP: every way of
adding, duplicates, /list, /remove + /undo, /reload, /stats, and refusals for everyone else."""
from __future__ import annotations

import asyncio
import html
import http.server
import json
import threading
import time
from collections.abc import Callable, Iterator
from datetime import date
from pathlib import Path

import pytest

from bot.models import Article, Paragraph
from bot.search.engine import Engine
from bot.tg import admin, button_data
from bot.tg.messages import ENGLISH as replies
from bot.tg.state import STATE
from tests.support.paths import TEST_DATA
from tests.support.telegram_harness import (
    ALICE,
    ALICE_CHAT,
    ARTICLES,
    BOB,
    BOB_CHAT,
    GROUP,
    VOLCANO_QUESTION,
    RunningBot,
    running_bot,
)

ADMINS = frozenset({ALICE["id"]})
PAGE = (TEST_DATA / "news_page.html").read_bytes()
PASTED = ("Harbour bridge reopens after repairs\n"
          "The harbour bridge reopened to traffic on Monday after eight months of repairs to its steel cables.\n"
          "City engineers said the bridge would need no further work for twenty years.\n"
          "Sources: Harbour Times")
BRIDGE_QUESTION = "When did the harbour bridge reopen?"
CHANNEL = {"id": -1001234, "type": "channel", "title": "Harbour Times", "username": "harbourtimes"}


@pytest.fixture
async def bot(tmp_path: Path):
    async with running_bot(tmp_path, admin_ids=ADMINS) as running:
        yield running


async def say(bot: RunningBot, text: str | None, user: dict = ALICE, chat: dict = ALICE_CHAT, **extra) -> str:
    """Send a message and return the text of the bot's reply in that chat."""
    return (await bot.ask(chat, user, text, **extra))["text"]


def stored(bot: RunningBot) -> dict[str, str]:
    """The corpus folder as the admin would see it: file name → content."""
    return {p.name: p.read_text() for p in bot.settings.corpus_dir.glob("*.md")}


def document(bot: RunningBot, name: str, data: bytes, declared_size: int | None = None) -> dict:
    """An uploaded file: its content goes to the fake server's getFile/download, its metadata into the message."""
    file_id = f"file-{name}"
    bot.fake.files[file_id] = data
    return {"file_id": file_id, "file_unique_id": file_id, "file_name": name,
            "file_size": len(data) if declared_size is None else declared_size}


class Site:
    """A real HTTP server on loopback serving the saved news page; `gate` (when set up) holds a request back."""

    def __init__(self, gated: bool = False) -> None:
        self.requested, self.gate = threading.Event(), threading.Event()
        self.hits = 0
        if not gated:
            self.gate.set()
        site = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                site.hits += 1
                site.requested.set()
                site.gate.wait(10)
                self.send_response(200)
                self.send_header("Content-Type", "text/html; charset=utf-8")
                self.end_headers()
                self.wfile.write(PAGE)

            def log_message(self, *args: object) -> None:
                pass

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        self.url = f"http://127.0.0.1:{self.server.server_port}/world/captured-soldiers"

    def close(self) -> None:
        self.gate.set()
        self.server.shutdown()


@pytest.fixture
def site() -> Iterator[Site]:
    server = Site(gated=True)
    yield server
    server.close()


# --- adding -----------------------------------------------------------------------------------------------------

async def test_admins_get_their_own_command_menu(bot: RunningBot):
    admin_menu = [c["command"] for c in bot.fake.commands[f"chat:{ALICE['id']}"]]

    assert admin_menu == ["help", "sources", "add", "list", "remove", "undo", "reload", "stats"]
    assert [c["command"] for c in bot.fake.commands["all_private_chats"]] == ["help", "sources"]


async def test_add_pasted_text_is_confirmed_stored_and_answerable_at_once(bot: RunningBot):
    assert "couldn't find" in await say(bot, BRIDGE_QUESTION, BOB, BOB_CHAT)

    reply = await say(bot, f"/add {PASTED}")
    again = await say(bot, "/add\n" + PASTED.upper())  # same text, other case and layout

    assert reply.splitlines()[:6] == [
        "Added <code>harbour-bridge-reopens-after-repairs</code>: Harbour bridge reopens after repairs (2 paragraphs)",
        "  Outlets: Harbour Times", f"  Date: none given (added {date.today().isoformat()})", "  URL: none given",
        "  Language: English (en, detected)",
        "  1. The harbour bridge reopened to traffic on Monday after eight months of…"]
    assert "\n  2. City engineers said" in reply
    assert again == ("Already in the corpus as <code>harbour-bridge-reopens-after-repairs</code>: "
                     "Harbour bridge reopens after repairs")
    assert list(stored(bot)).count("harbour-bridge-reopens-after-repairs.md") == 1 and len(stored(bot)) == 4
    assert "outlets: Harbour Times" in stored(bot)["harbour-bridge-reopens-after-repairs.md"]
    assert "<b>The harbour bridge reopened to traffic on Monday" in await say(bot, BRIDGE_QUESTION, BOB, BOB_CHAT)


async def test_add_as_a_reply_adds_the_replied_message(bot: RunningBot):
    _, pasted = bot.fake.message(ALICE_CHAT, ALICE, PASTED)  # on its own it is just a question
    await bot.fake.wait_for("sendMessage")

    reply = await say(bot, "/add", reply_to=pasted)

    assert reply.startswith("Added <code>harbour-bridge-reopens-after-repairs</code>:")
    assert "(2 paragraphs)" in reply


async def test_add_without_anything_to_add_explains_the_ways(bot: RunningBot):
    assert await say(bot, "/add") == replies.USAGE_ADD


async def test_channel_post_forwarded_by_an_admin_is_added_with_the_channel_as_source(bot: RunningBot):
    post = "Ferry strike ends\nFerry crews returned to work on Tuesday after a two-day strike over pay."
    origin = {"type": "channel", "chat": CHANNEL, "message_id": 42, "date": 1762156800}  # 2025-11-03 08:00 UTC
    private_channel = {**CHANNEL, "id": -1005678, "username": None, "title": "Insider notes"}

    reply = await say(bot, post, forward_origin=origin)
    private_reply = await say(bot, post.replace("Ferry", "Tram"),
                              forward_origin={**origin, "chat": private_channel})
    from_bob = await say(bot, post, BOB, BOB_CHAT, forward_origin=origin)

    assert reply.startswith("Added <code>ferry-strike-ends</code>: Ferry strike ends (1 paragraph)")
    text = stored(bot)["ferry-strike-ends.md"]
    assert "url: https://t.me/harbourtimes/42" in text and "outlets: Harbour Times" in text
    assert "published: 2025-11-03" in text
    assert private_reply.startswith("Added <code>tram-strike-ends")
    assert "url:" not in stored(bot)["tram-strike-ends.md"]
    assert "outlets: Insider notes" in stored(bot)["tram-strike-ends.md"]
    assert "<b>Ferry crews returned to work" in from_bob  # for anyone else a forward is a question


async def test_what_an_admin_sent_while_the_bot_was_down_is_still_added(bot: RunningBot):
    reply = await say(bot, f"/add {PASTED}", date=time.time() - 3600)  # others' hour-old messages are skipped

    assert reply.startswith("Added <code>harbour-bridge-reopens-after-repairs")


async def test_a_post_without_a_headline_gets_its_first_sentence_as_title(bot: RunningBot):
    post = ("Ferry crews returned to work on Tuesday after a two-day strike over pay. The union said the deal "
            "raises wages by six percent.\nhttps://harbour.example/ferry")
    origin = {"type": "channel", "chat": CHANNEL, "message_id": 43, "date": 1762156800}

    reply = await say(bot, post, forward_origin=origin)

    article_id = "ferry-crews-returned-to-work-on-tuesday-after-a-two-day"  # cut at a word, not mid-word
    assert reply.splitlines() == [
        f"Added <code>{article_id}</code>: Ferry crews returned to work on Tuesday after a two-day strike over pay. "
        "(1 paragraph)", "  Outlets: Harbour Times", "  Date: 2025-11-03", "  URL: https://harbour.example/ferry",
        "  Language: English (en, detected)",
        "  1. Ferry crews returned to work on Tuesday after a two-day strike over pa…"]
    text = stored(bot)[f"{article_id}.md"]
    assert "url: https://harbour.example/ferry" in text  # a link in the post wins over the post's own link


async def test_a_forwarded_album_is_added_once_from_the_part_with_the_caption(bot: RunningBot):
    origin = {"type": "channel", "chat": CHANNEL, "message_id": 44, "date": 1762156800}
    photo = [{"file_id": "p1", "file_unique_id": "p1", "width": 90, "height": 90}]
    sent = [
        bot.fake.message(ALICE_CHAT, ALICE, forward_origin=origin, photo=photo, media_group_id="album",
                         caption="Ferry strike ends\nFerry crews returned to work on Tuesday."),
        bot.fake.message(ALICE_CHAT, ALICE, forward_origin=origin, photo=photo, media_group_id="album"),
        bot.fake.message(ALICE_CHAT, ALICE, forward_origin=origin, photo=photo),  # a lone photo: say why not
    ]
    for update_id, _ in sent:
        await bot.processed(update_id)

    texts = sorted(c.params["text"] for c in bot.fake.sent_to(ALICE_CHAT["id"]))
    assert len(texts) == 2 and texts[0].startswith("Added <code>ferry-strike-ends</code>:")
    assert texts[1] == replies.NOTHING_TO_ADD


@pytest.mark.parametrize("name,data,title", [
    ("bridge.txt", PASTED.encode(), "Harbour bridge reopens after repairs"),
    ("bridge.md", b"# Bridge reopens\n\nThe harbour bridge reopened on Monday.\n\n## Cost\n\nIt cost a lot.",
     "Bridge reopens"),
    ("soldiers.HTML", PAGE, "Captured North Korean soldiers ask to go to Seoul"),
])
async def test_uploaded_files_are_downloaded_and_added(bot: RunningBot, name: str, data: bytes, title: str):
    reply = await say(bot, None, document=document(bot, name, data))

    assert reply.startswith("Added ") and f": {title} (" in reply
    assert bot.fake.downloads == [f"file-{name}"]
    assert len(stored(bot)) == 4


@pytest.mark.parametrize("name,data,declared,reason", [
    ("huge.txt", b"Title\nBody.", 3_000_000, "the file is 2929 KB; the limit is 2048 KB"),
    ("report.pdf", b"%PDF-1.4", None, "can't read .pdf: send .txt, .md or .html"),
    ("binary.txt", b"Title\n\x00\x01\x02\xff binary", None, "the file is binary, not text"),
    ("latin1.txt", "Café opens\nThe café opened on Monday.".encode("latin-1"), None,
     "the file is not UTF-8, and its encoding is unclear"),
])
async def test_bad_files_get_a_clear_reason_and_change_nothing(bot: RunningBot, name: str, data: bytes,
                                                               declared: int | None, reason: str):
    before = stored(bot)

    reply = await say(bot, None, document=document(bot, name, data, declared))

    assert reply.startswith(f"Could not add this: {html.escape(reason)}")
    assert stored(bot) == before
    assert bool(bot.fake.downloads) == (declared is None and name.endswith(".txt"))  # size and type come first


async def test_a_download_that_never_finishes_is_given_up_and_changes_nothing(bot: RunningBot, monkeypatch):
    monkeypatch.setattr(admin, "DOWNLOAD_SECONDS", 0.5)
    upload = document(bot, "bridge.txt", PASTED.encode())
    bot.fake.slow_downloads["file-bridge.txt"] = 3
    before = stored(bot)

    reply = await say(bot, None, document=upload)

    assert reply == "Could not add this: the file did not arrive within 0.5 s"
    assert stored(bot) == before and bot.fake.downloads == ["file-bridge.txt"]
    assert "harbour bridge" not in (await say(bot, BRIDGE_QUESTION, BOB, BOB_CHAT)).lower()


async def test_file_without_a_declared_size_is_checked_against_what_getfile_says(bot: RunningBot):
    upload = document(bot, "huge.md", b"# T\n\n" + b"x" * 3_000_000)
    del upload["file_size"]

    reply = await say(bot, None, document=upload)

    assert reply == "Could not add this: the file is 2929 KB; the limit is 2048 KB"
    assert bot.fake.requests("getFile") and bot.fake.downloads == []


async def test_add_url_fetches_the_page_from_a_real_http_server(tmp_path: Path):
    site = Site()
    try:
        async with running_bot(tmp_path, admin_ids=ADMINS, allow_private_urls=True) as bot:
            reply = await say(bot, f"/add {site.url}")
            again = await say(bot, f"/add {site.url}")
    finally:
        site.close()

    assert reply.startswith("Added <code>captured-north-korean-soldiers-ask-to-go-to-seoul</code>: Captured North "
                            "Korean soldiers ask to go to Seoul (3 paragraphs)")
    assert again.startswith("Already in the corpus as <code>captured-north-korean-soldiers-ask-to-go-to-seoul</code>")
    assert site.hits == 1  # a link already in the corpus is recognised before downloading it again
    text = stored(bot)["captured-north-korean-soldiers-ask-to-go-to-seoul.md"]
    assert f"url: {site.url}" in text and "outlets: Daily Ledger" in text and "published: 2025-11-03" in text


async def test_loopback_url_is_refused_under_default_settings(bot: RunningBot, site: Site):
    site.gate.set()
    reply = await say(bot, f"/add {site.url}")

    assert reply == "Could not add this: 127.0.0.1 points to a private or local address (127.0.0.1); refused"
    assert not site.requested.is_set() and len(stored(bot)) == 3


async def test_others_are_answered_while_an_article_is_being_added(tmp_path: Path, site: Site):
    async with running_bot(tmp_path, admin_ids=ADMINS, allow_private_urls=True) as bot:
        bot.fake.message(ALICE_CHAT, ALICE, f"/add {site.url}")
        assert await asyncio.to_thread(site.requested.wait, 10)  # the add is now stuck in its fetch

        answer = await say(bot, VOLCANO_QUESTION, BOB, BOB_CHAT)
        waiting = bot.fake.sent_to(ALICE_CHAT["id"])
        site.gate.set()
        [confirmation] = await bot.fake.wait_for("sendMessage", lambda c: c.params["chat_id"] == ALICE_CHAT["id"])

    assert "<b>About 4,000 residents of Grindavik were evacuated" in answer
    assert waiting == []
    assert confirmation.params["text"].startswith("Added <code>captured-north-korean-soldiers")


# --- refusals ---------------------------------------------------------------------------------------------------

@pytest.mark.parametrize("chat", [BOB_CHAT, GROUP], ids=["private", "group"])
@pytest.mark.parametrize("command", [f"/add {PASTED}", "/add https://news.example/x", "/list", "/remove volcano",
                                     "/undo", "/reload", "/stats", "/add@NewsTestBot x\ny."])
async def test_admin_commands_from_anyone_else_are_refused_and_change_nothing(bot: RunningBot, chat: dict,
                                                                               command: str):
    before = stored(bot)

    assert await say(bot, command, BOB, chat) == replies.ADMINS_ONLY
    assert stored(bot) == before and len(bot.app.bot_data["state"].engine.articles) == 3


async def test_files_from_anyone_else_are_refused_without_download(bot: RunningBot):
    reply = await say(bot, None, BOB, BOB_CHAT, document=document(bot, "bridge.txt", PASTED.encode()))

    assert reply == replies.ADMINS_ONLY
    assert not bot.fake.requests("getFile") and not bot.fake.downloads and len(stored(bot)) == 3


async def test_admins_manage_in_private_only(bot: RunningBot):
    assert await say(bot, "/stats", ALICE, GROUP) == replies.ADMIN_IN_PRIVATE


async def test_forged_list_button_is_refused(bot: RunningBot):
    reply = await bot.ask(BOB_CHAT, BOB, "/sources")
    message = bot.bot_message(BOB_CHAT["id"], reply)

    _, query_id = bot.fake.press(BOB, message, button_data.ListPage(0).encode())
    [answered] = await bot.fake.wait_for("answerCallbackQuery", lambda c: c.params["callback_query_id"] == query_id)

    assert answered.params["text"] == replies.ADMINS_ONLY
    assert not bot.fake.requests("editMessageText")


# --- managing ---------------------------------------------------------------------------------------------------

async def test_list_is_paged_newest_first_with_ids(tmp_path: Path):
    extra = [Article(id=f"story-{n:02}", title=f"Story number {n}", paragraphs=(Paragraph(f"Text {n}."),))
             for n in range(9)]
    async with running_bot(tmp_path, [*ARTICLES, *extra], admin_ids=ADMINS) as bot:
        await say(bot, f"/add {PASTED}")
        reply = await bot.ask(ALICE_CHAT, ALICE, "/list")
        message = bot.bot_message(ALICE_CHAT["id"], reply)
        [[next_page]] = reply["reply_markup"]["inline_keyboard"]
        _, query_id = bot.fake.press(ALICE, message, next_page["callback_data"])
        [edit] = await bot.fake.wait_for("editMessageText")

    lines = reply["text"].splitlines()
    assert lines[0] == "<b>Corpus, newest first</b> (13), page 1 of 2:"
    assert lines[1] == ("1. <code>harbour-bridge-reopens-after-repairs</code> Harbour bridge reopens after repairs"
                        f" — Harbour Times · added on {date.today():%-d %b %Y} · en")  # the language as read
    assert next_page["text"] == "Next ›"
    assert edit.params["text"].startswith("<b>Corpus, newest first</b> (13), page 2 of 2:\n11. <code>")
    assert ('<code>merger</code> <a href="https://news.example/merger">AT&amp;T &lt;Telecom&gt; merger approved</a>'
            in edit.params["text"])


async def test_remove_then_undo(bot: RunningBot):
    removed = await say(bot, "/remove volcano")
    gone = await say(bot, VOLCANO_QUESTION, BOB, BOB_CHAT)
    restored = await say(bot, "/undo")
    back = await say(bot, VOLCANO_QUESTION, BOB, BOB_CHAT)

    assert removed == "Removed <code>volcano</code>: Volcano erupts near Reykjavik. /undo brings it back."
    assert "couldn't find" in gone
    assert restored == "Restored <code>volcano</code>: Volcano erupts near Reykjavik."
    assert "<b>About 4,000 residents" in back
    assert await say(bot, "/undo") == replies.NOTHING_TO_UNDO
    assert await say(bot, "/remove no-such-id") == replies.unknown_article("no-such-id")
    assert await say(bot, "/remove") == replies.USAGE_REMOVE


async def test_reload_after_files_were_edited_by_hand(bot: RunningBot):
    corpus = bot.settings.corpus_dir
    (corpus / "merger.md").unlink()
    marathon = corpus / "marathon.md"
    marathon.write_text(marathon.read_text().replace("30,000 runners", "31,000 runners"))
    (corpus / "bridge.md").write_text("# Bridge reopens\n\nThe harbour bridge reopened to traffic on Monday.\n")
    (corpus / "broken.md").write_text("---\ntitle: never closed\n")

    reply = await say(bot, "/reload")

    assert reply.splitlines() == [
        "Reloaded: 1 added, 1 changed, 1 removed, 1 unparseable.",
        "Added: bridge", "Changed: marathon", "Removed: merger",
        "Unparseable broken.md: metadata header opened with &#x27;---&#x27; but never closed",
    ]
    assert "<b>The harbour bridge reopened" in await say(bot, BRIDGE_QUESTION, BOB, BOB_CHAT)
    assert "31,000" in await say(bot, "How many runners finished the marathon?", BOB, BOB_CHAT)


async def test_stats(bot: RunningBot):
    answered = await bot.ask(BOB_CHAT, BOB, VOLCANO_QUESTION)
    for question in ["Who won the football cup?", "who won the FOOTBALL cup?", "Is it raining?"]:
        await say(bot, question, BOB, BOB_CHAT)
    [[up, *_]] = answered["reply_markup"]["inline_keyboard"]
    _, query_id = bot.fake.press(BOB, bot.bot_message(BOB_CHAT["id"], answered), up["callback_data"])
    await bot.fake.wait_for("answerCallbackQuery", lambda c: c.params["callback_query_id"] == query_id)

    reply = await say(bot, "/stats")

    lines = reply.splitlines()[1:]
    assert reply.splitlines()[0] == "<b>All time</b>"
    assert lines[:5] == [
        "<b>Corpus</b>: 3 articles, 7 paragraphs",
        "<b>Questions</b>: 4 asked, 1 answered (25%), 3 not found (75%)",
        "<b>Feedback</b>: 👍 1 · 👎 0",
        "",
        "<b>Asked most often without an answer</b>",
    ]
    assert lines[5].casefold() == "1. who won the football cup? (2×)"  # grouped whatever the letter case
    assert lines[6:] == ["2. Is it raining? (1×)"]


async def test_changes_are_saved_with_the_index_at_shutdown_so_a_restart_does_not_reindex(tmp_path: Path):
    async with running_bot(tmp_path, admin_ids=ADMINS) as bot:
        await say(bot, f"/add {PASTED}")
        await say(bot, "/remove marathon")
    notes = json.loads((bot.settings.corpus_dir / ".index" / "manifest.json").read_text())["meta"]["notes"]

    saved = {article_id for article_id, _, _, _ in notes}
    assert "harbour-bridge-reopens-after-repairs" in saved and {"volcano", "merger"} <= saved
    assert "marathon" not in saved  # its paragraphs are kept as removed, without a name
    restarted = Engine.load(bot.settings.corpus_dir)
    assert restarted._unsaved is False  # nothing to bring up to date: the saved index was current
    assert restarted.ask(BRIDGE_QUESTION).best.article.id == "harbour-bridge-reopens-after-repairs"


async def test_an_old_more_answers_button_after_its_article_was_removed(bot: RunningBot, caplog):
    reply = await bot.ask(BOB_CHAT, BOB, "marathon")
    message = bot.bot_message(BOB_CHAT["id"], reply)
    more = next(b["callback_data"] for row in message["reply_markup"]["inline_keyboard"] for b in row
                if b["text"].startswith("More answers"))
    await say(bot, "/remove marathon")

    update_id, query_id = bot.fake.press(BOB, message, more)
    [answered] = await bot.fake.wait_for("answerCallbackQuery", lambda c: c.params["callback_query_id"] == query_id)
    await bot.processed(update_id)

    assert answered.params["text"] == replies.EXPIRED_BUTTON  # nothing left to page to: said so, not a crash
    assert bot.fake.requests("editMessageText") == []
    assert "Traceback" not in caplog.text


async def _eventually(condition: Callable[[], bool], timeout: float = 5.0) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, "timed out"
        await asyncio.sleep(0.05)


async def test_article_files_added_or_removed_by_others_are_picked_up_without_reload(tmp_path: Path):
    async with running_bot(tmp_path, admin_ids=ADMINS, corpus_watch_seconds=0.2) as bot:
        engine = bot.app.bot_data[STATE].engine
        path = bot.settings.corpus_dir / "bridge.txt"
        path.write_text(PASTED, encoding="utf-8")  # as `python -m bot add` or a copy into corpus/ would
        await _eventually(lambda: engine.article("bridge") is not None)
        found = await say(bot, BRIDGE_QUESTION, BOB, BOB_CHAT)
        path.unlink()
        await _eventually(lambda: engine.article("bridge") is None)
        gone = await say(bot, BRIDGE_QUESTION, BOB, BOB_CHAT)

    assert "<b>The harbour bridge reopened to traffic on Monday" in found
    assert "couldn't find" in gone
