"""What a question asks of time: nothing, the latest reports, or a period of publication dates.

"latest", "so far", "now" ask for the newest reports; "yesterday", "this week", "last month", "3 days ago",
"in March 2025", "in 2024", "since March", "before April 2025" name a period (relative ones counted from
`today`); "before the election" is about time too, but an event's date is unknown. The same in Russian,
Ukrainian, German, Spanish and Arabic ("вчера", "на прошлой неделе", "letzte Woche", "hasta ahora", "الآن").

Month names, unit words and the relative phrases ("yesterday", "last week"…) come from dateparser's locale
data; words asking for the latest are small tables below. dateparser's own `search_dates` over a whole question
was slow (1 ms, 2 s for the first call) and read "M-1", "may" and "the sun" as dates (docs/recency.md).
"""
from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from dataclasses import dataclass, replace
from functools import lru_cache

NONE, LATEST, PERIOD, EVENT = "none", "latest", "period", "event"
EARLIEST = dt.date(1, 1, 1)

# Words asking for the newest report. Never "current" ("the current account deficit" is a statistic).
_LATEST = {
    "en": r"latest|most recent(?:ly)?|newest|(?:right )?now|so far|to date|till date|recently|currently|"
          r"these days|at (?:the )?(?:moment|present)|as of today|nowadays|up to now|until now|"
          r"what(?:'s|’s| is) new|anything new|any news",
    "ru": r"сейчас|теперь|на данный момент|на сегодня(?:шний день)?|до сих пор|к настоящему времени|"
          r"в настоящее время|недавно|на текущий момент|последн(?:ие|ий|яя|ее|их) (?:данн|новост|цифр|сведен)\w*|"
          r"что нового",
    "uk": r"зараз|тепер|наразі|на даний момент|на сьогодні|досі|станом на сьогодні|нещодавно|"
          r"останн(?:і|ій|я|є|іх) (?:дан|новин|цифр)\w*|що нового",
    "de": r"neueste[nmrs]?|aktuell(?:e[nmrs]?)?|derzeit|momentan|jetzt|bisher|bislang|zuletzt|inzwischen|"
          r"mittlerweile|was gibt(?:'s| es) neues",
    "es": r"[úu]ltim[oa]s? (?:cifras?|datos|noticias|balance)|m[áa]s recientes?|actualmente|ahora|hasta ahora|"
          r"hasta la fecha|recientemente|en este momento|qu[ée] hay de nuevo",
    "ar": r"الآن|حتى الآن|حاليا|حالياً|مؤخرا|مؤخراً|في الوقت الحالي|أحدث|آخر (?:حصيلة|الأرقام|الأخبار|المعلومات)|"
          r"ما الجديد",
}
_SINCE = {"en": r"since|after", "ru": r"с|со|после", "uk": r"з|із|після", "de": r"seit|nach|ab",
          "es": r"desde|despu[ée]s de", "ar": r"منذ|بعد"}
_BEFORE = {"en": r"before|until|till|prior to", "ru": r"до|перед", "uk": r"до|перед", "de": r"vor|bis",
           "es": r"antes de|hasta", "ar": r"قبل|حتى"}
_IN = {"en": r"in|on|during|of", "ru": r"в|во", "uk": r"в|у", "de": r"im|in|am", "es": r"en|el|del",
       "ar": r"في|خلال|عام"}
# "before the election", "после выборов", "nach der Wahl": about time, but the event's date is unknown.
_EVENT = {"en": r"(?:before|after|prior to|ahead of|since|until) the (?!\d)\w+",
          "ru": r"(?:перед|после) (?!\d)\w{3,}", "uk": r"(?:перед|після) (?!\d)\w{3,}",
          "de": r"(?:vor|nach|seit) (?:der|dem|den) \w+", "es": r"(?:antes|despu[ée]s) del? (?:la |las |los )?\w+",
          "ar": r"(?:قبل|بعد) ال\w+"}
_SCRIPTS = {"cyrillic": ("ru", "uk", "en"), "arabic": ("ar", "en"), "latin": ("en", "de", "es")}
_SLAVIC = ("ru", "uk")
_MONTH_KEYS = ("january", "february", "march", "april", "may", "june", "july", "august", "september", "october",
               "november", "december")
