"""The plain data that flows through the bot: article → paragraphs → ranked passages → answer."""
from __future__ import annotations

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
    language: str | None = None

    def source_dict(self) -> dict:
        return {
            "id": self.id,
            "title": self.title,
            "url": self.url,
            "outlets": list(self.outlets),
            "published": self.published,
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
class Answer:
    """The reply to one question: `best` is None when the corpus has no good answer."""

    question: str
    best: Passage | None
    alternatives: tuple[Passage, ...] = field(default=())
    read_as: tuple[tuple[str, str], ...] = ()  # misspelt question words and the best passage's word taken for each
    small_talk: str | None = None  # the kind of chat it was ("thanks", "greeting"…; see search.smalltalk), if any

    @property
    def found(self) -> bool:
        return self.best is not None

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
            "small_talk": self.small_talk,
        }


def read_as_note(pairs: Sequence[tuple[str, str]]) -> str:
    """How misspelt question words were read ("Read “soldirs” as “soldiers”."), as plain text for any front end."""
    if not pairs:
        return ""
    return "Read " + ", ".join(f"“{typed}” as “{word}”" for typed, word in pairs) + "."
