"""News changes: the newest of differing reports first, and questions about time answered in time.

A layer over the engine's ranking (`Engine.ask` calls `in_time`), reading the question's time words (see
time_words) and each article's date (`Article.day`: published, else the day it was added):

1. A period ("yesterday", "last week", "in March 2025", "since 2024"): the question without its time words is
   ranked among the articles of that period only (the index's `exclude` mask, so nothing outside can slip in),
   and that winner is taken if it passes the gate and is not much worse a match than the winner outside it (an
   event's year, "in 1066", must not pull in a poor passage). Else the unrestricted answer stands, and the reply
   says that nothing from the period answers. A question that is nothing but time words ("what happened in
   January?") lists the period's articles, newest first.
2. Words asking for the latest ("latest", "so far", "now"): the question without them, with a capped preference
   for the newest candidates (at most `latest_cap` added to a score, halved per `half_life` days older than the
   newest candidate): a much better older match still wins.
3. Revised facts, for any question that asks for a figure ("how many/much") or a date ("when"): when the best
   passages of two or more dated articles answer it with different values, the newest leads (unless it scores
   `margin` or more below the leader: a clearly worse match does not win by date alone) and the older values are
   given as earlier reports.

A question without time words is ranked exactly as before unless rule 3 finds differing reports among dated
articles; over undated articles nothing changes at all. The figures behind each constant: docs/recency.md.
"""
from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from dataclasses import dataclass, replace
from functools import lru_cache
from typing import TYPE_CHECKING

import numpy as np

from ..models import Article, EarlierReport, TimeNote
from ..sentences import split_sentences
from .ranking import WEIGHTS, Evidence, Question, Ranked, asks_quantity, asks_time
from .time_words import EARLIEST, EVENT, LATEST, PERIOD, TimeAsk, read_time
from .tokenizer import Tokenizer

if TYPE_CHECKING:
    from .engine import Engine, Located, Results


@dataclass(frozen=True)
class Tuning:
    depth: int = 10  # candidates the layer reads
    margin: float = 0.25  # the newest report leads unless it scores this much below the leader (score units)
    min_sentence: float = 0.6  # a report's best sentence holds this share of the question's idf mass...
    tolerance: float = 0.05  # ...and no less than the best report's share minus this
    latest_cap: float = 0.5  # "latest": at most this much added to a score...
    half_life: float = 30.0  # ...halved for every this many days older than the newest candidate
    period_drop: float = 0.1  # the period's winner may have this much less gate confidence than the one outside
    strip_explicit: bool = True  # rank inside a period without its words ("in March 2025") too
    revised: bool = True
    same_story: bool = True  # the reports' headlines share a word with the leader's


TUNING = Tuning()


@dataclass(frozen=True)
class Timed:
    """The candidates in their final order, the older reports of the leader's figure, and what to say about time."""

    results: Results
    time: TimeAsk
    earlier: tuple[EarlierReport, ...] = ()
    note: TimeNote | None = None  # e.g. "Nothing from March 2025 answers this; …", shown above the answer
    moved: str = ""  # what reordered the engine's answer: "", "period", "missed", "browse", "latest", "revised"


_NOTES = {"browse": "Articles from {label}, newest first.", "nothing": "Nothing from {label} answers this.",
          "closest": "Nothing from {label} answers this; this is the closest match.",
          "newest": "The newest articles first."}


def time_note(kind: str, ask: TimeAsk) -> TimeNote:
    """What to say about how the question's time words were taken (see `TimeNote`)."""
    if kind == "newest" or not ask.start or not ask.end:
        return TimeNote(kind, _NOTES[kind].format(label=ask.label))
    return TimeNote(kind, _NOTES[kind].format(label=ask.label), ask.start, ask.end,
                    "" if ask.explicit else ask.words, ask.start == EARLIEST)