_SMALL_NUMBERS = {"one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "ten": 10}
_YEAR = r"(?:1[89]\d\d|20\d\d)"


@dataclass(frozen=True)
class TimeAsk:
    """A question's time words read: `kind` NONE, LATEST, PERIOD (publication dates `start`..`end`) or EVENT."""

    kind: str = NONE
    start: dt.date | None = None
    end: dt.date | None = None
    words: str = ""  # the time words as written
    rest: str = ""  # the question without them
    explicit: bool = False  # a calendar day, month or year is named ("in March 2025"), not a relative one

    @property
    def label(self) -> str:
        """The period in words: "March 2025", "2024", "before 1 Apr 2025"; a relative one as asked, with its days:
        "last week (10–16 Nov 2025)"."""
        if self.kind != PERIOD or not self.start or not self.end:
            return ""
        days = period_label(self.start, self.end)
        return days if self.explicit or not self.words else f"{self.words} ({days})"


def read_time(question: str, today: dt.date) -> TimeAsk:
    """The question's time words read (a period before "latest" words); NONE when it has none."""
    return _parser(_script(question)).parse(question, today)


def period_label(start: dt.date, end: dt.date) -> str:
    if start == end:
        return readable(start)
    if start.day == 1 and end == _month_end(start):
        return f"{start:%B %Y}"
    if start == dt.date(start.year, 1, 1) and end == dt.date(start.year, 12, 31):
        return str(start.year)
    if start == EARLIEST:
        return f"before {readable(end + dt.timedelta(days=1))}"
    if (start.year, start.month) == (end.year, end.month):
        return f"{start.day}–{readable(end)}"
    if start.year == end.year:
        return f"{start.day} {start:%b} – {readable(end)}"
    return f"{readable(start)} – {readable(end)}"


def readable(day: dt.date) -> str:
    """ "13 Jan 2025": one form for every front end, whatever the article's language."""
    return f"{day.day} {day:%b %Y}"


def _script(text: str) -> str:
    if re.search(r"[\u0400-\u04ff]", text):
        return "cyrillic"
    return "arabic" if re.search(r"[\u0600-\u06ff]", text) else "latin"


def _alternatives(words: Iterable[str]) -> str:
    return "|".join(sorted({re.escape(w.lower()) for w in words if w}, key=len, reverse=True))


def _locale(code: str) -> dict:
    from dateparser.languages.loader import LocaleDataLoader  # here: loading it takes a moment

    return LocaleDataLoader().get_locale(code).info


@lru_cache(maxsize=4)
def _parser(script: str) -> _Parser:
    return _Parser(_SCRIPTS[script])


class _Parser:
    """Regular expressions for the languages of one script (a Cyrillic question is Russian or Ukrainian…)."""

    def __init__(self, codes: tuple[str, ...]) -> None:
        self.months: dict[str, int] = {}
        self.stems: dict[str, int] = {}  # Russian and Ukrainian months decline: "март", "марта", "в марте"
        self.relative: dict[str, tuple[int, str]] = {}
        self.units: dict[str, str] = {}
        ago = self._read_locales(codes)
        self.since = re.compile(rf"^(?:{'|'.join(_SINCE[c] for c in codes)})$", re.I)
        self.compiled = [(kind, re.compile(pattern, re.IGNORECASE)) for kind, pattern in self._patterns(codes, ago)]
        self.inner = [(k, p) for k, p in self.compiled if k in ("day", "month", "year")]

    def _read_locales(self, codes: tuple[str, ...]) -> list[str]:
        """Month names, relative phrases and unit words of each language from dateparser; its words for "ago"."""
        ago: list[str] = []
        for code in codes:
            info = _locale(code)
            for number, key in enumerate(_MONTH_KEYS, 1):
                names = [name.lower().rstrip(".") for name in info.get(key, [])]
                self.months.update({name: number for name in names if len(name) >= 3})
                stem = _common_prefix([name for name in names if len(name) >= 4])
                if code in _SLAVIC and len(stem) >= 3:
                    self.stems[stem] = number
            for key, phrases in info.get("relative-type", {}).items():
                if m := re.fullmatch(r"(\d+) (day|week|month|year) ago", key):
                    self.relative.update({p.lower(): (int(m[1]), m[2]) for p in phrases if p != "till date"})
            for unit in ("day", "week", "month", "year"):
                self.units.update({w.lower(): unit for w in [*info.get(unit, []), unit, unit + "s"] if len(w) > 1})
            ago += info.get("ago", [])
        if "ru" in codes:
            self.months["мае"] = 5  # "в мае": май and мая are too short to stand for their other forms
        self.relative.update({"the past week": (1, "past"), "the last week": (1, "past"), "past week": (1, "past")})
        return ago

    def _patterns(self, codes: tuple[str, ...], ago: list[str]) -> list[tuple[str, str]]:
        """(kind, regular expression) for every form a time takes in a question; the kinds `_read` knows."""
        month = _alternatives(self.months)
        if self.stems:
            month = rf"(?:{_alternatives(self.stems)})\w{{0,6}}|{month}"
        pick = lambda table: "|".join(table[c] for c in codes)  # noqa: E731
        prep = pick(_IN)
        day = r"(?P<day>[0-3]?\d)(?:st|nd|rd|th|\.|-?го|-?е)?"
        year = rf"(?P<year>{_YEAR})"
        months = rf"(?P<month>{month})\.?"
        tail = rf"(?:,?\s+(?:de\s+|of\s+)?{year}(?:\s*(?:года|году|г\.|року|р\.))?)?"
        units = _alternatives(self.units)
        return [
            ("range", rf"(?<!\w)(?P<rel>{pick(_SINCE)}|{pick(_BEFORE)})\s+(?P<what>(?:{day}\s+(?:de\s+)?)?"
                      rf"(?:{month})\.?(?:\s+[0-3]?\d\w*)?{tail.replace('?P<year>', '')}|{_YEAR})(?!\w)"),
            ("iso", rf"(?<!\w)(?:(?:{prep})\s+)?(?P<year>{_YEAR})-(?P<month>[01]\d)-(?P<day>[0-3]\d)(?!\w)"),
            ("day", rf"(?<!\w)(?:(?:{prep})\s+)?{day}\s+(?:de\s+)?{months}{tail}(?!\w)"),
            ("day", rf"(?<!\w)(?:(?:{prep})\s+)?{months}\s+{day}{tail}(?!\w)"),
            ("month", rf"(?<!\w)(?:(?P<prep>{prep})\s+)?{months}{tail}(?!\w)"),
            ("year", rf"(?<!\w)(?:(?P<prep>{prep})\s+)?(?:the year\s+)?{year}(?:\s*(?:года|году|г\.|року|р\.))?"
                     rf"(?![\w-])"),
            ("between", rf"(?<!\w)(?:from|between)\s+(?P<y1>{_YEAR})\s+(?:to|and|until)\s+(?P<y2>{_YEAR})(?!\w)"),
            ("past", rf"(?<!\w)(?:in\s+)?(?:the\s+)?(?:past|last)\s+(?P<n>\d+|{_alternatives(_SMALL_NUMBERS)})"
                     rf"\s+(?P<unit>{units})(?!\w)"),
            ("ago", rf"(?<!\w)(?P<n>\d+|{_alternatives(_SMALL_NUMBERS)})\s+(?P<unit>{units})\s+(?:{_alternatives(ago)})"
                    rf"(?!\w)|(?<!\w)(?:{_alternatives(ago)})\s+(?P<n2>\d+)\s+(?P<unit2>{units})(?!\w)"),
            ("relative", rf"(?<!\w)(?:{_alternatives(self.relative)})(?!\w)"),
            ("latest", rf"(?<!\w)(?:{pick(_LATEST)})(?!\w)"),
            ("event", rf"(?<!\w)(?:{pick(_EVENT)})(?!\w)"),
        ]

    def parse(self, question: str, today: dt.date) -> TimeAsk:
        """A period if there is one, else the leftmost (then longest) expression that reads as a time (a match can
        still read as none: "in May")."""
        found = []
        for kind, pattern in self.compiled:
            for m in pattern.finditer(question):
                if (ask := self._read(kind, m, today)) is not None:
                    found.append((m.start(), -m.end(), m, ask))
                    break
        if not found:
            return TimeAsk(rest=question)
        _, _, m, ask = min(found, key=lambda f: (f[3].kind != PERIOD, *f[:2]))  # a period says most
        rest = " ".join((question[:m.start()] + " " + question[m.end():]).split()).strip(" ,:;")
        rest = re.sub(r"\s+([?.!,])", r"\1", rest)
        return replace(ask, words=m.group(0).strip(), rest=rest or question)

    def _read(self, kind: str, m: re.Match[str], today: dt.date) -> TimeAsk | None:
        g = m.groupdict()
        if kind == "latest":
            return TimeAsk(LATEST)
        if kind == "event":
            return TimeAsk(EVENT)
        if kind == "between":
            return _period(dt.date(int(g["y1"]), 1, 1), dt.date(int(g["y2"]), 12, 31), today, explicit=True)
        if kind == "relative":
            return _relative(*self.relative[m.group(0).lower()], today)
        if kind in ("past", "ago"):
            n = _number(g.get("n") or g.get("n2"))
            unit = self.units.get((g.get("unit") or g.get("unit2") or "").lower())
            if n is None or unit is None or n > 3660:
                return None
            return _period(_shift(today, -n, unit), today, today) if kind == "past" else _relative(n, unit, today)
        if kind == "range":
            return self._range(g["rel"], g["what"], today)
        if kind in ("month", "year") and not self._anchored(kind, m):
            return None
        span = self._span(g, today)
        return _period(*span, today, explicit=True) if span else None

    def _anchored(self, kind: str, m: re.Match[str]) -> bool:
        """A bare month or year names a period only after a preposition ("in 1986", "в марте") or, a month, with
        its year ("March 2025"): "the 1973 oil crisis" and "Julio Iglesias" do not; an English "may" needs its
        capital ("it may rain")."""
        if kind == "month" and m.group("month") == "may":
            return False
        return bool(m.group("prep")) or (kind == "month" and m.group("year") is not None)

    def _range(self, relation: str, what: str, today: dt.date) -> TimeAsk | None:
        for _, pattern in self.inner:
            if (inner := pattern.fullmatch(what)) and (span := self._span(inner.groupdict(), today)):
                if self.since.match(relation):
                    return _period(span[0], today, today, explicit=True)
                return _period(EARLIEST, span[0] - dt.timedelta(days=1), today, explicit=True)
        return None

    def _span(self, g: dict[str, str | None], today: dt.date) -> tuple[dt.date, dt.date] | None:
        """The days a day, month or year stands for; a month without its year is the latest one up to today."""
        month, year = g.get("month"), int(g["year"]) if g.get("year") else None
        number = (int(month) if month.isdigit() else self._month(month)) if month else None
        if month and not number or number and not 1 <= number <= 12:
            return None
        if number is None:
            return (dt.date(year, 1, 1), dt.date(year, 12, 31)) if year else None
        if year is None:
            year = today.year if number <= today.month else today.year - 1
        if g.get("day"):
            try:
                day = dt.date(year, number, int(g["day"]))
            except ValueError:
                return None
            return day, day
        start = dt.date(year, number, 1)
        return start, _month_end(start)

    def _month(self, name: str) -> int | None:
        name = name.lower().rstrip(".")
        if name in self.months:
            return self.months[name]
        return next((n for stem, n in sorted(self.stems.items(), key=lambda s: -len(s[0])) if name.startswith(stem)),
                    None)


def _common_prefix(names: list[str]) -> str:
    prefix = names[0] if names else ""
    for name in names[1:]:
        while not name.startswith(prefix):
            prefix = prefix[:-1]
    return prefix


def _number(text: str | None) -> int | None:
    if not text:
        return None
    return int(text) if text.isdigit() else _SMALL_NUMBERS.get(text.lower())


def _period(start: dt.date, end: dt.date, today: dt.date, explicit: bool = False) -> TimeAsk | None:
    return TimeAsk(PERIOD, start, end, explicit=explicit) if start <= end else None


def _month_end(start: dt.date) -> dt.date:
    return (start.replace(day=28) + dt.timedelta(days=4)).replace(day=1) - dt.timedelta(days=1)


def _shift(day: dt.date, n: int, unit: str) -> dt.date:
    if unit == "day":
        return day + dt.timedelta(days=n)
    if unit == "week":
        return day + dt.timedelta(weeks=n)
    if unit == "month":
        month = day.month - 1 + n
        return dt.date(day.year + month // 12, month % 12 + 1, min(day.day, 28))
    return day.replace(year=day.year + n, day=min(day.day, 28))


def _relative(n: int, unit: str, today: dt.date) -> TimeAsk | None:
    """n units back as a calendar period: 0 days = today, 1 day = yesterday, 1 week = last Monday–Sunday…"""
    if unit == "past":
        return _period(today - dt.timedelta(days=7), today, today)
    if unit == "day":
        day = today - dt.timedelta(days=n)
        return _period(day, day, today)
    if unit == "week":
        monday = today - dt.timedelta(days=today.weekday(), weeks=n)
        return _period(monday, min(monday + dt.timedelta(days=6), today), today)
    if unit == "month":
        start = _shift(today.replace(day=1), -n, "month").replace(day=1)
        return _period(start, min(_month_end(start), today), today)
    return _period(dt.date(today.year - n, 1, 1), min(dt.date(today.year - n, 12, 31), today), today)
