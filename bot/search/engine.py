"""Question → answer: the corpus, its tokens and the BM25 index, and the rule that decides "not found".

This is the plain-Python entry point that the CLI, the Telegram handlers and the tests all call.
"""
from __future__ import annotations

import datetime as dt
import gc
import hashlib
import logging
import math
import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from itertools import islice
from pathlib import Path
from typing import NamedTuple

import numpy as np

from ..corpus.folder import CorpusScan, scan_corpus
from ..models import Answer, Article, Passage
from . import detect
from .examples import example_questions
from .gate import MIN_CONFIDENCE, confidence, name_share, name_terms
from .index import K1, B, BM25Index
from .languages import LANGUAGES, header_problem, language_code, name
from .ranking import DEPTH, Candidate, Question, Ranked, rerank
from .smalltalk import small_talk
from .spelling import correct, is_common
from .stopwords import DATA as STOPWORD_DATA
from .token_stream import tokenize_texts
from .tokenizer import ANALYSIS_VERSION, DEFAULT_LANGUAGE, Tokenizer, analyzer

log = logging.getLogger(__name__)

INDEX_DIR = ".index"  # inside the corpus folder: hidden, so never taken for an article
EXAMPLE_WINDOW = 50  # newest articles looked through for examples in the asker's language
CODES = list(LANGUAGES)  # a paragraph's language is kept as its position here
_CODE_IDS = {code: n for n, code in enumerate(CODES)}

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
    language: str = ""  # the analysis the question was read in


@dataclass(frozen=True)
class View:
    """Articles, paragraph locations and index that belong together; replaced as one object on change,
    so a question answered during an add or remove sees either the old corpus or the new one."""

    articles: list[Article]
    locations: list[Located]
    index: BM25Index
    days: np.ndarray  # each paragraph's article date as a day number (0: undated), to rank within a period
    languages: np.ndarray  # each paragraph's language, as its position in `CODES`
    counts: dict[str, int]  # paragraphs answers can come from, per language
    masks: dict[str, np.ndarray] = field(default_factory=dict, compare=False)  # see `outside`
    by_article: dict[str, str] = field(default_factory=dict, compare=False)  # see `Engine.article_languages`

    def outside(self, code: str) -> np.ndarray | None:
        """The paragraphs not in a language (for questions to search their own language's first); None when
        every paragraph answers can come from is in it, or none is, or the others are too few to crowd its
        answers out (under `detect.MINOR` of them: a second search for every question the gate refuses would
        cost more than they can): then all are searched at once."""
        own, total = self.counts.get(code, 0), sum(self.counts.values())
        if not own or total - own < detect.MINOR * total:
            return None
        mask = self.masks.get(code)
        if mask is None:
            mask = self.masks[code] = self.languages != _CODE_IDS[code]
        return mask


def _days(locations: Sequence[Located]) -> np.ndarray:
    return np.array([day.toordinal() if (day := loc.article.day) else 0 for loc in locations], dtype=np.int32)


def _language_ids(codes: Sequence[str]) -> np.ndarray:
    return np.fromiter(map(_CODE_IDS.__getitem__, codes), dtype=np.int16, count=len(codes))


def _counts(languages: np.ndarray, alive: np.ndarray) -> dict[str, int]:
    found = np.bincount(languages[alive[:len(languages)]], minlength=len(CODES))
    return {CODES[n]: int(c) for n, c in enumerate(found) if c}


