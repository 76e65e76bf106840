"""The `corpus/` folder: the single, human-editable source of truth (one article per file).

Reading never fails as a whole: a bad file is reported with its reason and skipped. Writing is atomic
(temp file + fsync + rename + directory fsync), so a crash leaves either the old state or the new file.
"""
from __future__ import annotations

import logging
import os
import re
import unicodedata
from dataclasses import dataclass, field, replace
from datetime import date
from pathlib import Path

from ..models import Article
from .atomic import write_atomically
from .parsing import ARTICLE_SUFFIXES, ArticleError, read_article, to_markdown

log = logging.getLogger(__name__)


@dataclass
class CorpusScan:
    articles: list[Article] = field(default_factory=list)
    errors: dict[str, str] = field(default_factory=dict)  # file name → reason


def is_article_name(name: str) -> bool:
    """Hidden files and folders (trash, saved index, temp files) and other suffixes are not articles."""
    return not name.startswith(".") and Path(name).suffix.lower() in ARTICLE_SUFFIXES


def file_states(corpus_dir: Path) -> dict[str, tuple[int, int]]:
    """Article file name → (modification time in ns, size): what changes whenever anyone adds, removes, renames or
    edits an article file, in place too. One directory listing and a stat per file, no reading."""
    states = {}
    try:
        with os.scandir(corpus_dir) as entries:
            for entry in entries:
                if not is_article_name(entry.name):
                    continue
                try:
                    if entry.is_file():
                        stat = entry.stat()
                        states[entry.name] = (stat.st_mtime_ns, stat.st_size)
                except OSError:  # removed meanwhile
                    continue
    except FileNotFoundError:
        pass
    return states


def article_files(corpus_dir: Path) -> list[Path]:
    """Article files in name order (see `is_article_name`)."""
    if not corpus_dir.is_dir():
        return []
    return sorted(p for p in corpus_dir.iterdir() if is_article_name(p.name) and p.is_file())


def scan_corpus(corpus_dir: Path) -> CorpusScan:
    scan = CorpusScan()
    seen: set[str] = set()
    for path in article_files(corpus_dir):
        try:
            article = read_article(path)
        except (ArticleError, OSError) as exc:
            scan.errors[path.name] = str(exc)
            log.warning("skipped %s: %s", path.name, exc)
            continue
        if article.id in seen:
            scan.errors[path.name] = f"another file already has the id {article.id!r}"
            continue
        seen.add(article.id)
        scan.articles.append(_dated(article, path))
    return scan


def _dated(article: Article, path: Path) -> Article:
    """A file put in by hand with no date in it was added when it was last written: every article has a day
    (in memory only; the file stays as it is)."""
    if article.published or article.added:
        return article
    try:
        day = date.fromtimestamp(path.stat().st_mtime)
    except OSError:
        return article
    return replace(article, added=day.isoformat())


def slugify(title: str, max_len: int = 60) -> str:
    """A readable, filesystem-safe file name from a title (Unicode letters kept), cut at a word boundary."""
    text = unicodedata.normalize("NFKC", title).casefold()
    slug = re.sub(r"[^\w]+", "-", text).strip("-_")
    if len(slug) > max_len:
        cut = slug[:max_len + 1]
        slug = cut.rsplit("-", 1)[0] if "-" in cut[:max_len] else slug[:max_len]
    return slug.strip("-_") or "article"


def atomic_write(path: Path, text: str, sync_dir: bool = True) -> None:
    write_atomically(path, lambda handle: handle.write(text.encode("utf-8")), sync_dir)


def write_article(corpus_dir: Path, article: Article, sync_dir: bool = True) -> Path:
    """The article as `corpus_dir/<id>.md`, atomically; `sync_dir=False` leaves the folder's fsync to the caller
    (a bulk import syncs it once)."""
    path = corpus_dir / f"{article.id}.md"
    atomic_write(path, to_markdown(article), sync_dir)
    return path
