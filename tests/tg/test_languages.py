"""The bot speaks the user's language: the catalogs are complete, keep every placeholder and tag and render valid
Telegram HTML; plurals, dates and time notes read naturally; and through the fake Bot API a Russian, an Arabic and a
Ukrainian user (and a Russian admin) get the interface in their language, menus are registered per language, and
concurrent users never get each other's."""
from __future__ import annotations

import asyncio
import datetime as dt
import gettext
import re
from pathlib import Path

import pytest
from babel.messages.extract import extract_from_dir
from babel.messages.mofile import read_mo
from babel.messages.pofile import read_po
from hypothesis import given
from hypothesis import strategies as st

from bot.corpus.periods import parse_span
from bot.curation import Added, ReloadReport, Undone
from bot.inbox import Group, Outcome
from bot.models import Answer, Article, EarlierReport, Paragraph, Passage
from bot.search.recency import time_note
from bot.search.time_words import EARLIEST, PERIOD, TimeAsk, period_label
from bot.tg import button_data, i18n, messages, posts
from bot.tg.feedback import Action, Stats
from bot.tg.fit import tg_len
from tests.support.fake_telegram import html_error
from tests.support.paths import REPO
from tests.support.telegram_harness import ALICE, GROUP, RunningBot, buttons, private_chat, running_bot, speaking
from tests.tg.test_messages import assert_valid_html
from tests.tg.test_posts import long_story, split_like_telegram

KEYWORDS = {"N_": None, "Text": None, "nformat": (1, 2)}  # as `make catalogs` extracts them
PLACEHOLDER = re.compile(r"%\((\w+)\)[sd]")
TAG = re.compile(r"</?[a-z]+(?: [^<>]*)?>")
TRANSLATED = [language for language in i18n.LANGUAGES if language != i18n.ENGLISH]


def extracted() -> dict[str, str | tuple[str, str]]:
    """Every text of bot/tg, as pybabel extracts it (msgid → the text, or singular and plural)."""
    found = extract_from_dir(REPO / "bot" / "tg", [("**.py", "python")], keywords=KEYWORDS, comment_tags=())
    return {(message[0] if isinstance(message, tuple) else message): message for _, _, message, _, _ in found}


def catalog(language: str):
    with open(i18n.LOCALES / language / "LC_MESSAGES" / f"{i18n.DOMAIN}.po", "rb") as file:
        return read_po(file, locale=language)


def sample(text: str) -> str:
    """A template filled in with harmless values, as the bot fills it with escaped ones."""
    return PLACEHOLDER.sub(lambda m: "1" if m.group().endswith("d") else "x", text)


# --- the catalogs -------------------------------------------------------------------------------------------------

def test_the_makefile_extracts_with_the_same_keywords():
    makefile = (REPO / "Makefile").read_text(encoding="utf-8")
    assert "-k N_ -k Text -k nformat:1,2" in makefile and "bot/tg" in makefile


def test_every_text_is_in_every_catalog_translated_and_nothing_stale():
    texts = extracted()
    assert len(texts) > 100  # the extraction itself works
    for language in i18n.LANGUAGES:
        entries = {m.id[0] if isinstance(m.id, tuple) else m.id: m for m in catalog(language) if m.id}
        assert set(entries) == set(texts), language  # none missing, none left over from an older text
        for key, text in texts.items():
            entry = entries[key]
            assert entry.id == text and "fuzzy" not in entry.flags, (language, key)
            if language == i18n.ENGLISH:
                continue
            forms = entry.string if isinstance(entry.string, tuple) else (entry.string,)
            assert all(forms) and len(forms) == (catalog(language).num_plurals if isinstance(text, tuple) else 1), (
                language, key)


def test_translations_keep_the_placeholders_and_tags_and_render_valid_html():
    for language in TRANSLATED:
        for entry in catalog(language):
            if not entry.id:
                continue
            english = entry.id if isinstance(entry.id, tuple) else (entry.id,)
            forms = entry.string if isinstance(entry.string, tuple) else (entry.string,)
            wanted = set(PLACEHOLDER.findall(english[-1]))
            for form in forms:
                found = set(PLACEHOLDER.findall(form))
                # a plural form may say its number in words ("مقالان": two articles, "mi único artículo")
                assert found == wanted or (len(english) == 2 and found == wanted - {"n"}), (language, form)
                assert sorted(TAG.findall(form)) == sorted(TAG.findall(english[0])), (language, form)
                assert "%" not in PLACEHOLDER.sub("", form), (language, form)  # a stray % breaks the formatting
                assert html_error(sample(form)) is None, (language, form, html_error(sample(form)))


