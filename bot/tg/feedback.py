"""The bot's own memory in `DATA_DIR/feedback.sqlite3`: questions asked, passages shown, 👍/👎 votes.

Buttons carry only (question id, rank); the rest lives here so a button still works after a restart, and a
vote is stored with the question and the exact passage that was on screen even if the corpus changed since.
The question log (answered or not) is what admin statistics read: what people ask and what the corpus lacks.
"""
from __future__ import annotations

import sqlite3
import time
from dataclasses import dataclass
from pathlib import Path

from ..models import Passage

FILE_NAME = "feedback.sqlite3"

_SCHEMA = """
CREATE TABLE IF NOT EXISTS questions (
    id INTEGER PRIMARY KEY,
    asked_at REAL NOT NULL,
    user_id INTEGER,
    chat_id INTEGER,
    chat_type TEXT,
    via TEXT NOT NULL,              -- private, ask, mention, reply
    question TEXT NOT NULL,
    found INTEGER NOT NULL,         -- 0: "not found" was the answer
    candidates INTEGER NOT NULL     -- passages offered through "More answers"
);
CREATE TABLE IF NOT EXISTS shown (
    question_id INTEGER NOT NULL REFERENCES questions(id),
    rank INTEGER NOT NULL,
    article_id TEXT NOT NULL,
    paragraph_index INTEGER NOT NULL,
    passage TEXT NOT NULL,
    PRIMARY KEY (question_id, rank)
);
CREATE TABLE IF NOT EXISTS votes (
    question_id INTEGER NOT NULL,
    rank INTEGER NOT NULL,
    user_id INTEGER NOT NULL,
    up INTEGER NOT NULL,
    voted_at REAL NOT NULL,
    question TEXT NOT NULL,         -- copied, so a vote stays readable on its own
    article_id TEXT NOT NULL,
    paragraph_index INTEGER NOT NULL,
    passage TEXT NOT NULL,
    PRIMARY KEY (question_id, rank, user_id)
);
CREATE TABLE IF NOT EXISTS audit (  -- what admins (and channels) changed in the corpus
    id INTEGER PRIMARY KEY,
    at REAL NOT NULL,
    who TEXT NOT NULL,              -- "user 123", "channel @name", "shell"
    action TEXT NOT NULL,           -- add, remove, undo add, undo remove, edit
    article_id TEXT NOT NULL,
    title TEXT NOT NULL
);
"""


@dataclass(frozen=True)
class AskedQuestion:
    id: int
    question: str
    chat_id: int | None
    candidates: int


@dataclass(frozen=True)
class StoredVote:
    question: str
    article_id: str
    paragraph_index: int
    passage: str
    user_id: int
    up: bool


@dataclass(frozen=True)
class Action:
    """One change to the corpus, as the audit log keeps it."""

    id: int
    at: float
    who: str
    action: str
    article_id: str
    title: str


@dataclass(frozen=True)
class Stats:
    """What people asked and how it went; `unanswered` is (question, times asked), most frequent first."""

    questions: int
    answered: int
    up: int
    down: int
    unanswered: list[tuple[str, int]]


