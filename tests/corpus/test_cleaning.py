"""Pasted pages are cleaned like a page: furniture dropped in six languages, headings only where they are real,
metadata lines read (dates as ISO, relative ones against the message's date)."""
from __future__ import annotations

from datetime import datetime

import pytest

from bot.corpus.cleaning import junk_reason
from bot.corpus.metadata import guess_language, match_line
from bot.corpus.parsing import parse_text

SENT = datetime(2025, 11, 21, 18, 0)

# The example: a story pasted from a news site, 12 lines of which 7 are junk.
ENGLISH_PAGE = """Home | World | Europe
Ukraine and Russia agree to a prisoner exchange near Kursk
Copy link
Share on Facebook
Ukraine and Russia exchanged 95 prisoners each on Friday in a deal brokered by the UAE, officials in Kyiv said.
Advertisement - scroll to continue
Image: Freed soldiers wave from a bus near the border via Reuters
The exchange was the 58th of the war, according to Ukraine's coordination headquarters for prisoners of war.
Read more: Zelensky offers to swap prisoners for Russian-held territory
Sign up for our morning newsletter and get the news you need in your inbox every day.
Families of missing soldiers gathered at the border crossing to look for relatives among the freed men.
We use cookies to improve your experience on our site. By continuing to browse, you agree to our use of cookies.
Comments (23)
© 2025 Daily Ledger. All rights reserved.
Terms of use | Privacy policy | Contact us"""

RUSSIAN_PAGE = """Главная | Мир | Европа
Северокорейские военные попросили отправить их в Южную Корею
Источник: РИА Новости
Опубликовано: 21 ноября 2025
Поделиться
Двое северокорейских военных, взятых в плен в Курской области, заявили, что хотят переехать в Южную Корею.
Читайте также: Зеленский предложил обменять пленных на территории
Позиция Сеула
Конституция Южной Кореи считает гражданами всех корейцев, в том числе жителей Севера, заявили в Сеуле.
Подписывайтесь на наш канал в Telegram
© 2025 РИА Новости. Все права защищены."""


def test_the_english_page_keeps_only_the_story_and_no_junk_headings() -> None:
    article = parse_text(ENGLISH_PAGE, "x", SENT)

    assert article.title == "Ukraine and Russia agree to a prisoner exchange near Kursk"
    assert [p.text[:30] for p in article.paragraphs] == [
        "Ukraine and Russia exchanged 9", "The exchange was the 58th of t", "Families of missing soldiers g"]
    assert {p.section for p in article.paragraphs} == {None}  # "Copy link", "Advertisement…" are not headings


def test_the_russian_page_reads_its_source_and_date_and_keeps_its_real_heading() -> None:
    article = parse_text(RUSSIAN_PAGE, "x", SENT)

    assert article.outlets == ("РИА Новости",)
    assert article.published == "2025-11-21"
    assert [(p.section, p.text[:20]) for p in article.paragraphs] == [
        (None, "Двое северокорейских"), ("Позиция Сеула", "Конституция Южной Ко")]


def test_a_short_typed_post_keeps_every_line() -> None:
    article = parse_text("Ferry strike ends\nCrews went back to work.\nThe union agreed.", "x", SENT)

    assert article.title == "Ferry strike ends"
    assert [p.text for p in article.paragraphs] == ["Crews went back to work.", "The union agreed."]


def test_relative_dates_count_back_from_the_message() -> None:
    article = parse_text("Storm hits the coast\n5 hours ago\n" + "Winds of 120 km/h hit the coast overnight, "
                         "cutting power to thousands of homes.", "x", datetime(2025, 3, 2, 3, 0))

    assert article.published == "2025-03-01"


