"""Runs admin operations on a corpus in a loop (adds, removes, undos, bulk imports, index saves and restarts
that bring the saved index up to date), logging BEGIN/DONE lines, until the test SIGKILLs it.

Usage: python -m tests.support.crash_worker CORPUS_DIR SEED
"""
from __future__ import annotations

import json
import random
import sys
import tempfile
from pathlib import Path

from bot.corpus.importing import article_from_text
from bot.curation import Curator
from bot.search.engine import Engine

WORDS = "army border ceasefire drone election harbour minister parliament refugee sanction treaty vote".split()


def say(*parts: object) -> None:
    print(*parts, flush=True)


def text(rng: random.Random) -> str:
    title = " ".join(rng.choices(WORDS, k=4)).capitalize() + f" {rng.randrange(10**9)}"
    body = "\n".join(" ".join(rng.choices(WORDS, k=12)).capitalize() + "." for _ in range(rng.randint(1, 6)))
    return f"{title}\n{body}\nSources: Wire"


def restart(corpus_dir: Path) -> Curator:
    """As the bot starts: load the corpus and its saved index, bring the index up to date and save it."""
    say("BEGIN load")
    curator = Curator(corpus_dir, Engine.load(corpus_dir))
    say("DONE load")
    return curator


def main(corpus_dir: Path, seed: int) -> None:
    rng = random.Random(seed)
    say("READY")
    curator = restart(corpus_dir)
    removed: list[str] = []
    while True:
        op = rng.choice(["add", "add", "remove", "undo", "import", "save", "load"])
        ids = [a.id for a in curator.engine.articles]
        if op == "add":
            say("BEGIN add")
            say("DONE add", curator.add(article_from_text(text(rng))).article.id)
        elif op == "remove" and ids:
            victim = rng.choice(ids)
            say("BEGIN remove", victim)
            curator.remove(victim)
            removed.append(victim)
            say("DONE remove", victim)
        elif op == "undo" and removed:
            say("BEGIN undo", removed[-1])
            restored = curator.undo()
            say("DONE undo", restored.id)
            removed.pop()
        elif op == "save":
            say("BEGIN save")
            curator.engine.save_index()
            say("DONE save")
        elif op == "load":
            curator = restart(corpus_dir)
        elif op == "import":
            lines = [json.dumps({"title": t.split("\n")[0], "text": "\n\n".join(t.split("\n")[1:-1])})
                     for t in (text(rng) for _ in range(rng.randint(2, 20)))]
            with tempfile.NamedTemporaryFile("w", suffix=".jsonl", delete=False) as handle:
                handle.write("\n".join(lines))
            say("BEGIN import")
            curator.import_path(Path(handle.name))
            Path(handle.name).unlink()
            say("DONE import", *sorted(a.id for a in curator.engine.articles if a.id not in ids))


if __name__ == "__main__":
    main(Path(sys.argv[1]), int(sys.argv[2]))