class Engine:
    """Answers questions over a set of articles that admins can change while questions are answered.

    Each article is read in its language: its `language:` header, else the one detected from its text (kept with
    the saved index, so it is detected once), else `tokenizer`'s (SEARCH_LANGUAGE: the fallback for text whose
    language cannot be told). A question is read in its own language (see `question_languages`) and searched
    among the paragraphs of that language first, then among all (names and numbers match across languages).
    """

    today: Callable[[], dt.date] = staticmethod(dt.date.today)  # what "yesterday" counts from (tests fix it)

    def __init__(self, articles: Sequence[Article], tokenizer: Tokenizer | None = None,
                 min_confidence: float = MIN_CONFIDENCE, errors: dict[str, str] | None = None,
                 k1: float = K1, b: float = B, index_dir: Path | None = None) -> None:
        """`index_dir`: where the index is saved; a saved one is loaded (and brought up to date) instead of built."""
        self.tokenizer = tokenizer or analyzer(DEFAULT_LANGUAGE)
        self.min_confidence = min_confidence
        # The index changes in place on add/remove; questions and changes may come from different threads
        # (the bot answers on a worker while admins add on others), so index access is serialised. Changes
        # hold it only for the in-memory update (ms), never while tokenizing, fetching or writing files.
        self._lock = threading.Lock()
        self.errors = dict(errors or {})
        self.warnings: dict[str, str] = {}  # article id → what was wrong (a `language:` header) and what was done
        self.k1, self.b = k1, b
        self.index_dir = index_dir
        self._unsaved = True  # changes since the last save (a fresh build is one)
        if not (index_dir and self._open_saved(list(articles), index_dir)):
            articles = list(articles)
            codes = [self._language(a) for a in articles]
            locations = [Located(a, i) for a in articles for i in range(len(a.paragraphs))]
            languages = [code for a, code in zip(articles, codes, strict=True) for _ in a.paragraphs]
            log.info("indexing %d paragraphs of %d articles", len(locations), len(articles))
            texts = [indexed_text(loc.article, loc.paragraph_index) for loc in locations]
            one = all(code == self.tokenizer.language for code in codes)
            stream = tokenize_texts(texts, self.tokenizer, languages=None if one else languages)
            index = BM25Index.from_stream(stream, k1=self.k1, b=self.b)
            ids = _language_ids(languages)
            self.view = View(articles, locations, index, _days(locations), ids, _counts(ids, index.alive))
            self.save_index()

    def _header(self, article: Article) -> str | None:
        """The language an article's header names; the fallback for a header that names none (said in
        `warnings`); None without a header."""
        if not article.language:
            return None
        code = language_code(article.language)
        if code is None:
            reason = f"{header_problem(article.language)}; read as {name(self.tokenizer.language)}"
            self.warnings[article.id] = reason
            log.warning("%s: %s", article.id, reason)
            return self.tokenizer.language
        return code

    def _language(self, article: Article) -> str:
        """The language an article is read in (see the class)."""
        header = self._header(article)
        if header:
            return header
        return detect.article_language(article.title, [p.text for p in article.paragraphs]) \
            or self.tokenizer.language

    def analyzer(self, code: str) -> Tokenizer:
        """The analysis of a language: the engine's own tokenizer for its language, else the shared default."""
        return self.tokenizer if code == self.tokenizer.language else analyzer(code)

    def article_languages(self) -> dict[str, str]:
        """Each article's language as it is read (its header, else the one told from its text), by id; worked
        out once per state of the corpus (a pass over every paragraph), as list pages ask again and again."""
        view = self.view
        if not view.by_article:
            view.by_article.update({loc.article.id: CODES[code]
                                    for loc, code in zip(view.locations, view.languages.tolist(), strict=True)})
        return view.by_article

    def language_of(self, paragraph: int) -> str:
        """The language paragraph number `paragraph` of the index is read in."""
        return CODES[int(self.view.languages[paragraph])]

    def _open_saved(self, articles: list[Article], index_dir: Path) -> bool:
        """Start from the saved index when there is a sound one, then bring it in line with `articles`: runs of
        paragraphs whose article is gone or was edited (its text or its `language:`) are removed, articles it lacks
        are added. Far cheaper than a build when a few articles changed since the save (adds, removes, hand
        edits, another process); a kept article keeps the language it was read in."""
        index = BM25Index.load(index_dir, _fingerprint(self.tokenizer, self.k1, self.b), self.k1, self.b)
        if index is None:
            return False
        runs = _valid_runs(index.notes)
        if runs is None:
            log.warning("saved index in %s does not say what it holds; rebuilding", index_dir)
            return False
        by_id = {a.id: a for a in articles}
        locations: list[Located] = []
        languages: list[str] = []
        kept: set[str] = set()
        stale: list[int] = []
        for article_id, count, digest, code in runs:
            article = by_id.get(article_id)
            if article and article_id not in kept and _digest(article) == digest \
                    and self._header(article) in (None, code):
                kept.add(article_id)
            else:
                stale.extend(range(len(locations), len(locations) + count))
                article = Article(id="", title="", paragraphs=())  # never shown: its paragraphs are removed
            locations.extend(Located(article, i) for i in range(count))
            languages.extend([code] * count)
        if len(locations) != index.count:
            log.warning("saved index in %s does not match its notes; rebuilding", index_dir)
            return False
        self._unsaved = bool(index.alive[stale].any())  # articles deleted or edited since the save
        index.remove(stale)
        ids = _language_ids(languages)
        self.view = View([a for a in articles if a.id in kept], locations, index, _days(locations), ids,
                         _counts(ids, index.alive))
        self.add_articles([a for a in articles if a.id not in kept])
        self.save_index()
        return True

    def save_index(self) -> None:
        """Save the index with what it holds (article ids, text digests and languages in paragraph order), if it
        changed since the last save, so a restart maps it back in instead of rebuilding. Questions wait meanwhile
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

    @property
    def languages(self) -> dict[str, int]:
        """The corpus's languages: paragraphs answers can come from, per language code."""
        return dict(self.view.counts)

    def missing_language(self, answer: Answer) -> str | None:
        """The language a question was read in when no article is in it (a "not found" can then say so and name
        the languages there are), else None."""
        return answer.language if answer.language and answer.language not in self.view.counts else None

    def add_articles(self, articles: Sequence[Article]) -> None:
        """Make new articles answerable at once: their paragraphs go to the index's live segment (ms, not a
        rebuild). Safe to call from any thread."""
        codes = [self._language(a) for a in articles]
        new = [Located(a, i) for a in articles for i in range(len(a.paragraphs))]
        languages = [code for a, code in zip(articles, codes, strict=True) for _ in a.paragraphs]
        tokens = [self.analyzer(code)(indexed_text(loc.article, loc.paragraph_index))
                  for loc, code in zip(new, languages, strict=True)]
        with self._lock:
            view = self.view
            view.index.add(tokens)
            counts = dict(view.counts)
            for code in languages:
                counts[code] = counts.get(code, 0) + 1
            self.view = View(view.articles + list(articles), view.locations + new, view.index,
                             np.concatenate([view.days, _days(new)]),
                             np.concatenate([view.languages, _language_ids(languages)]), counts)
            self._unsaved = self._unsaved or bool(new)

    def remove_articles(self, article_ids: set[str]) -> None:
        """Stop answering from these articles at once; their paragraph numbers stay reserved (never reused)."""
        with self._lock:
            view = self.view
            gone = [n for n, loc in enumerate(view.locations) if loc.article.id in article_ids and view.index.alive[n]]
            view.index.remove(gone)
            counts = dict(view.counts)
            for n in gone:
                code = CODES[int(view.languages[n])]
                counts[code] -= 1
            self.view = View([a for a in view.articles if a.id not in article_ids], view.locations, view.index,
                             view.days, view.languages, {c: n for c, n in counts.items() if n})
            for article_id in article_ids:
                self.warnings.pop(article_id, None)
            self._unsaved = True

    @classmethod
    def load(cls, corpus_dir: Path, language: str = DEFAULT_LANGUAGE,
             min_confidence: float = MIN_CONFIDENCE) -> Engine:
        """The engine over a corpus folder, its index saved in (and loaded from) `corpus_dir/.index/`;
        `language` (SEARCH_LANGUAGE) is read in where the text does not tell."""
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

    def question_languages(self, question: str, hint: str | None = None) -> tuple[str, ...]:
        """The languages to read a question in, best first (see detect): its words tell, weighed by the corpus's
        languages and `hint` (the asker's Telegram language_code). Without letters to tell by: the corpus's
        one language, else the hint's, else the fallback."""
        corpus = self.view.counts
        hint = language_code(hint)
        found = detect.question_languages(question, corpus, hint)
        if found:
            return found
        if len(corpus) == 1:
            return (next(iter(corpus)),)
        return (hint if hint in corpus else self.tokenizer.language,)

    def rank(self, question: str, limit: int, period: tuple[dt.date, dt.date] | None = None,
             fill: bool = True, languages: Sequence[str] | None = None) -> Results:
        """The best paragraphs for a question, best first: BM25's top candidates re-ranked (see ranking),
        with the gate's confidence in each; with `period`, only paragraphs of articles dated within it;
        `fill`: up to `limit` even with candidates too weak to re-rank. The question is read in each of
        `languages` (default: `question_languages`) in turn, among that language's paragraphs first and then
        among all, until an answer passes the gate; when none does, the closest of them."""
        best: Results | None = None
        for code in languages or self.question_languages(question):
            scopes = (True, False) if self.view.outside(code) is not None else (False,)
            for own in scopes:
                results = self._rank_in(question, code, own, limit, period, fill)
                if results.confidence >= self.min_confidence:
                    return results
                if best is None or results.confidence > best.confidence:
                    best = results
        return best if best is not None else Results([], 0.0)

    def _rank_in(self, question: str, code: str, own: bool, limit: int, period: tuple[dt.date, dt.date] | None,
                 fill: bool) -> Results:
        """`rank` for one reading of the question; `own`: among the paragraphs of its language only."""
        tokenizer = self.analyzer(code)
        with self._lock:
            view = self.view
            parsed = Question.parse(question, tokenizer, self._weight, self._speller(tokenizer))
            exclude = None if period is None else _outside(view.days, *period)
            if own:
                mask = view.outside(code)
                exclude = mask if exclude is None else exclude | mask
            hits = view.index.top_k(parsed.terms, max(limit, DEPTH), exclude) if parsed.weights else []
            max_idf = self._max_idf
        candidates = []
        codes = view.languages[[n for n, _ in hits]].tolist()
        for (n, score), language in zip(hits, codes, strict=True):
            loc = view.locations[n]
            paragraph = loc.article.paragraphs[loc.paragraph_index]
            heading = f"{loc.article.title} {paragraph.section or ''}"
            candidates.append(Candidate(n, score, paragraph.text, heading, lead(loc.article, loc.paragraph_index),
                                        self.analyzer(CODES[language])))
        if not candidates:
            return Results([], 0.0, language=code)
        ranked = rerank(parsed, candidates, tokenizer, limit, fill)[:limit]
        by_number = {c.number: c for c in candidates}
        names = name_terms(parsed, tokenizer)
        sure = [self._confidence(parsed, ranked[0], by_number[ranked[0].number], max_idf, names)]
        if sure[0] >= self.min_confidence:  # the others matter only as alternatives to a found answer
            sure += [self._confidence(parsed, r, by_number[r.number], max_idf, names) for r in ranked[1:]]
        else:
            sure += [0.0] * (len(ranked) - 1)
        return Results([(view.locations[r.number], r) for r in ranked], sure[0], parsed.corrections, tuple(sure),
                       code)

    def _speller(self, tokenizer: Tokenizer) -> Callable[[str, str], str] | None:
        """Spelling correction in a language (see spelling); none for scripts without spaces (character pairs)."""
        if tokenizer.row.nospace:
            return None
        index = self.index

        def spell(word: str, term: str) -> str:
            return correct(word, term, index.term_ids.keys(), index.document_frequency, tokenizer.stem_tokens,
                           tokenizer.language)
        return spell

    def _confidence(self, parsed: Question, ranked: Ranked, candidate: Candidate, max_idf: float,
                    names: set[str]) -> float:
        share = name_share(parsed, candidate.text, candidate.heading, candidate.tokenizer, names, candidate.lead)
        return confidence(parsed, ranked.evidence, max_idf, share)

    def ask(self, question: str, limit: int = 5, today: dt.date | None = None,
            language_hint: str | None = None) -> Answer:
        """The best passage (or None when the corpus has no good answer) and up to `limit - 1` alternatives,
        each of which passes the gate too ("More answers" must not pad with passages that merely share a word),
        in time: the newest of differing reports first, the period or the latest reports a question asks for
        (see recency; `today` is what relative dates count from). `language_hint`: the asker's language (a
        Telegram language_code), one hint among others to the question's (see `question_languages`); the
        answer says which language the question was read in. Small talk ("thanks", "hi", "who are you?") is not
        searched at all (see smalltalk)."""
        from .recency import in_time  # it builds on this module

        hint = language_code(language_hint)
        if chat := small_talk(question, hint or self.tokenizer.language):
            return Answer(question, None, small_talk=chat.kind, language=chat.language)
        readings = self.question_languages(question, hint)
        timed = in_time(self, question, limit, today or self.today(), languages=readings)
        results = timed.results
        language = results.language or readings[0]
        if not results.ranked or results.confidence < self.min_confidence:
            return Answer(question, None, time=timed.note, language=language)
        passages = [Passage(loc.article, loc.paragraph_index, r.score, r.evidence.best_sentence)
                    for (loc, r), sure in zip(results.ranked, results.confidences, strict=True)
                    if sure >= self.min_confidence]
        return Answer(question, passages[0], tuple(passages[1:]), self._read_as(results, passages[0]),
                      timed.earlier, time=timed.note, language=language)

    def _read_as(self, results: Results, passage: Passage) -> tuple[tuple[str, str], ...]:
        """Each corrected word with the word of the passage it was read as, so the reply can say so (a wrong
        correction is then plain to see); corrections the passage does not show are left unsaid."""
        if not results.corrections:
            return ()
        tokenizer = self.analyzer(self.language_of(results.ranked[0][1].number))
        written = {}
        for word in tokenizer.words(passage.text):
            written.setdefault(tokenizer.token(word), word)
        return tuple((typed, written[term]) for typed, term in results.corrections if term in written)

    def warm_up(self) -> None:
        """Load what the first question would otherwise wait for (about 1.5 s): the language model, the lemma
        tables of the corpus's languages and the word lists of the spelling guard. Then everything loaded so far
        (the corpus's millions of objects, those tables) leaves the garbage collector's rounds (`gc.freeze`): a
        full collection walks every tracked object, 300 ms at 200k paragraphs, inside whichever question it
        happens to interrupt; what is freed later is still freed by its reference count."""
        detect.load()
        for code in self.view.counts.keys() | {self.tokenizer.language}:
            self.analyzer(code)("took")
            is_common("warm", code)
        gc.freeze()

    def example_questions(self, n: int = 3, language: str | None = None) -> list[str]:
        """Questions (or topics) the corpus can answer, from the newest articles; with `language` (the asker's: a
        code or Telegram language_code), those among the newest `EXAMPLE_WINDOW` in it first, so a Russian reader
        is shown something to ask in Russian when the corpus has it."""
        code = language_code(language)
        if code is None:
            return example_questions(reversed(self.articles), n)
        newest = list(islice(reversed(self.articles), EXAMPLE_WINDOW))
        examples = example_questions((a for a in newest if self._language(a) == code), n)
        return examples + [e for e in example_questions(newest, n) if e not in examples][:n - len(examples)]

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
    """What a saved index depends on besides the articles: the analysis (its version, the fallback language, its
    stopwords and every language's lists) and k1/b. Any change means the saved index is stale."""
    key = repr((ANALYSIS_VERSION, tokenizer.language, tokenizer.lemmas, sorted(tokenizer.stopwords), k1, b,
                hashlib.sha256(STOPWORD_DATA.read_bytes()).hexdigest()))
    return hashlib.sha256(key.encode()).hexdigest()


