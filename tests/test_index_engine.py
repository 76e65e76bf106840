"""Engine + saved index: reused when the corpus is unchanged, rebuilt when it changed or is damaged;
articles added and removed live are answered / forgotten at once."""
from __future__ import annotations

from pathlib import Path

import pytest

from bot import engine as engine_module
from bot.engine import Engine
from bot.index import BM25Index
from bot.models import Article, Paragraph
from bot.settings import Settings

QUESTION = "how many soldiers died?"


def _count_builds(monkeypatch) -> list[int]:
    builds = []
    real = BM25Index.from_stream.__func__

    def counting(cls, *args, **kwargs):
        builds.append(1)
        return real(cls, *args, **kwargs)

    monkeypatch.setattr(engine_module.BM25Index, "from_stream", classmethod(counting))
    return builds


def test_saved_index_is_reused_then_rebuilt_when_the_corpus_changes(monkeypatch, corpus_dir: Path) -> None:
    builds = _count_builds(monkeypatch)
    settings = Settings(corpus_dir=corpus_dir)
    first = Engine.load(settings)
    assert builds == [1] and (corpus_dir / ".index" / "manifest.json").is_file()
    second = Engine.load(settings)
    assert builds == [1]
    assert second.ask(QUESTION).best.text == first.ask(QUESTION).best.text
    path = next(p for p in corpus_dir.iterdir() if p.suffix == ".md")
    path.write_text(path.read_text(encoding="utf-8").replace("roughly 2,000", "roughly 3,000"), encoding="utf-8")
    third = Engine.load(settings)
    assert builds == [1, 1] and "3,000" in third.ask(QUESTION).best.text


def test_corrupt_saved_index_is_rebuilt_not_trusted(monkeypatch, corpus_dir: Path) -> None:
    Engine.load(Settings(corpus_dir=corpus_dir))
    for path in (corpus_dir / ".index").glob("docs.*.npy"):
        path.write_bytes(path.read_bytes()[:40])
    builds = _count_builds(monkeypatch)
    assert Engine.load(Settings(corpus_dir=corpus_dir)).ask(QUESTION).found
    assert builds == [1]


def test_live_add_and_remove_articles(corpus_dir: Path) -> None:
    engine = Engine.load(Settings(corpus_dir=corpus_dir))
    before = engine.ask(QUESTION).best.text
    article = Article("zebra-news", "Zebras reach the Moon",
                      (Paragraph("A herd of zebras landed on the Moon on Tuesday, NASA said."),
                       Paragraph("The zebras were quite calm during the landing.")))
    engine.add_articles([article])
    answer = engine.ask("When did the zebras land on the Moon?")
    assert answer.found and answer.best.article.id == "zebra-news"
    engine.remove_articles({"zebra-news"})
    answer = engine.ask("When did the zebras land on the Moon?")
    assert not answer.found or answer.best.article.id != "zebra-news"
    assert engine.article("zebra-news") is None and engine.ask(QUESTION).best.text == before


@pytest.mark.parametrize("missing", [True, False])
def test_no_index_folder_is_created_without_a_corpus_folder(tmp_path: Path, missing: bool) -> None:
    corpus = tmp_path / "corpus"
    if not missing:
        corpus.mkdir()
    Engine.load(Settings(corpus_dir=corpus))
    assert corpus.exists() is not missing
