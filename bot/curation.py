"""What admins do to the corpus: add (with duplicate detection), edit in place, remove, undo, reload and import.

Every change goes to `corpus/` first (atomic file writes and renames) and to the live engine second, so a
crash can lose at most an article that was never confirmed, and the folder stays the source of truth.
Mutations are serialised by a lock; answering goes on in parallel against the engine.

`corpus/.trash/` is also the undo history: a removed file waits there as `<time>--<name>`, and each add leaves
an empty `<time>--<name>.added` marker, so `undo` takes back whichever came last. An undone add goes to
`.trash/undone/`, out of the history (undoing twice goes further back, it does not redo).
"""
from __future__ import annotations

import hashlib
import os
import threading
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field, replace
from datetime import date
from pathlib import Path

from .corpus.atomic import sync_folder
from .corpus.folder import article_files, file_states, scan_corpus, slugify, write_article
from .corpus.importing import article_from_upload, jsonl_articles
from .corpus.links import normalize_url
from .corpus.parsing import ArticleError, read_article
from .models import Article
from .search.detect import article_language
from .search.engine import Engine
from .search.languages import header_problem, language_code, name

TRASH = ".trash"
UNDONE = "undone"
ADDED_MARK = ".added"


def fingerprint(article: Article) -> str:
    """Same text (whitespace and case aside) means the same article, whatever its title or file name."""
    body = "\n".join(" ".join(p.text.casefold().split()) for p in article.paragraphs)
    return hashlib.sha256(body.encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class Added:
    """The stored article, or the existing one it duplicates (then nothing was written)."""

    article: Article
    duplicate_of: str | None = None
    detected: bool = False  # its language was told from its text (and written into its file)

    def describe(self) -> str:
        """The confirmation an admin sees: id, title, size, the metadata as read and how the text was split."""
        article = self.article
        if self.duplicate_of:
            return f"Already in the corpus as {self.duplicate_of}: {article.title}"
        count = f"{len(article.paragraphs)} paragraph{'' if len(article.paragraphs) == 1 else 's'}"
        return (f"Added {article.id}: {article.title} ({count})\n{metadata_lines(article, self.detected)}\n"
                f"{preview(article)}")


def preview(article: Article, shown: int = 5) -> str:
    """The start of the first paragraphs: how the text was split, at a glance."""
    lines = [f"  {n}. {p.text[:70]}{'…' if len(p.text) > 70 else ''}"
             for n, p in enumerate(article.paragraphs[:shown], 1)]
    if len(article.paragraphs) > shown:
        lines.append(f"  … and {len(article.paragraphs) - shown} more")
    return "\n".join(lines)


def metadata_lines(article: Article, detected: bool = False) -> str:
    """Outlets, date, link and language as they were read, so an admin sees at once when one was lost or wrong."""
    date_text = article.published or (f"none given (added {article.added})" if article.added else "none given")
    return "\n".join([f"  Outlets: {', '.join(article.outlets) or 'none given'}", f"  Date: {date_text}",
                      f"  URL: {article.url or 'none given'}", f"  Language: {language_line(article, detected)}"])


def language_line(article: Article, detected: bool) -> str:
    """ "Russian (ru, detected)", "Russian (ru)" as its header says, or why its `language:` header cannot be used."""
    if not article.language:
        return "not clear from the text: read as SEARCH_LANGUAGE"
    if problem := header_problem(article.language):
        return f"{problem}; read as SEARCH_LANGUAGE"
    code = language_code(article.language)
    return f"{name(code)} ({code}, detected)" if detected else f"{name(code)} ({code})"


@dataclass(frozen=True)
class Undone:
    """What `undo` took back: an add (the article is gone again) or a removal (it is back)."""

    article: Article
    action: str  # "add" or "remove"


@dataclass
class ReloadReport:
    added: list[str] = field(default_factory=list)
    changed: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    errors: dict[str, str] = field(default_factory=dict)


@dataclass
class ImportReport:
    added: int = 0
    duplicates: int = 0
    errors: dict[str, str] = field(default_factory=dict)
    seconds: float = 0.0

    def summary(self) -> str:
        text = f"imported {self.added} article(s), {self.duplicates} duplicate(s) skipped, {len(self.errors)} error(s)"
        return f"{text} in {self.seconds:.1f} s"


class Curator:
    """The admin side of one corpus folder and the engine that answers from it."""

    def __init__(self, corpus_dir: Path, engine: Engine) -> None:
        self.corpus_dir = corpus_dir
        self.trash_dir = corpus_dir / TRASH
        self.engine = engine
        self._lock = threading.Lock()
        self._by_fingerprint: dict[str, str] = {}
        self._by_url: dict[str, str] = {}
        for article in engine.articles:
            self._remember(article)
        self._seen = file_states(corpus_dir)  # article files as the engine knows them (see reload_if_changed)
        # Temp files are what a crash between write and rename leaves behind; they were never confirmed.
        for leftover in corpus_dir.glob(".*.tmp"):
            leftover.unlink(missing_ok=True)

    def _remember(self, article: Article) -> None:
        self._by_fingerprint[fingerprint(article)] = article.id
        if article.url:
            self._by_url[normalize_url(article.url)] = article.id

    def _forget(self, article: Article) -> None:
        self._by_fingerprint.pop(fingerprint(article), None)
        if article.url:
            self._by_url.pop(normalize_url(article.url), None)

    def duplicate_of(self, article: Article | None = None, url: str | None = None) -> str | None:
        """Id of an article with the same text or the same URL, if there is one."""
        if url and (found := self._by_url.get(normalize_url(url))):
            return found
        if article is None:
            return None
        return self._by_fingerprint.get(fingerprint(article)) or self.duplicate_of(url=article.url)

    def newest_first(self) -> list[Article]:
        """Articles by their file's modification time, newest first: what was added or edited last is on top."""
        articles = self.engine.articles
        order = {article.id: n for n, article in enumerate(articles)}
        mtimes = {Path(name).stem: mtime for name, (mtime, _) in file_states(self.corpus_dir).items()}
        return sorted(articles, key=lambda a: (mtimes.get(a.id, 0), order[a.id]), reverse=True)

    @staticmethod
    def _new_id(title: str, taken: set[str]) -> str:
        base = slugify(title)
        candidate, n = base, 2
        while candidate in taken:
            candidate, n = f"{base}-{n}", n + 1
        return candidate

    def _store(self, articles: list[Article], sync_each: bool) -> tuple[list[Article], list[Added]]:
        """Give new articles ids and files; duplicates (also within the batch) are reported, not stored. An
        article without a date of its own is marked with the day it was added."""
        # Unreadable files keep their names too: a new article must not overwrite one an admin is fixing.
        taken = {a.id for a in self.engine.articles} | {p.stem for p in self.corpus_dir.glob("*") if p.is_file()}
        stored, results = [], []
        for article in articles:
            if existing := self.duplicate_of(article):
                results.append(Added(self.engine.article(existing) or article, duplicate_of=existing))
                continue
            detected = article_language(article.title, [p.text for p in article.paragraphs]) \
                if not article.language else None
            article = replace(article, id=self._new_id(article.title, taken),
                              added=article.added or (None if article.published else date.today().isoformat()),
                              language=article.language or detected)
            taken.add(article.id)
            self._note(write_article(self.corpus_dir, article, sync_dir=sync_each))
            if sync_each:
                self._mark_added(article.id)
            self._remember(article)
            stored.append(article)
            results.append(Added(article, detected=bool(detected)))
        return stored, results

    def add(self, article: Article) -> Added:
        """Store one article and make it answerable at once (file first, then the live index)."""
        with self._lock:
            stored, results = self._store([article], sync_each=True)
            if stored:
                self.engine.add_articles(stored)
            return results[0]

    def add_from(self, make: Callable[[], Article], url: str | None = None) -> Added:
        """`add(make())`, except that an article already stored from `url` is reported without calling `make`:
        re-sending a link someone already added costs no download."""
        if url and (existing := self.duplicate_of(url=url)) and (article := self.engine.article(existing)):
            return Added(article, duplicate_of=existing)
        return self.add(make())

    def _mark_added(self, article_id: str) -> None:
        """The add goes into the undo history (bulk imports do not: one undo per article would be no help)."""
        self.trash_dir.mkdir(exist_ok=True)
        (self.trash_dir / f"{time.time_ns()}--{article_id}.md{ADDED_MARK}").touch()

    def replace(self, article_id: str, article: Article) -> Article:
        """The article's new version under the same id (an edited post): the file is rewritten atomically and
        answers use the new text at once. Raises KeyError when the article is gone."""
        with self._lock:
            old = self.engine.article(article_id)
            if old is None or _file_of(self.corpus_dir, article_id) is None:
                raise KeyError(article_id)
            new = replace(article, id=article_id, added=None if article.published else old.added or article.added,
                          language=article.language or old.language)
            if new == old:
                return old
            path = _file_of(self.corpus_dir, article_id)
            if path.suffix != ".md":  # a hand-made .txt is replaced by the bot's own format
                path.unlink()
                self._note(path)
            self._note(write_article(self.corpus_dir, new))
            self.engine.remove_articles({article_id})
            self.engine.add_articles([new])
            self._forget(old)
            self._remember(new)
            return new

    def find(self, query: str) -> list[Article]:
        """The article with this id, else those whose id starts with it (an id typed in part)."""
        query = query.strip().casefold()
        if article := self.engine.article(query):
            return [article]
        return [a for a in self.engine.articles if a.id.startswith(query)] if query else []

    def add_many(self, articles: Iterable[Article]) -> ImportReport:
        """Bulk import: one folder sync and one index update for the whole batch."""
        started = time.perf_counter()
        batch = list(articles)
        with self._lock:
            stored, results = self._store(batch, sync_each=False)
            sync_folder(self.corpus_dir)
            if stored:
                self.engine.add_articles(stored)
                self.engine.save_index()  # a big change: let the next start map it in rather than re-index
        return ImportReport(added=len(stored), duplicates=len(results) - len(stored),
                            seconds=time.perf_counter() - started)

    def remove(self, article_id: str) -> Article:
        """Move the article's file to `corpus/.trash/` (so `undo` can bring it back) and stop answering from it."""
        with self._lock:
            article = self.engine.article(article_id)
            path = _file_of(self.corpus_dir, article_id)
            if article is None or path is None:
                raise KeyError(article_id)
            self.trash_dir.mkdir(exist_ok=True)
            os.replace(path, self.trash_dir / f"{time.time_ns()}--{path.name}")
            self._note(path)
            sync_folder(self.corpus_dir)
            self.engine.remove_articles({article_id})
            self._forget(article)
            return article

    def undo(self) -> Undone | None:
        """Take back the last add or removal (by anyone: Telegram and the shell share the history); None when
        there is nothing to undo. An add whose article is gone already (removed by hand) is skipped."""
        with self._lock:
            history = sorted(self.trash_dir.glob("*--*")) if self.trash_dir.is_dir() else []
            for entry in reversed(history):
                if not entry.name.endswith(ADDED_MARK):
                    return Undone(self._restore(entry), "remove")
                article = self._unadd(entry)
                if article:
                    return Undone(article, "add")
            return None

    def _restore(self, source: Path) -> Article:
        target = self.corpus_dir / source.name.split("--", 1)[1]
        if target.exists():
            raise FileExistsError(f"{target.name} exists again; restore {source.name} by hand")
        article = read_article(source)
        article = replace(article, id=target.stem)
        os.replace(source, target)
        self._note(target)
        sync_folder(self.corpus_dir)
        self.engine.add_articles([article])
        self._remember(article)
        return article

    def _unadd(self, marker: Path) -> Article | None:
        """Move an added article out of the corpus (to `.trash/undone/`, kept for a human), then its marker."""
        article_id = marker.name.split("--", 1)[1].removesuffix(ADDED_MARK).removesuffix(".md")
        article, path = self.engine.article(article_id), _file_of(self.corpus_dir, article_id)
        if article and path:
            undone = self.trash_dir / UNDONE
            undone.mkdir(exist_ok=True)
            os.replace(path, undone / f"{time.time_ns()}--{path.name}")
            self._note(path)
            sync_folder(self.corpus_dir)
            self.engine.remove_articles({article_id})
            self._forget(article)
        marker.unlink()
        return article if path else None

    def _note(self, path: Path) -> None:
        """Record a write or removal of our own, so `reload_if_changed` does not take it for someone else's."""
        try:
            stat = path.stat()
            self._seen[path.name] = (stat.st_mtime_ns, stat.st_size)
        except FileNotFoundError:
            self._seen.pop(path.name, None)

    def reload_if_changed(self) -> ReloadReport | None:
        """`reload` when article files were changed by someone else since we last looked (the shell `add`,
        files copied in or edited by hand); None, cheaply, when nothing was."""
        with self._lock:
            if file_states(self.corpus_dir) == self._seen:
                return None
        return self.reload()

    def reload(self) -> ReloadReport:
        """Bring the engine in line with files edited by hand: only what changed is re-indexed."""
        with self._lock:
            self._seen = file_states(self.corpus_dir)  # before the scan: a change made during it is seen next time
            scan = scan_corpus(self.corpus_dir)
            old = {a.id: a for a in self.engine.articles}
            new = {a.id: a for a in scan.articles}
            report = ReloadReport(
                added=sorted(new.keys() - old.keys()),
                changed=sorted(i for i in new.keys() & old.keys() if new[i] != old[i]),
                removed=sorted(old.keys() - new.keys()),
                errors=scan.errors,
            )
            gone = set(report.removed) | set(report.changed)
            if gone:
                self.engine.remove_articles(gone)
            fresh = [new[i] for i in report.added + report.changed]
            if fresh:
                self.engine.add_articles(fresh)
            self._by_fingerprint.clear()
            self._by_url.clear()
            for article in self.engine.articles:
                self._remember(article)
            return report

    def import_path(self, path: Path, progress: Callable[[int], None] | None = None) -> ImportReport:
        """Bulk import of a folder of article files or a JSON-lines file (one article per line)."""
        started = time.perf_counter()
        errors: dict[str, str] = {}
        articles = []
        for article in _read_many(path, errors):
            articles.append(article)
            if progress:
                progress(1)
        report = self.add_many(articles)
        report.errors = errors
        report.seconds = time.perf_counter() - started
        return report


def _file_of(corpus_dir: Path, article_id: str) -> Path | None:
    return next((p for p in article_files(corpus_dir) if p.stem == article_id), None)


def _read_many(path: Path, errors: dict[str, str]) -> Iterator[Article]:
    if path.is_dir():
        for file in sorted(p for p in path.rglob("*") if p.is_file()):
            try:
                yield article_from_upload(file.name, file.read_bytes(), max_bytes=1 << 30)
            except (ArticleError, OSError) as exc:
                errors[str(file.relative_to(path))] = str(exc)
        return
    yield from jsonl_articles(path, errors)
