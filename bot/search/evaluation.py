"""Answer quality on a QA data set (SQuAD, WikiQA or TrecQA; see qa_sets), for the bot and plain BM25 side by side.

- ranking: is each question's own paragraph ranked first / in the top 3 (all paragraphs of the file indexed,
  optionally among distractor paragraphs from JSON-lines corpora: a bot with a large news corpus);
- bold: when it is first, does the marked sentence hold the answer (SQuAD: a gold answer span; WikiQA: it is
  the answer sentence it overlaps most);
- the gate: on WikiQA and TrecQA, the share of right first passages that the gate refuses; on SQuAD (the
  abstention protocol) even-numbered articles (plus other corpora) are indexed and odd-numbered ones asked as
  questions the corpus cannot answer: how often does the bot say "not found", and how many correct answers
  does it lose;
- held out: the same figures on even- and odd-numbered questions (weights were fitted on the even ones).

Every question goes through the engine's own `rank`, at the bot's default settings.
"""
from __future__ import annotations

import math
import re
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from ..corpus.importing import jsonl_articles
from ..models import Article
from ..sentences import split_sentences
from .engine import Engine
from .index import BM25Index
from .qa_sets import QA, QASet, load
from .tokenizer import Tokenizer


@dataclass(frozen=True)
class Question:
    text: str
    gold: frozenset[int]  # paragraph numbers in the engine's index that answer it (empty: off-corpus)
    answers: tuple[str, ...] = ()
    article: int = 0  # article number in the data set
    sentences: tuple[tuple[int, int, bool], ...] = ()  # WikiQA's answer sentences, as spans of `passage`
    passage: str = ""
    number: int = 0
    language: str = ""  # the data set's label (mixed-language files)

    def bold_right(self, sentence: str) -> bool | None:
        """Whether the bold sentence of the right passage holds the answer; None when the set cannot tell."""
        if self.sentences:
            start = self.passage.find(sentence) if sentence else -1
            if start < 0:
                return False
            end = start + len(sentence)
            return max(self.sentences, key=lambda s: min(end, s[1]) - max(start, s[0]))[2]
        return any(answer in sentence for answer in self.answers) if self.answers else None


def distractor_articles(path: Path) -> Iterator[Article]:
    """A JSON-lines corpus as distractors, its ids and missing titles from its file name ("bbc-news-12")."""
    return jsonl_articles(path, id_prefix=path.stem.split(".")[0])


SUBSETS = {"how many": re.compile(r"^\W*how many\b", re.I), "when": re.compile(r"^\W*when\b", re.I),
           "who": re.compile(r"^\W*who\b", re.I)}
_WORD = re.compile(r"\w+")


@dataclass(frozen=True)
class Hit:
    """What a system answers: paragraph numbers best first, its confidence in the first, the bold sentence."""

    ranked: list[int]
    confidence: float
    sentence: str
    language: str = ""  # the language the question was read in (the bot's)


class Bot:
    """The engine as the bot runs it."""

    name = "bot"

    def __init__(self, articles: list[Article], language: str) -> None:
        self.engine = Engine(articles, Tokenizer(language))
        self.threshold: float | None = self.engine.min_confidence

    def __call__(self, question: str, k: int) -> Hit:
        results = self.engine.rank(question, k)
        sentence = results.ranked[0][1].evidence.best_sentence if results.ranked else ""
        return Hit([r.number for _, r in results.ranked], results.confidence, sentence, results.language)


class PlainBM25:
    """The reference: rank-bm25's defaults on lowercase word tokens, the first sentence in bold, and a gate on
    the share of the question's idf mass in the first paragraph (at the old default, 0.5)."""

    name = "rank-bm25"
    threshold: float | None = 0.5

    def __init__(self, articles: list[Article], language: str) -> None:
        self.texts = [p.text for a in articles for p in a.paragraphs]
        self.index = BM25Index((self.tokens(t) for t in self.texts), k1=1.5, b=0.75)  # rank-bm25's defaults

    def tokens(self, text: str) -> list[str]:
        return _WORD.findall(text.lower())

    def __call__(self, question: str, k: int) -> Hit:
        query = self.tokens(question)
        ranked = [n for n, _ in self.index.top_k(query, k)] if query else []
        if not ranked:
            return Hit([], 0.0, "")
        unseen = math.log((self.index.size + 0.5) / 0.5)
        weight = {t: (self.index.term_idf(t) if t in self.index.vocabulary else unseen) for t in set(query)}
        present = set(self.tokens(self.texts[ranked[0]]))
        total = sum(weight.values())
        share = sum(w for t, w in weight.items() if t in present) / total if total > 0 else 0.0
        return Hit(ranked, share, split_sentences(self.texts[ranked[0]])[0])


