"""What the bot says, as pure functions of plain data: answers, help, source lists and admin replies in
Telegram HTML. Everything taken from articles or users is escaped with `html.escape` and trimmed to fit (see fit).
"""
from __future__ import annotations

import html
import time
from collections.abc import Sequence

from ..corpus.links import is_web_url
from ..curation import Added, ReloadReport, Undone, metadata_lines, preview
from ..inbox import LOOKS_CUT, TELEGRAM_LIMIT, Outcome
from ..models import Answer, Article, Passage, earlier_note, read_as_note
from .button_data import SOURCES_PER_PAGE, page_count
from .feedback import Action, Stats
from .fit import MAX_MESSAGE, escape_head, escape_tail, tg_len

USAGE_ASK = "Ask like this: <code>/ask Who won the election?</code>"
EMPTY_QUESTION = "Send me a question in words, e.g. <i>Who won the election?</i>"
NOT_TEXT = "I can only read text. Type your question as a message, e.g. <i>Who won the election?</i>"
UNKNOWN_COMMAND = "I don't know that command. Just type a question, or send /help."
EXPIRED_BUTTON = "This button has expired. Please ask your question again."
THANKS = "Thanks for the feedback!"
SOMETHING_WENT_WRONG = "Sorry, something went wrong on my side. Please try again in a moment."
INLINE_HINT = "Type a question about the news"
INLINE_NOT_FOUND = "No answer found. How to ask"


ADMINS_ONLY = "Sorry, only the bot's admins can do that."
ADMIN_IN_PRIVATE = "Admin commands work only in a private chat with me."
USAGE_ADD = ("To add an article, send <code>/add</code> followed by the text (first line = title), "
             "<code>/add https://…</code> with a link, <code>/add</code> as a reply to a message, "
             "a .txt/.md/.html file, or forward me a channel post.")
USAGE_REMOVE = ("Remove like this: <code>/remove article-id</code> (the start of the id is enough), "
                "<code>/remove 3</code> (number 3 of /list) or <code>/remove https://t.me/channel/123</code> "
                "(a channel post's link).")
NOTHING_TO_ADD = "That message has no text I could add."
NOTHING_TO_UNDO = "Nothing to undo: no article was added or removed."


def too_long(limit: int) -> str:
    return f"That's too long for a question. Please ask in a sentence or two (up to {limit} characters)."


def slow_down(retry_in: float) -> str:
    return f"You're asking faster than I can keep up. Please wait {max(1, round(retry_in))} s and ask again."


def _count(n: int, noun: str) -> str:
    return f"{n} {noun}" if n == 1 else f"{n} {noun}s"


def not_found(article_count: int) -> str:
    """One friendly line with a hint; what the bot knows is one command away."""
    if not article_count:
        return "I don't know any articles yet, so I can't answer that."
    return (f"Sorry, I couldn't find that in my {_count(article_count, 'article')}. Try other words (names, places, "
            "numbers), or see /sources for what I know.")


def mention_usage(bot_username: str) -> str:
    return f"Ask me like this: <code>@{html.escape(bot_username)} Who won the election?</code>"


def not_found_here(article_count: int) -> str:
    """For a mention or reply in a group: short, so a miss does not clutter the conversation."""
    return f"Sorry, I couldn't find that in my {_count(article_count, 'article')}." if article_count else (
        "I don't know any articles yet.")


# --- small talk -------------------------------------------------------------------------------------------------

SMALL_TALK = {
    "greeting": "Hi! 👋",
    "thanks": "You're welcome!",
    "ack": "👍",
    "laugh": "😄",
    "bye": "Bye! 👋",
    "how_are_you": "All good, thanks!",
    "identity": "I'm a bot that answers questions about the news with the passage that answers and its source.",
    "emoji": "🙂",
}