def _entries(messages_of) -> dict:
    """Translated entries (an untranslated plural is compiled as its English forms: no translation either)."""
    entries = {}
    for m in messages_of:
        key, value = (m.id, m.string) if isinstance(m.id, str) else (tuple(m.id), tuple(m.string))
        if m.id and any(value) and value != key:
            entries[key] = value
    return entries


def test_the_compiled_catalogs_match_their_sources():
    """The .mo files the bot reads hold what the .po files say (`make catalogs` compiles them after an edit)."""
    for language in i18n.LANGUAGES:
        path = i18n.LOCALES / language / "LC_MESSAGES" / f"{i18n.DOMAIN}.mo"
        with open(path, "rb") as file:
            compiled = read_mo(file)
        source = catalog(language)
        assert _entries(compiled) == _entries(source), f"run `make catalogs`: {path} is out of date"
        assert compiled.plural_forms == source.plural_forms


def test_command_menus_fit_telegram_in_every_language():
    from bot.tg.app import ADMIN_COMMANDS, GROUP_COMMANDS, menu

    for language in i18n.LANGUAGES:
        for command in menu([*GROUP_COMMANDS, *ADMIN_COMMANDS], language):
            assert 1 <= len(command.description) <= 256 and "<" not in command.description
            if language != i18n.ENGLISH:
                assert command.description not in {c.description for c in [*GROUP_COMMANDS, *ADMIN_COMMANDS]}


# --- choosing the language ----------------------------------------------------------------------------------------

@pytest.mark.parametrize(("code", "language"), [
    ("ru", "ru"), ("uk", "uk"), ("es", "es"), ("de", "de"), ("ar", "ar"), ("en", "en"), ("pt-br", "en"),
    ("de-AT", "de"), ("es_419", "es"), ("AR", "ar"), ("zh-hans", "en"), ("", "en"), (None, "en")])
def test_a_telegram_language_code_picks_its_catalog_else_english(code, language):
    assert i18n.language_of(code) == language
    assert messages.for_language(code).language == language


def test_each_language_has_its_own_translator():
    russian, arabic = messages.for_language("ru"), messages.for_language("ar")
    assert russian.THANKS == "Спасибо за отзыв!" and arabic.THANKS == "شكرًا على رأيك!"
    assert messages.ENGLISH.THANKS == messages.Messages.THANKS == "Thanks for the feedback!"
    assert russian is messages.for_language("ru-RU")  # one per catalog, made once


# --- plurals, numbers and dates -----------------------------------------------------------------------------------

def test_plurals_follow_each_languages_rules():
    def articles(language: str, n: int) -> str:
        return messages.for_language(language).nformat("%(n)d article", "%(n)d articles", n)

    assert [articles("ru", n) for n in (1, 2, 5, 11, 21, 22, 25, 111)] == [
        "1 статья", "2 статьи", "5 статей", "11 статей", "21 статья", "22 статьи", "25 статей", "111 статей"]
    assert [articles("uk", n) for n in (1, 3, 7, 21)] == ["1 стаття", "3 статті", "7 статей", "21 стаття"]
    assert [articles("ar", n) for n in (0, 1, 2, 3, 11, 100)] == [
        "0 مقال", "مقال واحد", "مقالان", "3 مقالات", "11 مقالًا", "100 مقال"]
    assert [articles("en", n) for n in (1, 2)] == ["1 article", "2 articles"]
    assert "в моей 21 статье" in messages.for_language("ru").not_found(21)
    assert "в моих 3 статьях" in messages.for_language("ru").not_found(3)
    assert messages.for_language("ar").window_label(2, "d") == "آخر يومين"


