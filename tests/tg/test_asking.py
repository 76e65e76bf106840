"""Asking the bot through the fake Bot API: private chats, groups, forum topics, inline mode, commands."""
from __future__ import annotations

import time

import pytest

from bot.models import Answer, Article, Paragraph
from bot.search.engine import Engine
from bot.tg import progress
from bot.tg.state import STATE
from tests.support.fake_telegram import FakeTelegram
from tests.support.telegram_harness import (
    ALICE,
    ALICE_CHAT,
    ARTICLES,
    BOB,
    FORUM,
    GROUP,
    VOLCANO_QUESTION,
    RunningBot,
    running_bot,
)


@pytest.fixture
async def bot(tmp_path):
    async with running_bot(tmp_path) as running:
        yield running


def username(fake: FakeTelegram) -> str:
    return fake.bot_user["username"]


async def test_private_question_gets_passage_with_bold_sentence_and_source(bot: RunningBot):
    reply = await bot.ask(ALICE_CHAT, ALICE, VOLCANO_QUESTION)

    assert reply["parse_mode"] == "HTML"
    assert "<b>About 4,000 residents of Grindavik were evacuated before the eruption.</b>" in reply["text"]
    assert ('📰 <a href="https://news.example/volcano?id=1&amp;lang=en">Volcano erupts near Reykjavik</a>'
            " · RÚV, Reuters · 17 Mar 2024") in reply["text"]
    assert reply["link_preview_options"] == {"is_disabled": True}
    assert "reply_parameters" not in reply  # no need to quote in a one-to-one chat
    buttons = [b["text"] for row in reply["reply_markup"]["inline_keyboard"] for b in row]
    assert buttons[:2] == ["👍", "👎"]
    assert bot.fake.requests("sendChatAction") == []  # answered in milliseconds: no "typing…" needed


async def test_a_misspelt_word_is_read_as_the_corpus_spells_it_and_the_reply_says_so(bot: RunningBot):
    reply = await bot.ask(ALICE_CHAT, ALICE, "How many residents of <Grindavk> were evacuated?")

    assert reply["text"].startswith("<i>Read “grindavk” as “grindavik”.</i>\n\n")
    assert "<b>About 4,000 residents of Grindavik were evacuated before the eruption.</b>" in reply["text"]
    plain = await bot.ask(ALICE_CHAT, ALICE, VOLCANO_QUESTION)
    assert "Read" not in plain["text"]


async def test_a_slow_answer_shows_typing_first(tmp_path, monkeypatch):
    class Slow(Engine):
        def ask(self, question: str, limit: int = 5, **kwargs) -> Answer:
            time.sleep(0.5)
            return super().ask(question, limit, **kwargs)

    async with running_bot(tmp_path) as bot:
        state = bot.app.bot_data[STATE]
        state.engine = Slow(state.engine.articles)
        reply = await bot.ask(ALICE_CHAT, ALICE, VOLCANO_QUESTION)

    [typing] = bot.fake.requests("sendChatAction")
    [answer] = bot.fake.requests("sendMessage")
    assert typing.params == {"chat_id": ALICE_CHAT["id"], "action": "typing"}
    assert typing.at < answer.at and "<b>About 4,000 residents" in reply["text"]


async def test_html_special_characters_in_an_article_arrive_escaped(bot: RunningBot):
    reply = await bot.ask(ALICE_CHAT, ALICE, "What did regulators approve?")

    assert "AT&amp;T and &lt;Telecom&gt;" in reply["text"]
    assert "5 &lt; 6 dollars &amp; cents" in reply["text"]
    assert "AT&amp;T &lt;Telecom&gt; merger approved</a> · Wire &amp; Co" in reply["text"]
    assert "<Telecom>" not in reply["text"]


async def test_not_found_is_one_friendly_line_with_a_hint(bot: RunningBot):
    reply = await bot.ask(ALICE_CHAT, ALICE, "Who won the football cup?")

    assert "\n" not in reply["text"]
    assert "couldn't find" in reply["text"] and "/sources" in reply["text"] and "3 articles" in reply["text"]
    assert "reply_markup" not in reply
    [logged] = bot.stored("SELECT question, found FROM questions")
    assert logged == ("Who won the football cup?", 0)


@pytest.mark.parametrize("text", ["/ask How many residents of Grindavik were evacuated?",
                                  "/ask@NewsTestBot How many residents of Grindavik were evacuated?"])