def small_talk_reply(kind: str, bot_username: str, private: bool, example: str | None = None) -> str:
    """A short friendly line for chat that is not a question; in a private chat with a hint of what to ask
    (the text of an example question from the corpus), in a group how to ask there when asked who the bot is."""
    line = SMALL_TALK.get(kind, SMALL_TALK["ack"])
    if private:
        hint = f"Ask me about the news, e.g. <i>{escape_head(example, 200)}</i>" if example else (
            "Ask me a question about the news.")
        return f"{line} {hint}\n/help shows what I know."
    if kind == "identity":
        return (f"{line} Ask with <code>/ask your question</code> or mention @{html.escape(bot_username)} "
                "with your question.")
    return line


# --- answers --------------------------------------------------------------------------------------------------

def _link(url: str | None, label_html: str) -> str:
    """Only http(s) links (Telegram rejects a whole message over one bad link), and none that would eat the
    message's length budget (the href is counted, to stay on the safe side)."""
    href = html.escape(url or "", quote=True)
    if not url or not is_web_url(url) or tg_len(href) > 1000:
        return label_html
    return f'<a href="{href}">{label_html}</a>'


def source_line(article: Article) -> str:
    """📰 Title (linked when the URL is known) · outlets · date ("13 Jan 2025", "added on 13 Jan 2025")."""
    parts = [_link(article.url, escape_head(article.title, 200) or "Untitled")]
    if article.outlets:
        parts.append(escape_head(", ".join(article.outlets), 120))
    if article.date_text:
        parts.append(escape_head(article.date_text, 40))
    return "📰 " + " · ".join(parts)


def time_lines(answer: Answer, rank: int) -> tuple[str, str]:
    """What goes above an answer (how its time words were taken) and below its source (the earlier reports of
    its figure, for the first passage only: they are older than that one)."""
    above = f"<i>{escape_head(answer.time_note, 300)}</i>\n\n" if answer.time_note else ""
    below = f"\n<i>{escape_head(earlier_note(answer.earlier), 600)}</i>" if answer.earlier and rank == 0 else ""
    return above, below


def format_answer(passage: Passage, rank: int, total: int, corrected: Sequence[tuple[str, str]] = (),
                  times: tuple[str, str] = ("", "")) -> str:
    """`format_passage`, after a line saying how misspelt question words were read, if any were; `times` from
    `time_lines`."""
    note = f"<i>{escape_head(read_as_note(corrected), 300)}</i>\n\n" if corrected else ""
    note += times[0]
    return note + format_passage(passage, rank, total, MAX_MESSAGE - tg_len(note), times[1])


# A passage longer than this is a wall of text on a phone: it is shown around its bold sentence, and each side
# longer than `SHORT_SIDE` is folded into an expandable quote (one tap opens it; nothing is repeated or lost).
LONG_PASSAGE = 700
SHORT_SIDE = 280
FOLD_OPEN, FOLD_CLOSE = "<blockquote expandable>", "</blockquote>"


def position_line(rank: int, total: int) -> str:
    """"Answer 2 of 3", and on the last one that there are no more."""
    if total <= 1:
        return ""
    return f"\n<i>Answer {rank + 1} of {total}{' · no more answers' if rank + 1 == total else ''}</i>"


