"""Admin operations on a corpus folder + live engine: add, duplicates, remove/undo, reload, bulk import, crashes."""
import json
import os
import signal
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest

from bot.corpus.folder import scan_corpus
from bot.corpus.importing import article_from_json, article_from_text
from bot.corpus.parsing import ArticleError
from bot.curation import Curator
from bot.models import Article
from bot.search.engine import Engine
from tests.support.paths import DATA, REPO

PERU = "Lima is the capital of Peru\nLima, the capital of Peru, has about ten million inhabitants.\nSources: Andina"


@pytest.fixture
def curator(corpus_dir: Path) -> Curator:
    return Curator(corpus_dir, Engine.load(corpus_dir))


def test_added_article_is_stored_and_answerable_at_once(curator: Curator, corpus_dir: Path) -> None:
    assert not curator.engine.ask("what is the capital of Peru?").found
    added = curator.add(article_from_text(PERU))
    assert added.duplicate_of is None
    assert added.article.id == "lima-is-the-capital-of-peru"
    assert (corpus_dir / "lima-is-the-capital-of-peru.md").is_file()
    answer = curator.engine.ask("what is the capital of Peru?")
    assert answer.found and answer.best.article.id == added.article.id
    assert answer.best.article.outlets == ("Andina",)
    # The folder is the source of truth: a fresh engine over it knows the article too.
    assert Engine.load(corpus_dir).ask("capital of Peru").found


def test_same_text_or_same_url_is_a_duplicate(curator: Curator, corpus_dir: Path) -> None:
    first = curator.add(article_from_text(PERU))
    again = curator.add(article_from_text("Another title\n" + PERU.split("\n", 1)[1].upper()))
    assert again.duplicate_of == first.article.id
    with_url = curator.add(article_from_text("A\nSome other body text.\nhttps://news.example/a"))
    assert curator.duplicate_of(url="http://www.news.example/a/") == with_url.article.id
    same_link = article_from_text("B\nDifferent text.\nhttps://news.example/a")
    assert curator.add(same_link).duplicate_of == with_url.article.id
    assert len(scan_corpus(corpus_dir).articles) == 3


def test_a_url_already_stored_is_not_fetched_again(curator: Curator) -> None:
    fetched = []

    def fetch() -> Article:
        fetched.append(1)
        return article_from_text("A\nSome body text.\nhttps://news.example/a")

    first = curator.add_from(fetch, "https://news.example/a")
    again = curator.add_from(fetch, "https://www.news.example/a/")
    assert fetched == [1] and again.duplicate_of == first.article.id
    assert curator.add_from(lambda: article_from_text("B\nOther text."), "https://news.example/b").duplicate_of is None


def test_same_title_gets_a_new_id(curator: Curator) -> None:
    a = curator.add(article_from_text("Same title\nText one."))
    b = curator.add(article_from_text("Same title\nText two."))
    assert (a.article.id, b.article.id) == ("same-title", "same-title-2")


def test_remove_then_undo(curator: Curator, corpus_dir: Path) -> None:
    article_id = curator.engine.articles[0].id
    removed = curator.remove(article_id)
    assert removed.id == article_id
    assert not curator.engine.ask("how many soldiers died?").found
    assert scan_corpus(corpus_dir).articles == []
    assert len(list((corpus_dir / ".trash").iterdir())) == 1
    restored = curator.undo()
    assert (restored.article.id, restored.action) == (article_id, "remove")
    assert curator.engine.ask("how many soldiers died?").found
    assert [a.id for a in scan_corpus(corpus_dir).articles] == [article_id]
    assert curator.undo() is None


def test_remove_unknown_id(curator: Curator) -> None:
    with pytest.raises(KeyError):
        curator.remove("no-such-article")


def test_reload_after_hand_edits(curator: Curator, corpus_dir: Path) -> None:
    original = next(corpus_dir.glob("*.md"))
    original.write_text(original.read_text().replace("roughly 2,000", "roughly 3,000"))
    (corpus_dir / "peru.txt").write_text(PERU)
    (corpus_dir / "broken.md").write_text("---\nnever closed")
    report = curator.reload()
    assert report.added == ["peru"] and report.changed == [original.stem] and report.removed == []
    assert set(report.errors) == {"broken.md"}
    assert "3,000" in curator.engine.ask("how many soldiers died?").best.text
    (corpus_dir / "peru.txt").unlink()
    assert curator.reload().removed == ["peru"]
    assert not curator.engine.ask("capital of Peru").found


def test_files_changed_by_others_are_noticed_and_our_own_changes_are_not(curator: Curator, corpus_dir: Path) -> None:
    assert curator.reload_if_changed() is None
    curator.add(article_from_text(PERU))  # our own write: nothing to re-read
    assert curator.reload_if_changed() is None
    (corpus_dir / "chile.txt").write_text("Chile\nSantiago, the capital of Chile, has six million people.")
    assert curator.reload_if_changed().added == ["chile"]
    assert curator.engine.ask("What is the capital of Chile?").best.article.id == "chile"
    assert curator.reload_if_changed() is None
    original = next(p for p in corpus_dir.glob("*.md") if p.stem != "lima-is-the-capital-of-peru")
    original.write_text(original.read_text().replace("roughly 2,000", "roughly 3,000"))  # edited in place
    assert curator.reload_if_changed().changed == [original.stem]
    (corpus_dir / "chile.txt").unlink()
    curator.remove("lima-is-the-capital-of-peru")  # ours, after a change from elsewhere: that one is still seen
    assert curator.reload_if_changed().removed == ["chile"]
    assert curator.reload_if_changed() is None


