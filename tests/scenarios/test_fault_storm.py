"""A fault storm: the bot answers questions from several chats while the fake Bot API server answers a share of
sendMessage, sendChatAction and getUpdates calls with 429, 500, 502, a response slower than the bot's read
timeout, or a dropped connection. Once the storm is over every question has exactly one answer, a chat that
blocked the bot got one attempt and no retry, and the bot still answers. Run with -s for the counts.

In a group the bot replies to the question (reply_parameters), so answers are matched by the message replied
to; in a private chat it does not quote, so there each question (all different) must get one answer of its own."""
from __future__ import annotations

from collections import Counter

import pytest

from bot.tg import app as telegram_app
from bot.tg import progress, ratelimit
from tests.support.fake_telegram import Call, request_key
from tests.support.telegram_harness import GROUP, VOLCANO_QUESTION, running_bot

READ_TIMEOUT = 1.0  # the bot's, shortened so a "slow" fault costs a second, not five
QUESTIONS = (VOLCANO_QUESTION, "Did the walls around the power plant hold?", "How fast was the marathon winner?",
             "Who approved the merger?")
PEOPLE = [({"id": 2000 + n, "is_bot": False, "first_name": f"P{n}"},
           {"id": 2000 + n, "type": "private", "first_name": f"P{n}"}) for n in range(6)]
BLOCKER = ({"id": 2999, "is_bot": False, "first_name": "Gone"}, {"id": 2999, "type": "private", "first_name": "Gone"})
EVERYTHING = ("429", "500", "502", "slow", "drop")


def _replied_to(call: Call) -> int | None:
    reply = call.params.get("reply_parameters") or {}
    return reply.get("message_id", call.params.get("reply_to_message_id"))


def _delivered(fake, chat_id: int) -> list[Call]:
    return fake.requests("sendMessage", lambda c: c.params["chat_id"] == chat_id and c.status == 200)


@pytest.fixture
def short_timeouts(monkeypatch):
    monkeypatch.setattr(telegram_app, "READ_TIMEOUT", READ_TIMEOUT)
    monkeypatch.setattr(ratelimit, "NETWORK_BACKOFF", 0.2)
    monkeypatch.setattr(progress, "TYPING_AFTER", 0)  # "typing…" for every question: it meets faults too


async def test_every_question_gets_exactly_one_answer_through_a_fault_storm(tmp_path, short_timeouts):
    async with running_bot(tmp_path, user_rate_limit=100) as bot:
        fake = bot.fake
        fake.storm("sendMessage", 0.5, EVERYTHING, seed=1, delay=READ_TIMEOUT + 2)
        fake.storm("sendChatAction", 0.5, EVERYTHING, seed=2, delay=READ_TIMEOUT + 2)
        fake.storm("getUpdates", 0.5, ("429", "500", "502", "drop"), seed=3, max_per_request=1, budget=3)
        fake.blocked_chats.add(BLOCKER[1]["id"])

        updates: list[int] = []
        group_asks: list[int] = []  # message ids of the questions asked in the group
        for question in QUESTIONS:
            for user, chat in PEOPLE:
                updates.append(fake.message(chat, user, question)[0])
        for user, _ in PEOPLE[:4]:
            update_id, message = fake.message(GROUP, user, f"/ask {VOLCANO_QUESTION}")
            updates.append(update_id)
            group_asks.append(message["message_id"])
        updates.append(fake.message(BLOCKER[1], BLOCKER[0], VOLCANO_QUESTION)[0])

        def all_answered() -> bool:
            return (all(len(_delivered(fake, chat["id"])) >= len(QUESTIONS) for _, chat in PEOPLE)
                    and len(_delivered(fake, GROUP["id"])) >= len(group_asks))

        await fake.wait_until(all_answered, timeout=15)
        for update_id in updates:
            await bot.processed(update_id, timeout=10)  # no retry is still under way
        storm_calls = list(fake.calls)
        fake.calm()
        after = await bot.ask(*reversed(PEOPLE[0]), VOLCANO_QUESTION)

    sends = [c for c in storm_calls if c.method == "sendMessage"]
    retries = len(sends) - len({request_key(c.method, c.params) for c in sends})  # same chat, reply and text
    retryable = sum(1 for c in sends if c.fault and c.fault != "403")
    injected = Counter(c.fault for c in storm_calls if c.fault)
    answered = sum(1 for c in storm_calls if c.method == "sendMessage" and c.status == 200)
    print(f"\nfault storm: {len(updates)} questions ({len(PEOPLE)} private chats, 1 group, 1 chat that blocked "
          f"the bot), {answered} answers, injected {dict(sorted(injected.items()))} "
          f"= {sum(injected.values())} faults, by method {dict(Counter(c.method for c in storm_calls if c.fault))}, "
          f"{retries} sendMessage retries, {len(fake.requests('getUpdates'))} getUpdates calls")

    for _, chat in PEOPLE:
        texts = [c.params["text"] for c in _delivered(fake, chat["id"])]
        assert len(texts) == len(QUESTIONS) + (chat is PEOPLE[0][1]), texts  # + the one after the storm
        assert len(set(texts[:len(QUESTIONS)])) == len(QUESTIONS)  # one answer per question, none doubled
    assert sorted(_replied_to(c) for c in _delivered(fake, GROUP["id"])) == group_asks  # one reply to each
    assert answered == len(updates) - 1  # every question but the blocked chat's, exactly once
    assert retries == retryable  # each 429/5xx/timeout/drop was retried once more, nothing else was
    blocked = fake.requests("sendMessage", lambda c: c.params["chat_id"] == BLOCKER[1]["id"])
    statuses = [c.status for c in blocked]
    assert statuses[-1] == 403 and statuses.count(403) == 1  # refused: final, never retried
    assert set(EVERYTHING) <= set(injected)
    assert any(c.fault for c in storm_calls if c.method == "getUpdates")
    assert "<b>About 4,000 residents" in after["text"]  # and the bot still answers


