"""The bot's own database across versions: a file written before the audit log keeps its rows and gains it."""
from __future__ import annotations

import sqlite3
from pathlib import Path

from bot.tg.feedback import FILE_NAME, FeedbackStore

# The schema as the bot shipped it before the audit log (commit 43d7d3f): questions, shown passages and votes.
OLD_SCHEMA = """
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
"""


def test_a_database_from_before_the_audit_log_keeps_working(tmp_path: Path) -> None:
    path = tmp_path / FILE_NAME
    with sqlite3.connect(path) as db:
        db.executescript(OLD_SCHEMA)
        db.execute("INSERT INTO questions (asked_at, user_id, chat_id, chat_type, via, question, found, candidates)"
                   " VALUES (1.0, 7, 7, 'private', 'private', 'who won?', 0, 0)")
    store = FeedbackStore(path)
    try:
        assert store.question(1).question == "who won?"
        assert store.stats().questions == 1 and store.stats().unanswered == [("who won?", 1)]
        action = store.log_action("user 7", "add", "harbour-bridge", "Harbour bridge reopens")
        assert [a.id for a in store.actions()] == [action]
    finally:
        store.close()
