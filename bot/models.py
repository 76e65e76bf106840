"""The plain data that flows through the bot: article → paragraphs → ranked passages → answer."""
from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field


@dataclass(frozen=True)
class Paragraph:
    """One indexable passage; `section` is the short heading it sat under, kept for context."""

    text: str
    section: str | None = None


@dataclass(frozen=True)
class Article:
    """An article as stored in `corpus/`: the id is the file name without its extension."""

    id: str
    title: str
    paragraphs: tuple[Paragraph, ...]
    url: str | None = None
    outlets: tuple[str, ...] = ()
    published: str | None = None
    added: str | None = None  # the day the bot stored it, for an article that gave no date of its own
    language: str | None = None

    @property
    def day(self) -> dt.date | None:
        """The article's date: its own (`published`), else the day it was added; None when neither is known."""
        for value in (self.published, self.added):
            try:
                return dt.date.fromisoformat((value or "")[:10])
            except ValueError:
                continue
        return None

    @property
    def date_text(self) -> str:
        """The date as every front end shows it: "13 Jan 2025", or "added on 13 Jan 2025" when the article gave
        none of its own; "" when neither is known."""
        day = self.day
        if day is None:
            return ""
        text = f"{day.day} {day:%b %Y}"
        return text if self.published and dt.date.fromisoformat(self.published[:10]) == day else f"added on {text}"

    def source_dict(self) -> dict:
        return {
            "id": self.id,
            "title": self.title,
            "url": self.url,
            "outlets": list(self.outlets),
            "published": self.published,
            "added": self.added,
            "date": self.day.isoformat() if self.day else None,
            "date_text": self.date_text,
        }


@dataclass(frozen=True)
class Passage:
    """A ranked paragraph: where it comes from, its score and the sentence that best answers."""

    article: Article
    paragraph_index: int
    score: float
    sentence: str

    @property
    def paragraph(self) -> Paragraph:
        return self.article.paragraphs[self.paragraph_index]

    @property
    def text(self) -> str:
        return self.paragraph.text

    def to_dict(self) -> dict:
        return {
            "passage": self.text,
            "section": self.paragraph.section,
            "sentence": self.sentence,
            "score": round(self.score, 4),
            "paragraph": self.paragraph_index,
            "article": self.article.source_dict(),
        }


@dataclass(frozen=True)
class EarlierReport:
    """What an older article said in answer to the same question, when a newer one gives another figure or date."""

    value: str  # as written: "about 300"
    article: Article
    paragraph_index: int

    def describe(self) -> str:
        """ "about 300, Yonhap, 13 Jan 2025" (the title when the article names no outlet)."""
        source = ", ".join(self.article.outlets) or self.article.title
        return ", ".join(filter(None, [self.value, source, self.article.date_text]))

    def to_dict(self) -> dict:
        return {"value": self.value, "paragraph": self.paragraph_index, "article": self.article.source_dict()}


@dataclass(frozen=True)
class TimeNote:
    """How a question's time words were taken, when the reply should say so: `kind` "browse" (the articles of
    the period, newest first), "nothing" (nothing from it answers), "closest" (nothing from it answers; the
    closest match instead) or "newest" (the newest articles first), with the period asked for, so each front end
    can say it in its reader's language; `text` says it in English (the CLI, `ask --json`)."""

    kind: str
    text: str
    start: dt.date | None = None
    end: dt.date | None = None
    words: str = ""  # the time words as asked when the period is relative ("last week"), else ""
    before: bool = False  # the period is everything before the day after `end` ("before 1 Apr 2025")


@dataclass(frozen=True)
class Answer:
    """The reply to one question: `best` is None when the corpus has no good answer."""

    question: str
    best: Passage | None
    alternatives: tuple[Passage, ...] = field(default=())
    read_as: tuple[tuple[str, str], ...] = ()  # misspelt question words and the best passage's word taken for each
    earlier: tuple[EarlierReport, ...] = ()  # older reports of the same figure or date, newest first
    time: TimeNote | None = None  # how the question's time words were taken, when the reply should say so
    small_talk: str | None = None  # the kind of chat it was ("thanks", "greeting"…; see search.smalltalk), if any
    language: str = ""  # the question's language as it was read (an ISO code: "en", "ru"; see search.detect)

    @property
    def found(self) -> bool:
        return self.best is not None

    @property
    def time_note(self) -> str:
        """The time note in English ("" when there is none)."""
        return self.time.text if self.time else ""

    @property
    def passages(self) -> list[Passage]:
        """The best passage and the alternatives, in order: what "More answers" pages through."""
        return [self.best, *self.alternatives] if self.best else []

    def to_dict(self) -> dict:
        return {
            "question": self.question,
            "answer": self.best.to_dict() if self.best else None,
            "alternatives": [p.to_dict() for p in self.alternatives],
            "read_as": [list(pair) for pair in self.read_as],
            "earlier": [report.to_dict() for report in self.earlier],
            "time_note": self.time_note,
            "small_talk": self.small_talk,
            "language": self.language,
        }


def read_as_note(pairs: Sequence[tuple[str, str]]) -> str:
    """How misspelt question words were read ("Read “soldirs” as “soldiers”."), as plain text for any front end."""
    if not pairs:
        return ""
    return "Read " + ", ".join(f"“{typed}” as “{word}”" for typed, word in pairs) + "."


def earlier_note(reports: Sequence[EarlierReport], shown: int = 2) -> str:
    """ "Earlier: about 300, Yonhap, 13 Jan 2025" (the newest `shown` of them), as plain text for any front end."""
    return "Earlier: " + "; ".join(report.describe() for report in reports[:shown]) if reports else ""
