"""News changes, measured: revised figures, periods and "latest" on the Reuters set, and no change elsewhere.

python -m benchmarks.recency            the Reuters set (benchmarks/data/recency_set.json; all 19,043 dated stories
                                        indexed), the engine alone beside the recency layer
python -m benchmarks.recency --sweep    the same for other margins, recency caps and period guards
python -m benchmarks.recency --same     questions without time words answered as before: SQuAD dev, WikiQA, TrecQA
                                        (undated, as `python -m bot eval` reads them, and with a date per article)
"""
from __future__ import annotations

import argparse
import datetime as dt
import gzip
import json
import time
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

from benchmarks.corpora import DATA
from bot.models import Article, Paragraph
from bot.search.engine import Engine
from bot.search.qa_sets import load as load_qa_set
from bot.search.recency import TUNING, Tuning, in_time
from bot.search.time_words import NONE, read_time
from bot.search.tokenizer import Tokenizer

HERE = Path(__file__).resolve().parent
SET = HERE / "data" / "recency_set.json"
LABELS = HERE / "data" / "recency_labels.json"
REUTERS = DATA / "reuters21578" / "reuters21578.jsonl.gz"
TODAY = dt.date(1987, 10, 21)  # the day after the last story


def reuters_articles(path: Path = REUTERS) -> list[Article]:
    out = []
    with gzip.open(path, "rt") as handle:
        for line in handle:
            story = json.loads(line)
            if story["paragraphs"]:
                day = dt.datetime.strptime(story["date"].split()[0], "%d-%b-%Y").date().isoformat()
                out.append(Article(id=f"r{story['newid']}", title=story["title"] or "", outlets=("Reuters",),
                                   published=day, paragraphs=tuple(Paragraph(p) for p in story["paragraphs"])))
    return out


def _ids(numbers) -> set[str]:
    return {f"r{n}" for n in numbers}


def measure(engine: Engine, data: dict, labels: dict[str, str], tuning: Tuning | None) -> dict[str, float]:
    """Share of questions per figure; `tuning` None is the engine alone (its own order, no layer)."""
    groups = [_ids(i for report in group for i in report["ids"]) for group in data["groups"]]
    flags: dict[str, list[bool]] = defaultdict(list)
    for q in data["questions"]:
        today = dt.date.fromisoformat(q["today"]) if q.get("today") else TODAY
        timed = None if tuning is None else in_time(engine, q["question"], 10, today, tuning)
        ranked = engine.rank(q["question"], 10).ranked if timed is None else timed.results.ranked
        top = ranked[0][0].article if ranked else None
        hit = top is not None and top.id in _ids(q["gold"])
        kind = q["kind"] if q["kind"] in ("plain", "latest", "single") else "period"
        flags[f"{kind}: the right report first"].append(hit)
        if kind == "plain":
            group = groups[q["group"]]
            flags["plain: a report of the same figure first (the ceiling)"].append(top is not None and top.id in group)
            if timed is not None:
                flags["plain: 'Earlier' given"].append(bool(timed.earlier))
                other = timed.moved == "revised" and top.id not in group and \
                    labels.get(f"{q['question']}|{top.id}", "other") == "other"
                flags["plain: moved to another figure's passage"].append(other)
        if kind == "single" and timed is not None:
            flags["single (one report): answer changed"].append(timed.moved != "")
            flags["single: moved to another figure's passage"].append(
                timed.moved != "" and not hit and labels.get(f"{q['question']}|{top.id}", "other") == "other")
        if kind == "period":
            start, end = map(dt.date.fromisoformat, q["period"])
            day = top.day if top else None
            respected = bool(day and start <= day <= end)
            flags["period: the period respected"].append(respected)
            flags[f"period '{q['kind']}': the period respected"].append(respected)
    return {f"{name} ({len(v)})": sum(v) / len(v) for name, v in flags.items() if v}


def table(columns: dict[str, dict[str, float]]) -> str:
    rows = list(dict.fromkeys(r for c in columns.values() for r in c))
    width = max(map(len, rows)) + 2
    lines = ["".ljust(width) + "".join(name.rjust(11) for name in columns)]
    for row in rows:
        lines.append(row.ljust(width) + "".join((f"{c[row]:.3f}" if row in c else "-").rjust(11)
                                                for c in columns.values()))
    return "\n".join(lines)


