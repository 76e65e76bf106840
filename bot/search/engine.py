"""Question → answer: the corpus, its tokens and the BM25 index, and the rule that decides "not found".

This is the plain-Python entry point that the CLI, the Telegram handlers and the tests all call.
"""
from __future__ import annotations

import datetime as dt
import hashlib
import logging
import math
import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import NamedTuple

import numpy as np

from ..corpus.folder import CorpusScan, scan_corpus
from ..models import Answer, Article, Passage
from .examples import example_questions
from .gate import MIN_CONFIDENCE, confidence, name_share, name_terms
from .index import K1, B, BM25Index
from .ranking import DEPTH, Candidate, Question, Ranked, rerank
from .smalltalk import small_talk
from .spelling import correct, is_common
from .token_stream import tokenize_texts
from .tokenizer import ANALYSIS_VERSION, DEFAULT_LANGUAGE, Tokenizer

log = logging.getLogger(__name__)

INDEX_DIR = ".index"  # inside the corpus folder: hidden, so never taken for an article

@dataclass(frozen=True)
class Located:
    """Where paragraph number `n` of the index lives."""

    article: Article
    paragraph_index: int


class Results(NamedTuple):
    ranked: list[tuple[Located, Ranked]]
    confidence: float  # the gate's confidence that the first passage answers (see gate)
    corrections: tuple[tuple[str, str], ...] = ()  # misspelt words and the terms they were read as
    confidences: tuple[float, ...] = ()  # the gate's in each ranked passage (the others' 0 when the first fails)


@dataclass(frozen=True)
class View:
    """Articles, paragraph locations and index that belong together; replaced as one object on change,
    so a question answered during an add or remove sees either the old corpus or the new one."""

    articles: list[Article]
    locations: list[Located]
    index: BM25Index
    days: np.ndarray  # each paragraph's article date as a day number (0: undated), to rank within a period


def _days(locations: Sequence[Located]) -> np.ndarray:
    return np.array([day.toordinal() if (day := loc.article.day) else 0 for loc in locations], dtype=np.int32)