async def test_group_ask_command_replies_quoting_the_asker(bot: RunningBot, text: str):
    update_id, question = bot.fake.message(GROUP, ALICE, text)
    [call] = await bot.fake.wait_for("sendMessage", lambda c: c.params["chat_id"] == GROUP["id"])

    assert "<b>About 4,000 residents" in call.params["text"]
    assert call.params["reply_parameters"]["message_id"] == question["message_id"]
    assert call.params["reply_parameters"]["allow_sending_without_reply"] is True


async def test_group_mention_is_stripped_from_the_question(bot: RunningBot):
    reply = await bot.ask(GROUP, ALICE, f"@{username(bot.fake)}, how many residents of Grindavik were evacuated?")

    assert "<b>About 4,000 residents" in reply["text"]
    [logged] = bot.stored("SELECT question, via FROM questions")
    assert logged == ("how many residents of Grindavik were evacuated?", "mention")


async def test_group_reply_to_the_bot_is_a_question(bot: RunningBot):
    first = await bot.ask(GROUP, ALICE, "/ask What did regulators approve?")
    reply = await bot.ask(GROUP, BOB, VOLCANO_QUESTION, reply_to=bot.bot_message(GROUP["id"], first))

    assert "<b>About 4,000 residents" in reply["text"]


async def test_group_chatter_and_other_bots_commands_are_ignored(bot: RunningBot):
    chatter = [
        VOLCANO_QUESTION,                                     # not addressed to the bot
        "/ask@OtherBot How many residents were evacuated?",   # another bot's command
        "@someone_else how many residents were evacuated?",   # mentions somebody else
    ]
    for text in chatter:
        update_id, _ = bot.fake.message(GROUP, ALICE, text)
        await bot.processed(update_id)
    update_id, _ = bot.fake.message(GROUP, BOB, "hello", reply_to={
        "message_id": 1, "date": int(time.time()), "chat": GROUP, "from": BOB, "text": "reply to a human"})
    await bot.processed(update_id)

    assert bot.fake.sent_to(GROUP["id"]) == []
    assert bot.fake.requests("sendChatAction") == []


async def test_a_mention_that_finds_nothing_gets_a_short_not_found(bot: RunningBot):
    reply = await bot.ask(GROUP, ALICE, f"@{username(bot.fake)} who won the world cup")

    assert reply["text"] == "Sorry, I couldn't find that in my 3 articles."
    assert bot.fake.requests("sendChatAction") == []  # no "typing…" for what may be chatter
    assert bot.stored("SELECT question, found, via FROM questions") == [("who won the world cup", 0, "mention")]


async def test_a_reply_to_the_bot_that_finds_nothing_gets_a_short_not_found(bot: RunningBot):
    first = await bot.ask(GROUP, ALICE, "/ask What did regulators approve?")
    reply = await bot.ask(GROUP, BOB, "and who won the world cup?", reply_to=bot.bot_message(GROUP["id"], first))

    assert reply["text"] == "Sorry, I couldn't find that in my 3 articles."


async def test_a_bare_mention_gets_how_to_ask(bot: RunningBot):
    reply = await bot.ask(GROUP, ALICE, f"@{username(bot.fake)}")

    assert reply["text"] == "Ask me like this: <code>@NewsTestBot Who won the election?</code>"


async def test_thanks_in_reply_to_the_bots_answer_stays_quiet_in_a_group(bot: RunningBot):
    first = await bot.ask(GROUP, ALICE, f"/ask {VOLCANO_QUESTION}")
    for text in ["thanks!", "lol", "👍", "ok thanks bot"]:
        update_id, _ = bot.fake.message(GROUP, BOB, text, reply_to=bot.bot_message(GROUP["id"], first))
        await bot.processed(update_id)

    assert len(bot.fake.sent_to(GROUP["id"])) == 1  # the first answer only
    assert len(bot.stored("SELECT * FROM questions")) == 1  # chat is not a question


@pytest.mark.parametrize(("text", "line"), [("@NewsTestBot hi", "Hi! 👋"), ("/ask thanks", "You're welcome!"),
                                            ("@NewsTestBot lol nice one", "😄")])
async def test_small_talk_addressed_to_the_bot_in_a_group_gets_a_short_line(bot: RunningBot, text: str, line: str):
    reply = await bot.ask(GROUP, ALICE, text)

    assert reply["text"] == line and "reply_markup" not in reply


async def test_who_are_you_in_a_group_says_how_to_ask_there(bot: RunningBot):
    reply = await bot.ask(GROUP, ALICE, "@NewsTestBot who are you?")

    assert "answers questions about the news" in reply["text"]
    assert "/ask your question" in reply["text"] and "mention @NewsTestBot" in reply["text"]


