"""Example questions drawn from the corpus itself, for /help and the terminal greeting.

A sentence like "roughly 2,000 North Korean soldiers have died so far" becomes "How many North Korean
soldiers have died?": a question the bot is sure to answer. Articles without such a sentence offer their title.
"""
from __future__ import annotations

import re
from collections.abc import Iterable

from ..models import Article

_COUNTED = re.compile(
    r"\b\d(?:[\d,.]*\d)?\s+"                                # the number (not a sentence's last word)
    r"(?P<noun>(?:[A-Z][\w-]*\s+){0,3}[a-z]{3,}s)\s+"       # up to three capitalised words, a plural noun
    r"(?P<verb>have|has|had|were|was|are)\s+"
    r"(?P<done>[a-z]{2,}(?:ed|en)|sent|lost|built|sold|made|held|left|paid|spent|won|hit|caught|bought|kept)"
    r"(?P<where>\s+(?:to|in|from|on|at|by)\s+(?:the\s+)?[A-Z][\w-]*)?\b"
)
_NOT_COUNTED = {"hours", "days", "weeks", "months", "years", "minutes", "seconds", "times", "points", "goals"}
_NOT_NAMES = {"These", "Those", "The", "Many", "That", "This", "Its", "Their", "Some", "All"}


def question_from(article: Article) -> str | None:
    for paragraph in article.paragraphs:
        for match in _COUNTED.finditer(paragraph.text):
            words = match["noun"].split()
            if words[-1] in _NOT_COUNTED or words[0] in _NOT_NAMES or match["done"] == "been":
                continue
            return f"How many {match['noun']} {match['verb']} {match['done']}{match['where'] or ''}?"
    return None


def example_questions(articles: Iterable[Article], n: int) -> list[str]:
    """Up to n examples, newest articles first; generated questions before plain titles."""
    questions, titles = [], []
    for article in articles:
        if question := question_from(article):
            questions.append(question)
        else:
            titles.append(article.title.rstrip("."))
        if len(questions) >= n:
            break
    return (questions + titles)[:n]
