"""The article list narrowed by date: `/sources 7d`, `/list 2025-11`, `python -m bot list 2025`.

A span is written the same short way everywhere (and fits in a button's 64 bytes): `7d`, `2w` (the last days or
weeks, today included), `2025`, `2025-11`, `2025-11-20`, `today`, `yesterday`, or `latest` (every article,
newest first). Articles are dated by `Article.day`: their own date, else the day they were added.
"""
from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from dataclasses import dataclass

from ..models import Article

USAGE = "7d, 2w, 2025, 2025-11, 2025-11-20, today, yesterday or latest"
MAX_DAYS = 36_600
_SPAN = re.compile(r"(?P<n>\d{1,5})(?P<unit>[dw])|(?P<y>\d{4})(?:-(?P<m>\d{2})(?:-(?P<d>\d{2}))?)?"
                   r"|(?P<word>today|yesterday|latest)", re.ASCII)


@dataclass(frozen=True)
class Span:
    token: str  # as written in a command and a button: "7d", "2025-11"
    start: dt.date | None  # None for `latest`: no bounds
    end: dt.date | None
    label: str  # "the last 7 days", "November 2025"


def parse_span(text: str, today: dt.date) -> Span | None:
    """The span `text` stands for, or None when it is none of the forms above (a bad month, "99x")."""
    token = text.strip().lower()
    m = _SPAN.fullmatch(token)
    if m is None:
        return None
    if m["word"] == "latest":
        return Span(token, None, None, "newest first")
    if m["word"]:
        day = today - dt.timedelta(days=token == "yesterday")
        return Span(token, day, day, token)
    if m["n"]:
        days = int(m["n"]) * (7 if m["unit"] == "w" else 1)
        if not 0 < days <= MAX_DAYS:
            return None
        label = f"the last {m['n']} {'week' if m['unit'] == 'w' else 'day'}{'s' if m['n'] != '1' else ''}"
        return Span(token, today - dt.timedelta(days=days - 1), today, label)
    return _calendar(token, int(m["y"]), m["m"], m["d"])


def _calendar(token: str, year: int, month: str | None, day: str | None) -> Span | None:
    try:
        if day:
            start = end = dt.date(year, int(month), int(day))
            return Span(token, start, end, f"{start.day} {start:%b %Y}")
        if month:
            start = dt.date(year, int(month), 1)
            end = (start.replace(day=28) + dt.timedelta(days=4)).replace(day=1) - dt.timedelta(days=1)
            return Span(token, start, end, f"{start:%B %Y}")
        return Span(token, dt.date(year, 1, 1), dt.date(year, 12, 31), str(year))
    except ValueError:  # month 13, 31 February, year 0
        return None


def newest_first(articles: Iterable[Article]) -> list[Article]:
    """By date, newest first (undated ones last); articles of one day in the order given."""
    listed = list(articles)
    return sorted(listed, key=lambda a: -(a.day or dt.date.min).toordinal())


def within(articles: Iterable[Article], span: Span | None) -> list[Article]:
    """The articles dated within `span`, in the order given (all of them for None or `latest`)."""
    if span is None or span.start is None:
        return list(articles)
    return [a for a in articles if a.day and span.start <= a.day <= span.end]
