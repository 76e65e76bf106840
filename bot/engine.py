"""Question → answer: the corpus, its tokens and the BM25 index, and the rule that decides "not found".

This is the plain-Python entry point that the CLI, the Telegram handlers and the tests all call.
"""
from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import NamedTuple

from .corpus import CorpusScan, scan_corpus
from .examples import example_questions
from .gate import confidence
from .index import BM25Index
from .models import Answer, Article, Passage
from .ranking import DEPTH, Candidate, Question, Ranked, rerank
from .settings import Settings
from .tokenizer import Tokenizer

# Tuned on SQuAD v1.1 dev (see README, Quality); rank-bm25's defaults are 1.5 / 0.75.
K1 = 0.9
B = 0.6


@dataclass(frozen=True)
class Located:
    """Where paragraph number `n` of the index lives."""

    article: Article
    paragraph_index: int


class Results(NamedTuple):
    ranked: list[tuple[Located, Ranked]]
    confidence: float  # the gate's confidence that the first passage answers (see gate)


@dataclass(frozen=True)
class View:
    """Articles, paragraph locations and index that belong together; replaced as one object on change,
    so a question answered during an add or remove sees either the old corpus or the new one."""

    articles: list[Article]
    locations: list[Located]
    index: BM25Index


class Engine:
    """Answers questions over a set of articles that admins can change while questions are answered."""

    def __init__(self, articles: Sequence[Article], tokenizer: Tokenizer | None = None,
                 min_coverage: float = 0.5, errors: dict[str, str] | None = None,
                 k1: float = K1, b: float = B) -> None:
        self.tokenizer = tokenizer or Tokenizer()
        self.min_coverage = min_coverage
        self.errors = dict(errors or {})
        self.k1, self.b = k1, b
        self.view = self._build(list(articles))

    def _build(self, articles: list[Article]) -> View:
        locations = [Located(a, i) for a in articles for i in range(len(a.paragraphs))]
        index = BM25Index((self.tokenizer(loc.article.paragraphs[loc.paragraph_index].text) for loc in locations),
                          k1=self.k1, b=self.b)
        return View(articles, locations, index)

    @property
    def articles(self) -> list[Article]:
        return self.view.articles

    @property
    def locations(self) -> list[Located]:
        return self.view.locations

    @property
    def index(self) -> BM25Index:
        return self.view.index

    def add_articles(self, articles: Sequence[Article]) -> None:
        """Make new articles answerable (callers serialise changes; readers are never blocked)."""
        self.view = self._build(self.view.articles + list(articles))

    def remove_articles(self, article_ids: set[str]) -> None:
        """Stop answering from these articles at once."""
        self.view = self._build([a for a in self.view.articles if a.id not in article_ids])

    @classmethod
    def load(cls, settings: Settings) -> "Engine":
        scan: CorpusScan = scan_corpus(settings.corpus_dir)
        return cls(scan.articles, Tokenizer(settings.language), settings.min_coverage, scan.errors)

    @property
    def paragraph_count(self) -> int:
        return len(self.locations)

    @property
    def _max_idf(self) -> float:
        """The idf of a term in one paragraph of the corpus: the highest BM25 can give."""
        return math.log((self.index.size + 0.5) / 0.5)

    def _weight(self, term: str) -> float:
        """A term's idf; a term the corpus has never seen weighs as much as the rarest possible one."""
        if term in self.index.vocabulary:
            return max(self.index.term_idf(term), 0.0)
        return self._max_idf

    def rank(self, question: str, limit: int) -> Results:
        """The best paragraphs for a question, best first: BM25's top candidates re-ranked (see ranking),
        with the gate's confidence in the first one."""
        view = self.view
        parsed = Question.parse(question, self.tokenizer, self._weight)
        if not parsed.weights:
            return Results([], 0.0)
        candidates = []
        for n, score in view.index.top_k(parsed.terms, max(limit, DEPTH)):
            loc = view.locations[n]
            paragraph = loc.article.paragraphs[loc.paragraph_index]
            heading = f"{loc.article.title} {paragraph.section or ''}"
            candidates.append(Candidate(n, score, paragraph.text, heading))
        ranked = rerank(parsed, candidates, self.tokenizer)[:limit]
        sure = confidence(parsed, ranked[0].evidence, self._max_idf) if ranked else 0.0
        return Results([(view.locations[r.number], r) for r in ranked], sure)

    def ask(self, question: str, limit: int = 5) -> Answer:
        """The best passage (or None when the corpus has no good answer) and up to `limit - 1` alternatives."""
        results = self.rank(question, limit)
        if not results.ranked or results.confidence < self.min_coverage:
            return Answer(question, None)
        passages = [Passage(loc.article, loc.paragraph_index, r.score, r.evidence.best_sentence)
                    for loc, r in results.ranked]
        return Answer(question, passages[0], tuple(passages[1:]))

    def example_questions(self, n: int = 3) -> list[str]:
        """Questions (or topics) the corpus can answer, from the newest articles."""
        return example_questions(reversed(self.articles), n)

    def article(self, article_id: str) -> Article | None:
        return next((a for a in self.articles if a.id == article_id), None)