class FeedbackStore:
    """One SQLite file in WAL mode: writes are small and quick enough to run on the event loop."""

    def __init__(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        self._db = sqlite3.connect(path, isolation_level=None)
        self._db.execute("PRAGMA journal_mode=WAL")
        self._db.execute("PRAGMA synchronous=NORMAL")
        self._db.executescript(_SCHEMA)

    @classmethod
    def in_dir(cls, data_dir: Path) -> FeedbackStore:
        return cls(data_dir / FILE_NAME)

    def close(self) -> None:
        self._db.close()

    def log_question(self, question: str, *, found: bool, candidates: int, via: str, user_id: int | None,
                     chat_id: int | None, chat_type: str | None) -> int:
        """Record one question and its outcome; the id goes into the answer's buttons."""
        cursor = self._db.execute(
            "INSERT INTO questions (asked_at, user_id, chat_id, chat_type, via, question, found, candidates)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            (time.time(), user_id, chat_id, chat_type, via, question, int(found), candidates),
        )
        return int(cursor.lastrowid)

    def question(self, question_id: int) -> AskedQuestion | None:
        row = self._db.execute("SELECT id, question, chat_id, candidates FROM questions WHERE id = ?",
                               (question_id,)).fetchone()
        return AskedQuestion(*row) if row else None

    def record_shown(self, question_id: int, rank: int, passage: Passage) -> None:
        """Remember what candidate `rank` was when it was put on screen, for votes on it."""
        self._db.execute(
            "INSERT OR REPLACE INTO shown (question_id, rank, article_id, paragraph_index, passage)"
            " VALUES (?, ?, ?, ?, ?)",
            (question_id, rank, passage.article.id, passage.paragraph_index, passage.text),
        )

    def vote(self, question_id: int, rank: int, user_id: int, up: bool) -> bool:
        """Store (or change) one user's vote on a shown passage; False when that passage was never shown."""
        cursor = self._db.execute(
            "INSERT OR REPLACE INTO votes (question_id, rank, user_id, up, voted_at, question, article_id,"
            " paragraph_index, passage)"
            " SELECT s.question_id, s.rank, ?, ?, ?, q.question, s.article_id, s.paragraph_index, s.passage"
            " FROM shown s JOIN questions q ON q.id = s.question_id WHERE s.question_id = ? AND s.rank = ?",
            (user_id, int(up), time.time(), question_id, rank),
        )
        return cursor.rowcount > 0

    def vote_counts(self, question_id: int, rank: int) -> tuple[int, int]:
        """(👍, 👎) votes on candidate `rank` of a question, for the buttons under it in a group."""
        up, down = self._db.execute(
            "SELECT COALESCE(SUM(up), 0), COALESCE(SUM(1 - up), 0) FROM votes WHERE question_id = ? AND rank = ?",
            (question_id, rank)).fetchone()
        return int(up), int(down)

    def votes(self) -> list[StoredVote]:
        rows = self._db.execute(
            "SELECT question, article_id, paragraph_index, passage, user_id, up FROM votes ORDER BY voted_at"
        ).fetchall()
        return [StoredVote(q, a, p, text, u, bool(up)) for q, a, p, text, u, up in rows]

    def log_action(self, who: str, action: str, article_id: str, title: str) -> int:
        """Record a change to the corpus (who, what, when); the id can travel in a button."""
        cursor = self._db.execute("INSERT INTO audit (at, who, action, article_id, title) VALUES (?, ?, ?, ?, ?)",
                                  (time.time(), who, action, article_id, title))
        return int(cursor.lastrowid)

    def action(self, action_id: int) -> Action | None:
        row = self._db.execute("SELECT id, at, who, action, article_id, title FROM audit WHERE id = ?",
                               (action_id,)).fetchone()
        return Action(*row) if row else None

    def actions(self, since: float = 0.0, limit: int = 10) -> list[Action]:
        """The latest changes since `since` (a Unix time), newest first."""
        rows = self._db.execute("SELECT id, at, who, action, article_id, title FROM audit WHERE at >= ?"
                                " ORDER BY at DESC, id DESC LIMIT ?", (since, limit)).fetchall()
        return [Action(*row) for row in rows]

    def downvoted(self, since: float = 0.0, limit: int = 10) -> list[tuple[str, str, int]]:
        """(question, article id, 👎 count) for the answers people voted down since `since`, most first."""
        rows = self._db.execute(
            "SELECT question, article_id, COUNT(*) AS n FROM votes WHERE up = 0 AND voted_at >= ?"
            " GROUP BY question COLLATE NOCASE, article_id ORDER BY n DESC, MAX(voted_at) DESC LIMIT ?",
            (since, limit)).fetchall()
        return [(q, a, n) for q, a, n in rows]

    def stats_since(self, since: float, top: int = 10) -> Stats:
        """`stats` over the questions asked and the votes cast since `since` (a Unix time)."""
        questions, answered = self._db.execute(
            "SELECT COUNT(*), COALESCE(SUM(found), 0) FROM questions WHERE asked_at >= ?", (since,)).fetchone()
        up, down = self._db.execute("SELECT COALESCE(SUM(up), 0), COALESCE(SUM(1 - up), 0) FROM votes"
                                    " WHERE voted_at >= ?", (since,)).fetchone()
        unanswered = self._db.execute(
            "SELECT question, COUNT(*) AS times FROM questions WHERE found = 0 AND asked_at >= ?"
            " GROUP BY question COLLATE NOCASE ORDER BY times DESC, MAX(asked_at) DESC LIMIT ?",
            (since, top)).fetchall()
        return Stats(questions, answered, up, down, [(q, n) for q, n in unanswered])

    def stats(self, top: int = 10) -> Stats:
        """Totals for /stats; unanswered questions are grouped regardless of letter case (what the corpus lacks)."""
        return self.stats_since(0.0, top)
