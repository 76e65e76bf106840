"""News changes through the engine: the newest of differing reports first, periods, "latest", and no change at
all for questions without time words."""
from __future__ import annotations

import datetime as dt
from dataclasses import replace

import pytest

from bot.models import Article, Paragraph
from bot.search.engine import Engine
from bot.search.ranking import Question
from bot.search.recency import TUNING, figure, in_time
from bot.search.tokenizer import Tokenizer
from tests.support.revisions import BRIDGE, BUDGET, NEW, REVISED, RU_NEW, RU_OLD, TODAY


@pytest.fixture
def engine() -> Engine:
    engine = Engine(list(REVISED))
    engine.today = lambda: TODAY
    return engine


def ids(answer) -> list[str]:
    return [p.article.id for p in answer.passages]


def test_the_newest_figure_leads_and_the_earlier_one_is_named(engine: Engine) -> None:
    answer = engine.ask("how many soldiers died?")
    assert ids(answer)[:2] == ["nk-2000", "nk-300"]
    [earlier] = answer.earlier
    assert (earlier.value, earlier.article.id) == ("about 300", "nk-300")
    assert earlier.describe() == "about 300, Yonhap, 13 Jan 2025"
    assert answer.to_dict()["earlier"][0]["article"]["date"] == "2025-01-13"


def test_a_clearly_worse_newest_passage_does_not_win_by_date(engine: Engine) -> None:
    vague = Article(id="vague", title="Briefing", published="2025-11-21", outlets=("Wire",),
                    paragraphs=(Paragraph("Some 40 soldiers were seen on the road, and officials said many had died "
                                          "over the years in several wars."),))
    engine.add_articles([vague])
    answer = engine.ask("how many North Korean soldiers died in the Kursk region?")
    assert ids(answer)[0] == "nk-300"
    results = engine.rank("how many North Korean soldiers died in the Kursk region?", 10)
    scores = {loc.article.id: r.score for loc, r in results.ranked}
    assert scores["vague"] < scores["nk-300"] - TUNING.margin


def test_questions_without_time_words_keep_the_engines_order(engine: Engine) -> None:
    for question in ["What did the spy agency say?", "Who told lawmakers about construction workers?",
                     "what did the city council approve?", "Why did the bridge close?"]:
        timed = in_time(engine, question, 5, TODAY)
        assert timed.results.ranked == engine.rank(question, 10, fill=False).ranked[:5] and not timed.earlier, question


def test_over_undated_articles_nothing_changes() -> None:
    undated = [replace(a, published=None, added=None) for a in REVISED]
    engine = Engine(undated)
    for question in ["how many soldiers died?", "how many died so far", "how many soldiers died in January?",
                     "what happened yesterday", "latest death toll"]:
        before = engine.rank(question, 5)
        answer = engine.ask(question, today=TODAY)
        passing = [loc.article.id for (loc, _), sure in zip(before.ranked, before.confidences, strict=True)
                   if sure >= engine.min_confidence]  # alternatives must pass the gate too
        assert [p.article.id for p in answer.passages] == (passing if answer.found else []), question
        assert not answer.earlier


def test_so_far_prefers_the_newest(engine: Engine) -> None:
    answer = engine.ask("how many died so far")
    assert ids(answer)[0] == "nk-2000" and answer.earlier[0].value == "about 300"


def test_a_period_restricts_the_answer_to_its_articles(engine: Engine) -> None:
    answer = engine.ask("how many soldiers died in January?")
    assert ids(answer) == ["nk-300"] and not answer.earlier and not answer.time_note
    answer = engine.ask("How many soldiers died this week?")
    assert ids(answer)[0] == "nk-2000"


def test_a_period_nothing_answers_is_said_above_the_closest_match(engine: Engine) -> None:
    answer = engine.ask("how many soldiers died in March?")
    assert answer.time_note == "Nothing from March 2025 answers this; this is the closest match."
    assert ids(answer)[0] == "nk-2000" and answer.earlier[0].value == "about 300"
    answer = engine.ask("what did the mayor say last week?")
    assert not answer.found and answer.time_note == "Nothing from last week (10–16 Nov 2025) answers this."
    answer = engine.ask("what happened in 1907?")  # not any passage that says "happened"
    assert not answer.found and answer.time_note == "Nothing from 1907 answers this."


def test_a_question_that_is_only_a_time_lists_its_articles_newest_first(engine: Engine) -> None:
    answer = engine.ask("what happened this week?")
    assert ids(answer) == ["nk-2000", "budget", "bridge"]
    assert answer.time_note == "Articles from this week (17–21 Nov 2025), newest first."
    assert ids(engine.ask("what's the latest?")) == ["nk-2000", "budget", "bridge", "nk-300"]
    assert ids(engine.ask("what happened yesterday", today=dt.date(2025, 11, 19))) == ["bridge"]


def test_the_date_of_each_paragraph_follows_adds_and_removes(engine: Engine) -> None:
    late = Article(id="late", title="Ferry strike ends", published="2025-11-21",
                   paragraphs=(Paragraph("Ferry crews went back to work on Friday."),))
    engine.add_articles([late])
    assert ids(engine.ask("what happened today?")) == ["late"]
    engine.remove_articles({"late"})
    assert not engine.ask("what happened today?").found
    day = dt.date(2025, 11, 18)
    assert [loc.article.id for loc, _ in engine.rank("bridge repairs", 5, (day, day)).ranked] == ["bridge"]


def test_an_article_with_only_an_added_date_is_dated_by_it() -> None:
    assert BUDGET.day == dt.date(2025, 11, 19) and BUDGET.date_text == "added on 19 Nov 2025"
    assert NEW.date_text == "20 Nov 2025" and Article(id="x", title="x", paragraphs=()).date_text == ""
    assert BRIDGE.source_dict()["date_text"] == "18 Nov 2025"


def test_russian_questions_over_russian_articles() -> None:
    engine = Engine([*REVISED, RU_OLD, RU_NEW], Tokenizer("russian"), min_confidence=0.4)  # a tiny corpus
    answer = engine.ask("Сколько северокорейских солдат погибло?", today=TODAY)
    assert ids(answer)[0] == "ru-2000" and answer.earlier[0].describe() == "около 300, ТАСС, 14 Jan 2025"
    assert ids(engine.ask("Сколько северокорейских солдат погибло в январе?", today=TODAY)) == ["ru-300"]


@pytest.mark.parametrize(("sentence", "expected"), [
    ("About 300 North Korean soldiers have died.", ("300", "about 300")),
    ("Deaths rose to 2,000 in 2025.", ("2000", "2,000")),
    ("Output fell 1.2 pct in March 16 week.", ("1.2 %", "1.2 pct")),
    ("Sterling M3 rose by 1-3/4 pct in 1987.", None),
])
def test_figures_are_read_as_written(sentence: str, expected) -> None:
    question = Question.parse("how many died?", Tokenizer(), lambda term: 1.0)
    assert figure(sentence, question) == expected