def test_dates_are_said_in_the_users_language():
    volcano = Article(id="v", title="V", paragraphs=(Paragraph("p"),), published="2025-01-13")
    undated = Article(id="u", title="U", paragraphs=(Paragraph("p"),), added="2024-05-02")
    said = {language: (messages.for_language(language).date_text(volcano),
                       messages.for_language(language).date_text(undated)) for language in i18n.LANGUAGES}
    assert said["en"] == ("13 Jan 2025", "added on 2 May 2024")
    assert said["ru"] == ("13 янв. 2025\u202fг.", "добавлено 2 мая 2024\u202fг.")  # a narrow space before г.
    assert said["de"] == ("13. Jan. 2025", "hinzugefügt am 2. Mai 2024")
    assert said["ar"] == ("13 يناير 2025", "أُضيف في 2 مايو 2024")
    assert messages.for_language("ru").number(4096) == "4\xa0096"


@given(st.dates(min_value=dt.date(1900, 1, 1), max_value=dt.date(2100, 12, 31)), st.booleans())
def test_english_dates_are_the_ones_the_cli_and_json_show(day, published):
    article = Article(id="a", title="A", paragraphs=(Paragraph("p"),),
                      **({"published": day.isoformat()} if published else {"added": day.isoformat()}))
    assert messages.ENGLISH.date_text(article) == article.date_text


# --- the engine's time notes --------------------------------------------------------------------------------------

@pytest.mark.parametrize(("start", "end"), [
    (dt.date(2025, 3, 1), dt.date(2025, 3, 31)), (dt.date(2024, 1, 1), dt.date(2024, 12, 31)),
    (dt.date(2025, 1, 13), dt.date(2025, 1, 13)), (dt.date(2025, 11, 10), dt.date(2025, 11, 16)),
    (dt.date(2025, 10, 27), dt.date(2025, 11, 2)), (dt.date(2024, 12, 30), dt.date(2025, 1, 5)),
    (EARLIEST, dt.date(2025, 3, 31)), (dt.date(2025, 9, 1), dt.date(2025, 11, 21))])
def test_every_period_the_engine_names_is_said_in_the_users_language(start, end):
    label = period_label(start, end)
    named, relative = TimeAsk(PERIOD, start, end, explicit=True), TimeAsk(PERIOD, start, end, words="last week")
    notes = [time_note("nothing", named), time_note("browse", named), time_note("closest", relative)]
    assert [note.text for note in notes] == [
        f"Nothing from {label} answers this.", f"Articles from {label}, newest first.",
        f"Nothing from last week ({label}) answers this; this is the closest match."]
    for note in notes:
        assert messages.ENGLISH.time_note(note) == note.text
        for language in TRANSLATED:
            said = messages.for_language(language).time_note(note)
            assert said != note.text and "Nothing" not in said and "Articles" not in said, (language, said)
            assert not re.search(r"\d [A-Z][a-z]{2} \d{4}|\bbefore\b|March", said), (language, said)  # English dates
    russian = messages.for_language("ru").time_note(notes[0])
    expected = {"March 2025": "Ответа за март 2025\u202fг. не нашлось.", "2024": "Ответа за 2024 год не нашлось.",
                "before 1 Apr 2025": "Ответа до 1 апр. 2025\u202fг. не нашлось.",
                "13 Jan 2025": "Ответа за 13 янв. 2025\u202fг. не нашлось."}
    assert russian == expected.get(label, russian)


# --- every message in every language -------------------------------------------------------------------------------

ARTICLE = Article(id="harbour-bridge", title="Harbour <bridge> & ferry", url="https://x.example/a?b=1&c=2",
                  outlets=("Harbour Times",), published="2025-01-13",
                  paragraphs=(Paragraph("The bridge reopened. It cost 40 million.", "Costs"), Paragraph("Two.")))
OLDER = Article(id="older", title="Older", outlets=("Yonhap",), added="2024-12-01", paragraphs=(Paragraph("x"),))
PASSAGE = Passage(ARTICLE, 0, 1.0, "It cost 40 million.")
ANSWER = Answer("q", PASSAGE, time=time_note("closest", TimeAsk(PERIOD, dt.date(2025, 11, 10), dt.date(2025, 11, 16),
                                                                 words="last week")),
                earlier=(EarlierReport("about 300", OLDER, 0),), read_as=(("soldirs", "soldiers"),))