async def test_queued_faults_are_retried_in_order_and_403_is_final(tmp_path, short_timeouts):
    async with running_bot(tmp_path) as bot:
        fake = bot.fake
        fake.hang("sendMessage", delay=READ_TIMEOUT + 2)
        fake.drop("sendMessage")
        fake.fail("sendMessage", 502, "Bad Gateway")
        reply = await bot.ask(PEOPLE[1][1], PEOPLE[1][0], VOLCANO_QUESTION)
        fake.block("sendMessage")
        update_id, _ = fake.message(BLOCKER[1], BLOCKER[0], VOLCANO_QUESTION)
        await bot.processed(update_id)

    assert [(c.status, c.fault) for c in fake.requests("sendMessage")] == [
        (0, "slow"), (0, "drop"), (502, "502"), (200, None), (403, "403")]
    assert "<b>About 4,000 residents" in reply["text"]
    assert fake.injected == Counter({"slow": 1, "drop": 1, "502": 1, "403": 1})


BUTTON_METHODS = ("answerCallbackQuery", "editMessageText", "editMessageReplyMarkup")


async def test_button_presses_survive_faults_on_callback_answers_and_edits(tmp_path, short_timeouts, caplog):
    """Paging and votes while answers to presses and message edits fail: every press is answered exactly once,
    the message ends up showing what was pressed last, the vote is stored once, and nothing is logged as a crash."""
    chat, person = PEOPLE[2][1], PEOPLE[2][0]
    presses = [("More answers (2/3)", 2), ("More answers (3/3)", 3), ("↩ Best answer", 1), ("👍", 1),
               ("👎", 1), ("More answers (2/3)", 2)]
    async with running_bot(tmp_path, user_rate_limit=100) as bot:
        fake = bot.fake
        reply = await bot.ask(chat, person, "marathon")
        message_id = bot.bot_message(chat["id"], reply)["message_id"]
        for seed, method in enumerate(BUTTON_METHODS):
            fake.storm(method, 0.6, EVERYTHING, seed=30 + seed, delay=READ_TIMEOUT + 2)
        queries, pages, retries = [], [], 0
        for label, page in presses:
            before = len(fake.calls)
            message = fake.messages[chat["id"], message_id]
            data = {b["text"]: b["callback_data"] for row in message["reply_markup"]["inline_keyboard"] for b in row}
            update_id, query_id = fake.press(person, message, data[label])
            await bot.processed(update_id, timeout=20)  # the handler is done, retries included
            queries.append(query_id)
            pages.append((f"Answer {page} of 3" in fake.messages[chat["id"], message_id]["text"], label))
            this_press = [c for c in fake.calls[before:] if c.method in BUTTON_METHODS]
            retries += len(this_press) - len({request_key(c.method, c.params) for c in this_press})
        storm_calls = list(fake.calls)
        final = fake.messages[chat["id"], message_id]
        votes = bot.store.votes()

    button_calls = [c for c in storm_calls if c.method in BUTTON_METHODS]
    injected = Counter(c.fault for c in button_calls if c.fault)
    print(f"\nbutton faults: {len(presses)} presses, injected {dict(sorted(injected.items()))} by method "
          f"{dict(Counter(c.method for c in button_calls if c.fault))}, {retries} retries")

    answered = Counter(c.params["callback_query_id"] for c in storm_calls
                       if c.method == "answerCallbackQuery" and c.status == 200)
    assert [answered[q] for q in queries] == [1] * len(presses)  # every press answered, exactly once
    assert pages == [(True, label) for label, _ in presses]  # each edit landed despite the faults
    assert retries == sum(1 for c in button_calls if c.fault)  # each fault retried once more, nothing else
    assert sum(injected.values()) >= 4 and len(injected) >= 3
    assert {c.method for c in button_calls if c.fault} == set(BUTTON_METHODS)
    [vote] = votes
    assert (vote.user_id, vote.up) == (person["id"], False)  # changed its mind once: one vote, the last one
    assert "More answers (3/3)" in str(final["reply_markup"])
    assert "Traceback" not in caplog.text
