"""Inline buttons through the fake Bot API: "More answers" paging, 👍/👎 feedback, /sources pages, bad data."""
from __future__ import annotations

from datetime import date

import pytest

from bot.models import Article, Paragraph
from tests.support.telegram_harness import (
    ALICE,
    ALICE_CHAT,
    ARTICLES,
    BOB,
    BOB_CHAT,
    GROUP,
    RunningBot,
    buttons,
    running_bot,
)


@pytest.fixture
async def bot(tmp_path):
    async with running_bot(tmp_path) as running:
        yield running



async def test_more_answers_pages_through_candidates_in_the_same_message(bot: RunningBot):
    reply = await bot.ask(ALICE_CHAT, ALICE, "marathon")
    message = bot.bot_message(ALICE_CHAT["id"], reply)
    assert "Answer 1 of 3" in reply["text"]
    seen = [reply["text"]]

    for expected in ["More answers (2/3)", "More answers (3/3)", "↩ Best answer"]:
        data = buttons(message)[expected]
        assert len(data.encode()) <= 64
        await bot.press(ALICE, message, data)
        message = bot.fake.messages[ALICE_CHAT["id"], message["message_id"]]
        seen.append(message["text"])

    assert [f"Answer {n} of 3" in text for n, text in zip([1, 2, 3, 1], seen, strict=True)] == [True] * 4
    assert len(set(seen[:3])) == 3 and seen[3] == seen[0]
    assert len(bot.fake.sent_to(ALICE_CHAT["id"])) == 1  # paging edits, never posts


async def test_votes_are_stored_with_question_and_passage_shown(bot: RunningBot):
    reply = await bot.ask(ALICE_CHAT, ALICE, "marathon")
    message = bot.bot_message(ALICE_CHAT["id"], reply)
    await bot.press(ALICE, message, buttons(message)["More answers (2/3)"])
    message = bot.fake.messages[ALICE_CHAT["id"], message["message_id"]]

    answered = await bot.press(ALICE, message, buttons(message)["👎"])
    message = bot.fake.messages[ALICE_CHAT["id"], message["message_id"]]
    assert answered["text"] == "Thanks for the feedback!"
    assert "👎 ✓" in buttons(message)
    await bot.press(ALICE, message, buttons(message)["👍"])  # changing one's mind

    [vote] = bot.store.votes()
    shown_text = bot.fake.messages[ALICE_CHAT["id"], message["message_id"]]["text"]
    assert (vote.question, vote.user_id, vote.up, vote.article_id) == ("marathon", ALICE["id"], True, "marathon")
    assert vote.passage.split(",")[0] in shown_text  # the passage on screen, not the best one


async def test_votes_from_several_group_members_are_kept_apart(bot: RunningBot):
    reply = await bot.ask(GROUP, ALICE, "/ask What did regulators approve?")
    message = bot.bot_message(GROUP["id"], reply)
    await bot.press(ALICE, message, buttons(message)["👍"])
    await bot.press(BOB, message, buttons(message)["👎"])

    assert sorted((v.user_id, v.up) for v in bot.store.votes()) == [(ALICE["id"], True), (BOB["id"], False)]


def vote_labels(bot: RunningBot, message: dict) -> list[str]:
    message = bot.fake.messages[message["chat"]["id"], message["message_id"]]
    return [label for label in buttons(message) if label[0] in "👍👎"]


async def test_in_a_group_the_vote_buttons_show_counts_not_one_persons_tick(bot: RunningBot):
    reply = await bot.ask(GROUP, ALICE, "/ask marathon")
    message = bot.bot_message(GROUP["id"], reply)
    up = buttons(message)["👍"]
    await bot.press(ALICE, message, up)
    assert vote_labels(bot, message) == ["👍 1", "👎"]
    await bot.press(BOB, message, up)
    assert vote_labels(bot, message) == ["👍 2", "👎"]
    await bot.press(BOB, message, buttons(message)["👎"])  # Bob changes his mind
    assert vote_labels(bot, message) == ["👍 1", "👎 1"]

    more = bot.fake.messages[GROUP["id"], message["message_id"]]
    await bot.press(BOB, message, buttons(more)["More answers (2/3)"])  # the next passage has votes of its own
    assert vote_labels(bot, message) == ["👍", "👎"]
    for data in buttons(bot.fake.messages[GROUP["id"], message["message_id"]]).values():
        assert len(data.encode()) < 64


async def test_in_a_private_chat_the_chosen_vote_is_ticked(bot: RunningBot):
    reply = await bot.ask(ALICE_CHAT, ALICE, "marathon")
    message = bot.bot_message(ALICE_CHAT["id"], reply)
    await bot.press(ALICE, message, buttons(message)["👍"])
    assert vote_labels(bot, message) == ["👍 ✓", "👎"]


