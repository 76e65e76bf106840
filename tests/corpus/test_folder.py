import os
from pathlib import Path

import pytest

from bot.corpus.folder import atomic_write, scan_corpus, slugify, write_article
from bot.models import Article, Paragraph


def test_write_article_round_trips_and_leaves_no_temp_files(tmp_path: Path) -> None:
    article = Article(id="a-b", title="A & B", paragraphs=(Paragraph("Text one."),), outlets=("AFP",),
                      added="2025-11-21")
    path = write_article(tmp_path, article)
    assert path == tmp_path / "a-b.md"
    assert scan_corpus(tmp_path).articles == [article]
    assert [p.name for p in tmp_path.iterdir()] == ["a-b.md"]


def test_a_file_without_a_date_was_added_when_it_was_written(tmp_path: Path) -> None:
    path = tmp_path / "by-hand.md"
    path.write_text("# Put in by hand\n\nText one.\n", encoding="utf-8")
    os.utime(path, (1763700000, 1763700000))  # 21 Nov 2025
    [article] = scan_corpus(tmp_path).articles
    assert (article.published, article.added, article.date_text) == (None, "2025-11-21", "added on 21 Nov 2025")
    assert path.read_text(encoding="utf-8") == "# Put in by hand\n\nText one.\n"  # the file is left alone


def test_failed_write_keeps_the_old_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    target = tmp_path / "x.md"
    atomic_write(target, "old")

    def boom(fd: int) -> None:
        raise OSError("disk full")

    monkeypatch.setattr(os, "fsync", boom)
    with pytest.raises(OSError):
        atomic_write(target, "new")
    assert target.read_text() == "old"
    assert [p.name for p in tmp_path.iterdir()] == ["x.md"]


def test_hidden_and_temp_files_are_not_articles(tmp_path: Path) -> None:
    (tmp_path / ".x.md.123.tmp").write_text("---\ntitle: half")
    (tmp_path / ".trash").mkdir()
    (tmp_path / ".trash" / "old.md").write_text("# Old\n\nGone.")
    scan = scan_corpus(tmp_path)
    assert scan.articles == [] and scan.errors == {}


@pytest.mark.parametrize("title,slug", [
    ("Over 10.000 North Korean soldiers!", "over-10-000-north-korean-soldiers"),
    ("Ким Чен Ын: визит", "ким-чен-ын-визит"),
    ("???", "article"),
    ("Ferry crews returned to work on Tuesday after a two-day strike over pay", 
     "ferry-crews-returned-to-work-on-tuesday-after-a-two-day"),  # cut at a word, not mid-word
    ("Военные КНДР сообщили о потерях около 2000 человек в Курской области в ноябре",
     "военные-кндр-сообщили-о-потерях-около-2000-человек-в-курской"),
    ("x" * 80, "x" * 60),  # one long word: cut where it must be
])
def test_slugify(title: str, slug: str) -> None:
    assert slugify(title) == slug


def test_a_file_copied_in_by_hand_in_another_encoding_is_read_and_an_unclear_one_refused(tmp_path: Path) -> None:
    story = ("# Пожар на складе в Казани\n\nПожар на складе в Казани потушили к утру, сообщили в МЧС. Пострадавших "
             "нет, площадь возгорания составила около 1200 квадратных метров.\n")
    (tmp_path / "pozhar.md").write_bytes(story.encode("cp1251"))  # a Windows file, as desks still have them
    (tmp_path / "unclear.md").write_bytes("# Caf\xe9\n\nNa\xefve r\xe9sum\xe9.\n".encode("latin-1"))
    scan = scan_corpus(tmp_path)
    [article] = scan.articles
    assert article.title == "Пожар на складе в Казани" and "около 1200 квадратных метров" in article.paragraphs[0].text
    assert list(scan.errors) == ["unclear.md"] and "save it as UTF-8" in scan.errors["unclear.md"]
