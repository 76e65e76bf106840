"""Articles that arrive as Telegram messages over time, through the fake Bot API: long pastes Telegram split,
channel posts and their edits, edits of /add, and the admin tools around them (remove by link, prefix, number or
button; undo of an add; /stats over a window; other encodings; links with words around them)."""
from __future__ import annotations

import asyncio
import time
from pathlib import Path

import pytest

from bot.inbox import Inbox
from bot.tg import posts
from bot.tg.messages import ENGLISH as replies
from bot.tg.state import STATE
from tests.support.telegram_harness import ALICE, ALICE_CHAT, BOB, BOB_CHAT, RunningBot, running_bot
from tests.tg.test_admin import ADMINS, Site, document, say, stored

CHANNEL = {"id": -1001234, "type": "channel", "title": "Harbour Times", "username": "harbourtimes"}
PRIVATE_CHANNEL = {"id": -1005678, "type": "channel", "title": "Insider notes"}
STRANGER = {"id": -1009999, "type": "channel", "title": "Someone's channel", "username": "strangers"}
LISTED = frozenset({"@harbourtimes", "-1005678"})


@pytest.fixture(autouse=True)
def quick_joins(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(posts, "JOIN_SECONDS", 0.5)


@pytest.fixture
async def bot(tmp_path: Path):
    async with running_bot(tmp_path, admin_ids=ADMINS, channels=LISTED) as running:
        yield running


def long_story(paragraphs: int, topic: str = "harbour") -> str:
    """A story of numbered, distinct paragraphs (about 190 characters each)."""
    return "\n".join(f"Paragraph {n} of the {topic} report says that the council counted {n * 7} new ferries in "
                     f"service this year, and that officials expect {n * 3} more before the summer season starts."
                     for n in range(1, paragraphs + 1))


def split_like_telegram(text: str, limit: int = 4096) -> list[str]:
    """Telegram cuts a long message at the last line break (else space) before the limit and drops it."""
    parts = []
    while len(text) > limit:
        cut = text.rfind("\n", 0, limit)
        cut = cut if cut > 0 else text.rfind(" ", 0, limit)
        parts.append(text[:cut])
        text = text[cut + 1:]
    return parts + [text]


def engine(bot: RunningBot):
    return bot.app.bot_data[STATE].engine


async def until(condition, timeout: float = 5.0) -> None:
    """Channel posts and edits end their update early (nothing else may take them for a question), so the
    harness's "processed" marker never sees them: wait for their effect instead."""
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, "timed out"
        await asyncio.sleep(0.05)


async def passed(bot: RunningBot, update_id: int) -> None:
    """The bot has fetched past this update and had a moment to act on it (for things that must not happen)."""
    await until(lambda: update_id in bot.fake.delivered_at)
    await asyncio.sleep(0.5)


async def replies_to(bot: RunningBot, chat_id: int, count: int, timeout: float = 10.0) -> list[str]:
    calls = await bot.fake.wait_for("sendMessage", lambda c: c.params["chat_id"] == chat_id and c.status == 200,
                                    count=count, timeout=timeout)
    return [c.params["text"] for c in calls]


# --- long pastes --------------------------------------------------------------------------------------------------

async def test_a_long_paste_split_by_telegram_becomes_one_article(bot: RunningBot):
    text = "Harbour council report on the ferries\n" + long_story(40)
    first, second = split_like_telegram(f"/add {text}")
    assert len(first) > 4000 and len(second) > 2000

    bot.fake.message(ALICE_CHAT, ALICE, first)
    bot.fake.message(ALICE_CHAT, ALICE, second)
    [confirmation] = await replies_to(bot, ALICE_CHAT["id"], 1)
    await asyncio.sleep(1)  # nothing else is said about the second part

    assert confirmation.startswith("Added <code>harbour-council-report-on-the-ferries</code>")
    assert "(40 paragraphs)" in confirmation and confirmation.endswith("<i>Joined from 2 messages.</i>")
    assert len(bot.fake.sent_to(ALICE_CHAT["id"])) == 1
    answer = await say(bot, "How many new ferries did paragraph 40 of the harbour report count?", BOB, BOB_CHAT)
    assert "280 new ferries" in answer


async def test_a_paste_cut_off_with_no_second_part_is_refused_not_half_added(bot: RunningBot):
    cut = split_like_telegram("/add Harbour council report\n" + long_story(40))[0]
    cut = cut[:cut.rfind(" ")]  # ends mid-sentence
    before = stored(bot)

    reply = await say(bot, cut)

    assert reply.startswith("Could not add this: the text seems cut off.") and ".txt file" in reply
    assert stored(bot) == before


async def test_a_long_text_that_came_too_late_is_not_called_too_long_for_a_question(bot: RunningBot):
    reply = await say(bot, long_story(4))

    assert reply == replies.LONG_TEXT_NOT_JOINED
    assert "too long for a question" not in reply


async def test_a_half_joined_paste_left_by_a_crash_is_finished_at_the_next_start(tmp_path: Path):
    inbox = Inbox.in_dir(tmp_path / "var")
    inbox.open(posts.ADD, ALICE_CHAT["id"], 7, "Harbour report\n" + long_story(17), {"sent": "2025-11-21T10:00:00"},
               "user 1001", ALICE_CHAT["id"])
    inbox.close()

    async with running_bot(tmp_path, admin_ids=ADMINS) as bot:
        [confirmation] = await replies_to(bot, ALICE_CHAT["id"], 1)

    assert confirmation.startswith("Added <code>harbour-report</code>") and "(17 paragraphs)" in confirmation


# --- edits ----------------------------------------------------------------------------------------------------------

async def test_an_admin_editing_an_add_updates_the_article_in_place(bot: RunningBot):
    _, sent = bot.fake.message(ALICE_CHAT, ALICE, "/add Ferry fares\nA single ferry ticket now costs 4 euros.")
    await replies_to(bot, ALICE_CHAT["id"], 1)

    bot.fake.edit(sent, "/add Ferry fares\nA single ferry ticket now costs 5 euros.")
    [_, update] = await replies_to(bot, ALICE_CHAT["id"], 2)
    answer = await say(bot, "How much does a single ferry ticket cost?", BOB, BOB_CHAT)

    assert update.startswith("Updated <code>ferry-fares</code> in place: Ferry fares (1 paragraph)")
    assert "5 euros" in answer and "4 euros" not in answer
    assert list(stored(bot)).count("ferry-fares.md") == 1 and len(stored(bot)) == 4


async def test_an_admin_editing_the_message_an_add_replied_to_updates_the_article(bot: RunningBot):
    _, note = bot.fake.message(ALICE_CHAT, ALICE, "Tram fares\nA single tram ticket now costs 2 euros, the city said.")
    await replies_to(bot, ALICE_CHAT["id"], 1)  # sent alone, it was a question
    bot.fake.message(ALICE_CHAT, ALICE, "/add", reply_to=note)
    [*_, added] = await replies_to(bot, ALICE_CHAT["id"], 2)

    bot.fake.edit(note, "Tram fares\nA single tram ticket now costs 3 euros, the city said.")
    [*_, update] = await replies_to(bot, ALICE_CHAT["id"], 3)
    answer = await say(bot, "How much does a single tram ticket cost?", BOB, BOB_CHAT)

    assert added.startswith("Added <code>tram-fares</code>") and update.startswith("Updated <code>tram-fares</code>")
    assert "3 euros" in answer and "2 euros" not in answer
    assert list(stored(bot)).count("tram-fares.md") == 1


async def test_edits_of_anything_else_are_never_answered(bot: RunningBot):
    _, question = bot.fake.message(BOB_CHAT, BOB, "How many residents were evacuated?")
    await replies_to(bot, BOB_CHAT["id"], 1)

    bot.fake.edit(question, "How many residents of Grindavik were evacuated?")
    admin_id, _ = bot.fake.edit({**question, "chat": ALICE_CHAT, "from": ALICE}, "/add Nothing\nNot an add.")
    await passed(bot, admin_id)

    assert len(bot.fake.sent_to(BOB_CHAT["id"])) == 1 and not bot.fake.sent_to(ALICE_CHAT["id"])


# --- channels -----------------------------------------------------------------------------------------------------

async def test_a_listed_channel_feeds_the_bot_and_an_edited_post_updates_its_article(bot: RunningBot):
    _, post = bot.fake.channel_post(CHANNEL, "Ferry strike ends\nFerry crews returned to work on Tuesday "
                                            "after a two-day strike over pay.", date=1762156800)
    await until(lambda: engine(bot).article("ferry-strike-ends"))
    text = stored(bot)["ferry-strike-ends.md"]
    assert "url: https://t.me/harbourtimes/1" in text and "outlets: Harbour Times" in text
    assert "published: 2025-11-03" in text

    bot.fake.edit(post, "Ferry strike ends\nFerry crews returned to work on Wednesday after a "
                                     "three-day strike over pay.")
    await until(lambda: "three-day" in engine(bot).article("ferry-strike-ends").paragraphs[0].text)
    answer = await say(bot, "When did the ferry crews return to work?", BOB, BOB_CHAT)

    assert "Wednesday" in answer and "Tuesday" not in answer
    assert "three-day" in stored(bot)["ferry-strike-ends.md"] and len(stored(bot)) == 4
    assert not bot.fake.requests("sendMessage", lambda c: c.params["chat_id"] == CHANNEL["id"])  # it never posts


async def test_posts_from_unlisted_channels_are_ignored(bot: RunningBot, caplog):
    bot.fake.channel_post(STRANGER, "Buy now\nThe best offer in town, only today and only here.")
    await until(lambda: "Ignored a post of channel" in caplog.text)

    assert len(stored(bot)) == 3 and not bot.fake.requests("sendMessage")
    assert "Ignored a post of channel -1009999 (@strangers): it is not in CHANNELS" in caplog.text


@pytest.mark.parametrize("post", [
    {"text": ""}, {"photo": [{"file_id": "p", "file_unique_id": "p", "width": 9, "height": 9}]},
    {"text": "\x07" * 4096}, {"text": "\u200b\n" * 100}, {"caption": "", "photo": []},
], ids=["empty", "photo", "control characters", "invisible", "empty caption"])
async def test_hostile_channel_posts_change_nothing_and_break_nothing(bot: RunningBot, post: dict, caplog):
    update_id, _ = bot.fake.channel_post(CHANNEL, **post)
    await passed(bot, update_id)
    answer = await say(bot, "How many residents of Grindavik were evacuated?", BOB, BOB_CHAT)

    assert len(stored(bot)) == 3 and "Traceback" not in caplog.text
    assert "About 4,000 residents" in answer  # the bot still answers


async def test_a_post_of_a_private_channel_is_removed_by_its_link(bot: RunningBot):
    bot.fake.channel_post(PRIVATE_CHANNEL, "Tram strike ends\nTram drivers returned to work on "
                                                          "Monday after a week-long strike.")
    await until(lambda: engine(bot).article("tram-strike-ends"))
    assert "tram-strike-ends.md" in stored(bot) and "url:" not in stored(bot)["tram-strike-ends.md"]

    reply = await say(bot, "/remove https://t.me/c/5678/1")

    assert reply.startswith("Removed <code>tram-strike-ends</code>")
    assert "tram-strike-ends.md" not in stored(bot)


async def test_a_public_post_is_removed_by_its_link(bot: RunningBot):
    bot.fake.channel_post(CHANNEL, "Ferry strike ends\nFerry crews returned to work on Tuesday.")
    await until(lambda: engine(bot).article("ferry-strike-ends"))

    assert (await say(bot, "/remove https://t.me/harbourtimes/1")).startswith("Removed <code>ferry-strike-ends")
    assert (await say(bot, "/remove https://t.me/harbourtimes/99")).startswith("No article came from")


# --- admin tools ----------------------------------------------------------------------------------------------

async def test_remove_by_prefix_by_list_number_and_ambiguity(bot: RunningBot):
    await say(bot, "/add Marathon route changes\nThe marathon route will avoid the old bridge this year.")

    ambiguous = await say(bot, "/remove mara")
    by_prefix = await say(bot, "/remove marathon-r")
    listing = await say(bot, "/list")
    number_two = listing.splitlines()[2].split("<code>")[1].split("</code>")[0]
    by_number = await say(bot, "/remove 2")
    too_far = await say(bot, "/remove 9")

    assert ambiguous.startswith("<code>mara</code> starts 2 ids: <code>marathon</code>, <code>marathon-route")
    assert by_prefix.startswith("Removed <code>marathon-route-changes</code>")
    assert by_number.startswith(f"Removed <code>{number_two}</code>")
    assert too_far == "/list has no number 9 (it has 2). /list shows the numbers and ids."
    assert len(stored(bot)) == 2


async def test_the_remove_button_and_undo_of_an_add(bot: RunningBot):
    reply = await bot.ask(ALICE_CHAT, ALICE, "/add Ferry fares\nA single ferry ticket now costs 4 euros.")
    [[button]] = reply["reply_markup"]["inline_keyboard"]
    message = bot.bot_message(ALICE_CHAT["id"], reply)

    _, forged = bot.fake.press(BOB, {**message, "chat": BOB_CHAT}, button["callback_data"])
    [refused] = await bot.fake.wait_for("answerCallbackQuery", lambda c: c.params["callback_query_id"] == forged)
    assert refused.params["text"] == replies.ADMINS_ONLY and "ferry-fares.md" in stored(bot)

    _, pressed = bot.fake.press(ALICE, message, button["callback_data"])
    [answered] = await bot.fake.wait_for("answerCallbackQuery", lambda c: c.params["callback_query_id"] == pressed)
    assert answered.params["text"] == "Removed" and "ferry-fares.md" not in stored(bot)
    assert (await replies_to(bot, ALICE_CHAT["id"], 2))[1].startswith("Removed <code>ferry-fares</code>")
    assert len(button["callback_data"].encode()) < 64

    assert (await say(bot, "/undo")).startswith("Restored <code>ferry-fares</code>")  # the removal, first
    assert (await say(bot, "/undo")).startswith("Undid the add of <code>ferry-fares</code>")  # then the add
    assert "ferry-fares.md" not in stored(bot)
    assert "couldn't find" in await say(bot, "How much does a single ferry ticket cost?", BOB, BOB_CHAT)


async def test_stats_over_a_window_with_downvoted_answers_and_the_audit_log(bot: RunningBot):
    answered = await bot.ask(BOB_CHAT, BOB, "How many residents of Grindavik were evacuated?")
    [[_, down, *_]] = answered["reply_markup"]["inline_keyboard"]
    _, query_id = bot.fake.press(BOB, bot.bot_message(BOB_CHAT["id"], answered), down["callback_data"])
    await bot.fake.wait_for("answerCallbackQuery", lambda c: c.params["callback_query_id"] == query_id)
    await say(bot, "/remove volcano")

    week = await say(bot, "/stats 7d")
    bad = await say(bot, "/stats yesterday")

    assert week.startswith("<b>Last 7 days</b>\n<b>Corpus</b>: 2 articles")
    assert "<b>Answers voted 👎</b>\n1. How many residents of Grindavik were evacuated? → <code>volcano</code>" in week
    assert f"user {ALICE['id']}: remove <code>volcano</code>" in week
    assert bad == replies.USAGE_STATS


async def test_a_windows_1251_file_is_decoded(bot: RunningBot):
    text = ("Пожар в порту\nВ понедельник в порту произошёл пожар, пострадавших нет, сообщили спасатели.\n"
            "Источник: ТАСС\nОпубликовано: 3 ноября 2025")
    reply = await say(bot, None, document=document(bot, "pozhar.txt", text.encode("cp1251")))

    assert reply.startswith("Added <code>пожар-в-порту</code>: Пожар в порту (1 paragraph)")
    assert "  Outlets: ТАСС\n  Date: 2025-11-03" in reply


async def test_a_link_with_words_around_it_is_still_a_link(tmp_path: Path):
    site = Site()
    try:
        async with running_bot(tmp_path, admin_ids=ADMINS, allow_private_urls=True) as bot:
            reply = await say(bot, f"/add see this {site.url} (from this morning)")
    finally:
        site.close()

    assert reply.startswith("Added <code>captured-north-korean-soldiers-ask-to-go-to-seoul</code>")
    assert site.hits == 1


async def test_an_unknown_host_is_explained_in_words(bot: RunningBot):
    started = time.monotonic()
    reply = await say(bot, "/add https://no-such-host.invalid/story")

    assert reply.startswith("Could not add this: there is no site called no-such-host.invalid (check the link")
    assert "Errno" not in reply and time.monotonic() - started < 10
