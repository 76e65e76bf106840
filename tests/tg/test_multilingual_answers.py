"""A Russian and an Arabic user ask in their languages through the fake Bot API (real HTTP) and get the passage
of the article in their language, with its source; the bot is told their Telegram language_code. (The interface
in their language: test_languages.)"""
from __future__ import annotations

import pytest

from bot.corpus.parsing import read_article
from tests.support.paths import TEST_DATA
from tests.support.telegram_harness import ARTICLES, running_bot

IVAN = {"id": 2001, "is_bot": False, "first_name": "Иван", "language_code": "ru"}
LAYLA = {"id": 2002, "is_bot": False, "first_name": "ليلى", "language_code": "ar"}
IVAN_CHAT = {"id": IVAN["id"], "type": "private", "first_name": "Иван"}
LAYLA_CHAT = {"id": LAYLA["id"], "type": "private", "first_name": "ليلى"}
ARTICLES_IN_LANGUAGES = (*ARTICLES, *(read_article(TEST_DATA / "languages" / f"{name}.md")
                                      for name in ("kndr-losses", "harbour-bridge-ar")))


@pytest.fixture
async def bot(tmp_path):
    async with running_bot(tmp_path, ARTICLES_IN_LANGUAGES) as running:
        yield running


async def test_a_russian_user_gets_the_russian_answer(bot) -> None:
    reply = await bot.ask(IVAN_CHAT, IVAN, "Сколько солдат КНДР погибло?")
    assert "<b>По данным южнокорейской разведки, около 300 солдат КНДР погибли" in reply["text"]
    assert "📰 Потери КНДР в Курской области · 13 янв. 2025" in reply["text"]  # the date in the user's language
    assert "Читаю" not in reply["text"]  # correct Russian words are not "corrected"


async def test_an_arabic_user_gets_the_arabic_answer_in_valid_html(bot) -> None:
    reply = await bot.ask(LAYLA_CHAT, LAYLA, "كم كلفت إصلاحات الجسر؟")
    assert "40 مليون دولار" in reply["text"] and "<b>" in reply["text"]
    assert "افتتاح جسر الميناء بعد الإصلاحات" in reply["text"] and "قرأت" not in reply["text"]


async def test_english_questions_still_get_english_answers_beside_them(bot) -> None:
    reply = await bot.ask(IVAN_CHAT, IVAN, "How many residents of Grindavik were evacuated?")
    assert "<b>About 4,000 residents of Grindavik were evacuated before the eruption.</b>" in reply["text"]


async def test_small_talk_and_help_suggest_something_to_ask_in_the_users_language(bot) -> None:
    assert "<i>Потери КНДР в Курской области</i>" in (await bot.ask(IVAN_CHAT, IVAN, "привет"))["text"]
    help_text = (await bot.ask(IVAN_CHAT, IVAN, "/help"))["text"]
    assert help_text.index("• Потери КНДР") < help_text.index("• Volcano erupts")  # its own language first
    assert "افتتاح جسر الميناء بعد الإصلاحات" in (await bot.ask(LAYLA_CHAT, LAYLA, "مرحبا"))["text"]


async def test_a_question_in_a_language_no_article_is_in_says_so_and_names_those_there_are(tmp_path) -> None:
    async with running_bot(tmp_path) as english_only:  # the harness's English articles
        reply = await english_only.ask(IVAN_CHAT, IVAN, "Сколько жителей эвакуировали?")
    assert reply["text"] == ("Извините, у меня нет статей на этом языке (русский), поэтому ответить не получилось. "
                             "Мои статьи на таких языках: английский — спросите на одном из них или загляните в "
                             "/sources.")
