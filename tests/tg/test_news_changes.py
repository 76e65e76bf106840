"""News changes through the fake Bot API: dated sources, the newest figure first with the earlier one named,
questions about time, and /sources and /list narrowed by date with paging that keeps the span."""
from __future__ import annotations

from dataclasses import replace

import pytest

from bot.models import Article, Paragraph
from bot.tg.button_data import MAX_BUTTON_DATA, ListPage, SourcesPage
from bot.tg.state import STATE
from tests.support.revisions import REVISED, TODAY
from tests.support.telegram_harness import ALICE, ALICE_CHAT, BOB, BOB_CHAT, RunningBot, buttons, running_bot

MANY = [Article(id=f"story-{n:02}", title=f"Story number {n}", published=f"2025-11-{1 + n % 9:02}",
                paragraphs=(Paragraph(f"Text {n}."),)) for n in range(14)]


@pytest.fixture
async def bot(tmp_path):
    async with running_bot(tmp_path, [*REVISED, *MANY], admin_ids=frozenset({ALICE["id"]})) as running:
        running.app.bot_data[STATE].engine.today = lambda: TODAY
        yield running



async def test_the_newest_figure_leads_and_says_what_was_reported_earlier(bot: RunningBot):
    reply = await bot.ask(BOB_CHAT, BOB, "how many soldiers died?")

    text = reply["text"]
    assert "<b>Seoul&#x27;s intelligence services estimate that roughly 2,000 North Korean soldiers" in text
    assert "📰 North Korean death toll in Russia&#x27;s war rises to about 2,000 · Reuters, BBC · 20 Nov 2025" in text
    assert text.index("20 Nov 2025") < text.index("<i>Earlier: about 300, Yonhap, 13 Jan 2025</i>")
    message = bot.bot_message(BOB_CHAT["id"], reply)
    await bot.press(BOB, message, buttons(reply)["More answers (2/2)"])
    second = bot.fake.messages[BOB_CHAT["id"], message["message_id"]]["text"]
    assert "About 300 North Korean soldiers" in second and "13 Jan 2025" in second and "Earlier" not in second


async def test_questions_about_time(bot: RunningBot):
    january = await bot.ask(BOB_CHAT, BOB, "how many soldiers died in january?")
    assert "<b>About 300 North Korean soldiers" in january["text"] and "Earlier" not in january["text"]
    listed = await bot.ask(BOB_CHAT, BOB, "what happened yesterday?")
    assert listed["text"].startswith("<i>Articles from yesterday (20 Nov 2025), newest first.</i>\n\n")
    closest = await bot.ask(BOB_CHAT, BOB, "how many soldiers died in March?")
    assert closest["text"].startswith("<i>Nothing from March 2025 answers this; this is the closest match.</i>\n\n"
                                      "<b>Seoul&#x27;s intelligence")
    missing = await bot.ask(BOB_CHAT, BOB, "what did the mayor say last week?")
    assert missing["text"].startswith("<i>Nothing from last week (10–16 Nov 2025) answers this.</i>\n\n"
                                      "Sorry, I couldn't find")


async def test_an_earlier_report_from_an_outlet_with_html_is_escaped(tmp_path):
    old = replace(REVISED[0], outlets=("<Yonhap> & Co",))
    async with running_bot(tmp_path, [old, *REVISED[1:]]) as bot:
        bot.app.bot_data[STATE].engine.today = lambda: TODAY
        reply = await bot.ask(BOB_CHAT, BOB, "how many soldiers died?")
    assert "<i>Earlier: about 300, &lt;Yonhap&gt; &amp; Co, 13 Jan 2025</i>" in reply["text"]