def reuters_figures(sweep: bool) -> None:
    started = time.perf_counter()
    data = json.loads(SET.read_text())
    labels = {k: v for k, v in json.loads(LABELS.read_text()).items() if k != "_"}
    engine = Engine(reuters_articles(), Tokenizer("english"))
    print(f"{len(data['questions'])} questions over {len(engine.articles)} stories, {engine.paragraph_count} "
          f"paragraphs ({time.perf_counter() - started:.0f} s to index)")
    if not sweep:
        print(table({"engine": measure(engine, data, labels, None), "layer": measure(engine, data, labels, TUNING)}))
    else:
        sweeps = {"margin": (0.0, 0.1, 0.25, 0.5, 1.0, 100.0), "latest_cap": (0.0, 0.25, 0.5, 1.0, 2.0),
                  "period_drop": (0.0, 0.05, 0.1, 0.2, 1.0), "strip_explicit": (False, True),
                  "same_story": (False, True)}
        for name, values in sweeps.items():
            print(f"\n{name}:")
            print(table({f"{value}": measure(engine, data, labels, replace(TUNING, **{name: value}))
                         for value in values}))
    print(f"time: {time.perf_counter() - started:.0f} s")


# --- no time words, no change ------------------------------------------------------------------------------------

def questions_of(name: str) -> tuple[list[Article], list[str]]:
    """A data set's articles and question texts, read as `eval` reads them."""
    data = load_qa_set(DATA / name)
    return data.articles, [qa.text for qa in data.questions]


def dated(articles: list[Article]) -> list[Article]:
    """A date per article, one day apart (2020 on): the revised-fact rule and periods could act now."""
    return [replace(a, published=(dt.date(2020, 1, 1) + dt.timedelta(days=n)).isoformat())
            for n, a in enumerate(articles)]


def changes(articles: list[Article], questions: list[str], today: dt.date) -> Iterator[tuple[str, str, str, str]]:
    """(question, its time kind, what moved, how) for every question whose answer the layer changes."""
    engine = Engine(articles, Tokenizer("english"))
    gate = engine.min_confidence
    for question in questions:
        base = engine.rank(question, 5)
        before = base.ranked[0][0] if base.ranked and base.confidence >= gate else None
        timed = in_time(engine, question, 5, today)
        after = timed.results.ranked[0][0] if timed.results.ranked and timed.results.confidence >= gate else None
        if before != after:
            yield question, read_time(question, today).kind, timed.moved, \
                f"{_where(before)} → {_where(after)}"


def _where(loc) -> str:
    return "not found" if loc is None else f"{loc.article.id}#{loc.paragraph_index}"


def same_answers() -> None:
    started = time.perf_counter()
    sets = {"SQuAD dev": questions_of("squad-dev/dev-v1.1.json.gz"),
            "WikiQA train": questions_of("wikiqa/WikiQA-train.tsv.gz"),
            "TrecQA train": questions_of("trecqa/trecqa-train.csv")}
    today = dt.date(2026, 1, 1)
    for name, (articles, questions) in sets.items():
        timed = sum(read_time(q, today).kind != NONE for q in questions)
        for label, corpus in (("undated", articles), ("dated", dated(articles))):
            changed = list(changes(corpus, questions, today))
            plain = [c for c in changed if c[1] == NONE]
            print(f"{name}, {label}: {len(questions)} questions ({timed} with time words): answer changed for "
                  f"{len(plain)} without time words, {len(changed) - len(plain)} with")
            for change in changed[:8]:
                print("   ", *change, sep=" | ")
    print(f"time: {time.perf_counter() - started:.0f} s")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sweep", action="store_true", help="the figures for other constants of the layer")
    parser.add_argument("--same", action="store_true", help="questions without time words: answers unchanged?")
    args = parser.parse_args()
    same_answers() if args.same else reuters_figures(args.sweep)


if __name__ == "__main__":
    main()
