"""Shared fixtures: the real first article, the shared data folder, a corpus folder in a temp dir."""
from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from bot.search.engine import Engine

REPO = Path(__file__).resolve().parent.parent
SHARED = REPO.parent / "shared"
FIRST_ARTICLE_TXT = SHARED / "000_4b92a0998539b9f3.txt"
DATA = SHARED / "data"


@pytest.fixture
def corpus_dir(tmp_path: Path) -> Path:
    """A copy of the repo's corpus/ that a test may change freely."""
    target = tmp_path / "corpus"
    shutil.copytree(REPO / "corpus", target, ignore=shutil.ignore_patterns(".*"))
    return target


def live_scores(engine: Engine, query: str) -> dict[tuple[str, int], float]:
    """BM25 score of every live paragraph by article and paragraph number, so two indexes that number their
    paragraphs differently (one built afresh, one saved and brought up to date) can be compared."""
    scores = engine.index.scores(engine.tokenizer(query))
    return {(loc.article.id, loc.paragraph_index): round(float(scores[n]), 9)
            for n, loc in enumerate(engine.locations) if engine.index.alive[n] and scores[n] > 0}
