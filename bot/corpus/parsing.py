"""Article files → `Article`: the Markdown corpus format and plain text copied from a web page.

Markdown (the corpus's own format)::

    ---
    title: Over 10,000 North Korean soldiers ...
    url: https://...
    outlets: AFP, News.ro, Reuters, BBC
    published: 2025-11-02
    language: en
    ---

    ## Growing deployments

    South Korean and Western intelligence agencies estimate ...

`added:` is the day the bot stored an article that gave no date of its own (then `published:` is absent).

Plain text (pasted from a web page): the title, the story's paragraphs and the metadata lines (outlets, link,
date, in several languages) are told apart from the page's furniture by `cleaning` and `metadata`.
"""
from __future__ import annotations

import re
from datetime import UTC, datetime
from pathlib import Path

import charset_normalizer

from ..models import Article, Paragraph
from .cleaning import clean_page, is_label
from .metadata import guess_language, match_line, settle

MARKDOWN_SUFFIXES = {".md", ".markdown"}
TEXT_SUFFIXES = {".txt"}
ARTICLE_SUFFIXES = MARKDOWN_SUFFIXES | TEXT_SUFFIXES
METADATA_KEYS = ("title", "url", "outlets", "published", "added", "language")


class ArticleError(ValueError):
    """A file that cannot be read as an article; the message says why, for the admin who fixes it."""


def split_list(raw: str) -> tuple[str, ...]:
    return tuple(part.strip() for part in raw.split(",") if part.strip())


def _paragraphs(blocks: list[str]) -> tuple[Paragraph, ...]:
    """Attach each `#` heading to the paragraphs after it; a heading with nothing after it is dropped, and so is
    a lone button or link-list label ("Others are reading now", "Share"), which extracted pages still carry."""
    paragraphs: list[Paragraph] = []
    section: str | None = None
    for block in blocks:
        text = " ".join(block.split())
        if not text or is_label(text):
            continue
        if text.startswith("#"):
            section = text.lstrip("#").strip() or None
        else:
            paragraphs.append(Paragraph(text=text.removeprefix("\\"), section=section))
    return tuple(paragraphs)


def _markdown_blocks(body: str) -> list[str]:
    """Blank lines separate paragraphs; a `#` line is a block of its own even without blank lines."""
    blocks: list[str] = []
    current: list[str] = []
    for line in body.splitlines():
        stripped = line.strip()
        if not stripped or stripped.startswith("#"):
            if current:
                blocks.append(" ".join(current))
                current = []
            if stripped:
                blocks.append(stripped)
        else:
            current.append(stripped)
    if current:
        blocks.append(" ".join(current))
    return blocks


# C0/C1 control characters other than tab and line breaks: invisible, yet they travel into titles, files and
# replies (a pasted terminal colour code, a NUL from a broken export). Each becomes a space.
_CONTROL = re.compile(r"[\x00-\x08\x0e-\x1f\x7f-\x84\x86-\x9f]")


def _without_controls(text: str) -> str:
    return _CONTROL.sub(" ", text)


def parse_markdown(text: str, article_id: str) -> Article:
    text = _without_controls(text)
    meta: dict[str, str] = {}
    body = text
    if text.startswith("---"):
        head, sep, rest = text[3:].partition("\n---")
        if not sep:
            raise ArticleError("metadata header opened with '---' but never closed")
        for line in head.strip().splitlines():
            key, colon, value = line.partition(":")
            if not colon:
                raise ArticleError(f"metadata line without 'key: value': {line.strip()[:60]!r}")
            meta[key.strip().lower()] = value.strip()
        body = rest.partition("\n")[2]
    blocks = _markdown_blocks(body)
    title = meta.get("title", "")
    if not title and blocks and blocks[0].startswith("# "):
        title = blocks.pop(0)[2:]
    if not title.strip():
        raise ArticleError("no title (a 'title:' metadata line or a '# Title' first line)")
    return _article(article_id, title, _paragraphs(blocks), meta)


