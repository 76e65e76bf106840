"""Restart cost after admins changed the corpus: the saved index brought up to date vs a full rebuild.

    python -m benchmarks.restart [--paragraphs 200000]

Writes a temporary corpus of real paragraphs (10 per article), then times, in one run:
a first start (build + save), a restart with nothing changed (load), and a restart after one article was
added and one removed while the bot was down (load, re-index the two, save) against the same restart with
a rebuild (build + save: what any change since the last save used to cost). Every start reads the corpus files.
"""
from __future__ import annotations

import argparse
import shutil
import tempfile
import time
from pathlib import Path

from benchmarks.corpora import load
from bot.corpus.folder import write_article
from bot.models import Article, Paragraph
from bot.search.engine import Engine
from bot.settings import Settings

PER_ARTICLE = 10


def timed(make: callable) -> tuple[float, Engine]:
    started = time.perf_counter()
    engine = make()
    return time.perf_counter() - started, engine


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--paragraphs", type=int, default=200_000)
    args = parser.parse_args()
    texts, extra = load(args.paragraphs, PER_ARTICLE)
    with tempfile.TemporaryDirectory() as folder:
        corpus = Path(folder) / "corpus"
        corpus.mkdir()
        for start in range(0, len(texts), PER_ARTICLE):
            chunk = texts[start:start + PER_ARTICLE]
            write_article(corpus, Article(f"a{start:08}", chunk[0][:60], tuple(Paragraph(t) for t in chunk)))
        settings = Settings(corpus_dir=corpus)
        first, engine = timed(lambda: Engine.load(settings.corpus_dir))
        unchanged, _ = timed(lambda: Engine.load(settings.corpus_dir))
        write_article(corpus, Article("new-article", "New", tuple(Paragraph(t) for t in extra)))
        (corpus / "a00000000.md").unlink()
        changed, _ = timed(lambda: Engine.load(settings.corpus_dir))
        shutil.rmtree(corpus / ".index")  # what a restart after any change used to do: build + save
        rebuild, _ = timed(lambda: Engine.load(settings.corpus_dir))
    print(f"{len(texts):,} paragraphs in {len(texts) // PER_ARTICLE:,} articles")
    print(f"first start (build + save)                 {first:7.2f} s")
    print(f"restart, nothing changed (load)            {unchanged:7.2f} s")
    print(f"restart after 1 add + 1 remove (update)    {changed:7.2f} s")
    print(f"  the same restart rebuilding the index    {rebuild:7.2f} s   ratio update/rebuild {changed / rebuild:.2f}")


if __name__ == "__main__":
    main()