TODAY = dt.date(2025, 11, 21)
GROUP_OF_PARTS = Group("g", "add", {}, 1, "user 1", "built", None, ((1, "Title\nText"),))


def renderings(tr: messages.Messages) -> dict[str, str]:
    """Every kind of message the bot sends, in the language of `tr`."""
    stats = Stats(questions=40, answered=10, up=3, down=1, unanswered=[("Who won?", 9)])
    texts = {name: getattr(tr, name) for name, value in vars(messages.Messages).items()
             if isinstance(value, messages.Text)}
    texts |= {
        "too_long": tr.too_long(500), "slow_down": tr.slow_down(3.2), "not_found": tr.not_found(3),
        "not_found_1": tr.not_found(1), "no_articles": tr.not_found(0), "not_found_here": tr.not_found_here(2),
        "not_found_language": tr.not_found(3, "zh", {"en": 40, "ru": 12, "ar": 3}),
        "mention_usage": tr.mention_usage("NewsBot"), "answer": tr.format_answer(PASSAGE, 0, 3, ANSWER.read_as,
                                                                                tr.time_lines(ANSWER, 0)),
        "last_answer": tr.format_passage(PASSAGE, 2, 3), "help": tr.help_text("NewsBot", 21, 102, ["Who <won>?"]),
        "help_group": tr.help_text("NewsBot", 1, 1, [], private=False), "help_empty": tr.help_text("NewsBot", 0, 0, []),
        "sources": tr.sources_page([ARTICLE, OLDER], 0), "list": tr.sources_page([ARTICLE], 0, with_ids=True),
        "sources_span": tr.sources_page([ARTICLE], 0, span=parse_span("2025-01", TODAY)),
        "list_span": tr.sources_page([ARTICLE], 0, with_ids=True, span=parse_span("2w", TODAY)),
        "usage_span": tr.usage_span("/sources"), "no_articles_in": tr.no_articles_in(parse_span("yesterday", TODAY),
                                                                                     "/sources"),
        "added": tr.added(Added(ARTICLE)), "duplicate": tr.added(Added(ARTICLE, duplicate_of="harbour-bridge")),
        "failed_add": tr.failed("add this", "the file is empty"), "failed_undo": tr.failed("undo", "file exists"),
        "removed": tr.removed(ARTICLE), "restored": tr.restored(ARTICLE), "unknown": tr.unknown_article("zzz"),
        "reload": tr.reload_report(ReloadReport(added=["a"], changed=["b"], removed=["c"], errors={"d.md": "why"})),
        "stats": tr.stats_window_text((7, "d"), stats, 5, 50, [("Who won?", "older", 2)],
                                      [Action(1, 1.7e9, "user 1001", "undo add", "older", "Older")]),
        "stats_all": tr.stats_window_text(None, stats, 1, 1, [], []), "cut_off": tr.cut_off(5000),
        "joined": tr.built(Outcome(GROUP_OF_PARTS, added=Added(ARTICLE)), 2),
        "updated": tr.built(Outcome(GROUP_OF_PARTS, updated=ARTICLE), 1),
        "edit_removed": tr.built(Outcome(GROUP_OF_PARTS, refused="removed"), 1),
        "cut": tr.built(Outcome(GROUP_OF_PARTS, refused="cut"), 1),
        "undone": tr.undone(Undone(ARTICLE, "add")), "ambiguous": tr.ambiguous("h", [ARTICLE] * 7),
        "ambiguous_few": tr.ambiguous("h", [ARTICLE] * 2), "no_article_from": tr.no_article_from("https://t.me/c/1"),
        "not_a_list_number": tr.not_a_list_number(9, 4),
    }
    texts |= {f"small_talk_{kind}_{private}": tr.small_talk_reply(kind, "NewsBot", private, "Who <won>?")
              for kind in messages.SMALL_TALK for private in (True, False)}
    for minutes in (1, 2, 5, 11, 100):
        texts[f"window_{minutes}"] = tr.stats_window_text((minutes, "m"), stats, 1, 1, [], [])
    return texts