def test_bulk_import_jsonl_with_bad_lines(curator: Curator, tmp_path: Path) -> None:
    source = tmp_path / "articles.jsonl"
    source.write_text("\n".join([
        json.dumps({"title": "Peru", "paragraphs": ["Lima is the capital of Peru."], "source": "Andina"}),
        json.dumps({"title": "Chile", "text": "Santiago is the capital of Chile.\n\nIt is large."}),
        "{not json",
        json.dumps({"paragraphs": ["no title"]}),
        json.dumps({"title": "Peru again", "paragraphs": ["Lima is the capital of Peru."]}),
    ]))
    seen: list[int] = []
    report = curator.import_path(source, progress=seen.append)
    assert (report.added, report.duplicates) == (2, 1)
    assert set(report.errors) == {"line 3", "line 4"}
    assert sum(seen) == 3
    assert curator.engine.ask("capital of Chile").best.article.title == "Chile"


@pytest.mark.skipif(not (DATA / "bbc-news").is_dir(), reason="needs ../shared/data")
def test_bulk_import_of_bbc_news(curator: Curator, corpus_dir: Path) -> None:
    report = curator.import_path(DATA / "bbc-news" / "bbc-news.jsonl.gz")
    assert report.added + report.duplicates == 2225 and not report.errors
    assert report.added > 2000  # the data set has ~100 exact repeats
    assert len(list(corpus_dir.glob("*.md"))) == report.added + 1
    answer = curator.engine.ask("How much did TimeWarner's quarterly profits jump?")
    assert answer.found and "76%" in answer.best.text
    assert answer.best.article.title == "Ad sales boost Time Warner profit"


def test_article_from_json_rejects_nonsense() -> None:
    with pytest.raises(ArticleError):
        article_from_json({"title": "x", "paragraphs": []})


KILL_DURING_RENAME = """
import os, signal, sys
real_replace = os.replace
def crash(src, dst):
    os.kill(os.getpid(), signal.SIGKILL)
os.replace = crash
sys.argv = ["bot", "add", sys.argv[1]]
from bot.cli import main
main()
"""


def test_sigkill_between_write_and_rename_leaves_a_clean_corpus(corpus_dir: Path, tmp_path: Path) -> None:
    source = tmp_path / "peru.txt"
    source.write_text(PERU)
    env = {**os.environ, "CORPUS_DIR": str(corpus_dir)}
    result = subprocess.run([sys.executable, "-c", KILL_DURING_RENAME, str(source)], env=env, cwd=REPO,
                            capture_output=True, timeout=120)
    assert result.returncode == -signal.SIGKILL
    scan = scan_corpus(corpus_dir)
    assert len(scan.articles) == 1 and scan.errors == {}
    # The half-done write is a hidden temp file, which the next add cleans up; the add itself then succeeds.
    curator = Curator(corpus_dir, Engine.load(corpus_dir))
    assert not list(corpus_dir.glob(".*.tmp"))
    assert curator.add(article_from_text(PERU)).duplicate_of is None


def test_undo_takes_back_the_last_add_or_removal_in_turn(curator: Curator, corpus_dir: Path) -> None:
    original = curator.engine.articles[0].id
    added = curator.add(article_from_text(PERU)).article
    curator.remove(original)

    assert curator.undo().action == "remove" and curator.engine.article(original)
    undone = curator.undo()
    assert (undone.action, undone.article.id) == ("add", added.id)
    assert not curator.engine.ask("What is the capital of Peru?").found
    assert {a.id for a in scan_corpus(corpus_dir).articles} == {original}
    assert list((corpus_dir / ".trash" / "undone").glob(f"*--{added.id}.md"))  # kept for a human, out of reach
    assert curator.undo() is None  # an undo does not redo


def test_an_add_removed_by_hand_is_skipped_by_undo(curator: Curator, corpus_dir: Path) -> None:
    added = curator.add(article_from_text(PERU)).article
    (corpus_dir / f"{added.id}.md").unlink()
    curator.reload()

    assert curator.undo() is None
    assert not list((corpus_dir / ".trash").glob("*.added"))


def test_an_article_without_a_date_is_marked_with_the_day_it_was_added(curator: Curator, corpus_dir: Path) -> None:
    added = curator.add(article_from_text(PERU)).article
    dated = curator.add(article_from_text("Chile\nSantiago is the capital of Chile.\nPublished: 2024-05-01")).article

    assert added.added == date.today().isoformat() and added.published is None
    assert f"added: {added.added}" in (corpus_dir / f"{added.id}.md").read_text()
    assert (dated.published, dated.added) == ("2024-05-01", None)


def test_replace_edits_an_article_in_place_and_answers_use_it_at_once(curator: Curator, corpus_dir: Path) -> None:
    added = curator.add(article_from_text(PERU)).article
    edited = curator.replace(added.id, article_from_text(PERU.replace("Lima", "Cusco")))

    assert edited.id == added.id and edited.added == added.added
    assert "Cusco" in curator.engine.ask("What is the capital of Peru?").best.text
    assert "Cusco" in (corpus_dir / f"{added.id}.md").read_text()
    assert curator.duplicate_of(article_from_text(PERU)) is None  # the old text is no longer "in the corpus"
    with pytest.raises(KeyError):
        curator.replace("no-such-article", edited)


def test_find_by_id_or_the_start_of_one(curator: Curator) -> None:
    a = curator.add(article_from_text("Harbour bridge reopens\nThe bridge reopened.")).article
    b = curator.add(article_from_text("Harbour ferry strike ends\nThe strike ended.")).article

    assert curator.find(a.id) == [a]
    assert curator.find("harbour-f") == [b]
    assert {x.id for x in curator.find("harbour")} == {a.id, b.id}
    assert curator.find("") == [] and curator.find("zzz") == []