@pytest.mark.parametrize(("text", "line"), [
    ("thanks", "You're welcome!"), ("thank you!", "You're welcome!"), ("hi", "Hi! 👋"), ("Hello", "Hi! 👋"),
    ("good morning", "Hi! 👋"), ("ok", "👍"), ("lol", "😄"), ("🙏", "🙂"), ("спасибо", "You're welcome!"),
    ("who are you?", "I'm a bot that answers questions about the news"),
    ("what can you do", "I'm a bot that answers questions about the news"),
])
async def test_small_talk_in_private_gets_a_friendly_line_and_a_hint_never_a_passage(bot: RunningBot, text: str,
                                                                                      line: str):
    reply = await bot.ask(ALICE_CHAT, ALICE, text)

    assert reply["text"].startswith(line)
    assert "Ask me about the news, e.g. <i>" in reply["text"] and "/help" in reply["text"]
    assert "reply_markup" not in reply and "📰" not in reply["text"] and "Read “" not in reply["text"]
    assert bot.stored("SELECT * FROM questions") == []


async def test_ignored_group_messages_do_not_count_towards_the_rate_limit(tmp_path):
    async with running_bot(tmp_path, user_rate_limit=2, user_rate_window=60) as bot:
        first = await bot.ask(GROUP, ALICE, f"/ask {VOLCANO_QUESTION}")
        for text in ["thanks!", "ok", "haha"]:  # chatter in reply to the bot: ignored
            update_id, _ = bot.fake.message(GROUP, ALICE, text, reply_to=bot.bot_message(GROUP["id"], first))
            await bot.processed(update_id)
        second = await bot.ask(GROUP, ALICE, "/ask What did regulators approve?")

        assert "Regulators approved" in second["text"]  # the second question of two allowed
        third = await bot.ask(GROUP, ALICE, "/ask marathon")
        assert third["text"].startswith("You're asking faster than I can keep up")


async def test_help_in_a_group_explains_ask_and_mentions(bot: RunningBot):
    reply = await bot.ask(GROUP, ALICE, "/help")

    assert "just send your question" not in reply["text"].split("In a private chat")[0]
    assert "• Here: <code>/ask your question</code>, mention @NewsTestBot" in reply["text"]
    private = await bot.ask(ALICE_CHAT, ALICE, "/help")
    assert "• Here: just send your question." in private["text"]


async def test_a_long_passage_arrives_folded_around_its_bold_sentence(tmp_path):
    filler = " ".join(f"Paragraph filler sentence number {n} talks about the weather in general terms." for n in
                      range(40))
    long = Article(id="long", title="Harbour bridge reopens", paragraphs=(Paragraph(
        f"{filler} The harbour bridge reopened on Monday after eight months of repairs. {filler}"),))
    async with running_bot(tmp_path, articles=[*ARTICLES, long]) as bot:
        reply = await bot.ask(ALICE_CHAT, ALICE, "When did the harbour bridge reopen?")

    text = reply["text"]
    assert "</blockquote>\n<b>The harbour bridge reopened on Monday after eight months of repairs.</b>\n" in text
    assert text.count("<blockquote expandable>") == 2 and len(text) <= 4096


async def test_active_group_ask_without_question_explains_usage(bot: RunningBot):
    reply = await bot.ask(GROUP, ALICE, "/ask")

    assert "/ask Who won the election?" in reply["text"]


async def test_forum_topic_answer_stays_in_the_topic(bot: RunningBot, monkeypatch):
    monkeypatch.setattr(progress, "TYPING_AFTER", 0)  # "typing…" too goes to the topic
    reply = await bot.ask(FORUM, ALICE, f"/ask {VOLCANO_QUESTION}", thread_id=77)

    assert reply["message_thread_id"] == 77
    typing = bot.fake.requests("sendChatAction", lambda c: c.params["chat_id"] == FORUM["id"])
    assert typing[0].params["message_thread_id"] == 77


async def test_inline_query_offers_top_passages_with_sources(bot: RunningBot):
    _, query_id = bot.fake.inline(ALICE, "marathon")
    [call] = await bot.fake.wait_for("answerInlineQuery")

    assert call.params["inline_query_id"] == query_id
    results = call.params["results"]
    assert len(results) == 3 and len({r["id"] for r in results}) == 3
    for result in results:
        assert result["title"] == "Record crowd at city marathon"
        content = result["input_message_content"]
        assert content["parse_mode"] == "HTML" and "<b>" in content["message_text"]
        assert "📰 Record crowd at city marathon · City Paper" in content["message_text"]


