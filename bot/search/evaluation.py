"""Answer quality on a SQuAD-format file, for the bot and for plain rank-bm25 side by side.

- ranking: is each question's own paragraph ranked first / in the top 3 (all paragraphs of the file indexed,
  optionally among distractor paragraphs from JSON-lines corpora: a bot with a large news corpus);
- bold: when it is first, does the marked sentence contain a gold answer;
- abstention: even-numbered articles (plus other corpora) indexed, odd-numbered ones asked as questions the
  corpus cannot answer: how often does the bot say "not found", and how many correct answers does it lose.

Every question goes through the engine's own `rank`, at the bot's default settings.
"""
from __future__ import annotations

import json
import math
import re
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

from ..corpus.importing import jsonl_articles, open_text
from ..models import Article, Paragraph
from ..sentences import split_sentences
from .engine import Engine
from .index import BM25Index
from .tokenizer import Tokenizer


@dataclass(frozen=True)
class Question:
    text: str
    gold: int  # paragraph number in the engine's index
    answers: tuple[str, ...]
    article: int  # article number in the SQuAD file


def load_squad(path: Path) -> tuple[list[Article], list[tuple[int, int, str, tuple[str, ...]]]]:
    """Articles of a SQuAD file and its questions as (article number, paragraph number, question, answers)."""
    with open_text(path) as handle:
        data = json.load(handle)["data"]
    articles, questions = [], []
    for a, item in enumerate(data):
        paragraphs = tuple(Paragraph(" ".join(p["context"].split())) for p in item["paragraphs"])
        articles.append(Article(id=f"squad-{a}", title=item["title"].replace("_", " "), paragraphs=paragraphs))
        for p, para in enumerate(item["paragraphs"]):
            for qa in para["qas"]:
                if qa.get("answers"):
                    questions.append((a, p, qa["question"], tuple(x["text"] for x in qa["answers"])))
    return articles, questions


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


class Bot:
    """The engine as the bot runs it."""

    def __init__(self, articles: list[Article], language: str) -> None:
        self.engine = Engine(articles, Tokenizer(language))
        self.threshold = self.engine.min_confidence

    def __call__(self, question: str, k: int) -> Hit:
        results = self.engine.rank(question, k)
        sentence = results.ranked[0][1].evidence.best_sentence if results.ranked else ""
        return Hit([r.number for _, r in results.ranked], results.confidence, sentence)


class PlainBM25:
    """The reference: rank-bm25's defaults on lowercase word tokens, the first sentence in bold, and a gate on
    the share of the question's idf mass in the first paragraph (at the old default, 0.5)."""

    threshold = 0.5

    def __init__(self, articles: list[Article], language: str) -> None:
        self.texts = [p.text for a in articles for p in a.paragraphs]
        self.index = BM25Index((self.tokens(t) for t in self.texts), k1=1.5, b=0.75)  # rank-bm25's defaults

    @staticmethod
    def tokens(text: str) -> list[str]:
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


System = Callable[[str, int], Hit]


def _questions(articles: list[Article], raw: list[tuple[int, int, str, tuple[str, ...]]]) -> list[Question]:
    first, n = {}, 0
    for article in articles:
        first[article.id] = n
        n += len(article.paragraphs)
    return [Question(q, first[f"squad-{a}"] + p, answers, a) for a, p, q, answers in raw if f"squad-{a}" in first]


def _share(flags: list[bool]) -> float:
    return sum(flags) / len(flags) if flags else 0.0


def ranking_figures(system: System, questions: Sequence[Question], prefix: str = "") -> dict[str, float]:
    """top-1, top-3, MRR@10, per-subset top-1 and the bold-sentence hit rate."""
    top1, top3, rr, bold = [], [], 0.0, []
    subsets: dict[str, list[bool]] = {name: [] for name in SUBSETS}
    for question in questions:
        hit = system(question.text, 10)
        position = hit.ranked.index(question.gold) if question.gold in hit.ranked else 10
        top1.append(position == 0)
        top3.append(position < 3)
        rr += 1 / (position + 1) if position < 10 else 0.0
        if position == 0:
            bold.append(any(answer in hit.sentence for answer in question.answers))
        for name, pattern in SUBSETS.items():
            if pattern.match(question.text):
                subsets[name].append(position == 0)
    figures = {f"{prefix}top-1": _share(top1), f"{prefix}top-3": _share(top3),
               f"{prefix}MRR@10": rr / (len(questions) or 1)}
    if not prefix:
        figures.update({f"top-1 '{name}…' ({len(flags)})": _share(flags) for name, flags in subsets.items()})
        figures["bold sentence holds the answer"] = _share(bold)
    return figures