@pytest.mark.parametrize("line,reason", [
    ("Share on Facebook", "share"), ("Copy link", "button"), ("Advertisement - scroll to continue", "ad"),
    ("Comments (23)", "comments"), ("© 2025 Daily Ledger. All rights reserved.", "copyright"),
    ("Terms of use | Privacy policy | Contact us", "navigation"),
    ("Image: Freed soldiers wave from a bus near the border via Reuters", "caption"),
    ("Read more: Zelensky offers to swap prisoners", "related"),
    ("Поделиться", "button"), ("Читайте также: Новости дня", "related"), ("Фото: ТАСС", "caption"),
    ("Підписуйтеся на наш канал у Telegram", "follow"), ("Link kopieren", "button"),
    ("Folgen Sie uns auf Facebook", "follow"), ("Lee también: El BCE mantiene los tipos", "related"),
    ("Publicidad", "button"), ("اقرأ أيضا: زيلينسكي يعرض تبادل الأسرى", "related"),
])
def test_furniture_lines_in_six_languages(line: str, reason: str) -> None:
    assert junk_reason(line) == reason


@pytest.mark.parametrize("line", [
    "Seoul said it was ready to accept the soldiers if they wished to come.",
    "Growing deployments", "Who is affected?", "Позиция Сеула",
    "Share prices fell 3% on Monday after the company warned on profits.",
])
def test_story_lines_are_not_furniture(line: str) -> None:
    assert junk_reason(line) is None


@pytest.mark.parametrize("lang,line,expected", [
    ("en", "Sources: AFP, News.ro, Reuters, BBC", ("outlets", "AFP, News.ro, Reuters, BBC")),
    ("ru", "Источник: РИА Новости", ("outlets", "РИА Новости")),
    ("uk", "За матеріалами: Суспільне", ("outlets", "Суспільне")),
    ("de", "Mit Material von dpa", ("outlets", "dpa")),
    ("es", "Fuente: EFE", ("outlets", "EFE")),
    ("ar", "المصدر: الجزيرة", ("outlets", "الجزيرة")),
    ("ru", "Ссылка: https://ria.ru/20251121/x.html", ("url", "https://ria.ru/20251121/x.html")),
    ("ru", "Опубликовано: 21 ноября 2025", ("published", "2025-11-21")),
    ("uk", "Опубліковано: 21 листопада 2025", ("published", "2025-11-21")),
    ("de", "Stand: 21.11.2025, 14:30 Uhr", ("updated", "2025-11-21")),
    ("es", "Publicado: 3 de marzo de 2025", ("published", "2025-03-03")),
    ("ar", "نشر في: 21 نوفمبر 2025", ("published", "2025-11-21")),
    ("en", "yesterday", ("date line", "2025-11-20")),
    ("ru", "вчера, 18:05", ("date line", "2025-11-20")),
    ("de", "vor 3 Stunden", ("date line", "2025-11-21")),
    ("ar", "21 تشرين الثاني 2025", ("date line", "2025-11-21")),
])
def test_metadata_lines_in_six_languages(lang: str, line: str, expected: tuple[str, str]) -> None:
    assert match_line(line, lang, SENT) == expected


@pytest.mark.parametrize("line", [
    "Source of the leak remains unclear, officials said.", "Date night for the royals", "May the best team win",
    "Published in 1998, the report found nothing.", "Источник в правительстве сообщил об отставке.",
    "Two days ago, he resigned.", "Published: 3 March 2031",  # a date after the message: not the article's
])
def test_look_alikes_are_not_metadata(line: str) -> None:
    assert match_line(line, "en", SENT) is None


def test_a_date_line_inside_the_story_is_the_story_s_own() -> None:
    assert match_line("21 November 2025", "en", SENT, in_header=False) is None


@pytest.mark.parametrize("text,lang", [
    ("The minister said the vote would take place on Monday.", "en"),
    ("Министр заявил, что голосование состоится в понедельник.", "ru"),
    ("Міністр заявив, що голосування відбудеться в понеділок.", "uk"),
    ("Der Minister sagte, die Abstimmung werde am Montag stattfinden.", "de"),
    ("El ministro dijo que la votación tendrá lugar el lunes.", "es"),
    ("قال الوزير إن التصويت سيجري يوم الاثنين.", "ar"),
])
def test_language_guess(text: str, lang: str) -> None:
    assert guess_language(text) == lang