def in_time(engine: Engine, question: str, limit: int, today: dt.date, tuning: Tuning = TUNING,
            languages: Sequence[str] | None = None) -> Timed:
    """The engine's ranking of `question` with the rules above applied; `limit` passages at most. `languages`:
    the question's readings (see `Engine.rank`), for every ranking done here."""
    ask = read_time(question, today)
    depth = max(limit, tuning.depth)
    base = engine.rank(question, depth, fill=False, languages=languages)
    timed = Timed(base, ask)
    if ask.kind == PERIOD:
        timed = _in_period(engine, question, ask, base, depth, today, tuning, languages)
    elif ask.kind == LATEST:
        timed = _latest(engine, ask, base, depth, tuning, languages)
    if tuning.revised and ask.kind != EVENT and timed.moved != "browse":
        timed = _revised(engine, timed, ask.rest, tuning)
    return replace(timed, results=_cut(timed.results, limit))


# --- 1. periods --------------------------------------------------------------------------------------------------

def _in_period(engine: Engine, question: str, ask: TimeAsk, base: Results, depth: int, today: dt.date,
               tuning: Tuning, languages: Sequence[str] | None) -> Timed:
    query = ask.rest if tuning.strip_explicit or not ask.explicit else question
    period = (ask.start, ask.end)
    if base.ranked and all(_dated_within(loc.article, period) for loc, _ in base.ranked):
        return Timed(base, ask)  # all within it already ("after 1945" over this year's news): nothing to restrict
    inside = engine.rank(query, depth, period, fill=False, languages=languages)
    outside = base if query == question else engine.rank(query, depth, fill=False, languages=languages)
    if inside.ranked and inside.confidence >= max(engine.min_confidence, outside.confidence - tuning.period_drop):
        return Timed(inside, ask, moved="period")
    only_time = _only_time_words(ask.rest, _reading(engine, base))
    if only_time and (listed := browse(engine, period, depth)).ranked:
        return Timed(listed, ask, note=time_note("browse", ask), moved="browse")
    closest = _closest(engine, base, None if only_time else outside)
    if closest is None:
        return Timed(base, ask, note=time_note("nothing", ask))
    if closest is base and base.ranked[0][0].article.day and not _in_or_names(base, ask) and outside.ranked and \
            outside.confidence >= engine.min_confidence:
        closest = outside  # a dated answer of another time: the time words matched nothing, the rest decides
    if ask.end >= today:  # nothing "this week" answers: at least the newest of the rest first
        closest = _prefer_newest(engine, closest, tuning)
    if _in_or_names(closest, ask):
        return Timed(closest, ask)
    return Timed(closest, ask, note=time_note("closest", ask), moved="missed")


def _closest(engine: Engine, base: Results, outside: Results | None) -> Results | None:
    """The answer from any time: to the whole question when it passes the gate ("in 1066" may be the event's
    time), else to the question without its time words ("last week" is in no text; None when nothing is left of
    it but "what happened") among dated articles (over undated ones the engine's own answer stands)."""
    if base.ranked and base.confidence >= engine.min_confidence:
        return base
    if outside is None:
        return None
    dated = any(loc.article.day for loc, _ in outside.ranked)
    return outside if dated and outside.ranked and outside.confidence >= engine.min_confidence else None


def _in_or_names(results: Results, ask: TimeAsk) -> bool:
    """The first passage is of the period, or names it: the time words were matched after all."""
    first = results.ranked[0][0]
    return _dated_within(first.article, (ask.start, ask.end)) or _names_period(first, ask)


def _dated_within(article: Article, period: tuple[dt.date, dt.date]) -> bool:
    return article.day is not None and period[0] <= article.day <= period[1]


def _names_period(loc: Located, ask: TimeAsk) -> bool:
    """The passage itself names the period ("the 1066 invasion"): the question was about an event's time."""
    text = loc.article.paragraphs[loc.paragraph_index].text
    return ask.explicit and (ask.words.lower() in text.lower() or str(ask.start.year) in text)


# Words that leave nothing to search for once the time words are gone ("what happened in January?").
_GENERIC = {
    "en": "what what's whats happened happen happening news new there any tell me about events stories articles "
          "show is was were going on",
    "ru": "что как какие случилось произошло было новости нового новенького",
    "uk": "що як які сталося трапилося відбулося було новини нового",
    "de": "was gibt es ist passiert geschah neues nachrichten gab",
    "es": "qué que pasó ocurrió sucedió hay noticias novedades ha",
    "ar": "ماذا ما حدث الأخبار أخبار جديد هي",
}