@pytest.mark.parametrize("language", i18n.LANGUAGES)
def test_every_message_renders_valid_html_in_every_language(language):
    tr, english = messages.for_language(language), renderings(messages.ENGLISH)
    for name, text in renderings(tr).items():
        assert_valid_html(text)
        assert tg_len(text) <= 4096
        if language != i18n.ENGLISH and not name.startswith(("small_talk_ack", "small_talk_laugh", "small_talk_emoji")):
            assert text != english[name], (language, name)  # nothing left in English


def test_buttons_are_labelled_in_the_users_language():
    def labels(markup):
        return [b.text for row in markup.inline_keyboard for b in row]

    russian, arabic = messages.for_language("ru"), messages.for_language("ar")
    assert labels(button_data.answer_keyboard(7, 0, 3, tr=russian)) == ["👍", "👎", "Ещё ответы (2/3)"]
    assert labels(button_data.answer_keyboard(7, 2, 3, tr=arabic))[-1] == "↩ أفضل إجابة"
    assert labels(button_data.sources_keyboard(1, 30, tr=russian)) == ["‹ Назад", "Дальше ›"]
    assert labels(button_data.help_keyboard(arabic)) == ["🆕 أحدث المقالات"]
    assert labels(button_data.remove_keyboard(3, russian)) == ["🗑 Удалить"]


def test_right_to_left_text_isolates_embedded_latin_but_never_inside_code():
    arabic = messages.for_language("ar")
    text = arabic.removed(ARTICLE)
    fsi, pdi = i18n.FIRST_STRONG_ISOLATE, i18n.POP_ISOLATE
    assert f"{fsi}<code>harbour-bridge</code>{pdi}" in text and f"{fsi}/undo{pdi}" in text
    assert f"{fsi}Harbour &lt;bridge&gt; &amp; ferry{pdi}" in text
    for rendered in renderings(arabic).values():
        for code in re.findall(r"<code>(.*?)</code>", rendered):
            assert fsi not in code and pdi not in code  # what a tap copies is exactly what to type
        assert rendered.count(fsi) == rendered.count(pdi)
    assert fsi not in messages.for_language("ru").removed(ARTICLE)


# --- through the fake Bot API ---------------------------------------------------------------------------------------

IVAN = speaking({"id": 3001, "is_bot": False, "first_name": "Иван"}, "ru")
LAYLA = speaking({"id": 3002, "is_bot": False, "first_name": "ليلى"}, "ar")
OKSANA = speaking({"id": 3003, "is_bot": False, "first_name": "Оксана"}, "uk")
RUSSIAN_ADMIN = speaking(ALICE, "ru")


@pytest.fixture
async def bot(tmp_path: Path):
    async with running_bot(tmp_path, admin_ids=frozenset({ALICE["id"]}), user_rate_limit=0) as running:
        yield running



async def test_a_russian_user_gets_the_interface_in_russian(bot: RunningBot):
    chat = private_chat(IVAN)
    start = await bot.ask(chat, IVAN, "/start")
    assert start["text"].startswith("<b>Я отвечаю на вопросы о новостях</b>")
    assert "В моей базе <b>3 статьи</b> (7 абзацев)." in start["text"] and "• Здесь: просто напишите вопрос." in start[
        "text"]
    assert list(buttons(start)) == ["🆕 Свежие статьи"]
    group_help = (await bot.ask(GROUP, IVAN, "/help"))["text"]
    assert "Я отвечаю только на сообщения, адресованные мне." in group_help

    assert (await bot.ask(chat, IVAN, "Who won the football cup?"))["text"].startswith(
        "Извините, в моих 3 статьях ответа не нашлось.")
    assert (await bot.ask(chat, IVAN, "спасибо"))["text"].startswith("Не за что! Спросите меня о новостях")

    answer = await bot.ask(chat, IVAN, "marathon")
    assert "<i>Ответ 1 из 3</i>" in answer["text"] and "добавлено" in answer["text"]
    message = bot.bot_message(chat["id"], answer)
    await bot.press(IVAN, message, buttons(answer)["Ещё ответы (2/3)"])
    edited = bot.fake.messages[chat["id"], message["message_id"]]
    assert "<i>Ответ 2 из 3</i>" in edited["text"] and "Ещё ответы (3/3)" in buttons(edited)
    assert (await bot.press(IVAN, edited, buttons(edited)["👍"]))["text"] == "Спасибо за отзыв!"

    sources = (await bot.ask(chat, IVAN, "/sources"))["text"]
    assert sources.startswith("<b>Статьи, которые я знаю, сначала новые</b> (3), стр. 1 из 1:")
    assert "RÚV, Reuters · 17 мар. 2024\u202fг." in sources
    assert (await bot.ask(chat, IVAN, "/sources 2024-03"))["text"].startswith("<b>Статьи за март 2024\u202fг.")
    assert (await bot.ask(chat, IVAN, "/sources 2023"))["text"] == "Статей за 2023 год нет. /sources покажет все."
    note = (await bot.ask(chat, IVAN, "how many runners finished in January 2023?"))["text"]
    assert note.startswith("<i>Ответа за январь 2023\u202fг. не нашлось; вот самое близкое.</i>")
    assert (await bot.ask(chat, IVAN, "/stats"))["text"] == "Извините, это могут делать только администраторы бота."