class Engine:
    """Answers questions over a set of articles that admins can change while questions are answered."""

    today: Callable[[], dt.date] = staticmethod(dt.date.today)  # what "yesterday" counts from (tests fix it)

    def __init__(self, articles: Sequence[Article], tokenizer: Tokenizer | None = None,
                 min_confidence: float = MIN_CONFIDENCE, errors: dict[str, str] | None = None,
                 k1: float = K1, b: float = B, index_dir: Path | None = None) -> None:
        """`index_dir`: where the index is saved; a saved one is loaded (and brought up to date) instead of built."""
        self.tokenizer = tokenizer or Tokenizer()
        self.min_confidence = min_confidence
        # The index changes in place on add/remove; questions and changes may come from different threads
        # (the bot answers on a worker while admins add on others), so index access is serialised. Changes
        # hold it only for the in-memory update (ms), never while tokenizing, fetching or writing files.
        self._lock = threading.Lock()
        self.errors = dict(errors or {})
        self.k1, self.b = k1, b
        self.index_dir = index_dir
        self._unsaved = True  # changes since the last save (a fresh build is one)
        if not (index_dir and self._open_saved(list(articles), index_dir)):
            articles = list(articles)
            locations = [Located(a, i) for a in articles for i in range(len(a.paragraphs))]
            log.info("indexing %d paragraphs of %d articles", len(locations), len(articles))
            texts = [indexed_text(loc.article, loc.paragraph_index) for loc in locations]
            index = BM25Index.from_stream(tokenize_texts(texts, self.tokenizer), k1=self.k1, b=self.b)
            self.view = View(articles, locations, index, _days(locations))
            self.save_index()

    def _open_saved(self, articles: list[Article], index_dir: Path) -> bool:
        """Start from the saved index when there is a sound one, then bring it in line with `articles`: runs of
        paragraphs whose article is gone or was edited are removed, articles it lacks are added. Far cheaper
        than a build when a few articles changed since the save (adds, removes, hand edits, another process)."""
        index = BM25Index.load(index_dir, _fingerprint(self.tokenizer, self.k1, self.b), self.k1, self.b)
        if index is None:
            return False
        runs = _valid_runs(index.notes)
        if runs is None:
            log.warning("saved index in %s does not say what it holds; rebuilding", index_dir)
            return False
        by_id = {a.id: a for a in articles}
        locations: list[Located] = []
        kept: set[str] = set()
        stale: list[int] = []
        for article_id, count, digest in runs:
            article = by_id.get(article_id)
            if article and article_id not in kept and _digest(article) == digest:
                kept.add(article_id)
            else:
                stale.extend(range(len(locations), len(locations) + count))
                article = Article(id="", title="", paragraphs=())  # never shown: its paragraphs are removed
            locations.extend(Located(article, i) for i in range(count))
        if len(locations) != index.count:
            log.warning("saved index in %s does not match its notes; rebuilding", index_dir)
            return False
        self._unsaved = bool(index.alive[stale].any())  # articles deleted or edited since the save
        index.remove(stale)
        self.view = View([a for a in articles if a.id in kept], locations, index, _days(locations))
        self.add_articles([a for a in articles if a.id not in kept])
        self.save_index()
        return True

    def save_index(self) -> None:
        """Save the index with what it holds (article ids and text digests in paragraph order), if it changed
        since the last save, so a restart maps it back in instead of rebuilding. Questions wait meanwhile
        (seconds at a million paragraphs), so callers save at quiet moments: start, bulk import, shutdown.
        A failed save costs only that: the corpus is the truth."""
        if not (self._unsaved and self.index_dir and self.index_dir.parent.is_dir()):
            return
        with self._lock:
            view = self.view
            try:
                view.index.save(self.index_dir, _fingerprint(self.tokenizer, self.k1, self.b), _runs(view))
                self._unsaved = False
            except OSError as exc:
                log.warning("could not save the index in %s: %s", self.index_dir, exc)

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
        """Make new articles answerable at once: their paragraphs go to the index's live segment (ms, not a
        rebuild). Safe to call from any thread."""
        new = [Located(a, i) for a in articles for i in range(len(a.paragraphs))]
        tokens = [self.tokenizer(indexed_text(loc.article, loc.paragraph_index)) for loc in new]
        with self._lock:
            view = self.view
            view.index.add(tokens)
            self.view = View(view.articles + list(articles), view.locations + new, view.index,
                             np.concatenate([view.days, _days(new)]))
            self._unsaved = self._unsaved or bool(new)

    def remove_articles(self, article_ids: set[str]) -> None:
        """Stop answering from these articles at once; their paragraph numbers stay reserved (never reused)."""
        with self._lock:
            view = self.view
            view.index.remove(n for n, loc in enumerate(view.locations) if loc.article.id in article_ids)
            self.view = View([a for a in view.articles if a.id not in article_ids], view.locations, view.index,
                             view.days)
            self._unsaved = True

    @classmethod
    def load(cls, corpus_dir: Path, language: str = DEFAULT_LANGUAGE,
             min_confidence: float = MIN_CONFIDENCE) -> Engine:
        """The engine over a corpus folder, its index saved in (and loaded from) `corpus_dir/.index/`."""
        scan: CorpusScan = scan_corpus(corpus_dir)
        return cls(scan.articles, Tokenizer(language), min_confidence, scan.errors, index_dir=corpus_dir / INDEX_DIR)

    @property
    def paragraph_count(self) -> int:
        """Passages answers can come from (removed articles' paragraph numbers stay reserved, not counted)."""
        return self.index.size

    @property
    def _max_idf(self) -> float:
        """The idf of a term in one paragraph of the corpus: the highest BM25 can give."""
        return math.log((self.index.size + 0.5) / 0.5)

    def _weight(self, term: str) -> float:
        """A term's idf; a term the corpus has never seen weighs as much as the rarest possible one, except a
        number, which a passage may give in other words ("2025" over articles published in 2025)."""
        if term in self.index.vocabulary:
            return max(self.index.term_idf(term), 0.0)
        return 0.0 if term.isdigit() else self._max_idf

    def _spell(self, word: str, term: str) -> str:
        index = self.index
        return correct(word, term, index.term_ids.keys(), index.document_frequency, self.tokenizer.stem_token,
                       self.tokenizer.language)

    def rank(self, question: str, limit: int, period: tuple[dt.date, dt.date] | None = None,
             fill: bool = True) -> Results:
        """The best paragraphs for a question, best first: BM25's top candidates re-ranked (see ranking),
        with the gate's confidence in each; with `period`, only paragraphs of articles dated within it;
        `fill`: up to `limit` even with candidates too weak to re-rank."""
        with self._lock:
            view = self.view
            parsed = Question.parse(question, self.tokenizer, self._weight, self._spell)
            exclude = None if period is None else _outside(view.days, *period)
            hits = view.index.top_k(parsed.terms, max(limit, DEPTH), exclude) if parsed.weights else []
            max_idf = self._max_idf
        candidates = []
        for n, score in hits:
            loc = view.locations[n]
            paragraph = loc.article.paragraphs[loc.paragraph_index]
            heading = f"{loc.article.title} {paragraph.section or ''}"
            candidates.append(Candidate(n, score, paragraph.text, heading, lead(loc.article, loc.paragraph_index)))
        if not candidates:
            return Results([], 0.0)
        ranked = rerank(parsed, candidates, self.tokenizer, limit, fill)[:limit]
        by_number = {c.number: c for c in candidates}
        names = name_terms(parsed, self.tokenizer)
        sure = [self._confidence(parsed, ranked[0], by_number[ranked[0].number], max_idf, names)]
        if sure[0] >= self.min_confidence:  # the others matter only as alternatives to a found answer
            sure += [self._confidence(parsed, r, by_number[r.number], max_idf, names) for r in ranked[1:]]
        else:
            sure += [0.0] * (len(ranked) - 1)
        return Results([(view.locations[r.number], r) for r in ranked], sure[0], parsed.corrections, tuple(sure))

    def _confidence(self, parsed: Question, ranked: Ranked, candidate: Candidate, max_idf: float,
                    names: set[str]) -> float:
        share = name_share(parsed, candidate.text, candidate.heading, self.tokenizer, names, candidate.lead)
        return confidence(parsed, ranked.evidence, max_idf, share)

    def ask(self, question: str, limit: int = 5, today: dt.date | None = None) -> Answer:
        """The best passage (or None when the corpus has no good answer) and up to `limit - 1` alternatives,
        each of which passes the gate too ("More answers" must not pad with passages that merely share a word),
        in time: the newest of differing reports first, the period or the latest reports a question asks for
        (see recency; `today` is what relative dates count from). Small talk ("thanks", "hi", "who are you?")
        is not searched at all (see smalltalk)."""
        from .recency import in_time  # it builds on this module

        if chat := small_talk(question, self.tokenizer.language):
            return Answer(question, None, small_talk=chat.kind)
        timed = in_time(self, question, limit, today or self.today())
        results = timed.results
        if not results.ranked or results.confidence < self.min_confidence:
            return Answer(question, None, time_note=timed.note)
        passages = [Passage(loc.article, loc.paragraph_index, r.score, r.evidence.best_sentence)
                    for (loc, r), sure in zip(results.ranked, results.confidences, strict=True)
                    if sure >= self.min_confidence]
        return Answer(question, passages[0], tuple(passages[1:]), self._read_as(results.corrections, passages[0]),
                      timed.earlier, timed.note)

    def _read_as(self, corrections: tuple[tuple[str, str], ...], passage: Passage) -> tuple[tuple[str, str], ...]:
        """Each corrected word with the word of the passage it was read as, so the reply can say so (a wrong
        correction is then plain to see); corrections the passage does not show are left unsaid."""
        if not corrections:
            return ()
        written = {}
        for word in self.tokenizer.words(passage.text):
            written.setdefault(self.tokenizer.token(word), word)
        return tuple((typed, written[term]) for typed, term in corrections if term in written)

    def warm_up(self) -> None:
        """Load what the first question would otherwise wait for (about 0.5 s): the lemma table and the word
        lists of the spelling guard."""
        self.tokenizer("took")
        is_common("warm", self.tokenizer.language)

    def example_questions(self, n: int = 3) -> list[str]:
        """Questions (or topics) the corpus can answer, from the newest articles."""
        return example_questions(reversed(self.articles), n)

    def article(self, article_id: str) -> Article | None:
        return next((a for a in self.articles if a.id == article_id), None)


