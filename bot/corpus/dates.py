"""Dates as pages and posts write them ("21 ноября 2025, 14:30", "vor 3 Stunden", "yesterday") → ISO `YYYY-MM-DD`.

dateparser reads almost anything, which is the danger: given an ordinary sentence it may find a date in it. So it
only sees lines that already look like a date (short, with a month name, a numeric date or a relative-time word),
relative dates are resolved against the date the text was sent, and a date after that is refused.
"""
from __future__ import annotations

import re
from datetime import datetime

MONTHS = (r"jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec|"
          r"январ|феврал|март|апрел|ма[йя]|июн|июл|август|сентябр|октябр|ноябр|декабр|"
          r"січ|лют|берез|квіт|травн|червн|липн|серпн|верес|жовтн|листопад|грудн|"
          r"januar|februar|märz|april|mai|juni|juli|august|september|oktober|november|dezember|"
          r"enero|febrero|marzo|abril|mayo|junio|julio|agosto|septiembre|octubre|noviembre|diciembre|"
          r"يناير|فبراير|مارس|أبريل|ابريل|مايو|يونيو|يوليو|أغسطس|سبتمبر|أكتوبر|نوفمبر|ديسمبر|"
          r"كانون|شباط|آذار|نيسان|أيار|حزيران|تموز|آب|أيلول|تشرين")
RELATIVE = (r"ago|yesterday|today|just now|hours?|minutes?|mins?|hrs?|"
            r"назад|вчера|сегодня|час\w*|минут\w*|тому|вчора|сьогодні|годин\w*|хвилин\w*|год|хв|ч\.|"
            r"vor|gestern|heute|stunden?|std\.?|minuten?|"
            r"hace|ayer|hoy|horas?|minutos?|"
            r"منذ|قبل|أمس|اليوم|ساعات?|ساعة|دقائق|دقيقة")
_DAY_WORDS = re.compile(r"(?<!\w)(?:yesterday|today|вчера|сегодня|вчора|сьогодні|gestern|heute|ayer|hoy|أمس|اليوم)"
                        r"(?!\w)", re.I)
_NUMERIC_DATE = re.compile(r"\b\d{1,4}[./-]\d{1,2}[./-]\d{2,4}\b")
_MONTH_WORD = re.compile(rf"(?<!\w)(?:{MONTHS})\w*\.?", re.I)
_RELATIVE = re.compile(rf"(?<!\w)(?:{RELATIVE})(?!\w)", re.I)
_YEAR = re.compile(r"(?<!\d)(?:19|20)\d\d(?!\d)|\d{1,2}[./]\d{1,2}[./]\d{2}\b")
_ABBREVIATED_END = re.compile(r"(?:\d|г|р|Std)\.$")
# Words around a date that are not part of it ("• 6-minute read", "GMT", "Uhr", "г.").
_NOISE = re.compile(r"(?:[•·|,]\s*)?\b\d+[- ]?(?:min(?:ute)?s?|мин|хв)\.?[- ](?:read|чтения|читання)\b"
                    r"|\b(?:GMT|UTC|BST|CET|MSK|EET|Uhr|г\.|р\.|року|года|um|at|в|о)(?!\w)", re.I)
# Levantine and Iraqi month names, which dateparser's Arabic data lacks ("21 تشرين الثاني 2025").
_ARABIC_MONTHS = {"كانون الثاني": "يناير", "شباط": "فبراير", "آذار": "مارس", "نيسان": "أبريل", "أيار": "مايو",
                  "حزيران": "يونيو", "تموز": "يوليو", "آب": "أغسطس", "أيلول": "سبتمبر", "تشرين الأول": "أكتوبر",
                  "تشرين الثاني": "نوفمبر", "كانون الأول": "ديسمبر"}
MAX_DATE_WORDS = 8
ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
LANGUAGES = ("en", "ru", "uk", "de", "es", "ar")


def looks_like_date(text: str) -> bool:
    """Short, not a sentence, with a numeric date, a month name and a number, or a relative-time word."""
    words = text.split()
    if not words or len(words) > MAX_DATE_WORDS:
        return False
    if text.rstrip().endswith((".", "!", "?")) and not _ABBREVIATED_END.search(text.rstrip()):
        return False
    if _NUMERIC_DATE.search(text) or (_MONTH_WORD.search(text) and re.search(r"\d", text)):
        return True
    return bool(_RELATIVE.search(text) and (re.search(r"\d", text) or _DAY_WORDS.search(text)))


def is_bare_date(text: str) -> bool:
    """A line that is nothing but a date: it also names a year, or is relative ("5 hours ago")."""
    return looks_like_date(text) and bool(_YEAR.search(text) or _RELATIVE.search(text))


def to_iso(text: str, language: str | None, sent: datetime) -> str | None:
    """The date in `text` as YYYY-MM-DD, relative dates counted back from `sent`; None when there is none."""
    import dateparser  # here, not at the top: loading it takes a moment that only dated texts should pay

    for levantine, egyptian in _ARABIC_MONTHS.items():
        text = text.replace(levantine, egyptian)
    text = " ".join(_NOISE.sub(" ", text).split()).strip(" ,•·|")
    if ISO_DATE.fullmatch(text):
        return text if text <= sent.date().isoformat() else None
    languages = [language, "en"] if language in LANGUAGES and language != "en" else ["en"]
    settings = {"RELATIVE_BASE": sent.replace(tzinfo=None), "PREFER_DATES_FROM": "past",
                "RETURN_AS_TIMEZONE_AWARE": False, "DATE_ORDER": "DMY"}
    try:
        found = dateparser.parse(text, languages=languages, settings=settings)
    except (ValueError, OverflowError, TypeError, AttributeError, KeyError):  # odd input it cannot handle
        return None
    if found is None or found.date() > sent.date() or found.year < 1900:
        return None
    return found.date().isoformat()