@lru_cache(maxsize=8)
def _generic_terms(tokenizer: Tokenizer) -> frozenset[str]:
    return frozenset(t for words in _GENERIC.values() for word in words.split() for t in tokenizer(word))


def _only_time_words(rest: str, tokenizer: Tokenizer) -> bool:
    return set(tokenizer(rest)) <= _generic_terms(tokenizer)


def _reading(engine: Engine, results: Results) -> Tokenizer:
    """The analysis the question was read in for `results`."""
    return engine.analyzer(results.language) if results.language else engine.tokenizer


def browse(engine: Engine, period: tuple[dt.date, dt.date] | None, limit: int) -> Results:
    """The first paragraph of each article dated within `period` (all dated ones when None), newest first: the
    answer to a question that asks only for a time."""
    view = engine.view
    days = view.days
    inside = days > 0 if period is None else (days >= period[0].toordinal()) & (days <= period[1].toordinal())
    numbers = np.nonzero(inside & view.index.alive[:len(days)])[0]
    leads = [int(n) for n in numbers if view.locations[n].paragraph_index == 0]
    leads.sort(key=lambda n: (-int(days[n]), n))
    ranked = []
    for n in leads[:limit]:
        loc = view.locations[n]
        text = loc.article.paragraphs[0].text
        sentence = next(iter(split_sentences(text)), text)
        ranked.append((loc, Ranked(n, 0.0, Evidence(0, 0, 0, 0, 0, 0, 0, 0, sentence))))
    return _results(ranked, 1.0, (1.0,) * len(ranked))


# --- 2. the latest -----------------------------------------------------------------------------------------------

def _latest(engine: Engine, ask: TimeAsk, base: Results, depth: int, tuning: Tuning,
            languages: Sequence[str] | None) -> Timed:
    """The question without its time words, the newest candidates preferred; over undated ones, the engine's
    own answer."""
    if _only_time_words(ask.rest, _reading(engine, base)) and (listed := browse(engine, None, depth)).ranked:
        return Timed(listed, ask, note=time_note("newest", ask), moved="browse")
    if not any(loc.article.day for loc, _ in base.ranked):
        return Timed(base, ask)
    results = engine.rank(ask.rest, depth, fill=False, languages=languages)
    if results.confidence < engine.min_confidence <= base.confidence:  # the time words were needed after all
        results = base
    return Timed(_prefer_newest(engine, results, tuning), ask, moved="latest")


def _prefer_newest(engine: Engine, results: Results, tuning: Tuning) -> Results:
    """At most `latest_cap` added to each score, halved per `half_life` days older than the newest candidate;
    a passage that fails the gate gets nothing (it must not be promoted over one that answers)."""
    days = [loc.article.day for loc, _ in results.ranked]
    if not any(days):
        return results
    newest = max(d for d in days if d)

    def boosted(n: int) -> float:
        day, score = days[n], results.ranked[n][1].score
        if day is None or results.confidences[n] < engine.min_confidence:
            return score
        return score + tuning.latest_cap * 0.5 ** ((newest - day).days / tuning.half_life)

    return _reorder(results, sorted(range(len(days)), key=lambda n: -boosted(n)))


# --- 3. revised facts --------------------------------------------------------------------------------------------

_QUALIFIER = (r"about|around|roughly|some|nearly|almost|over|more than|at least|up to|approximately|an estimated|"
              r"as many as|fewer than|less than|just over|just under|около|примерно|более|свыше|почти|порядка|"
              r"близько|приблизно|понад|майже|etwa|rund|über|fast|mehr als|unos|unas|alrededor de|más de|casi|"
              r"cerca de|حوالي|نحو|أكثر من")
_TIME_WORD = re.compile(r"1\d{3}|20\d{2}|\d{1,4}s|january|february|march|april|may|june|july|august|september|"
                        r"october|november|december")
