"""What re-ranking and the gate cost on top of BM25: the same SQuAD dev questions timed as BM25 top-20 alone
and through the whole engine path (BM25 + re-rank + gate, `Engine.ask`).

    python -m benchmarks.rerank_cost --paragraphs 1000000

Both paths include tokenizing the question and are interleaved in one process, so the ratio holds on a busy
machine even when absolute times do not; each question is asked `LAG` questions after its BM25 timing, so
neither path finds the postings it reads still in the CPU caches from the other. The BM25 side is the retrieval
`ask` itself does (top-`DEPTH`). The limit (issue 6): asking may be at most 2x slower than BM25 retrieval.
"""
from __future__ import annotations

import argparse
import time
from collections.abc import Callable, Iterator
from functools import partial
from pathlib import Path

import numpy as np

from benchmarks.corpora import CORPORA, DATA, questions
from bot.models import Article
from bot.search.engine import Engine
from bot.search.evaluation import distractor_articles
from bot.search.ranking import DEPTH

LAG = 50
WARM_UP = 200


def articles(count: int, data: Path) -> Iterator[Article]:
    """Whole articles (with titles, which the re-ranker reads) from the corpora, until `count` paragraphs."""
    seen = 0
    for name in CORPORA:
        for article in distractor_articles(data / name):
            yield article
            seen += len(article.paragraphs)
            if seen >= count:
                return


def bm25_top(engine: Engine, question: str) -> list[tuple[int, float]]:
    """The retrieval `ask` starts with: the question's tokens, BM25's top `DEPTH`."""
    return engine.index.top_k(engine.tokenizer(question), DEPTH)


def timed(function: Callable[[str], object], question: str) -> float:
    started = time.perf_counter()
    function(question)
    return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--paragraphs", type=int, default=1_000_000)
    parser.add_argument("--questions", type=int, default=2000)
    parser.add_argument("--data", type=Path, default=DATA)
    args = parser.parse_args()

    started = time.perf_counter()
    engine = Engine(list(articles(args.paragraphs, args.data)))
    print(f"index: {engine.paragraph_count:,} paragraphs, built in {time.perf_counter() - started:.0f} s")
    engine.warm_up()  # as the bot does once it has started
    asked = questions([], args.questions + WARM_UP, 0, args.data)
    for question in asked[:WARM_UP]:  # first-use costs (page faults, empty memos) are not per-query costs
        bm25_top(engine, question), engine.ask(question)
    asked = asked[WARM_UP:]  # other questions than the warm-up's: none is timed with its own paragraphs cached
    bm25 = partial(bm25_top, engine)
    plain, full = [], []
    for n, question in enumerate(asked + asked[:LAG]):
        if n < len(asked):
            plain.append(timed(bm25, question))
        if n >= LAG:
            full.append(timed(engine.ask, asked[n - LAG]))
    plain_ms, full_ms = np.asarray(plain) * 1000, np.asarray(full) * 1000
    print(f"{len(asked)} SQuAD dev questions; ms per question")
    print(f"  {'':<34}{'p50':>10}{'p99':>10}{'mean':>10}")
    for name, ms in ((f"BM25 top-{DEPTH}", plain_ms), ("ask (BM25 + re-rank + gate)", full_ms)):
        print(f"  {name:<34}{np.percentile(ms, 50):>10.2f}{np.percentile(ms, 99):>10.2f}{ms.mean():>10.2f}")
    ratios = [np.percentile(full_ms, q) / np.percentile(plain_ms, q) for q in (50, 99)]
    print(f"  {'ratio ask / BM25':<34}{ratios[0]:>9.2f}x{ratios[1]:>9.2f}x{full_ms.mean() / plain_ms.mean():>9.2f}x")


if __name__ == "__main__":
    main()
