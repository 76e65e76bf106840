from pathlib import Path

import pytest

from bot.corpus.parsing import (
    ArticleError,
    parse_article,
    parse_markdown,
    parse_text,
    read_article,
    to_markdown,
)
from bot.models import Article, Paragraph
from tests.support.paths import FIRST_ARTICLE_TXT, REPO


@pytest.fixture(scope="module")
def first() -> Article:
    return read_article(FIRST_ARTICLE_TXT)


def test_first_article_title_and_outlets(first: Article) -> None:
    assert first.title == "Over 10.000 North Korean soldiers are estimated to have been sent to Russia."
    assert first.outlets == ("AFP", "News.ro", "Reuters", "BBC")


def test_first_article_drops_boilerplate_and_sources_line(first: Article) -> None:
    texts = [p.text for p in first.paragraphs]
    assert not any(t in {"Others are reading now", "Also read"} for t in texts)
    assert not any(t.startswith("Sources:") for t in texts)
    assert len(first.paragraphs) == 14


def test_headings_are_sections_not_passages(first: Article) -> None:
    texts = {p.text for p in first.paragraphs}
    for heading in ("Growing deployments", "Plea on camera", "Awaiting release", "Fatal consequences"):
        assert heading not in texts
    by_text = {p.text[:30]: p.section for p in first.paragraphs}
    assert by_text["South Korean and Western intel"] == "Growing deployments"
    assert by_text["Seoul’s intelligence services "] == "Fatal consequences"
    assert first.paragraphs[0].section is None


def test_corpus_copy_of_first_article_matches_the_source(first: Article) -> None:
    stored = read_article(next((REPO / "corpus").glob("*.md")))
    assert stored.title == first.title
    assert stored.outlets == first.outlets
    assert stored.paragraphs == first.paragraphs
    assert stored.language == "en"


def test_markdown_round_trip_keeps_everything() -> None:
    article = Article(
        id="x", title="T <b>&", url="https://example.com/a", outlets=("AFP", "BBC"), published="2025-01-02",
        language="en",
        paragraphs=(Paragraph("First one."), Paragraph("# not a heading, a paragraph", "Sec"),
                    Paragraph("Third.", "Sec"), Paragraph("\\ starts with a backslash", "Sec")),
    )
    assert parse_markdown(to_markdown(article), "x") == article


def test_markdown_title_from_heading_and_heading_without_blank_line() -> None:
    article = parse_markdown("# My title\n\nIntro text here.\n## Part two\nBody of part two.\n", "a")
    assert article.title == "My title"
    assert [(p.section, p.text) for p in article.paragraphs] == [
        (None, "Intro text here."), ("Part two", "Body of part two.")]


def test_text_url_and_date_lines_become_metadata() -> None:
    article = parse_text("Title\nhttps://news.example/x\nPublished: 2025-03-01\nBody sentence one.\nSource: AFP", "t")
    assert (article.url, article.published, article.outlets) == ("https://news.example/x", "2025-03-01", ("AFP",))
    assert [p.text for p in article.paragraphs] == ["Body sentence one."]


@pytest.mark.parametrize("text,suffix,reason", [
    ("", ".txt", "empty"),
    ("Only a title\n", ".txt", "no paragraphs"),
    ("---\ntitle: x\nno end", ".md", "never closed"),
    ("---\nthis line has no colon\n---\nBody.", ".md", "key: value"),
    ("---\nurl: https://x\n---\n\nBody.", ".md", "no title"),
    ("a\x00b", ".txt", "binary"),
    ("Title\nBody.", ".pdf", "unsupported"),
])
def test_malformed_articles_raise_with_reason(text: str, suffix: str, reason: str) -> None:
    with pytest.raises(ArticleError, match=reason):
        parse_article(text, "id", suffix)


def test_invalid_utf8_is_an_article_error(tmp_path: Path) -> None:
    path = tmp_path / "bad.txt"
    path.write_bytes(b"Title\n\xff\xfe broken")
    with pytest.raises(ArticleError, match="UTF-8"):
        read_article(path)


def test_control_characters_become_spaces_in_titles_and_text() -> None:
    article = parse_text("Harbour\x07 festival\x00 tonight\x1b[31m\nCrowds\x7f came\x9b early.\x0bThey left late.",
                         "x")
    assert article.title == "Harbour festival tonight [31m"
    assert [p.text for p in article.paragraphs] == ["Crowds came early.", "They left late."]