_UNIT = (r"\s*(?:%|pct|per cent|percent)|\s+(?:million|billion|trillion|thousand|mln|bln|dlrs|dollars|euros?|pounds|"
         r"stg|yen|marks|francs|tonnes|tons|barrels|bpd|km|kilometres|kilometers|miles)")
_FIGURE = re.compile(rf"(?<![\w.,/\-])(?:(?P<qualifier>{_QUALIFIER})\s+)?(?P<number>\d[\d,.]*\d|\d)"
                     rf"(?P<unit>(?:{_UNIT})*)(?![\w/-])", re.IGNORECASE)  # not a part of "1-3/4" or "M-1"
_MONTH_BEFORE = re.compile(r"(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?\s*$", re.IGNORECASE)
_THOUSANDS = re.compile(r"[,.](?=\d{3}(?!\d))")


def figure(sentence: str, question: Question) -> tuple[str, str] | None:
    """The first figure of a sentence the question does not itself give, as (key to compare, text to show):
    years and days of the month are not figures ("in 2024", "March 16")."""
    for m in _FIGURE.finditer(sentence):
        number = m["number"].rstrip(".,")
        if number in question.words or _MONTH_BEFORE.search(sentence[max(0, m.start() - 11):m.start()]):
            continue
        if re.fullmatch(r"(?:19|20)\d\d", number) and not m["qualifier"] and not m["unit"]:
            continue
        unit = " ".join(m["unit"].lower().split())
        key = _THOUSANDS.sub("", number) + " " + {"mln": "million", "bln": "billion", "pct": "%",
                                                   "per cent": "%", "percent": "%"}.get(unit, unit)
        shown = m.group(0).rstrip(".,")
        return key.strip(), shown[:1].lower() + shown[1:]
    return None


def _time_value(sentence: str, question: Question) -> tuple[str, str] | None:
    """The first year, decade or (English) month of a sentence that the question does not itself give."""
    for word in re.findall(r"\w+", sentence):
        if _TIME_WORD.fullmatch(word.lower()) and word.lower() not in question.words:
            return word.lower(), word
    return None


def answer_value(sentence: str, question: Question) -> tuple[str, str] | None:
    """What a sentence answers, in the form asked: a figure for "how many/much", a year or month for "when"."""
    if asks_quantity(question.text):
        return figure(sentence, question)
    return _time_value(sentence, question) if asks_time(question.text) else None


@dataclass(frozen=True)
class _Report:
    position: int
    day: dt.date
    key: str
    shown: str


def _reports(results: Results, question: Question, tokenizer: Tokenizer, tuning: Tuning) -> list[_Report]:
    """The dated candidates whose best sentence answers with a value of the asked kind and holds (nearly) as
    much of the question as the best of them: the same question answered, one report per article."""
    valued = []
    for n, (loc, ranked) in enumerate(results.ranked[:tuning.depth]):
        value = answer_value(ranked.evidence.best_sentence, question)
        if value and loc.article.day:
            valued.append((n, loc, ranked, value))
    if not valued:
        return []
    floor = max(tuning.min_sentence * (1 - _asking_share(question, tokenizer)),
                max(r.evidence.sentence for _, _, r, _ in valued) - tuning.tolerance)
    reports, seen = [], set()
    for n, loc, ranked, (key, shown) in valued:
        if ranked.evidence.sentence >= floor and loc.article.id not in seen:
            seen.add(loc.article.id)
            reports.append(_Report(n, loc.article.day, key, shown))
    return reports


def _asking_share(question: Question, tokenizer: Tokenizer) -> float:
    """The share of the question's idf mass in its asking words ("сколько", "wie viele"; English ones are
    stopwords): no passage repeats them, so no report's sentence has to hold them."""
    asking = asks_quantity(question.text) or asks_time(question.text)
    if not asking or question.mass <= 0:
        return 0.0
    return sum(question.weights[t] for t in set(tokenizer(asking.group(0))) & question.weights.keys()) / question.mass