async def test_an_arabic_user_gets_the_interface_in_arabic_as_valid_html(bot: RunningBot):
    """Every reply passed the fake server's HTML check (it refuses what Telegram refuses)."""
    chat = private_chat(LAYLA)
    start = (await bot.ask(chat, LAYLA, "/start"))["text"]
    assert start.startswith("<b>أجيب عن أسئلتك حول الأخبار</b>") and "لديّ <b>3 مقالات</b> (7 فقرات)." in start
    assert f"يعرض {i18n.FIRST_STRONG_ISOLATE}/sources{i18n.POP_ISOLATE}" in start
    assert (await bot.ask(chat, LAYLA, "Who won the football cup?"))["text"].startswith(
        "عذرًا، لم أجد ذلك في مقالاتي الـ3.")
    assert (await bot.ask(chat, LAYLA, "hi"))["text"].startswith("مرحبًا! 👋 اسألني عن الأخبار")

    answer = await bot.ask(chat, LAYLA, "marathon")
    assert "<i>الإجابة 1 من 3</i>" in answer["text"] and "أُضيف في" in answer["text"]
    message = bot.bot_message(chat["id"], answer)
    await bot.press(LAYLA, message, buttons(answer)["إجابات أخرى (2/3)"])
    assert "<i>الإجابة 2 من 3</i>" in bot.fake.messages[chat["id"], message["message_id"]]["text"]

    sources = (await bot.ask(chat, LAYLA, "/sources"))["text"]
    assert sources.startswith("<b>المقالات التي أعرفها، الأحدث أولًا</b> (3)، الصفحة 1 من 1:")
    assert "17 مارس 2024" in sources
    group = (await bot.ask(GROUP, LAYLA, "/ask Who won the football cup?"))["text"]
    assert group.startswith("عذرًا، لم أجد ذلك في مقالاتي الـ3.")
    assert all(call.status == 200 for call in bot.fake.requests("sendMessage"))


async def test_a_ukrainian_user_gets_the_interface_in_ukrainian(bot: RunningBot):
    chat = private_chat(OKSANA)
    assert "У моїй базі <b>3 статті</b> (7 абзаців)." in (await bot.ask(chat, OKSANA, "/help"))["text"]
    assert (await bot.ask(chat, OKSANA, "дякую"))["text"].startswith("Нема за що!")
    assert (await bot.ask(chat, OKSANA, "Who won the football cup?"))["text"].startswith(
        "Вибачте, у моїх 3 статтях відповіді не знайшлося.")