def format_passage(passage: Passage, rank: int = 0, total: int = 1, limit: int = MAX_MESSAGE,
                   after_source: str = "") -> str:
    """The passage with its best sentence in bold, then the source; trimmed around that sentence to `limit`.
    A long passage keeps the bold sentence in view and folds the long sides away (see `LONG_PASSAGE`)."""
    head = f"<i>{escape_head(passage.paragraph.section, 120)}</i>\n" if passage.paragraph.section else ""
    tail = "\n\n" + source_line(passage.article) + after_source + position_line(rank, total)
    text, sentence = passage.text, passage.sentence
    start = text.find(sentence) if sentence else -1
    if start < 0:
        return head + escape_head(text, limit - tg_len(head + tail)) + tail
    before, after = text[:start], text[start + len(sentence):]
    fold_before, fold_after = (len(text) > LONG_PASSAGE and len(side.strip()) > SHORT_SIDE for side in (before, after))
    folds = (fold_before + fold_after) * (len(FOLD_OPEN) + len(FOLD_CLOSE) + 1)
    budget = limit - tg_len(head + tail) - len("<b></b>") - folds
    bold = escape_head(sentence, budget)
    rest = budget - tg_len(bold)
    before_html = escape_tail(before, max(rest // 2, rest - tg_len(html.escape(after))))
    after_html = escape_head(after, rest - tg_len(before_html))
    if fold_before:
        before_html = f"{FOLD_OPEN}{before_html.strip()}{FOLD_CLOSE}\n"
    if fold_after:
        after_html = f"\n{FOLD_OPEN}{after_html.strip()}{FOLD_CLOSE}"
    return f"{head}{before_html}<b>{bold}</b>{after_html}{tail}"


# --- help and sources -----------------------------------------------------------------------------------------

def help_text(bot_username: str, article_count: int, paragraph_count: int, examples: Sequence[str],
              private: bool = True) -> str:
    """What the bot knows and the ways to ask (those of this chat first), with example questions drawn from
    the corpus. In a group only what is addressed to the bot is read, so "just send your question" is wrong."""
    name = html.escape(bot_username)
    group_ways = (f"<code>/ask your question</code>, mention @{name} with your question, or reply to one of my "
                  "messages")
    ways = (["• Here: just send your question.", f"• In a group: {group_ways}."] if private else
            [f"• Here: {group_ways}. I answer only messages addressed to me.",
             f"• In a private chat with @{name}: just send your question."])
    lines = [
        "<b>I answer questions about the news</b> with the passage that answers and its source.",
        f"I know <b>{_count(article_count, 'article')}</b> ({_count(paragraph_count, 'passage')})." if article_count
        else "I don't know any articles yet.",
        "",
        "<b>How to ask</b>",
        *ways,
        f"• In any chat: type <code>@{name} your question</code> and pick a passage.",
        "Under each answer, <i>More answers</i> shows the next passages and 👍/👎 tells me if it helped.",
    ]
    if examples:
        lines += ["", "<b>Ask me about, for example</b>", *(f"• {escape_head(example, 200)}" for example in examples)]
    lines += ["", "/sources lists the articles I know, newest first (<code>/sources 7d</code>: the last 7 days) · "
                  "/help shows this message"]
    return "\n".join(lines)


def sources_page(articles: Sequence[Article], page: int, per_page: int = SOURCES_PER_PAGE,
                 with_ids: bool = False, span_label: str = "") -> str:
    """One page of the article list; `page` is clamped, so a stale button still shows a real page.
    `with_ids` is the admins' /list: the ids to remove by, tap-to-copy; `span_label` what it was narrowed to."""
    if not articles:
        return "I don't know any articles yet."
    pages = page_count(len(articles), per_page)
    page = min(max(page, 0), pages - 1)
    title = "Corpus" if with_ids else "Articles I know"
    if span_label and span_label != "newest first":
        title = f"{'Corpus' if with_ids else 'Articles'} from {escape_head(span_label, 40)}"
    title += ", newest first"
    header = f"<b>{title}</b> ({len(articles)}), page {page + 1} of {pages}:"
    entry_budget = (MAX_MESSAGE - tg_len(header)) // per_page - 1
    lines = [header]
    for number, article in enumerate(articles[page * per_page:(page + 1) * per_page], page * per_page + 1):
        lines.append(_source_entry(number, article, entry_budget, with_ids))
    return "\n".join(lines)


def _source_entry(number: int, article: Article, budget: int, with_ids: bool) -> str:
    details = " · ".join(filter(None, [", ".join(article.outlets), article.date_text]))
    details_html = f" — {escape_head(details, 80)}" if details else ""
    prefix = f"{number}. <code>{escape_head(article.id, 80)}</code> " if with_ids else f"{number}. "
    title_html = escape_head(article.title, min(150, budget - tg_len(prefix + details_html))) or "Untitled"
    linked = _link(article.url, title_html)
    if tg_len(prefix + linked + details_html) > budget:
        linked = title_html
    return prefix + linked + details_html


def usage_span(command: str) -> str:
    return (f"Narrow the list like this: <code>{command} 7d</code> (the last 7 days), <code>{command} 2w</code>, "
            f"<code>{command} 2025-11</code> (a month), <code>{command} 2025</code>, "
            f"<code>{command} 2025-11-20</code> or <code>{command} latest</code>.")


def no_articles_in(label: str, command: str) -> str:
    return f"No articles from {escape_head(label, 40)}. {command} lists them all."


# --- admin --------------------------------------------------------------------------------------------------------

def added(result: Added, limit: int = MAX_MESSAGE) -> str:
    """The confirmation: the id (tap to copy), title, paragraphs, the outlets, date and URL as read, and a
    preview of the split; everything from the article escaped and cut to fit."""
    article = result.article
    if result.duplicate_of:
        return (f"Already in the corpus as <code>{escape_head(result.duplicate_of, 100)}</code>: "
                f"{escape_head(article.title, 300)}")
    count = _count(len(article.paragraphs), "paragraph")
    head = f"Added <code>{escape_head(article.id, 100)}</code>: {escape_head(article.title, 300)} ({count})\n"
    return head + escape_head(metadata_lines(article) + "\n" + preview(article), limit - tg_len(head))


def failed(action: str, reason: str) -> str:
    """Why an admin action did not happen, e.g. "Could not add this: the file is empty"."""
    return f"Could not {action}: {escape_head(reason, 1000)}"


def removed(article: Article) -> str:
    return (f"Removed <code>{escape_head(article.id, 100)}</code>: {escape_head(article.title, 300)}. "
            "/undo brings it back.")


def restored(article: Article) -> str:
    return f"Restored <code>{escape_head(article.id, 100)}</code>: {escape_head(article.title, 300)}."


def unknown_article(article_id: str) -> str:
    return f"No article has the id <code>{escape_head(article_id, 100)}</code>. /list shows the ids."


def reload_report(report: ReloadReport) -> str:
    """Counts, then the ids and reasons; plain text escaped as a whole, so cutting it to size is safe."""
    lines = [f"Reloaded: {len(report.added)} added, {len(report.changed)} changed, {len(report.removed)} removed, "
             f"{len(report.errors)} unparseable."]
    for label, ids in [("Added", report.added), ("Changed", report.changed), ("Removed", report.removed)]:
        if ids:
            lines.append(f"{label}: {', '.join(ids)}")
    lines += [f"Unparseable {name}: {reason}" for name, reason in report.errors.items()]
    return escape_head("\n".join(lines), MAX_MESSAGE)


def _share(part: int, whole: int) -> str:
    return f"{round(100 * part / whole)}%" if whole else "–"


def stats_text(stats: Stats, article_count: int, paragraph_count: int) -> str:
    """/stats: the corpus, how questions went, and the unanswered questions most asked (what the corpus lacks)."""
    not_found_count = stats.questions - stats.answered
    lines = [
        f"<b>Corpus</b>: {_count(article_count, 'article')}, {_count(paragraph_count, 'paragraph')}",
        f"<b>Questions</b>: {stats.questions} asked, {stats.answered} answered "
        f"({_share(stats.answered, stats.questions)}), {not_found_count} not found "
        f"({_share(not_found_count, stats.questions)})",
        f"<b>Feedback</b>: 👍 {stats.up} · 👎 {stats.down}",
    ]
    if stats.unanswered:
        lines += ["", "<b>Asked most often without an answer</b>"]
        lines += [f"{n}. {escape_head(question, 300)} ({times}×)"
                  for n, (question, times) in enumerate(stats.unanswered, 1)]
    return "\n".join(lines)


# --- admin: long pastes, edits, channels, undo and the audit log ----------------------------------------------

LONG_TEXT_NOT_JOINED = ("That's a long text, not a question. To add it as an article, send <code>/add</code> "
                        "followed by the text (I join the parts Telegram splits a long text into), or send it as "
                        "a .txt file. If it is the rest of an /add you sent, it came too late to be joined: "
                        "/undo that add and send the whole text as a .txt file.")
REMOVED_ALREADY = "That article is no longer in the corpus."


def cut_off(length: int) -> str:
    return (f"Could not add this: the text seems cut off. It is {length:,} characters long and ends mid-sentence, "
            f"and no second part arrived (Telegram splits texts over {TELEGRAM_LIMIT:,} characters). Nothing was "
            "added: send the article as a .txt file.")


def built(outcome: Outcome, parts: int) -> str:
    """What became of an article sent as messages: added (from how many), updated in place, or why not."""
    if outcome.added:
        joined = f"\n<i>Joined from {parts} messages.</i>" if parts > 1 and not outcome.added.duplicate_of else ""
        return added(outcome.added, MAX_MESSAGE - 40) + joined
    if outcome.updated:
        article = outcome.updated
        return (f"Updated <code>{escape_head(article.id, 100)}</code> in place: {escape_head(article.title, 300)} "
                f"({_count(len(article.paragraphs), 'paragraph')}). Answers use the new text now.")
    if outcome.refused == "cut":
        return cut_off(max(LOOKS_CUT, len(outcome.group.text)))
    if outcome.refused == "removed":
        return "That article was removed, so the edit changed nothing."
    return failed("add this", outcome.refused or "unknown reason")


def undone(result: Undone) -> str:
    article = result.article
    if result.action == "add":
        return (f"Undid the add of <code>{escape_head(article.id, 100)}</code>: {escape_head(article.title, 300)} "
                "is out of the corpus again.")
    return restored(article)


def ambiguous(query: str, matches: Sequence[Article]) -> str:
    ids = ", ".join(f"<code>{escape_head(a.id, 80)}</code>" for a in matches[:5])
    more = f" and {len(matches) - 5} more" if len(matches) > 5 else ""
    return f"<code>{escape_head(query, 80)}</code> starts {len(matches)} ids: {ids}{more}. Send more of the id."


def no_article_from(link: str) -> str:
    return f"No article came from <code>{escape_head(link, 200)}</code>. /list shows the ids."


def not_a_list_number(number: int, count: int) -> str:
    return f"/list has no number {number} (it has {count}). /list shows the numbers and ids."


USAGE_STATS = "Statistics like this: <code>/stats</code> (all time), <code>/stats 7d</code>, <code>/stats 24h</code>."


def stats_window_text(window: str | None, stats: Stats, article_count: int, paragraph_count: int,
                      downvoted: Sequence[tuple[str, str, int]], actions: Sequence[Action]) -> str:
    """/stats [window]: the totals, then the answers voted 👎 and the latest changes to the corpus."""
    lines = [f"<b>{'Last ' + escape_head(window, 20) if window else 'All time'}</b>",
             stats_text(stats, article_count, paragraph_count)]
    if downvoted:
        lines += ["", "<b>Answers voted 👎</b>"]
        lines += [f"{n}. {escape_head(question, 200)} → <code>{escape_head(article_id, 80)}</code>"
                  f"{f' ({times}×)' if times > 1 else ''}"
                  for n, (question, article_id, times) in enumerate(downvoted, 1)]
    if actions:
        lines += ["", "<b>Latest changes</b>"]
        lines += [f"{_when(a.at)} {escape_head(a.who, 60)}: {escape_head(a.action, 20)} "
                  f"<code>{escape_head(a.article_id, 80)}</code>" for a in actions]
    text = "\n".join(lines)
    return text if tg_len(text) <= MAX_MESSAGE else "\n".join(lines[:2])


def _when(at: float) -> str:
    return time.strftime("%Y-%m-%d %H:%M", time.gmtime(at))
