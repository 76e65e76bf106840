"""Telegram messages that are articles, kept as they arrived: the parts of a long paste Telegram split in two,
channel posts and admins' `/add` messages.

Telegram splits a text over 4,096 characters into several messages, and the Bot API can neither undo that nor
tell which message an edit belongs to without its id. So every part is written here the moment it arrives
(DATA_DIR/inbox.sqlite3): the parts of one article form a group; the group is built into an article once the
last part is in; an edit of any part rebuilds the article from all of them, in place. A group left unbuilt by a
crash (mid-join or mid-edit) is built at the next start. Plain code: the bot, the crash tests and the shell use it.
"""
from __future__ import annotations

import json
import sqlite3
import threading
import time
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from .corpus.importing import article_from_post, article_from_text
from .corpus.parsing import ArticleError
from .curation import Added, Curator
from .models import Article
from .sentences import split_sentences

FILE_NAME = "inbox.sqlite3"
TELEGRAM_LIMIT = 4096      # characters (UTF-16 units) in one message; longer pastes arrive split
MAY_CONTINUE = 3000        # a part at least this long may be followed by the rest of the paste ...
LOOKS_CUT = TELEGRAM_LIMIT - 200  # ... and one this long that ends mid-sentence, with no rest, was cut
ADD, POST, FORWARD = "add", "post", "forward"  # an admin's /add, a channel post, a post forwarded by an admin

# States of a group: more parts may come / complete, to be built / built into `article_id` / refused (cut).
OPEN, READY, BUILT, REFUSED = "open", "ready", "built", "refused"

_SCHEMA = """
CREATE TABLE IF NOT EXISTS groups (
    id TEXT PRIMARY KEY,          -- "<chat id>/<first message id>"
    kind TEXT NOT NULL,           -- add, post, forward
    hints TEXT NOT NULL,          -- JSON: url, outlets, published, sent (ISO time) from the message itself
    reply_chat INTEGER,           -- where to confirm (an admin's chat); NULL for channel posts
    who TEXT NOT NULL,            -- for the audit log: "user 123", "channel @name"
    state TEXT NOT NULL,
    article_id TEXT,
    updated_at REAL NOT NULL
);
CREATE TABLE IF NOT EXISTS parts (
    chat_id INTEGER NOT NULL,
    message_id INTEGER NOT NULL,
    group_id TEXT NOT NULL REFERENCES groups(id),
    text TEXT NOT NULL,
    PRIMARY KEY (chat_id, message_id)
);
CREATE INDEX IF NOT EXISTS parts_by_group ON parts (group_id, message_id);
"""


def tg_length(text: str) -> int:
    """Length as Telegram counts it (UTF-16 code units)."""
    return len(text.encode("utf-16-le")) // 2


def may_continue(text: str) -> bool:
    """A message long enough to be the first part of a paste Telegram split."""
    return tg_length(text) >= MAY_CONTINUE


def join_parts(texts: list[str]) -> str:
    """Parts in order. Telegram cuts at a line break or a space and drops it: a part ending like a sentence
    ended a paragraph; one ending mid-sentence continues in the next part."""
    joined = texts[0] if texts else ""
    for text in texts[1:]:
        joined += ("\n" if joined.rstrip().endswith((".", "!", "?", "…", "\"", "”", "»", ")")) else " ") + text
    return joined


@dataclass(frozen=True)
class Group:
    id: str
    kind: str
    hints: dict
    reply_chat: int | None
    who: str
    state: str
    article_id: str | None
    parts: tuple[tuple[int, str], ...]  # (message id, text) in message order

    @property
    def text(self) -> str:
        return join_parts([text for _, text in self.parts])

    @property
    def sent(self) -> datetime:
        return datetime.fromisoformat(self.hints["sent"]) if self.hints.get("sent") else datetime.now(UTC)

    def looks_cut(self) -> bool:
        """One part only, near Telegram's limit and ending mid-sentence: the rest of it never came."""
        last = self.parts[-1][1].rstrip() if self.parts else ""
        return len(self.parts) == 1 and tg_length(last) >= LOOKS_CUT and not split_sentences(last)[-1].endswith(
            (".", "!", "?", "…", "\"", "”", "»", ")"))

    def article(self) -> Article:
        """The article the parts make (raises ArticleError with the reason)."""
        hints = {k: v for k, v in self.hints.items() if k in ("url", "published")}
        outlets = tuple(self.hints.get("outlets") or ())
        make = article_from_text if self.kind == ADD else article_from_post
        return make(self.text, outlets=outlets, sent=self.sent, **hints)


