"""Time words of questions in the six languages, read against a fixed today (Friday 21 Nov 2025)."""
import datetime as dt

import pytest

from bot.search.time_words import EVENT, LATEST, NONE, PERIOD, read_time
from tests.support.revisions import TODAY

CASES = [
    ("how many soldiers died?", NONE, None),
    ("How much was the U.K. current account deficit?", NONE, None),  # "current" is a statistic here
    ("How may I help?", NONE, None),
    ("What is the sun made of?", NONE, None),
    ("What happened in the 1973 oil crisis?", NONE, None),  # a bare year is an event's
    ("When did Julio Iglesias sing?", NONE, None),
    ("latest death toll", LATEST, None),
    ("how many died so far", LATEST, None),
    ("How much is it now?", LATEST, None),
    ("How many died yesterday?", PERIOD, ("2025-11-20", "2025-11-20")),
    ("What happened this week?", PERIOD, ("2025-11-17", "2025-11-21")),
    ("What happened last week?", PERIOD, ("2025-11-10", "2025-11-16")),
    ("What happened last month?", PERIOD, ("2025-10-01", "2025-10-31")),
    ("Who won in 2024?", PERIOD, ("2024-01-01", "2024-12-31")),
    ("what happened in january", PERIOD, ("2025-01-01", "2025-01-31")),
    ("What did he say in May?", PERIOD, ("2025-05-01", "2025-05-31")),
    ("What did he say in December?", PERIOD, ("2024-12-01", "2024-12-31")),  # the latest December
    ("How much, as reported on March 19, 1987?", PERIOD, ("1987-03-19", "1987-03-19")),
    ("How much, as reported on 19 March 1987?", PERIOD, ("1987-03-19", "1987-03-19")),
    ("What happened on 2025-11-20?", PERIOD, ("2025-11-20", "2025-11-20")),
    ("How many since March?", PERIOD, ("2025-03-01", "2025-11-21")),
    ("How much before April 1987?", PERIOD, ("0001-01-01", "1987-03-31")),
    ("What happened 3 days ago?", PERIOD, ("2025-11-18", "2025-11-18")),
    ("Any news in the past 2 weeks?", PERIOD, ("2025-11-07", "2025-11-21")),
    ("What happened before the election?", EVENT, None),
    ("Wie hoch war das Defizit letzte Woche?", PERIOD, ("2025-11-10", "2025-11-16")),
    ("Wie viele Soldaten sind bisher gestorben?", LATEST, None),
    ("Was geschah gestern?", PERIOD, ("2025-11-20", "2025-11-20")),
    ("Wie hoch war die Inflation im März 2025?", PERIOD, ("2025-03-01", "2025-03-31")),
    ("Was geschah am 20. November 2025?", PERIOD, ("2025-11-20", "2025-11-20")),
    ("Was sagte er vor 3 Tagen?", PERIOD, ("2025-11-18", "2025-11-18")),
    ("¿Cuántos murieron ayer?", PERIOD, ("2025-11-20", "2025-11-20")),
    ("¿Cuál es la inflación en marzo de 2025?", PERIOD, ("2025-03-01", "2025-03-31")),
    ("¿Cuántos soldados han muerto hasta ahora?", LATEST, None),
    ("¿Qué pasó la semana pasada?", PERIOD, ("2025-11-10", "2025-11-16")),
    ("сколько солдат погибло", NONE, None),
    ("Сколько солдат погибло на данный момент?", LATEST, None),
    ("Какая инфляция сейчас?", LATEST, None),
    ("Сколько погибло на прошлой неделе?", PERIOD, ("2025-11-10", "2025-11-16")),
    ("Сколько солдат погибло вчера?", PERIOD, ("2025-11-20", "2025-11-20")),
    ("Что было в марте 2025 года?", PERIOD, ("2025-03-01", "2025-03-31")),
    ("Что было в январе?", PERIOD, ("2025-01-01", "2025-01-31")),
    ("Что было в мае?", PERIOD, ("2025-05-01", "2025-05-31")),
    ("Что случилось в машине?", NONE, None),
    ("Сколько погибло с марта?", PERIOD, ("2025-03-01", "2025-11-21")),
    ("Сколько погибло в 2024 году?", PERIOD, ("2024-01-01", "2024-12-31")),
    ("Скільки загинуло вчора?", PERIOD, ("2025-11-20", "2025-11-20")),
    ("Скільки загинуло у травні?", PERIOD, ("2025-05-01", "2025-05-31")),
    ("Скільки солдатів загинуло досі?", LATEST, None),
    ("كم عدد القتلى؟", NONE, None),
    ("كم عدد القتلى حتى الآن؟", LATEST, None),
    ("ماذا حدث أمس؟", PERIOD, ("2025-11-20", "2025-11-20")),
    ("ماذا حدث الأسبوع الماضي؟", PERIOD, ("2025-11-10", "2025-11-16")),
    ("ماذا حدث في يناير 2025؟", PERIOD, ("2025-01-01", "2025-01-31")),
]


@pytest.mark.parametrize(("question", "kind", "days"), CASES)
def test_time_words_are_read_in_six_languages(question: str, kind: str, days: tuple[str, str] | None) -> None:
    asked = read_time(question, TODAY)
    assert asked.kind == kind
    assert ((asked.start.isoformat(), asked.end.isoformat()) if asked.start else None) == days


def test_the_question_without_its_time_words_is_kept() -> None:
    asked = read_time("How many soldiers died last week?", TODAY)
    assert (asked.words, asked.rest) == ("last week", "How many soldiers died?")
    assert asked.label == "last week (10–16 Nov 2025)"
    assert read_time("what happened in January?", TODAY).label == "January 2025"
    assert read_time("how many died before 2025?", TODAY).label == "before 1 Jan 2025"
    assert read_time("how many soldiers died?", TODAY).rest == "how many soldiers died?"


def test_impossible_dates_are_no_day() -> None:
    assert read_time("What happened on 31 February 2025?", TODAY).label == "February 2025"
    assert read_time("What happened on 2025-13-01?", TODAY).kind == NONE


def test_relative_periods_follow_today() -> None:
    asked = read_time("what happened yesterday?", dt.date(2026, 3, 1))
    assert asked.start == asked.end == dt.date(2026, 2, 28)