def parse_text(text: str, article_id: str, sent: datetime | None = None) -> Article:
    """Text pasted from a web page or typed into a chat. `sent` is when it was written (a message's date; now
    when unknown): "5 hours ago" is counted back from it."""
    lines = [" ".join(line.split()) for line in _without_controls(text).splitlines()]
    lines = [line for line in lines if line]
    if not lines:
        raise ArticleError("the file is empty")
    sent = sent or datetime.now(UTC)
    language = guess_language(text)
    page = clean_page(lines, lambda line, in_header: match_line(line, language, sent, in_header))
    paragraphs = tuple(Paragraph(line, section) for line, section in page.paragraphs)
    return _article(article_id, page.title, paragraphs, settle(page.meta))


def _article(article_id: str, title: str, paragraphs: tuple[Paragraph, ...], meta: dict[str, str]) -> Article:
    if not paragraphs:
        raise ArticleError("no paragraphs of text after the title")
    return Article(
        id=article_id,
        title=" ".join(title.split()),
        paragraphs=paragraphs,
        url=meta.get("url") or None,
        outlets=split_list(meta.get("outlets", meta.get("sources", ""))),
        published=meta.get("published") or None,
        added=meta.get("added") or None,
        language=meta.get("language") or None,
    )


def parse_article(text: str, article_id: str, suffix: str) -> Article:
    """Parse text of a given file type; raises ArticleError with a human reason."""
    if "\x00" in text:
        raise ArticleError("binary data (NUL bytes), not text")
    if suffix.lower() in MARKDOWN_SUFFIXES:
        return parse_markdown(text, article_id)
    if suffix.lower() in TEXT_SUFFIXES:
        return parse_text(text, article_id)
    raise ArticleError(f"unsupported file type {suffix!r} (use .md or .txt)")


def read_article(path: Path) -> Article:
    """An article file of the corpus folder; one copied in by hand in another encoding is read as an upload
    would be (see `decode_text`)."""
    return parse_article(decode_text(path.read_bytes()), path.stem, path.suffix)


# Encodings read with equal ease (how little of the text looks garbled) within this margin are rivals.
RIVAL_CHAOS = 0.02


def decode_text(data: bytes) -> str:
    """UTF-8 (or UTF-16 with its byte-order mark); else the encoding charset_normalizer finds, when that is not a
    guess: every rival reading of the bytes that looks as clean must give the same text (a Windows-1251 file of
    Russian news does; four accented Latin letters do not)."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError:
            raise ArticleError("the file claims to be UTF-16 but is not; save it as UTF-8") from None
    if b"\x00" in data:
        raise ArticleError("the file is binary, not text")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        position = exc.start
    matches = list(charset_normalizer.from_bytes(data))
    if not matches:
        raise ArticleError(f"the file is not text in any encoding I know (bad byte at position {position})")
    best = matches[0]
    rivals = [m for m in matches[1:] if m.chaos <= best.chaos + RIVAL_CHAOS and str(m) != str(best)]
    if rivals or best.chaos > 0.1:
        names = ", ".join(m.encoding for m in [best, *rivals][:3])
        raise ArticleError(f"the file is not UTF-8, and its encoding is unclear (it could be {names}); "
                           "save it as UTF-8")
    return str(best)


def to_markdown(article: Article) -> str:
    """The corpus's own file format; `parse_markdown(to_markdown(a))` gives `a` back."""
    header = ["---", f"title: {article.title}"]
    if article.url:
        header.append(f"url: {article.url}")
    if article.outlets:
        header.append(f"outlets: {', '.join(article.outlets)}")
    if article.published:
        header.append(f"published: {article.published}")
    if article.added:
        header.append(f"added: {article.added}")
    if article.language:
        header.append(f"language: {article.language}")
    header.append("---")
    parts = ["\n".join(header)]
    section: str | None = None
    for paragraph in article.paragraphs:
        if paragraph.section != section and paragraph.section:
            parts.append(f"## {paragraph.section}")
        section = paragraph.section
        parts.append("\\" + paragraph.text if paragraph.text.startswith(("#", "\\")) else paragraph.text)
    return "\n\n".join(parts) + "\n"