class StemmedBM25(PlainBM25):
    """Plain BM25 (rank-bm25's defaults) on stopword-free Snowball stems: the bot's tokens before the lemma
    table, the usual strong baseline."""

    name = "stemmed BM25"
    threshold = None

    def __init__(self, articles: list[Article], language: str) -> None:
        self.tokenizer = Tokenizer(language, lemmas=False)
        super().__init__(articles, language)

    def tokens(self, text: str) -> list[str]:
        return self.tokenizer(text)


System = Callable[[str, int], Hit]


def _numbered(indexed: list[Article], data: QASet, questions: Sequence[QA]) -> list[Question]:
    """The questions with their answers' paragraph numbers in an index of `indexed` (in that order); questions
    whose articles are not indexed are left out."""
    first, n = {}, 0
    for article in indexed:
        first[article.id] = n
        n += len(article.paragraphs)
    out = []
    for qa in questions:
        gold = frozenset(first[data.articles[a].id] + p for a, p in qa.gold if data.articles[a].id in first)
        if gold:
            a, p = min(qa.gold)
            out.append(Question(qa.text, gold, qa.answers, a, qa.sentences,
                                data.articles[a].paragraphs[p].text if qa.sentences else "", qa.number, qa.language))
    return out


def _share(flags: list[bool]) -> float:
    return sum(flags) / len(flags) if flags else 0.0


@dataclass
class _Tally:
    top1: list[bool] = field(default_factory=list)
    top3: list[bool] = field(default_factory=list)
    reciprocal: float = 0.0
    bold: list[bool] = field(default_factory=list)
    lost: list[bool] = field(default_factory=list)


def ranking_figures(system: System, questions: Sequence[Question], prefix: str = "",
                    threshold: float | None = None, halves: bool = False) -> dict[str, float]:
    """top-1, top-3, MRR@10, per-subset top-1, the bold-sentence hit rate and, with a `threshold`, the share of
    right first passages the gate refuses; `halves`: top-1, bold and lost again on even / odd questions."""
    tally, by_half = _Tally(), {0: _Tally(), 1: _Tally()}
    subsets: dict[str, list[bool]] = {name: [] for name in SUBSETS}
    by_language: dict[str, list[bool]] = {}
    read_right: list[bool] = []
    for question in questions:
        hit = system(question.text, 10)
        position = next((n for n, p in enumerate(hit.ranked) if p in question.gold), 10)
        if question.language:
            by_language.setdefault(question.language, []).append(position == 0)
            if hit.language:
                read_right.append(hit.language == question.language)
        for t in (tally, by_half[question.number % 2]):
            t.top1.append(position == 0)
            t.top3.append(position < 3)
            t.reciprocal += 1 / (position + 1) if position < 10 else 0.0
            if position == 0 and (bold := question.bold_right(hit.sentence)) is not None:
                t.bold.append(bold)
            if position == 0 and threshold is not None:
                t.lost.append(hit.confidence < threshold)
        for name, pattern in SUBSETS.items():
            if pattern.match(question.text):
                subsets[name].append(position == 0)
    figures = {f"{prefix}top-1": _share(tally.top1), f"{prefix}top-3": _share(tally.top3),
               f"{prefix}MRR@10": tally.reciprocal / (len(questions) or 1)}
    if prefix:
        return figures
    figures.update({f"top-1 '{name}…' ({len(flags)})": _share(flags) for name, flags in subsets.items() if flags})
    if len(by_language) > 1:
        figures.update({f"top-1 {code} ({len(flags)})": _share(flags) for code, flags in sorted(by_language.items())})
    if read_right:
        figures["question read in its own language"] = _share(read_right)
    if tally.bold:
        figures["bold sentence holds the answer"] = _share(tally.bold)
    if tally.lost:
        figures["correct answers lost to the gate"] = _share(tally.lost)
    if halves:
        for label, measure in [("top-1", "top1"), ("bold", "bold"), ("lost to the gate", "lost")]:
            if getattr(tally, measure):
                figures[f"{label}, even / odd questions"] = (
                    _share(getattr(by_half[0], measure)), _share(getattr(by_half[1], measure)))
    return figures


