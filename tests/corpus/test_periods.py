"""Spans that narrow the article list (/sources 7d, /list 2025-11, `list 2025`), and what is not one."""
import datetime as dt

import pytest

from bot.corpus.periods import newest_first, parse_span, within
from tests.support.revisions import BRIDGE, BUDGET, NEW, OLD, TODAY


@pytest.mark.parametrize(("text", "start", "end", "label"), [
    ("7d", "2025-11-15", "2025-11-21", "the last 7 days"),
    ("1d", "2025-11-21", "2025-11-21", "the last 1 day"),
    ("2w", "2025-11-08", "2025-11-21", "the last 2 weeks"),
    ("2025", "2025-01-01", "2025-12-31", "2025"),
    ("2025-11", "2025-11-01", "2025-11-30", "November 2025"),
    ("2024-02", "2024-02-01", "2024-02-29", "February 2024"),
    ("2025-11-20", "2025-11-20", "2025-11-20", "20 Nov 2025"),
    ("Yesterday", "2025-11-20", "2025-11-20", "yesterday"),
])
def test_spans(text: str, start: str, end: str, label: str) -> None:
    span = parse_span(text, TODAY)
    assert (span.start.isoformat(), span.end.isoformat(), span.label) == (start, end, label)


@pytest.mark.parametrize("text", ["99x", "2025-13", "2025-02-30", "0d", "999999d", "7 d", "-7d", "<b>", "20255",
                                  "2025-1", "latest please", ""])
def test_nonsense_is_no_span(text: str) -> None:
    assert parse_span(text, TODAY) is None


def test_articles_newest_first_and_within_a_span() -> None:
    listed = newest_first([OLD, BRIDGE, NEW, BUDGET])
    assert [a.id for a in listed] == ["nk-2000", "budget", "bridge", "nk-300"]
    assert [a.id for a in within(listed, parse_span("2025-11", TODAY))] == ["nk-2000", "budget", "bridge"]
    assert within(listed, parse_span("latest", TODAY)) == listed
    assert within(listed, parse_span("2024", TODAY)) == []
    assert parse_span("latest", TODAY).start is None and dt.date(2025, 11, 19) == BUDGET.day