async def test_sources_are_dated_newest_first_and_narrowed_by_a_span_the_pages_keep(bot: RunningBot):
    everything = await bot.ask(BOB_CHAT, BOB, "/sources")
    lines = everything["text"].splitlines()
    assert lines[0] == "<b>Articles I know, newest first</b> (18), page 1 of 2:"
    assert lines[1] == ("1. North Korean death toll in Russia&#x27;s war rises to about 2,000 — Reuters, BBC · "
                        "20 Nov 2025")
    assert lines[2] == "2. City council approves budget — City Paper · added on 19 Nov 2025"
    assert "Harbour &lt;Times&gt; &amp; Co · 18 Nov 2025" in lines[3]

    november = await bot.ask(BOB_CHAT, BOB, "/sources 2025-11")
    assert november["text"].startswith("<b>Articles from November 2025, newest first</b> (17), page 1 of 2:")
    assert buttons(november) == {"Next ›": "s:1:2025-11"}
    message = bot.bot_message(BOB_CHAT["id"], november)
    await bot.press(BOB, message, "s:1:2025-11")
    page2 = bot.fake.messages[BOB_CHAT["id"], message["message_id"]]
    assert page2["text"].startswith("<b>Articles from November 2025, newest first</b> (17), page 2 of 2:")
    assert "About 300" not in page2["text"]  # January's
    assert buttons(page2) == {"‹ Previous": "s:0:2025-11"}

    week = await bot.ask(BOB_CHAT, BOB, "/sources 7d")
    assert "<b>Articles from the last 7 days, newest first</b> (3)" in week["text"] and "reply_markup" not in week
    january = await bot.ask(BOB_CHAT, BOB, "/sources 2025-01")
    assert "About 300 North Korean soldiers killed" in january["text"]
    assert (await bot.ask(BOB_CHAT, BOB, "/sources 2024"))["text"] == "No articles from 2024. /sources lists them all."


@pytest.mark.parametrize("nonsense", ["99x", "2025-13", "<b>", "2025-02-30"])
async def test_a_nonsense_span_gets_how_to_write_one(bot: RunningBot, nonsense: str):
    reply = await bot.ask(BOB_CHAT, BOB, f"/sources {nonsense}")
    assert reply["text"].startswith("Narrow the list like this: <code>/sources 7d</code>")
    assert "\n" not in reply["text"]


async def test_forged_span_buttons_expire(bot: RunningBot):
    reply = await bot.ask(BOB_CHAT, BOB, "/sources")
    message = bot.bot_message(BOB_CHAT["id"], reply)
    for forged in ["s:0:2025-13", "s:0:99x", "s:0:" + "9" * 13, "s:0:<b>", "l:0:7d"]:
        answered = await bot.press(BOB, message, forged)
        assert answered["text"].startswith(("This button has expired", "Sorry, only the bot's admins"))


def test_span_buttons_fit_in_64_bytes():
    for button in (SourcesPage(999_999, "2025-11-20"), ListPage(999_999, "99999d")):
        assert len(button.encode().encode()) < MAX_BUTTON_DATA


async def test_the_latest_articles_are_one_tap_from_help(bot: RunningBot):
    help_reply = await bot.ask(BOB_CHAT, BOB, "/help")
    assert "<code>/sources 7d</code>" in help_reply["text"]
    message = bot.bot_message(BOB_CHAT["id"], help_reply)
    await bot.press(BOB, message, buttons(help_reply)["🆕 Latest articles"])
    [*_, latest] = await bot.fake.wait_for("sendMessage", lambda c: c.params["chat_id"] == BOB_CHAT["id"], count=2)
    assert latest.params["text"].startswith("<b>Articles I know, newest first</b> (18)")
    assert bot.fake.messages[BOB_CHAT["id"], message["message_id"]]["text"] == help_reply["text"]  # help stays


async def test_admins_list_narrowed_by_a_span(bot: RunningBot):
    reply = await bot.ask(ALICE_CHAT, ALICE, "/list 2025-01")
    assert reply["text"].splitlines() == [
        "<b>Corpus from January 2025, newest first</b> (1), page 1 of 1:",
        "1. <code>nk-300</code> About 300 North Korean soldiers killed in Kursk, Seoul says — Yonhap · 13 Jan 2025"
        " · en"]
    assert (await bot.ask(ALICE_CHAT, ALICE, "/list 2025-13"))["text"].startswith(
        "Narrow the list like this: <code>/list 7d</code>")
    november = await bot.ask(ALICE_CHAT, ALICE, "/list 2025-11")
    assert buttons(november) == {"Next ›": "l:1:2025-11"}