@dataclass(frozen=True)
class Outcome:
    """What building a group did: added (or found a duplicate), updated an article in place, or refused."""

    group: Group
    added: Added | None = None
    updated: Article | None = None
    refused: str | None = None


class _Locked:
    """A connection shared by the event loop and the building thread: one statement or transaction at a time."""

    def __init__(self, db: sqlite3.Connection) -> None:
        self._db, self._lock = db, threading.RLock()

    def execute(self, sql: str, params: tuple = ()) -> sqlite3.Cursor:
        with self._lock:
            return self._db.execute(sql, params)

    def executescript(self, sql: str) -> None:
        with self._lock:
            self._db.executescript(sql)

    def close(self) -> None:
        self._db.close()

    def __enter__(self) -> _Locked:
        self._lock.acquire()
        self._db.execute("BEGIN IMMEDIATE")
        return self

    def __exit__(self, kind: object, *rest: object) -> None:
        try:
            self._db.execute("ROLLBACK" if kind else "COMMIT")
        finally:
            self._lock.release()


class Inbox:
    """One SQLite file in WAL mode; every write is committed before the bot replies."""

    def __init__(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        self._db = _Locked(sqlite3.connect(path, isolation_level=None, check_same_thread=False))
        self._db.execute("PRAGMA journal_mode=WAL")
        self._db.executescript(_SCHEMA)

    @classmethod
    def in_dir(cls, data_dir: Path) -> Inbox:
        return cls(data_dir / FILE_NAME)

    def close(self) -> None:
        self._db.close()

    # --- arriving -------------------------------------------------------------------------------------------

    def open(self, kind: str, chat_id: int, message_id: int, text: str, hints: dict, who: str,
             reply_chat: int | None = None, complete: bool = False) -> str:
        """A new group with its first part; `complete` when no other part can follow. Its id."""
        group_id = f"{chat_id}/{message_id}"
        with self._db:
            self._db.execute("INSERT OR IGNORE INTO groups (id, kind, hints, reply_chat, who, state, updated_at)"
                             " VALUES (?, ?, ?, ?, ?, ?, ?)", (group_id, kind, json.dumps(hints, ensure_ascii=False),
                                                               reply_chat, who, READY if complete else OPEN,
                                                               time.time()))
            self._db.execute("INSERT OR IGNORE INTO parts (chat_id, message_id, group_id, text) VALUES (?, ?, ?, ?)",
                             (chat_id, message_id, group_id, text))
        return group_id

    def append(self, group_id: str, chat_id: int, message_id: int, text: str, complete: bool) -> None:
        with self._db:
            self._db.execute("INSERT OR IGNORE INTO parts (chat_id, message_id, group_id, text) VALUES (?, ?, ?, ?)",
                             (chat_id, message_id, group_id, text))
            self._set_state(group_id, READY if complete else OPEN)

    def complete(self, group_id: str) -> None:
        """No more parts will come (the wait for them is over)."""
        with self._db:
            self._db.execute("UPDATE groups SET state = ?, updated_at = ? WHERE id = ? AND state = ?",
                             (READY, time.time(), group_id, OPEN))

    def edit(self, chat_id: int, message_id: int, text: str) -> Group | None:
        """A part's new text (an edited post or /add); its group is to be rebuilt. None for an unknown message."""
        row = self._db.execute("SELECT group_id FROM parts WHERE chat_id = ? AND message_id = ?",
                               (chat_id, message_id)).fetchone()
        if row is None:
            return None
        with self._db:
            self._db.execute("UPDATE parts SET text = ? WHERE chat_id = ? AND message_id = ?",
                             (text, chat_id, message_id))
            self._set_state(row[0], READY)
        return self.group(row[0])

    def _set_state(self, group_id: str, state: str, article_id: str | None = None) -> None:
        self._db.execute("UPDATE groups SET state = ?, article_id = COALESCE(?, article_id), updated_at = ?"
                         " WHERE id = ?", (state, article_id, time.time(), group_id))

    # --- reading --------------------------------------------------------------------------------------------

    def group(self, group_id: str) -> Group | None:
        row = self._db.execute("SELECT id, kind, hints, reply_chat, who, state, article_id FROM groups WHERE id = ?",
                               (group_id,)).fetchone()
        if row is None:
            return None
        parts = self._db.execute("SELECT message_id, text FROM parts WHERE group_id = ? ORDER BY message_id",
                                 (group_id,)).fetchall()
        return Group(row[0], row[1], json.loads(row[2]), row[3], row[4], row[5], row[6], tuple(parts))

    def open_group(self, chat_id: int) -> Group | None:
        """The group of this chat still waiting for parts, if any."""
        row = self._db.execute("SELECT id FROM groups WHERE id LIKE ? AND state = ? ORDER BY updated_at DESC",
                               (f"{chat_id}/%", OPEN)).fetchone()
        return self.group(row[0]) if row else None

    def unbuilt(self) -> list[Group]:
        """Groups a crash (or a stop) left between arriving and being built, oldest first."""
        rows = self._db.execute("SELECT id FROM groups WHERE state IN (?, ?) ORDER BY updated_at",
                                (OPEN, READY)).fetchall()
        return [g for (group_id,) in rows if (g := self.group(group_id))]

    def built(self) -> list[Group]:
        """Groups that made an article (it may have been removed since)."""
        rows = self._db.execute("SELECT id FROM groups WHERE state = ? AND article_id IS NOT NULL ORDER BY id",
                                (BUILT,)).fetchall()
        return [g for (group_id,) in rows if (g := self.group(group_id))]

    def group_of(self, chat_id: int, message_id: int) -> Group | None:
        """The group this message is a part of."""
        row = self._db.execute("SELECT group_id FROM parts WHERE chat_id = ? AND message_id = ?",
                               (chat_id, message_id)).fetchone()
        return self.group(row[0]) if row else None

    def article_of(self, chat_id: int, message_id: int) -> str | None:
        """The id of the article built from this message (a post's link names it)."""
        row = self._db.execute("SELECT g.article_id FROM parts p JOIN groups g ON g.id = p.group_id"
                               " WHERE p.chat_id = ? AND p.message_id = ?", (chat_id, message_id)).fetchone()
        return row[0] if row else None

    # --- building -------------------------------------------------------------------------------------------

    def build(self, group: Group, curator: Curator) -> Outcome:
        """Add the group's article, or rebuild the one it made before; the group is then built (or refused).
        Safe to repeat after a crash: a second add is recognised as a duplicate of the first."""
        if group.article_id is None and group.looks_cut():
            with self._db:
                self._set_state(group.id, REFUSED)
            return Outcome(group, refused="cut")
        try:
            article = group.article()
        except ArticleError as exc:
            with self._db:
                self._set_state(group.id, REFUSED)
            return Outcome(group, refused=str(exc))
        if group.article_id:
            try:
                updated = curator.replace(group.article_id, article)
            except KeyError:  # removed meanwhile: an edit does not bring it back
                with self._db:
                    self._set_state(group.id, BUILT)
                return Outcome(group, refused="removed")
            with self._db:
                self._set_state(group.id, BUILT)
            return Outcome(group, updated=updated)
        added = curator.add(article)
        with self._db:
            self._set_state(group.id, BUILT, added.duplicate_of or added.article.id)
        return Outcome(group, added=added)