async def test_inline_query_too_short_or_not_found_offers_help(bot: RunningBot):
    bot.fake.inline(ALICE, "wh")
    bot.fake.inline(ALICE, "football cup winners")
    calls = await bot.fake.wait_for("answerInlineQuery", count=2)

    for call in calls:
        assert call.params["results"] == []
        assert call.params["button"]["start_parameter"] == "help"


async def test_start_and_help_say_what_the_bot_knows(bot: RunningBot):
    for command in ["/start", "/help"]:
        reply = await bot.ask(ALICE_CHAT, ALICE, command)
        assert "<b>3 articles</b> (7 passages)" in reply["text"]
        assert "• Volcano erupts near Reykjavik" in reply["text"]
        assert "AT&amp;T &lt;Telecom&gt; merger approved" in reply["text"]
        assert "@NewsTestBot" in reply["text"]


async def test_commands_are_registered_per_scope(bot: RunningBot):
    private = [c["command"] for c in bot.fake.commands["all_private_chats"]]
    groups = [c["command"] for c in bot.fake.commands["all_group_chats"]]
    assert private == ["help", "sources"]
    assert groups == ["ask", "help", "sources"]


async def test_stale_messages_are_skipped(bot: RunningBot):
    bot.fake.message(ALICE_CHAT, ALICE, VOLCANO_QUESTION, date=time.time() - 3600)
    reply = await bot.ask(ALICE_CHAT, ALICE, "What did regulators approve?")

    assert "Regulators approved" in reply["text"]
    assert len(bot.fake.sent_to(ALICE_CHAT["id"])) == 1  # the hour-old question got no answer


@pytest.mark.parametrize("extra", [
    {"sticker": {"file_id": "s1", "file_unique_id": "s1", "type": "regular", "width": 512, "height": 512,
                 "is_animated": False, "is_video": False}},
    {"photo": [{"file_id": "p1", "file_unique_id": "p1", "width": 90, "height": 90}]},
])
async def test_non_text_in_private_gets_a_short_hint(bot: RunningBot, extra: dict):
    bot.fake.message(ALICE_CHAT, ALICE, **extra)
    [call] = await bot.fake.wait_for("sendMessage")

    assert call.params["text"].startswith("I can only read text.")


async def test_photo_caption_is_a_question(bot: RunningBot):
    bot.fake.message(ALICE_CHAT, ALICE, caption=VOLCANO_QUESTION,
                     photo=[{"file_id": "p1", "file_unique_id": "p1", "width": 90, "height": 90}])
    [call] = await bot.fake.wait_for("sendMessage")

    assert "<b>About 4,000 residents" in call.params["text"]


async def test_long_noise_and_unknown_commands_get_short_clear_replies(bot: RunningBot):
    noise = await bot.ask(ALICE_CHAT, ALICE, "zq" * 2000)
    unknown = await bot.ask(ALICE_CHAT, ALICE, "/frobnicate")
    gibberish = await bot.ask(ALICE_CHAT, ALICE, "asdkjh qwe zxcv !!!")

    assert noise["text"].startswith("That's too long for a question.")
    assert unknown["text"].startswith("I don't know that command.")
    assert gibberish["text"].startswith("Sorry, I couldn't find that")


async def test_files_are_fetched_through_the_configured_file_url(bot: RunningBot):
    bot.fake.files["doc1"] = b"article text"
    file = await bot.app.bot.get_file("doc1")

    assert file.file_path.startswith(bot.settings.telegram_api_file_url)
    assert await file.download_as_bytearray() == bytearray(b"article text")


async def test_a_common_word_is_not_read_as_a_corpus_word(tmp_path):
    tanks = Article(id="tanks", title="Tanks roll into the border town",
                    paragraphs=(Paragraph("Witnesses counted 77 tanks on the main road on Friday morning."),))
    volcano, merger, _ = ARTICLES  # not the marathon article: it "thanked" volunteers
    async with running_bot(tmp_path, articles=[volcano, merger, tanks]) as bot:
        reply = await bot.ask(ALICE_CHAT, ALICE, "thanks! how many tanks were on the road?")
        typo = await bot.ask(ALICE_CHAT, ALICE, "how many tansk were on the road?")

    assert "<b>Witnesses counted 77 tanks" in reply["text"] and "Read" not in reply["text"]
    assert typo["text"].startswith("<i>Read “tansk” as “tanks”.</i>")  # a real typo still is one