def abstention_figures(system: System, threshold: float, questions: Sequence[Question]) -> dict[str, float]:
    """Odd-numbered articles are not indexed: their questions should get "not found"; the even ones should
    keep their correct answers."""
    off = kept = correct = 0
    off_total = 0
    for question in questions:
        hit = system(question.text, 1)
        answered = bool(hit.ranked) and hit.confidence >= threshold
        if not question.gold:
            off_total += 1
            off += not answered
        elif hit.ranked and hit.ranked[0] in question.gold:
            correct += 1
            kept += answered
    return {"off-corpus: not found": off / (off_total or 1),
            "in-corpus: correct answers lost to the gate": 1 - kept / (correct or 1)}


def _cell(value: float | tuple[float, float] | None) -> str:
    if value is None:
        return "-"
    if isinstance(value, tuple):
        return " / ".join(f"{v:.3f}" for v in value)
    return f"{value:.3f}"


@dataclass
class Report:
    columns: dict[str, dict[str, float | tuple[float, float]]]
    notes: list[str]

    def lines(self) -> list[str]:
        """`name: value` lines for one system, else a table with a column per system."""
        names = list(self.columns)
        rows = list(dict.fromkeys(row for column in self.columns.values() for row in column))
        width = max(map(len, rows)) + 2
        if len(names) == 1:
            return self.notes + [f"{row + ':':{width}}{_cell(value)}" for row, value in self.columns[names[0]].items()]
        cell = max(14, *(len(_cell(v)) + 2 for column in self.columns.values() for v in column.values()))
        lines = ["".ljust(width) + "".join(name.rjust(cell) for name in names)]
        for row in rows:
            lines.append(row.ljust(width) + "".join(_cell(self.columns[n].get(row)).rjust(cell) for n in names))
        return self.notes + lines


SYSTEMS: dict[str, type] = {"bot": Bot, "rank-bm25": PlainBM25}
REAL_SYSTEMS: dict[str, type] = {"bot": Bot, "rank-bm25": PlainBM25, "stemmed BM25": StemmedBM25}


def evaluate(path: Path, distractors: Sequence[Path] = (), language: str = "english",
             max_questions: int | None = None, abstain_protocol: Sequence[Path] | None = None) -> Report:
    """Ranking figures on the data set alone (and among `distractors` when given); for SQuAD with
    `abstain_protocol` (corpora indexed beside the even articles) also the abstention figures."""
    started = time.perf_counter()
    data = load(path)
    real = data.name != "SQuAD"
    if real and abstain_protocol is not None:
        raise ValueError("the abstention protocol needs a SQuAD file (whole articles to leave out)")
    articles = data.articles
    questions = _numbered(articles, data, data.questions)[:max_questions]
    systems = REAL_SYSTEMS if real else SYSTEMS if abstain_protocol is not None else {"bot": Bot}
    columns: dict[str, dict] = {name: {} for name in systems}
    notes = [f"{data.name} questions: {len(questions)}",
             f"paragraphs indexed: {sum(len(a.paragraphs) for a in articles)}"]
    for name, make in systems.items():
        system = make(articles, language)
        columns[name].update(ranking_figures(system, questions, threshold=system.threshold if real else None,
                                             halves=True))
    if distractors:
        mixed = articles + [a for path in distractors for a in distractor_articles(path)]
        notes.append(f"with distractors: {sum(len(a.paragraphs) for a in mixed)} paragraphs indexed")
        for name, make in systems.items():
            columns[name].update(ranking_figures(make(mixed, language), questions, "among distractors: "))
    if abstain_protocol is not None:
        even = [a for n, a in enumerate(articles) if n % 2 == 0]
        indexed = even + [a for path in abstain_protocol for a in distractor_articles(path)]
        in_corpus = _numbered(even, data, data.questions)
        off_corpus = [Question(qa.text, frozenset(), qa.answers, qa.article) for qa in data.questions
                      if qa.article % 2]
        asked = sorted(in_corpus + off_corpus, key=lambda q: (q.article, min(q.gold, default=-1)))[:max_questions]
        notes.append(f"abstention protocol: {sum(len(a.paragraphs) for a in indexed)} paragraphs indexed, "
                     f"{sum(q.article % 2 == 0 for q in asked)} in-corpus and {sum(q.article % 2 for q in asked)} "
                     f"off-corpus questions")
        for name, make in SYSTEMS.items():
            system = make(indexed, language)
            columns[name].update(abstention_figures(system, system.threshold, asked))
    report = Report(columns, notes)
    notes.append(f"time: {time.perf_counter() - started:.0f} s")
    return report