async def test_more_answers_offers_only_related_passages_and_says_when_there_are_no_more(bot: RunningBot):
    """The marathon article has two more paragraphs (the winner's time, volunteers): neither says how many
    finished, though both are about the marathon."""
    question = "How many runners finished the marathon?"
    reply = await bot.ask(ALICE_CHAT, ALICE, question)
    assert "<b>More than 30,000 runners finished" in reply["text"]
    assert list(buttons(reply)) == ["👍", "👎"] and "Answer 1 of" not in reply["text"]
    assert len(bot.app.bot_data["state"].engine.rank(question, 5).ranked) == 3  # what the gate left out

    reply = await bot.ask(ALICE_CHAT, ALICE, "marathon")
    message = bot.bot_message(ALICE_CHAT["id"], reply)
    for label in ["More answers (2/3)", "More answers (3/3)"]:
        current = bot.fake.messages[ALICE_CHAT["id"], message["message_id"]]
        await bot.press(ALICE, message, buttons(current)[label])
    last = bot.fake.messages[ALICE_CHAT["id"], message["message_id"]]
    assert last["text"].endswith("<i>Answer 3 of 3 · no more answers</i>")
    assert "↩ Best answer" in buttons(last)


@pytest.mark.parametrize("data", [
    "garbage", "", "a:1", "a:-1:0", "a:999999:0", "v:999999:0:1", "v:1:0:2", "a:1:0:extra", "x" * 64,
    "a:1:99",  # question 1 exists but has no 100th candidate
])
async def test_forged_or_stale_button_data_is_answered_politely(bot: RunningBot, data: str):
    reply = await bot.ask(ALICE_CHAT, ALICE, "marathon")
    message = bot.bot_message(ALICE_CHAT["id"], reply)

    answered = await bot.press(ALICE, message, data)

    assert answered["text"] == "This button has expired. Please ask your question again."
    assert bot.fake.requests("editMessageText") == [] and bot.store.votes() == []


async def test_buttons_cannot_reach_another_chats_question(bot: RunningBot):
    reply = await bot.ask(ALICE_CHAT, ALICE, "marathon")
    alice_message = bot.bot_message(ALICE_CHAT["id"], reply)
    bob_reply = await bot.ask(BOB_CHAT, BOB, "What did regulators approve?")
    bob_message = bot.bot_message(BOB_CHAT["id"], bob_reply)

    # Bob's client replays Alice's payloads under his own message
    for data in buttons(alice_message).values():
        answered = await bot.press(BOB, bob_message, data)
        assert answered["text"].startswith("This button has expired")
    assert bot.store.votes() == []


async def test_more_answers_survive_a_restart(tmp_path):
    async with running_bot(tmp_path) as first:
        reply = await first.ask(ALICE_CHAT, ALICE, "marathon")
        message = first.bot_message(ALICE_CHAT["id"], reply)
    async with running_bot(tmp_path / "again", data_dir=tmp_path / "var") as second:
        second.fake.messages[ALICE_CHAT["id"], message["message_id"]] = message
        await second.press(ALICE, message, buttons(message)["More answers (2/3)"])
        [edit] = second.fake.requests("editMessageText")
        assert "Answer 2 of 3" in edit.params["text"]


async def test_sources_are_listed_in_pages(tmp_path):
    many = [Article(id=f"a{n:02}", title=f"Story number {n}", paragraphs=(Paragraph(f"Text {n}."),))
            for n in range(23)]
    async with running_bot(tmp_path, articles=[*ARTICLES, *many]) as bot:
        reply = await bot.ask(ALICE_CHAT, ALICE, "/sources")
        message = bot.bot_message(ALICE_CHAT["id"], reply)
        assert "page 1 of 3" in reply["text"] and list(buttons(reply)) == ["Next ›"]
        assert f"\n1. Story number 0 — added on {date.today():%-d %b %Y}\n" in reply["text"]

        await bot.press(ALICE, message, buttons(message)["Next ›"])
        message = bot.fake.messages[ALICE_CHAT["id"], message["message_id"]]
        assert "page 2 of 3" in message["text"] and "\n11. Story number 10 — added on" in message["text"]
        assert list(buttons(message)) == ["‹ Previous", "Next ›"]

        await bot.press(ALICE, message, "s:999")  # stale or forged: the last real page
        message = bot.fake.messages[ALICE_CHAT["id"], message["message_id"]]
        assert "page 3 of 3" in message["text"] and list(buttons(message)) == ["‹ Previous"]
        assert ('25. <a href="https://news.example/merger">AT&amp;T &lt;Telecom&gt; merger approved</a>'
                " — Wire &amp; Co · 2 May 2024") in message["text"]