def _revised(engine: Engine, timed: Timed, query: str, tuning: Tuning) -> Timed:
    """The newest of differing reports first (see the module's rule 3), the older ones as `earlier`."""
    results = timed.results
    if not results.ranked or results.confidence < engine.min_confidence or not _asks_value(query):
        return timed  # "not found" stays so
    tokenizer = _reading(engine, results)
    reports = _reports(results, Question.parse(query, tokenizer, engine._weight), tokenizer, tuning)
    newest = _newest(engine, results, reports, tuning)
    older = _older(engine, results, reports, newest, tuning) if newest else []
    if not older:
        return timed
    earlier = tuple(EarlierReport(r.shown, results.ranked[r.position][0].article,
                                  results.ranked[r.position][0].paragraph_index) for r in older)
    order = [newest.position] + [n for n in range(len(results.ranked)) if n != newest.position]
    moved = timed.moved or ("revised" if newest.position else "")
    return replace(timed, results=_reorder(results, order), earlier=earlier, moved=moved)


def _asks_value(question: str) -> bool:
    return bool(asks_quantity(question) or asks_time(question))


def _newest(engine: Engine, results: Results, reports: list[_Report], tuning: Tuning) -> _Report | None:
    """The newest report, when it may lead: the leader is a report too (the rule only reorders answers to the
    same question), their values differ, and it is no clearly worse match (within `margin` of the leader's
    score, through the gate) of the same story."""
    if not reports or reports[0].position != 0 or len({r.key for r in reports}) < 2:
        return None
    newest = max(reports, key=lambda r: (r.day, -r.position))
    leader, latest = _comparable(results, 0, newest.position)
    if latest < leader - tuning.margin:
        return None
    if results.confidences[newest.position] < engine.min_confidence:
        return None
    return newest if _same_story(engine, results, 0, newest.position, tuning) else None


def _comparable(results: Results, one: int, other: int) -> tuple[float, float]:
    """The two passages' scores as the margin compares them. When both headlines state a figure they are two
    reports of it however each is worded ("300 soldiers killed" / "death toll rises to 2,000"), so the title's
    share is left out and what the passages themselves hold decides; otherwise the headline's match counts."""
    (first, a), (second, b) = results.ranked[one], results.ranked[other]
    if _DIGIT.search(first.article.title) and _DIGIT.search(second.article.title):
        return a.score - WEIGHTS["title"] * a.evidence.title, b.score - WEIGHTS["title"] * b.evidence.title
    return a.score, b.score


_DIGIT = re.compile(r"\d")


def _older(engine: Engine, results: Results, reports: list[_Report], newest: _Report,
           tuning: Tuning) -> list[_Report]:
    """The older reports of the newest one's story with other values, newest first, one per value."""
    older: dict[str, _Report] = {}
    for report in sorted(reports, key=lambda r: (r.day, -r.position), reverse=True):
        if report.key != newest.key and report.day < newest.day and \
                _same_story(engine, results, newest.position, report.position, tuning):
            older.setdefault(report.key, report)
    return list(older.values())


def _same_story(engine: Engine, results: Results, one: int, other: int, tuning: Tuning) -> bool:
    """Reports of one story share a word of their headlines ("North Korean"); answers to a "when" from unrelated
    articles ("Airbag", "Ford Focus") do not."""
    titles = (frozenset(engine.analyzer(engine.language_of(results.ranked[n][1].number))(
        results.ranked[n][0].article.title)) for n in (one, other))
    return not tuning.same_story or bool(next(titles) & next(titles))


# --- results -----------------------------------------------------------------------------------------------------

def _results(ranked: list, sure: float, confidences: tuple[float, ...]) -> Results:
    from .engine import Results

    return Results(ranked, sure, (), confidences)  # a list of articles, in no language


def _reorder(results: Results, order: list[int]) -> Results:
    """The same results in another order; every per-passage field follows its passage."""
    confidences = tuple(results.confidences[n] for n in order)
    return results._replace(ranked=[results.ranked[n] for n in order], confidence=confidences[0],
                            confidences=confidences)


def _cut(results: Results, limit: int) -> Results:
    return results._replace(ranked=results.ranked[:limit], confidences=results.confidences[:limit])
