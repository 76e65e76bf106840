"""Metadata lines of pasted text in the languages the bot supports: the outlets, the article's link and its date.

`Sources: AFP, Reuters`, `Источник: РИА Новости`, `Mit Material von dpa`, `URL: …`, `Посилання: …`,
`Опубликовано: 21 ноября 2025`, `Stand: 21.11.2025, 14:30 Uhr`, and (before the story starts) a line that is
only a date such as `5 hours ago`. Dates come back as ISO; a published date wins over an updated one.
"""
from __future__ import annotations

import re
from datetime import datetime

from .dates import is_bare_date, looks_like_date, to_iso
from .links import WEB_URL

_SOURCE_LABELS = r"sources?|outlets?|via|источники?|джерел[оа]|quellen?|fuentes?|fonte|المصدر|المصادر|مصدر"
_SOURCE_PHRASES = r"по материалам|за матеріалами|mit material von|con información de|نقلا عن"
_SOURCE = re.compile(rf"^(?:(?:{_SOURCE_LABELS})\s*[:：]|(?:{_SOURCE_PHRASES})\s*:?)\s*(.+?)$", re.I)
_URL = re.compile(rf"^(?:(?:url|link|ссылка|посилання|enlace|الرابط)\s*[:：]\s*)?<?({WEB_URL.pattern}?)>?$", re.I)
_PUBLISHED_LABELS = (r"published(?: on)?|first published(?: on)?|date|posted(?: on)?|"
                     r"опубликовано|дата(?: публикации)?|опубліковано|дата(?: публікації)?|"
                     r"veröffentlicht(?: am)?|erschienen am|datum|publicado(?: el)?|fecha(?: de publicación)?|"
                     r"نشر في|نشر|نُشر في|تاريخ النشر|التاريخ")
_UPDATED_LABELS = (r"updated|last updated|обновлено|оновлено|aktualisiert(?: am)?|stand|actualizado(?: el)?|"
                   r"آخر تحديث|تحديث")
MAX_OUTLET_WORDS = 12

# Keys a line may give; "updated" and "date line" stand in for "published" when the text gives none.
OUTLETS, URL, PUBLISHED, UPDATED, DATE_LINE = "outlets", "url", "published", "updated", "date line"


def _labelled(labels: str) -> re.Pattern[str]:
    return re.compile(rf"^(?:{labels})\s*[:：]?\s+(.+?)$|^(?:{labels})\s*[:：]\s*(.+?)$", re.I)


_PUBLISHED = _labelled(_PUBLISHED_LABELS)
_UPDATED = _labelled(_UPDATED_LABELS)


def match_line(line: str, language: str | None, sent: datetime, in_header: bool = True) -> tuple[str, str] | None:
    """(key, value) when the line is metadata, else None. A bare date counts only in the header (`in_header`):
    inside a story a date line is the story's own ("Tuesday, 1 March 2022" in a timeline)."""
    line = line.strip()
    if m := _URL.match(line):
        return URL, m.group(1)
    if (m := _SOURCE.match(line)) and len(m.group(1).split()) <= MAX_OUTLET_WORDS \
            and not m.group(1).endswith((".", "!", "?")):
        return OUTLETS, m.group(1)
    for key, pattern in ((PUBLISHED, _PUBLISHED), (UPDATED, _UPDATED)):
        if m := pattern.match(line):
            value = m.group(1) or m.group(2)
            if (looks_like_date(value) or len(value.split()) <= 5) and (iso := to_iso(value, language, sent)):
                return key, iso
    if in_header and is_bare_date(line) and (iso := to_iso(line, language, sent)):
        return DATE_LINE, iso
    return None


def settle(meta: dict[str, str]) -> dict[str, str]:
    """The published date: a labelled one, else the first bare date line, else the updated date."""
    meta = dict(meta)
    for stand_in in (DATE_LINE, UPDATED):
        if stand_in in meta:
            meta.setdefault(PUBLISHED, meta[stand_in])
            del meta[stand_in]
    return meta


_LATIN_HINTS = {
    "en": frozenset("the of and to in is that for on with was said has are it by at from".split()),
    "de": frozenset("der die das und ist nicht mit von den zu sich auf für im dem eine ein wurde".split()),
    "es": frozenset("el la los las de que y en del se por con para una un es al".split()),
}


def guess_language(text: str) -> str:
    """en, ru, uk, de, es or ar, from the script and a few common words: enough to read dates, and no model."""
    sample = text[:4000]
    arabic = len(re.findall(r"[\u0600-\u06ff]", sample))
    cyrillic = len(re.findall(r"[а-яёіїєґ]", sample, re.I))
    latin = len(re.findall(r"[a-zäöüßñáéíóú]", sample, re.I))
    if arabic > max(cyrillic, latin):
        return "ar"
    if cyrillic > latin:
        ukrainian = len(re.findall(r"[іїєґ]", sample, re.I))
        return "uk" if ukrainian > len(re.findall(r"[ыэъё]", sample, re.I)) else "ru"
    words = re.findall(r"\w+", sample.casefold())
    scores = {language: sum(word in hints for word in words) for language, hints in _LATIN_HINTS.items()}
    return max(scores, key=lambda language: scores[language])
