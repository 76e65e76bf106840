"""Button data and keyboards. Buttons carry only a few bytes (a question number and a position, or a page), and
what comes back from the client is decoded defensively: it may be stale or forged."""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Protocol

from telegram import InlineKeyboardButton, InlineKeyboardMarkup
from telegram.constants import InlineKeyboardButtonLimit

from .i18n import N_

MAX_BUTTON_DATA = InlineKeyboardButtonLimit.MAX_CALLBACK_DATA
SOURCES_PER_PAGE = 10


def page_count(item_count: int, per_page: int = SOURCES_PER_PAGE) -> int:
    return max(1, -(-item_count // per_page))


@dataclass(frozen=True)
class ShowAnswer:
    """Show candidate `rank` (0 = best) of logged question `question_id` in place of the current one."""

    question_id: int
    rank: int

    def encode(self) -> str:
        return f"a:{self.question_id}:{self.rank}"


@dataclass(frozen=True)
class Vote:
    """👍 (up) or 👎 for candidate `rank` of logged question `question_id`."""

    question_id: int
    rank: int
    up: bool

    def encode(self) -> str:
        return f"v:{self.question_id}:{self.rank}:{int(self.up)}"


@dataclass(frozen=True)
class SourcesPage:
    """A page of /sources, narrowed to `span` ("7d", "2025-11": see corpus.periods) when one was asked for."""

    page: int
    span: str = ""

    def encode(self) -> str:
        return f"s:{self.page}:{self.span}" if self.span else f"s:{self.page}"


@dataclass(frozen=True)
class ListPage:
    """A page of the admins' /list (the handler checks who pressed: button data can be forged)."""

    page: int
    span: str = ""

    def encode(self) -> str:
        return f"l:{self.page}:{self.span}" if self.span else f"l:{self.page}"


@dataclass(frozen=True)
class LatestSources:
    """Under /help: the newest articles, in a message of their own."""

    def encode(self) -> str:
        return "n"


@dataclass(frozen=True)
class RemoveAdded:
    """Remove the article an add put in the corpus; `action_id` is that add in the audit log (an id could be
    longer than a button's 64 bytes)."""

    action_id: int

    def encode(self) -> str:
        return f"r:{self.action_id}"


Button = ShowAnswer | Vote | SourcesPage | ListPage | RemoveAdded | LatestSources

# Bounded digit counts keep every payload far below 64 bytes and reject absurd forged numbers.
_BUTTON = re.compile(r"(?:a:(?P<a_q>\d{1,15}):(?P<a_r>\d{1,2})"
                     r"|v:(?P<v_q>\d{1,15}):(?P<v_r>\d{1,2}):(?P<v_up>[01])"
                     r"|s:(?P<s_p>\d{1,6})(?::(?P<s_s>[0-9a-z-]{1,12}))?"
                     r"|l:(?P<l_p>\d{1,6})(?::(?P<l_s>[0-9a-z-]{1,12}))?"
                     r"|r:(?P<r_a>\d{1,15})"
                     r"|(?P<n>n))", re.ASCII)


def decode_button(data: object) -> Button | None:
    """The button a callback refers to, or None for anything this bot did not make (old format, forged)."""
    if not isinstance(data, str) or len(data.encode()) > MAX_BUTTON_DATA:
        return None
    match = _BUTTON.fullmatch(data)
    if match is None:
        return None
    if match["a_q"] is not None:
        return ShowAnswer(int(match["a_q"]), int(match["a_r"]))
    if match["v_q"] is not None:
        return Vote(int(match["v_q"]), int(match["v_r"]), match["v_up"] == "1")
    if match["s_p"] is not None:
        return SourcesPage(int(match["s_p"]), match["s_s"] or "")
    if match["r_a"] is not None:
        return RemoveAdded(int(match["r_a"]))
    if match["n"]:
        return LatestSources()
    return ListPage(int(match["l_p"]), match["l_s"] or "")


class Labels(Protocol):
    """What translates a button's label (a `messages.Messages`); None: English."""

    def format(self, template: str, **values: object) -> str: ...


def _label(tr: Labels | None, template: str, **values: object) -> str:
    return tr.format(template, **values) if tr is not None else template % values if values else template


def _vote_label(emoji: str, ticked: bool, count: int | None) -> str:
    if count is not None:
        return f"{emoji} {count}" if count else emoji
    return f"{emoji} ✓" if ticked else emoji


def answer_keyboard(question_id: int, rank: int, total: int, voted: bool | None = None,
                    counts: tuple[int, int] | None = None, tr: Labels | None = None) -> InlineKeyboardMarkup:
    """👍 / 👎 and a button to the next candidate, or back to the best after the last. In a private chat the
    chosen vote is ticked; in a group, where a message is shared by all, `counts` (up, down) are shown instead
    ("👍 2"), since one person's tick would be everyone's."""
    up, down = counts if counts is not None else (None, None)
    row = [
        InlineKeyboardButton(_vote_label("👍", voted is True, up),
                             callback_data=Vote(question_id, rank, True).encode()),
        InlineKeyboardButton(_vote_label("👎", voted is False, down),
                             callback_data=Vote(question_id, rank, False).encode()),
    ]
    if total > 1:
        last = rank + 1 >= total
        label = _label(tr, N_("↩ Best answer")) if last else _label(
            tr, N_("More answers (%(next)d/%(total)d)"), next=rank + 2, total=total)
        row.append(InlineKeyboardButton(label, callback_data=ShowAnswer(question_id, 0 if last else rank + 1).encode()))
    return InlineKeyboardMarkup([row])


def remove_keyboard(action_id: int, tr: Labels | None = None) -> InlineKeyboardMarkup:
    """Under an add's confirmation: one tap takes it out again."""
    return InlineKeyboardMarkup([[InlineKeyboardButton(_label(tr, N_("🗑 Remove")),
                                                       callback_data=RemoveAdded(action_id).encode())]])


def sources_keyboard(page: int, item_count: int, button: type[SourcesPage | ListPage] = SourcesPage,
                     span: str = "", tr: Labels | None = None) -> InlineKeyboardMarkup | None:
    """‹ Previous / Next ›, keeping the list's `span`."""
    pages = page_count(item_count)
    page = min(max(page, 0), pages - 1)
    row = []
    if page > 0:
        row.append(InlineKeyboardButton(_label(tr, N_("‹ Previous")), callback_data=button(page - 1, span).encode()))
    if page + 1 < pages:
        row.append(InlineKeyboardButton(_label(tr, N_("Next ›")), callback_data=button(page + 1, span).encode()))
    return InlineKeyboardMarkup([row]) if row else None


def help_keyboard(tr: Labels | None = None) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup([[InlineKeyboardButton(_label(tr, N_("🆕 Latest articles")),
                                                       callback_data=LatestSources().encode())]])
