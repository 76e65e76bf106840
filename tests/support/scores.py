"""Comparing indexes that number their paragraphs differently."""
from __future__ import annotations

from bot.search.engine import Engine


def live_scores(engine: Engine, query: str) -> dict[tuple[str, int], float]:
    """BM25 score of every live paragraph by article and paragraph number, so two indexes that number their
    paragraphs differently (one built afresh, one saved and brought up to date) can be compared."""
    scores = engine.index.scores(engine.tokenizer(query))
    return {(loc.article.id, loc.paragraph_index): round(float(scores[n]), 9)
            for n, loc in enumerate(engine.locations) if engine.index.alive[n] and scores[n] > 0}