async def test_a_russian_admin_curates_in_russian(bot: RunningBot):
    chat = private_chat(RUSSIAN_ADMIN)
    paste = ("Harbour bridge reopens after repairs\nThe harbour bridge reopened to traffic on Monday after eight "
             "months of repairs.\nCity engineers said the bridge would need no further work.")
    added = await bot.ask(chat, RUSSIAN_ADMIN, f"/add {paste}")
    assert added["text"].startswith("Добавлено <code>harbour-bridge-reopens-after-repairs</code>: Harbour bridge "
                                    "reopens after repairs (2 абзаца)\n  Издания: нет\n  Дата: нет (добавлено ")
    assert "\n  Язык: английский (en, определён по тексту)\n" in added["text"]  # named in the admin's language
    message = bot.bot_message(chat["id"], added)
    assert (await bot.press(RUSSIAN_ADMIN, message, buttons(added)["🗑 Удалить"]))["text"] == "Удалено"
    assert (await bot.ask(chat, RUSSIAN_ADMIN, "/undo"))["text"].startswith("Восстановлено <code>harbour-bridge")
    stats = (await bot.ask(chat, RUSSIAN_ADMIN, "/stats 7d"))["text"]
    assert stats.startswith("<b>За последние 7 дней</b>\n<b>База</b>: 4 статьи, 9 абзацев")
    assert "пользователь 1001: отмена удаления <code>harbour-bridge-reopens-after-repairs</code>" in stats
    assert (await bot.ask(GROUP, RUSSIAN_ADMIN, "/stats"))["text"] == (
        "Команды администратора работают только в личном чате со мной.")


async def test_a_long_paste_is_confirmed_in_the_language_of_the_admin_who_sent_it(tmp_path: Path,
                                                                                  monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setattr(posts, "JOIN_SECONDS", 0.5)
    async with running_bot(tmp_path, admin_ids=frozenset({ALICE["id"]})) as bot:
        chat = private_chat(RUSSIAN_ADMIN)
        first, second = split_like_telegram("/add Harbour council report on the ferries\n" + long_story(40))
        bot.fake.message(chat, RUSSIAN_ADMIN, first)
        bot.fake.message(chat, RUSSIAN_ADMIN, second)
        [confirmation] = await bot.fake.wait_for("sendMessage", lambda c: c.params["chat_id"] == chat["id"])
        text = confirmation.params["text"]
        assert text.startswith("Добавлено ") and text.endswith("<i>Собрано из 2 сообщений.</i>")
        assert "(40 абзацев)" in text


async def test_command_menus_are_registered_per_language_for_each_scope(bot: RunningBot):
    commands = bot.fake.commands
    for scope in ["all_private_chats", "all_group_chats", f"chat:{ALICE['id']}"]:
        english = commands[scope]
        for language in TRANSLATED:
            translated = commands[f"{scope}/{language}"]
            assert [c["command"] for c in translated] == [c["command"] for c in english]
            assert all(t["description"] != e["description"] for t, e in zip(translated, english, strict=True))
    assert [c["description"] for c in commands["all_private_chats/ru"]] == [
        "Что я знаю и как спрашивать", "Статьи, которые я знаю"]
    assert commands["all_group_chats/ar"][0]["description"] == "اطرح سؤالًا عن الأخبار"
    assert len(bot.fake.requests("setMyCommands")) == 3 * len(i18n.LANGUAGES)


async def test_concurrent_users_each_get_their_own_language(bot: RunningBot):
    people = [(IVAN, "Извините, в моих 3 статьях"), (LAYLA, "عذرًا، لم أجد ذلك"), (ALICE, "Sorry, I couldn't find"),
              (OKSANA, "Вибачте, у моїх 3 статтях"), (speaking(ALICE, "pt-br") | {"id": 3004}, "Sorry, I couldn't")]
    for _ in range(3):  # all pushed at once: the bot handles them concurrently
        for user, _expected in people:
            bot.fake.message(private_chat(user), user, "Who won the football cup?")
    await asyncio.gather(*(bot.fake.wait_for("sendMessage", lambda c, u=user: c.params["chat_id"] == u["id"],
                                             count=3) for user, _ in people))
    for user, expected in people:
        replies = [c.params["text"] for c in bot.fake.sent_to(user["id"])]
        assert len(replies) == 3 and all(reply.startswith(expected) for reply in replies), (user, replies)


async def test_inline_mode_hints_in_the_users_language(bot: RunningBot):
    _, query_id = bot.fake.inline(IVAN, "wh")
    [call] = await bot.fake.wait_for("answerInlineQuery", lambda c: c.params["inline_query_id"] == query_id)
    assert call.params["button"]["text"] == "Напишите вопрос о новостях"


def test_translations_are_gettext_catalogs_python_can_read():
    for language in TRANSLATED:
        catalog_file = gettext.translation(i18n.DOMAIN, i18n.LOCALES, [language])
        assert catalog_file.info()["language"] == language
