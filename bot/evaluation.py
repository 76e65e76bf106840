"""Retrieval quality on a SQuAD-format file: is each question's own paragraph ranked first / in the top 3?

All paragraphs of the file are indexed (optionally among distractor paragraphs from JSON-lines corpora,
the situation of a bot with a large news corpus) and every answerable question is asked through the
engine's own ranking, so the figures describe the bot's default behaviour.
"""
from __future__ import annotations

import gzip
import json
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from .engine import Engine
from .models import Article, Paragraph
from .tokenizer import Tokenizer


@dataclass(frozen=True)
class Question:
    text: str
    gold: int  # paragraph number in the engine's index
    answers: tuple[str, ...]


def _open_text(path: Path):
    return gzip.open(path, "rt", encoding="utf-8") if path.suffix == ".gz" else path.open(encoding="utf-8")


def load_squad(path: Path) -> tuple[list[Article], list[tuple[int, int, str, tuple[str, ...]]]]:
    """Articles of a SQuAD file and its questions as (article number, paragraph number, question, answers)."""
    with _open_text(path) as handle:
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


def load_jsonl_articles(path: Path, prefix: str) -> Iterator[Article]:
    """Articles from the JSON-lines corpora of ../shared/data (`{"title", "paragraphs": [...]}` per line)."""
    with _open_text(path) as handle:
        for n, line in enumerate(handle):
            doc = json.loads(line)
            paragraphs = tuple(Paragraph(" ".join(p.split())) for p in doc.get("paragraphs", []) if p.strip())
            if paragraphs:
                yield Article(id=f"{prefix}-{n}", title=doc.get("title") or f"{prefix} {n}", paragraphs=paragraphs)


@dataclass
class Report:
    questions: int
    top1: float
    top3: float
    mrr10: float
    seconds: float
    paragraphs: int

    def lines(self) -> list[str]:
        return [
            f"paragraphs indexed: {self.paragraphs}",
            f"questions:          {self.questions}",
            f"top-1:              {self.top1:.3f}",
            f"top-3:              {self.top3:.3f}",
            f"MRR@10:             {self.mrr10:.3f}",
            f"time:               {self.seconds:.1f} s",
        ]


def evaluate(squad: Path, distractors: list[Path] = (), language: str = "english",
             max_questions: int | None = None) -> Report:
    started = time.perf_counter()
    articles, raw_questions = load_squad(squad)
    for path in distractors:
        articles.extend(load_jsonl_articles(path, path.stem.split(".")[0]))
    engine = Engine(articles, Tokenizer(language))
    first_paragraph = {}
    for n, loc in enumerate(engine.locations):
        first_paragraph.setdefault(loc.article.id, n)
    questions = [Question(q, first_paragraph[f"squad-{a}"] + p, answers) for a, p, q, answers in raw_questions]
    if max_questions:
        questions = questions[:max_questions]
    top1 = top3 = rr = 0.0
    for question in questions:
        ranked = [r.number for _, r in engine.rank(question.text, 10)]
        if question.gold in ranked:
            position = ranked.index(question.gold)
            top1 += position == 0
            top3 += position < 3
            rr += 1 / (position + 1)
    count = len(questions) or 1
    return Report(len(questions), top1 / count, top3 / count, rr / count,
                  time.perf_counter() - started, engine.paragraph_count)