def _digest(article: Article) -> str:
    """The indexed text of an article: what must be unchanged for its saved paragraphs to be reused."""
    digest = hashlib.blake2b(digest_size=12)
    for n in range(len(article.paragraphs)):
        digest.update(indexed_text(article, n).encode())
        digest.update(b"\0")
    return digest.hexdigest()


def _valid_runs(notes: object) -> list[tuple[str, int, str, str]] | None:
    """The saved runs (see `_runs`) if they have the right shape: a saved index is never trusted on faith."""
    if not isinstance(notes, list):
        return None
    runs = [tuple(run) for run in notes if isinstance(run, list) and len(run) == 4]
    if len(runs) != len(notes) or not all(isinstance(i, str) and isinstance(n, int) and n >= 0 and isinstance(d, str)
                                          and code in _CODE_IDS for i, n, d, code in runs):
        return None
    return runs  # type: ignore[return-value]


def _runs(view: View) -> list[tuple[str, int, str, str]]:
    """(article id, paragraph count, digest, language) for each article's run of paragraph numbers, in index
    order; removed articles' runs keep their length (paragraph numbers are never reused) but no id."""
    runs: list[tuple[str, int, str, str]] = []
    start = 0
    for n, loc in enumerate(view.locations + [None]):
        if n > start and (loc is None or loc.paragraph_index == 0):
            article = view.locations[start].article
            alive = bool(view.index.alive[start])
            code = CODES[int(view.languages[start])]
            runs.append((article.id, n - start, _digest(article), code) if alive else ("", n - start, "", code))
            start = n
    return runs
