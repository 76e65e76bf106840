"""The languages the bot speaks: gettext catalogs chosen by a Telegram user's `language_code`, and dates in the
user's language (Babel's CLDR data).

The catalogs live in `locales/<language>/LC_MESSAGES/newsbot.po` beside this file, compiled to `.mo` (both are
committed, so a fresh checkout needs no build step); `make catalogs` re-extracts the texts and updates them (see
the README). English is the source language: its catalog lists the texts, untranslated.

Nothing here is global state: each update gets its own translator (see `messages.for_language`), so concurrent
updates from users of different languages never see each other's language.
"""
from __future__ import annotations

import datetime as dt
import gettext
from functools import lru_cache
from pathlib import Path

from babel.dates import format_interval, format_skeleton

DOMAIN = "newsbot"
LOCALES = Path(__file__).with_name("locales")
ENGLISH = "en"
LANGUAGES = (ENGLISH, "ru", "uk", "es", "de", "ar")  # the catalogs; English is the fallback
RIGHT_TO_LEFT = frozenset({"ar"})

# Unicode isolates: an embedded run of Latin text (an id, a title, a command) keeps its own direction inside a
# right-to-left sentence, and its neutral characters ("/", "-", ".") stay where they belong. Plain characters to
# Telegram's HTML parser, so the markup stays valid.
FIRST_STRONG_ISOLATE, POP_ISOLATE = "\u2068", "\u2069"


def N_(text: str) -> str:
    """Marks a text for extraction (`pybabel extract`) where it is defined; it is translated where it is used."""
    return text


def language_of(code: str | None) -> str:
    """The catalog for a Telegram `language_code` (an IETF tag: "ru", "pt-br", "zh-hans"): its primary language
    when there is a catalog for it, else English."""
    primary = (code or "").strip().lower().replace("_", "-").split("-")[0]
    return primary if primary in LANGUAGES else ENGLISH


@lru_cache(maxsize=len(LANGUAGES))
def translations(language: str) -> gettext.NullTranslations:
    """The compiled catalog of `language` (English's leaves the texts as written in the code)."""
    return gettext.translation(DOMAIN, LOCALES, [language])


# --- dates --------------------------------------------------------------------------------------------------------
# English keeps the one form the CLI and `ask --json` use ("13 Jan 2025"); other languages their CLDR medium form
# ("13 янв. 2025 г.", "13. Jan. 2025", "13 يناير 2025").

def day_text(day: dt.date, language: str) -> str:
    if language == ENGLISH:
        return f"{day.day} {day:%b %Y}"
    return format_skeleton("yMMMd", day, locale=language)


def month_text(day: dt.date, language: str) -> str:
    """The month of `day` with its year: "November 2025", "ноябрь 2025 г."."""
    if language == ENGLISH:
        return f"{day:%B %Y}"
    return format_skeleton("yMMMM", day, locale=language)


def days_text(start: dt.date, end: dt.date, language: str) -> str:
    """A range of days, as short as the language writes it: "10–16 Nov 2025", "10 Oct – 16 Nov 2025"."""
    if start == end:
        return day_text(start, language)
    if language != ENGLISH:
        return format_interval(start, end, "yMMMd", locale=language)
    if (start.year, start.month) == (end.year, end.month):
        return f"{start.day}–{day_text(end, language)}"
    if start.year == end.year:
        return f"{start.day} {start:%b} – {day_text(end, language)}"
    return f"{day_text(start, language)} – {day_text(end, language)}"