def _outside(days: np.ndarray, start: dt.date, end: dt.date) -> np.ndarray:
    """The paragraphs not dated within start..end (undated ones included): what a period leaves out."""
    return (days < start.toordinal()) | (days > end.toordinal())


def lead(article: Article, paragraph_index: int) -> str:
    """The headline, read as part of the article's first paragraph: headlines say what the lede reports, in
    the words people search with ("death toll" over a lede that says "2,000 soldiers have been killed")."""
    return article.title if paragraph_index == 0 else ""


def indexed_text(article: Article, paragraph_index: int) -> str:
    """What BM25 indexes for a paragraph: its text, after its lead (see `lead`)."""
    text = article.paragraphs[paragraph_index].text
    head = lead(article, paragraph_index)
    return f"{head}\n{text}" if head else text


def _fingerprint(tokenizer: Tokenizer, k1: float, b: float) -> str:
    """What a saved index depends on besides the articles: the analysis (its version, language and stopwords)
    and k1/b. Any change means the saved index is stale."""
    key = repr((ANALYSIS_VERSION, tokenizer.language, tokenizer.lemmas, sorted(tokenizer.stopwords), k1, b))
    return hashlib.sha256(key.encode()).hexdigest()


def _digest(article: Article) -> str:
    """The indexed text of an article: what must be unchanged for its saved paragraphs to be reused."""
    digest = hashlib.blake2b(digest_size=12)
    for n in range(len(article.paragraphs)):
        digest.update(indexed_text(article, n).encode())
        digest.update(b"\0")
    return digest.hexdigest()


def _valid_runs(notes: object) -> list[tuple[str, int, str]] | None:
    """The saved runs (see `_runs`) if they have the right shape: a saved index is never trusted on faith."""
    if not isinstance(notes, list):
        return None
    runs = [tuple(run) for run in notes if isinstance(run, list) and len(run) == 3]
    if len(runs) != len(notes) or not all(isinstance(i, str) and isinstance(n, int) and n >= 0 and isinstance(d, str)
                                          for i, n, d in runs):
        return None
    return runs  # type: ignore[return-value]


def _runs(view: View) -> list[tuple[str, int, str]]:
    """(article id, paragraph count, digest) for each article's run of paragraph numbers, in index order;
    removed articles' runs keep their length (paragraph numbers are never reused) but no id."""
    runs: list[tuple[str, int, str]] = []
    start = 0
    for n, loc in enumerate(view.locations + [None]):
        if n > start and (loc is None or loc.paragraph_index == 0):
            article = view.locations[start].article
            alive = bool(view.index.alive[start])
            runs.append((article.id, n - start, _digest(article)) if alive else ("", n - start, ""))
            start = n
    return runs