def abstention_figures(system: System, threshold: float, questions: Sequence[Question]) -> dict[str, float]:
    """Odd-numbered articles are not indexed: their questions should get "not found"; the even ones should
    keep their correct answers."""
    off = kept = correct = 0
    off_total = 0
    for question in questions:
        hit = system(question.text, 1)
        answered = bool(hit.ranked) and hit.confidence >= threshold
        if question.article % 2:
            off_total += 1
            off += not answered
        elif hit.ranked and hit.ranked[0] == question.gold:
            correct += 1
            kept += answered
    return {"off-corpus: not found": off / (off_total or 1),
            "in-corpus: correct answers lost to the gate": 1 - kept / (correct or 1)}


@dataclass
class Report:
    columns: dict[str, dict[str, float]]
    notes: list[str]

    def lines(self) -> list[str]:
        """`name: value` lines for one system, else a table with a column per system."""
        names = list(self.columns)
        rows = list(dict.fromkeys(row for column in self.columns.values() for row in column))
        width = max(map(len, rows)) + 2
        if len(names) == 1:
            return self.notes + [f"{row + ':':{width}}{value:.3f}" for row, value in self.columns[names[0]].items()]
        lines = ["".ljust(width) + "".join(name.rjust(14) for name in names)]
        for row in rows:
            lines.append(row.ljust(width) + "".join(
                (f"{self.columns[n][row]:.3f}" if row in self.columns[n] else "-").rjust(14) for n in names))
        return self.notes + lines


SYSTEMS: dict[str, type] = {"bot": Bot, "rank-bm25": PlainBM25}


def evaluate(squad: Path, distractors: Sequence[Path] = (), language: str = "english",
             max_questions: int | None = None, abstain_protocol: Sequence[Path] | None = None) -> Report:
    """Ranking figures on the SQuAD file alone (and among `distractors` when given); with `abstain_protocol`
    (corpora indexed beside the even articles) also the abstention figures."""
    started = time.perf_counter()
    articles, raw = load_squad(squad)
    questions = _questions(articles, raw)[:max_questions]
    systems = SYSTEMS if abstain_protocol is not None else {"bot": Bot}
    columns: dict[str, dict[str, float]] = {name: {} for name in systems}
    notes = [f"questions: {len(questions)}", f"paragraphs indexed: {sum(len(a.paragraphs) for a in articles)}"]
    for name, make in systems.items():
        columns[name].update(ranking_figures(make(articles, language), questions))
    if distractors:
        mixed = articles + [a for path in distractors for a in distractor_articles(path)]
        notes.append(f"with distractors: {sum(len(a.paragraphs) for a in mixed)} paragraphs indexed")
        for name, make in systems.items():
            columns[name].update(ranking_figures(make(mixed, language), questions, "among distractors: "))
    if abstain_protocol is not None:
        even = [a for n, a in enumerate(articles) if n % 2 == 0]
        indexed = even + [a for path in abstain_protocol for a in distractor_articles(path)]
        in_corpus = _questions(even, raw)
        off_corpus = [Question(q, -1, answers, a) for a, p, q, answers in raw if a % 2]
        asked = sorted(in_corpus + off_corpus, key=lambda q: (q.article, q.gold))[:max_questions]
        notes.append(f"abstention protocol: {sum(len(a.paragraphs) for a in indexed)} paragraphs indexed, "
                     f"{sum(q.article % 2 == 0 for q in asked)} in-corpus and {sum(q.article % 2 for q in asked)} "
                     f"off-corpus questions")
        for name, make in SYSTEMS.items():
            system = make(indexed, language)
            columns[name].update(abstention_figures(system, system.threshold, asked))
    report = Report(columns, notes)
    notes.append(f"time: {time.perf_counter() - started:.0f} s")
    return report
