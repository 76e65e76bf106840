"""Engine + saved index: reused (and brought up to date) when the corpus changed, rebuilt when it is damaged;
articles added and removed live are answered / forgotten at once."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from bot.models import Article, Paragraph
from bot.search import engine as engine_module
from bot.search.engine import Engine
from bot.search.index import BM25Index
from bot.settings import Settings
from tests.support.scores import live_scores

QUESTION = "how many soldiers died?"


def _count_builds(monkeypatch) -> list[int]:
    builds = []
    real = BM25Index.from_stream.__func__

    def counting(cls, *args, **kwargs):
        builds.append(1)
        return real(cls, *args, **kwargs)

    monkeypatch.setattr(engine_module.BM25Index, "from_stream", classmethod(counting))
    return builds


def test_saved_index_is_reused_and_brought_up_to_date_when_the_corpus_changes(monkeypatch, corpus_dir: Path) -> None:
    builds = _count_builds(monkeypatch)
    settings = Settings(corpus_dir=corpus_dir)
    first = Engine.load(settings.corpus_dir)
    assert builds == [1] and (corpus_dir / ".index" / "manifest.json").is_file()
    second = Engine.load(settings.corpus_dir)
    assert builds == [1]
    assert second.ask(QUESTION).best.text == first.ask(QUESTION).best.text
    path = next(p for p in corpus_dir.iterdir() if p.suffix == ".md")
    path.write_text(path.read_text(encoding="utf-8").replace("roughly 2,000", "roughly 3,000"), encoding="utf-8")
    third = Engine.load(settings.corpus_dir)  # the edited article's paragraphs are replaced, nothing else is rebuilt
    assert builds == [1] and "3,000" in third.ask(QUESTION).best.text
    assert "3,000" in Engine.load(settings.corpus_dir).ask(QUESTION).best.text  # and that state was saved


def test_an_index_brought_up_to_date_scores_like_a_fresh_build(corpus_dir: Path) -> None:
    """Removed, edited and new articles since the save: the same scores as building from the corpus."""
    settings = Settings(corpus_dir=corpus_dir)
    engine = Engine.load(settings.corpus_dir)
    new = [Article(f"extra-{n}", f"Extra {n}", (Paragraph(f"Soldiers number {n} died near the border."),
                                                 Paragraph("Drones and artillery were used."))) for n in range(3)]
    engine.add_articles(new)
    engine.remove_articles({"extra-1"})
    engine.save_index()  # holds extra-0 and extra-2 alive, extra-1 removed
    for article in (new[0], new[1]):  # extra-0 and extra-1 are written to the corpus, extra-2 is not
        (corpus_dir / f"{article.id}.md").write_text(
            f"---\ntitle: {article.title}\n---\n\n" + "\n\n".join(p.text for p in article.paragraphs) + "\n",
            encoding="utf-8")
    loaded = Engine.load(settings.corpus_dir)
    fresh = Engine(loaded.articles)
    assert sorted(a.id for a in loaded.articles) == sorted(a.id for a in fresh.articles)
    assert {"extra-0", "extra-1"} <= {a.id for a in loaded.articles} and loaded.article("extra-2") is None
    for query in (QUESTION, "drones artillery", "border soldiers number 1", "Russia Ukraine Kim"):
        assert live_scores(loaded, query) == live_scores(fresh, query)
    assert loaded.paragraph_count == fresh.paragraph_count


def test_saved_index_that_does_not_say_what_it_holds_is_rebuilt(monkeypatch, corpus_dir: Path) -> None:
    Engine.load(corpus_dir)
    manifest = corpus_dir / ".index" / "manifest.json"
    for notes in ("garbage", [["x", -1, "y"]], [["x", 10**6, "y"]], [["x", 1]], None):
        saved = json.loads(manifest.read_text(encoding="utf-8"))
        saved["meta"]["notes"] = notes
        manifest.write_text(json.dumps(saved), encoding="utf-8")
        builds = _count_builds(monkeypatch)
        assert Engine.load(corpus_dir).ask(QUESTION).found
        assert builds == [1], notes


def test_corrupt_saved_index_is_rebuilt_not_trusted(monkeypatch, corpus_dir: Path) -> None:
    Engine.load(corpus_dir)
    for path in (corpus_dir / ".index").glob("docs.*.npy"):
        path.write_bytes(path.read_bytes()[:40])
    builds = _count_builds(monkeypatch)
    assert Engine.load(corpus_dir).ask(QUESTION).found
    assert builds == [1]


def test_live_add_and_remove_articles(corpus_dir: Path) -> None:
    engine = Engine.load(corpus_dir)
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
    Engine.load(corpus)
    assert corpus.exists() is not missing


def test_an_index_saved_by_another_analysis_version_is_rebuilt_not_misread(monkeypatch, corpus_dir: Path) -> None:
    """An index saved before the analysis changed (e.g. before each language was read in its own way) holds
    other terms: it is rebuilt once, then reused."""
    monkeypatch.setattr(engine_module, "ANALYSIS_VERSION", engine_module.ANALYSIS_VERSION - 1)
    Engine.load(corpus_dir)  # saved by the older analysis
    monkeypatch.undo()
    builds = _count_builds(monkeypatch)
    assert Engine.load(corpus_dir).ask(QUESTION).found
    assert Engine.load(corpus_dir).ask(QUESTION).found
    assert builds == [1]
