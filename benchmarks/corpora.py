"""Real text and questions from ../shared/data for the speed benchmark: news corpora first, then Wikipedia."""
from __future__ import annotations

import json
import random
import re
from collections.abc import Iterator
from pathlib import Path

from bot.corpus.importing import jsonl_articles, open_text

DATA = Path(__file__).resolve().parent.parent.parent / "shared" / "data"
CORPORA = ["bbc-news/bbc-news.jsonl.gz", "reuters21578/reuters21578.jsonl.gz", "20newsgroups/20news-bydate.jsonl.gz",
           *(f"enwiki-2015-extract/enwiki-2015-extract-part0{i}.jsonl.gz" for i in range(4))]
SQUAD = "squad-dev/dev-v1.1.json.gz"


def paragraphs(data: Path = DATA) -> Iterator[str]:
    """Every non-empty paragraph of the corpora, whitespace collapsed, in a fixed order."""
    for name in CORPORA:
        for article in jsonl_articles(data / name):
            for paragraph in article.paragraphs:
                yield paragraph.text


def load(count: int, extra: int, data: Path = DATA) -> tuple[list[str], list[str]]:
    """The first `count` paragraphs, and `extra` more held back to be added live."""
    texts: list[str] = []
    for text in paragraphs(data):
        texts.append(text)
        if len(texts) == count + extra:
            break
    return texts[:count], texts[count:]


def questions(texts: list[str], squad: int, from_corpus: int, data: Path = DATA, seed: int = 7) -> list[str]:
    """SQuAD dev questions plus question-like queries made from sentences of indexed paragraphs."""
    with open_text(data / SQUAD) as handle:
        squad_questions = [qa["question"] for item in json.load(handle)["data"]
                           for p in item["paragraphs"] for qa in p["qas"]]
    rng = random.Random(seed)
    out = rng.sample(squad_questions, squad)
    while len(out) < squad + from_corpus:
        sentence = re.split(r"(?<=[.!?])\s", rng.choice(texts))[0].split()
        if len(sentence) >= 6:
            start = rng.randrange(0, max(1, len(sentence) - 8))
            out.append("What " + " ".join(sentence[start:start + rng.randint(4, 9)]) + "?")
    return out
