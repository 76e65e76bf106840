"""Hostile and broken input through the fake Bot API: whatever people type, paste or search inline, each
message gets exactly one reply that Telegram accepts (valid HTML, escaped, within 4,096 characters), and the
bot keeps answering. The fake server refuses bad HTML the way Telegram does (`fake_telegram.html_error`)."""
from __future__ import annotations

import random

import pytest

from tests.support.fake_telegram import html_error
from tests.support.telegram_harness import ALICE, ALICE_CHAT, BOB, BOB_CHAT, VOLCANO_QUESTION, RunningBot, running_bot

NASTY = [
    "\x00", "\x00" * 50 + "how many residents?", "how many\x07\x1b[31m residents\x7f were evacuated?",
    "<b>How many</b> residents?", "</b></i><a href='javascript:alert(1)'>x", "&amp; &lt; &#0; &bogus; &",
    "*bold* _it_ `code` [link](http://x) ~~s~~ > quote ||spoiler||", "\u202eReversed text\u202c \u200b\u200d\ufeff",
    "🧨" * 600, "a" * 4096, "How many " * 455, "ﷺ" * 300, "Z̷̡̛̗a̵̧͖l̴̰͝g̶̱̈o̵͉͝" * 20, "   \t\n  ", ".", "?",
    "/ask", "/ask \x00<i>", "/ask " + "x" * 4000, "/unknowncommand", "/add <b>not an admin</b>", "/remove volcano",
    "/list", "/reload", "/stats", "/undo", "@NewsTestBot", "/start@NewsTestBot", "/help extra words",
]
RANDOM_ALPHABET = ("\x00\x01\x08\x0b\x1b\x7f\u0085\u00a0\u2028\u2029\u200b\u202e<>&\"'/\\*_`[]()~|#=!;"
                   "abcXYZ 0123456789ßøæ中文字ـعربي🙂👍🏽🇺🇦\u0301\ufffd\n\t")


def random_texts(count: int, seed: int = 5) -> list[str]:
    rng = random.Random(seed)
    return ["".join(rng.choices(RANDOM_ALPHABET, k=rng.choice([1, 5, 40, 300, 4096]))) for _ in range(count)]


@pytest.fixture
async def bot(tmp_path):
    async with running_bot(tmp_path, admin_ids=frozenset({ALICE["id"]}), user_rate_limit=10_000) as running:
        yield running


def test_the_fake_server_refuses_what_telegram_refuses():
    assert html_error("<b>5 &lt; 6 &amp; AT&amp;T</b> <a href=\"https://x/?a=1&amp;b=2\">x</a>") is None
    assert html_error("<b>x</b>\n<blockquote expandable>the rest</blockquote> <blockquote>q</blockquote>") is None
    for bad in ["5 < 6", "AT&T", "<b>open", "</b>", "<script>x</script>", "<b><i>x</b></i>", "x" * 4097, " ",
                "<blockquote collapsed>x</blockquote>"]:
        assert html_error(bad) is not None, bad


async def test_every_hostile_message_gets_exactly_one_accepted_reply(bot: RunningBot):
    for text in NASTY + random_texts(60):
        before = len(bot.fake.sent_to(BOB_CHAT["id"]))
        update_id, _ = bot.fake.message(BOB_CHAT, BOB, text)
        await bot.processed(update_id)
        replies = bot.fake.sent_to(BOB_CHAT["id"])[before:]
        assert len(replies) == 1, (text[:80], [r.params["text"][:80] for r in replies])
    refused = [c for c in bot.fake.calls if c.status not in (200, 0) and c.method != "getUpdates"]
    assert refused == [], [(c.method, c.status, c.params.get("text", "")[:80]) for c in refused]
    assert "About 4,000 residents" in (await bot.ask(BOB_CHAT, BOB, VOLCANO_QUESTION))["text"]  # still answering
    assert bot.fake.requests("sendMessage", lambda c: "Added" in c.params["text"]) == []  # no admin action


async def test_inline_queries_of_any_length_and_content_are_answered_once(bot: RunningBot):
    queries = {}
    for text in NASTY + random_texts(40, seed=6):
        _, query_id = bot.fake.inline(BOB, text[:1000])
        queries[query_id] = text
    answers = await bot.fake.wait_for("answerInlineQuery", count=len(queries), timeout=30)
    assert sorted(c.params["inline_query_id"] for c in answers) == sorted(queries)
    assert all(c.status == 200 for c in answers)  # every result's message text is valid Telegram HTML


async def test_an_article_full_of_markup_and_control_characters_is_shown_escaped(bot: RunningBot):
    article = ("Harbour <b>festival</b> & *fireworks* \x07\x00 tonight\n"
               "The <script>alert('x')</script> harbour festival drew 12,000 visitors & their dogs, "
               "organisers said of the [event](http://evil.example) on _Friday_.\n"
               "Sources: Harbour & <Times>")
    added = await bot.ask(ALICE_CHAT, ALICE, f"/add {article}")
    assert added["text"].startswith("Added ")
    reply = await bot.ask(BOB_CHAT, BOB, "How many visitors did the harbour festival draw?")

    assert html_error(reply["text"]) is None
    assert "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt;" in reply["text"]
    assert "12,000 visitors &amp; their dogs" in reply["text"] and "\x00" not in reply["text"]
