"""Raw input an admin hands over (pasted text, an uploaded file, a web page, JSON lines) → `Article`.

Only conversion lives here; deciding ids, spotting duplicates and storing is `bot/curation.py`'s job.
"""
from __future__ import annotations

import gzip
import json
from collections.abc import Iterator
from dataclasses import replace
from datetime import datetime
from pathlib import Path, PurePath
from typing import TextIO

import trafilatura

from ..models import Article, Paragraph
from ..sentences import split_sentences
from .fetch import fetch_page
from .parsing import ArticleError, decode_text, parse_markdown, parse_text

MAX_UPLOAD_BYTES = 2 * 1024 * 1024
POST_TITLE_CHARS = 100
HTML_SUFFIXES = {".html", ".htm"}
UPLOAD_SUFFIXES = {".txt", ".md", ".markdown", *HTML_SUFFIXES}


def article_from_text(text: str, url: str | None = None, outlets: tuple[str, ...] = (),
                      published: str | None = None, sent: datetime | None = None) -> Article:
    """Pasted text shaped like the first article; a `Sources:`/URL/`Published:` line in the text wins over hints.
    `sent` is when the text was sent ("5 hours ago" counts back from it)."""
    article = parse_text(text, article_id="", sent=sent)
    return replace(article, url=article.url or url, outlets=article.outlets or outlets,
                   published=article.published or published)


def article_from_post(text: str, url: str | None = None, outlets: tuple[str, ...] = (),
                      published: str | None = None, sent: datetime | None = None) -> Article:
    """A Telegram message or channel post. Many posts start straight with the story, without a headline (their
    first line ends with a full stop): then its first sentence, shortened, is the title and the line stays text."""
    first = next((line.strip() for line in text.splitlines() if line.strip()), "")
    if first.rstrip("\"”’')]").endswith("."):
        title = split_sentences(first)[0]
        if len(title) > POST_TITLE_CHARS:
            title = title[:POST_TITLE_CHARS].rsplit(" ", 1)[0] + "…"
        text = f"{title}\n{text}"
    return article_from_text(text, url, outlets, published, sent)


def article_from_html(html: str, url: str | None = None) -> Article:
    """The main text of a web page (menus, footers and boilerplate dropped) with title, date and site name."""
    try:
        doc = trafilatura.bare_extraction(html, url=url, with_metadata=True, include_comments=False,
                                          include_formatting=True, include_tables=False)
    except (ValueError, RecursionError) as exc:
        raise ArticleError(f"the HTML could not be read ({type(exc).__name__})") from None
    if doc is None or not (doc.text or "").strip():
        raise ArticleError("no article text found on the page")
    title = (doc.title or "").strip()
    body = doc.text
    if not title:
        first, _, rest = body.strip().partition("\n")
        title, body = first.lstrip("# ").strip(), rest
    article = parse_markdown(f"# {title}\n\n{body}", article_id="")
    # The page's own <h1> usually repeats the title; it is not a section.
    paragraphs = tuple(replace(p, section=None) if p.section == title else p for p in article.paragraphs)
    return replace(article, paragraphs=paragraphs, url=url or doc.url,
                   outlets=(doc.sitename,) if doc.sitename else (), published=doc.date or None)


def article_from_url(url: str, allow_private: bool = False) -> Article:
    """The article on a web page, fetched with the limits and address checks of `fetch_page`."""
    page = fetch_page(url, allow_private=allow_private)
    return article_from_html(page.html, page.url)


def check_upload(filename: str, size: int, max_bytes: int = MAX_UPLOAD_BYTES) -> None:
    """File type and size, which a bot can check before downloading anything."""
    suffix = PurePath(filename).suffix.lower()
    if suffix not in UPLOAD_SUFFIXES:
        raise ArticleError(f"can't read {suffix or 'files without an extension'}: send .txt, .md or .html")
    if size > max_bytes:
        raise ArticleError(f"the file is {size // 1024} KB; the limit is {max_bytes // 1024} KB")


def article_from_upload(filename: str, data: bytes, max_bytes: int = MAX_UPLOAD_BYTES) -> Article:
    """An uploaded .txt, .md or .html file; anything else gets a clear reason."""
    check_upload(filename, len(data), max_bytes)
    suffix = PurePath(filename).suffix.lower()
    if not data.strip():
        raise ArticleError("the file is empty")
    text = decode_text(data)
    if suffix in HTML_SUFFIXES:
        return article_from_html(text)
    if suffix == ".txt":
        return article_from_text(text)
    return parse_markdown(text, article_id="")


def open_text(path: Path) -> TextIO:
    """A UTF-8 text file, read through gzip when its name ends in `.gz` (the data sets and big imports are)."""
    return gzip.open(path, "rt", encoding="utf-8") if path.suffix == ".gz" else path.open(encoding="utf-8")


def article_from_json(doc: dict, untitled: str | None = None) -> Article:
    """One JSON-lines record: `title` (or a newsgroup post's `subject`; else `untitled`, if given) and
    `paragraphs` (or `text`, paragraphs separated by blank lines), optional url, outlets/source, published,
    language."""
    title = " ".join(str(doc.get("title") or doc.get("subject") or untitled or "").split())
    if not title:
        raise ArticleError("no title")
    raw = doc.get("paragraphs") or str(doc.get("text") or "").split("\n\n")
    paragraphs = tuple(Paragraph(" ".join(str(p).split())) for p in raw if str(p).strip())
    if not paragraphs:
        raise ArticleError("no paragraphs")
    outlets = doc.get("outlets") or doc.get("source") or ()
    return Article(
        id="", title=title, paragraphs=paragraphs, url=doc.get("url") or None,
        outlets=tuple([outlets] if isinstance(outlets, str) else outlets), published=doc.get("published") or None,
        language=str(doc.get("language") or "").strip() or None,
    )


def jsonl_articles(path: Path, errors: dict[str, str] | None = None, id_prefix: str = "") -> Iterator[Article]:
    """The articles of a JSON-lines file (gzip too), one record per line. A bad line is skipped, with its reason
    in `errors` under "line N". With `id_prefix`, line N's article is "prefix-N" (N from 0), titled "prefix N"
    when the record has no title: a data set read as a corpus."""
    with open_text(path) as handle:
        for number, line in enumerate(handle):
            if not line.strip():
                continue
            try:
                article = article_from_json(json.loads(line), f"{id_prefix} {number}" if id_prefix else None)
            except (ArticleError, ValueError, TypeError, AttributeError) as exc:
                if errors is not None:
                    errors[f"line {number + 1}"] = str(exc)
                continue
            yield replace(article, id=f"{id_prefix}-{number}") if id_prefix else article
