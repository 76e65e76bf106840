"""Escaped text cut to fit: every message is built to fit Telegram's limits by construction (lengths counted in
UTF-16 units, as Telegram counts them), so no caller ever cuts finished HTML, which could split a tag or an entity."""
from __future__ import annotations

import html
from collections.abc import Sequence

from telegram.constants import MessageLimit

MAX_MESSAGE = MessageLimit.MAX_TEXT_LENGTH
ELLIPSIS = "…"


def tg_len(text: str) -> int:
    """Length as Telegram counts it: UTF-16 code units (an emoji outside the BMP counts twice)."""
    return len(text.encode("utf-16-le")) // 2


def _escaped_costs(text: str) -> list[int]:
    return [tg_len(html.escape(ch)) for ch in text]


def _fit(costs: Sequence[int], budget: int) -> int:
    """How many leading characters fit in `budget`."""
    used = 0
    for n, cost in enumerate(costs):
        used += cost
        if used > budget:
            return n
    return len(costs)


def _word_cut(text: str, n: int) -> int:
    """Move a cut at `n` back to the last space, unless that would lose more than half of the kept text."""
    space = text.rfind(" ", 0, n + 1)
    return space if space > n // 2 else n


def escape_head(text: str, budget: int) -> str:
    """`text` escaped, its end trimmed (at a word, with an ellipsis) to at most `budget` units."""
    costs = _escaped_costs(text)
    if sum(costs) <= budget:
        return html.escape(text)
    if budget < 1:
        return ""
    n = _word_cut(text, _fit(costs, budget - 1))
    return html.escape(text[:n].rstrip()) + ELLIPSIS


def escape_tail(text: str, budget: int) -> str:
    """`text` escaped, its start trimmed (at a word, with an ellipsis) to at most `budget` units."""
    reversed_text = text[::-1]
    costs = _escaped_costs(reversed_text)
    if sum(costs) <= budget:
        return html.escape(text)
    if budget < 1:
        return ""
    kept = _word_cut(reversed_text, _fit(costs, budget - 1))
    return ELLIPSIS + html.escape(text[len(text) - kept:].lstrip())


def shorten(text: str, limit: int) -> str:
    """Plain (unescaped) text cut at a word to `limit` characters, for inline result titles and descriptions."""
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    return text[:_word_cut(text, limit - 1)].rstrip() + ELLIPSIS
