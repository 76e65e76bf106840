"""What the bot says, as pure functions of plain data: answers, help, source lists and admin replies in
Telegram HTML, in the user's language. Everything taken from articles or users is escaped with `html.escape` and
trimmed to fit (see fit).

Each update gets its own `Messages` (`for_language(update.effective_user.language_code)`), never a global
language, so concurrent updates of users with different languages stay apart. `ENGLISH` is the source language:
every text is written here in English and marked for `pybabel extract` (`Text`, `N_`, `self.gettext`,
`self.ngettext`); the catalogs in `locales/` translate them (see i18n and the README's "Languages").
"""
from __future__ import annotations

import datetime as dt
import html
import re
import time
from collections.abc import Mapping, Sequence
from functools import lru_cache
from typing import Any

from babel import Locale
from babel.lists import format_list
from babel.numbers import format_decimal
from telegram import Message, Update

from ..corpus.links import is_web_url
from ..corpus.periods import Span
from ..curation import Added, ReloadReport, Undone
from ..inbox import LOOKS_CUT, TELEGRAM_LIMIT, Outcome
from ..models import Answer, Article, EarlierReport, Passage, TimeNote
from ..search.languages import header_problem, language_code
from ..search.languages import name as language_name
from . import i18n
from .button_data import SOURCES_PER_PAGE, page_count
from .feedback import Action, Stats
from .fit import MAX_MESSAGE, escape_head, escape_tail, tg_len
from .i18n import N_


class Text:
    """A fixed text: English when read from the class (`Messages.USAGE_ASK`), in the instance's language when
    read from a `Messages` (`tr.USAGE_ASK`)."""

    def __init__(self, english: str) -> None:
        self.english = english

    def __get__(self, obj: Messages | None, owner: type | None = None) -> str:
        return self.english if obj is None else obj.gettext(self.english)


SMALL_TALK = {
    "greeting": N_("Hi! 👋"),
    "thanks": N_("You're welcome!"),
    "ack": "👍",
    "laugh": "😄",
    "bye": N_("Bye! 👋"),
    "how_are_you": N_("All good, thanks!"),
    "identity": N_("I'm a bot that answers questions about the news with the passage that answers and its source."),
    "emoji": "🙂",
}

# A passage longer than this is a wall of text on a phone: it is shown around its bold sentence, and each side
# longer than `SHORT_SIDE` is folded into an expandable quote (one tap opens it; nothing is repeated or lost).
LONG_PASSAGE = 700
SHORT_SIDE = 280
FOLD_OPEN, FOLD_CLOSE = "<blockquote expandable>", "</blockquote>"

# In a right-to-left text, commands and code keep their direction (see i18n.FIRST_STRONG_ISOLATE).
_EMBEDDED = re.compile(r"<code>.*?</code>|(?<![\w<>/&;@])/[a-z_]+\b|@%\(bot\)s", re.DOTALL)


class Messages:
    """The bot's texts in one language (`for_language`); the same English texts on `ENGLISH`."""

    USAGE_ASK = Text("Ask like this: <code>/ask Who won the election?</code>")
    EMPTY_QUESTION = Text("Send me a question in words, e.g. <i>Who won the election?</i>")
    NOT_TEXT = Text("I can only read text. Type your question as a message, e.g. <i>Who won the election?</i>")
    UNKNOWN_COMMAND = Text("I don't know that command. Just type a question, or send /help.")
    EXPIRED_BUTTON = Text("This button has expired. Please ask your question again.")
    THANKS = Text("Thanks for the feedback!")
    SOMETHING_WENT_WRONG = Text("Sorry, something went wrong on my side. Please try again in a moment.")
    INLINE_HINT = Text("Type a question about the news")
    INLINE_NOT_FOUND = Text("No answer found. How to ask")

    ADMINS_ONLY = Text("Sorry, only the bot's admins can do that.")
    ADMIN_IN_PRIVATE = Text("Admin commands work only in a private chat with me.")
    USAGE_ADD = Text("To add an article, send <code>/add</code> followed by the text (first line = title), "
                     "<code>/add https://…</code> with a link, <code>/add</code> as a reply to a message, "
                     "a .txt/.md/.html file, or forward me a channel post.")
    USAGE_REMOVE = Text("Remove like this: <code>/remove article-id</code> (the start of the id is enough), "
                        "<code>/remove 3</code> (number 3 of /list) or <code>/remove https://t.me/channel/123</code> "
                        "(a channel post's link).")
    NOTHING_TO_ADD = Text("That message has no text I could add.")
    NOTHING_TO_UNDO = Text("Nothing to undo: no article was added or removed.")
    LONG_TEXT_NOT_JOINED = Text("That's a long text, not a question. To add it as an article, send <code>/add</code> "
                                "followed by the text (I join the parts Telegram splits a long text into), or send "
                                "it as a .txt file. If it is the rest of an /add you sent, it came too late to be "
                                "joined: /undo that add and send the whole text as a .txt file.")
    REMOVED_ALREADY = Text("That article is no longer in the corpus.")
    REMOVED = Text("Removed")  # the answer to a press of 🗑
    USAGE_STATS = Text("Statistics like this: <code>/stats</code> (all time), <code>/stats 7d</code>, "
                       "<code>/stats 24h</code>.")

    def __init__(self, language: str = i18n.ENGLISH) -> None:
        self.language = language
        self.right_to_left = language in i18n.RIGHT_TO_LEFT
        self._catalog = i18n.translations(language)

    # --- translating ------------------------------------------------------------------------------------------

    def gettext(self, text: str) -> str:
        return self._rtl(self._catalog.gettext(text))

    def ngettext(self, singular: str, plural: str, n: int) -> str:
        return self._rtl(self._catalog.ngettext(singular, plural, n))

    def format(self, template: str, **values: Any) -> str:
        """`template` translated, then filled in (the values already escaped)."""
        return self._fill(self.gettext(template), values)

    def nformat(self, singular: str, plural: str, n: int, **values: Any) -> str:
        """The plural form for `n` (Russian and Ukrainian have three, Arabic six), filled in with `n` and `values`."""
        return self._fill(self.ngettext(singular, plural, n), {"n": n, **values})

    @staticmethod
    def _fill(text: str, values: dict[str, Any]) -> str:
        return text % values if values else text

    def isolate(self, text: str) -> str:
        """Embedded text keeps its own direction in a right-to-left sentence (nothing changes in others): for what
        comes from articles and users (titles, ids, outlets, words), never inside <code>, whose text is copied."""
        if not self.right_to_left or not text:
            return text
        return f"{i18n.FIRST_STRONG_ISOLATE}{text}{i18n.POP_ISOLATE}"

    def _rtl(self, text: str) -> str:
        """A translated template: its code, commands and bot mention isolated (see `_EMBEDDED`)."""
        return _EMBEDDED.sub(lambda m: self.isolate(m.group()), text) if self.right_to_left else text

    # --- dates ------------------------------------------------------------------------------------------------

    def number(self, n: int) -> str:
        """ "4,096" in English, "4 096" in Russian."""
        return format_decimal(n, locale=self.language)

    def day(self, day: dt.date) -> str:
        return i18n.day_text(day, self.language)

    def date_text(self, article: Article) -> str:
        """ "13 Jan 2025", or "added on 13 Jan 2025" when the article gave no date of its own; "" when neither is
        known (`Article.date_text` in the user's language)."""
        day = article.day
        if day is None:
            return ""
        if article.published and article.published[:10] == day.isoformat():
            return self.day(day)
        return self.format(N_("added on %(day)s"), day=self.day(day))

    def span_phrase(self, span: Span) -> str:
        """What a list was narrowed to, as it follows "Articles": "from the last 7 days", "from November 2025"."""
        token = span.token
        if token == "today":
            return self.gettext(N_("from today"))
        if token == "yesterday":
            return self.gettext(N_("from yesterday"))
        if token[-1:] in ("d", "w") and token[:-1].isdigit():
            n = int(token[:-1])
            if token[-1] == "w":
                return self.nformat("from the last %(n)d week", "from the last %(n)d weeks", n)
            return self.nformat("from the last %(n)d day", "from the last %(n)d days", n)
        if span.start is None:
            return ""
        if len(token) == 4:
            return self.format(N_("from %(year)s"), year=str(span.start.year))
        if len(token) == 7:
            return self.format(N_("from %(month)s"), month=i18n.month_text(span.start, self.language))
        return self.format(N_("from %(day)s"), day=self.day(span.start))

    # --- asking ---------------------------------------------------------------------------------------------------

    def too_long(self, limit: int) -> str:
        return self.format(N_("That's too long for a question. Please ask in a sentence or two (up to %(n)d "
                              "characters)."), n=limit)

    def slow_down(self, retry_in: float) -> str:
        return self.format(N_("You're asking faster than I can keep up. Please wait %(n)d s and ask again."),
                           n=max(1, round(retry_in)))

    def not_found(self, article_count: int, missing: str | None = None, have: Mapping[str, int] | None = None) -> str:
        """One friendly line with a hint; what the bot knows is one command away. `missing`: the question's
        language when no article is in it; then the corpus's languages (`have`: paragraphs per language) are
        named, the largest first, so the reader knows what to ask in."""
        if not article_count:
            return self.gettext(N_("I don't know any articles yet, so I can't answer that."))
        if missing and have:
            return self.format(N_("Sorry, I have no articles in this language (%(language)s), so I couldn't answer "
                                  "that. My articles are in %(languages)s: ask in one of those, or see /sources."),
                               language=self.language_name(missing),
                               languages=format_list([self.language_name(code) for code in
                                                      sorted(have, key=have.__getitem__, reverse=True)[:5]],
                                                     locale=self.language))
        return self.nformat(
            "Sorry, I couldn't find that in my %(n)d article. Try other words (names, places, numbers), or see "
               "/sources for what I know.",
            "Sorry, I couldn't find that in my %(n)d articles. Try other words (names, places, numbers), or see "
               "/sources for what I know.", article_count)

    def mention_usage(self, bot_username: str) -> str:
        return self.format(N_("Ask me like this: <code>@%(bot)s Who won the election?</code>"),
                           bot=html.escape(bot_username))

    def not_found_here(self, article_count: int) -> str:
        """For a mention or reply in a group: short, so a miss does not clutter the conversation."""
        if not article_count:
            return self.gettext(N_("I don't know any articles yet."))
        return self.nformat("Sorry, I couldn't find that in my %(n)d article.",
                            "Sorry, I couldn't find that in my %(n)d articles.", article_count)

    def small_talk_reply(self, kind: str, bot_username: str, private: bool, example: str | None = None) -> str:
        """A short friendly line for chat that is not a question; in a private chat with a hint of what to ask
        (the text of an example question from the corpus), in a group how to ask there when asked who the bot is."""
        line = self.gettext(SMALL_TALK.get(kind, SMALL_TALK["ack"]))
        if private:
            hint = self.format(N_("Ask me about the news, e.g. <i>%(example)s</i>"),
                               example=self.isolate(escape_head(example, 200))) if example else (
                self.gettext(N_("Ask me a question about the news.")))
            return f"{line} {hint}\n" + self.gettext(N_("/help shows what I know."))
        if kind == "identity":
            return f"{line} " + self.format(N_("Ask with <code>/ask your question</code> or mention @%(bot)s with "
                                               "your question."), bot=html.escape(bot_username))
        return line

    # --- answers ----------------------------------------------------------------------------------------------

    def source_line(self, article: Article) -> str:
        """📰 Title (linked when the URL is known) · outlets · date ("13 Jan 2025", "added on 13 Jan 2025")."""
        parts = [_link(article.url, escape_head(article.title, 200) or self.gettext(N_("Untitled")))]
        if article.outlets:
            parts.append(escape_head(", ".join(article.outlets), 120))
        if date_text := self.date_text(article):
            parts.append(escape_head(date_text, 80))
        return "📰 " + " · ".join(self.isolate(part) for part in parts)

    def read_as_note(self, pairs: Sequence[tuple[str, str]]) -> str:
        """How misspelt question words were read ("Read “soldirs” as “soldiers”."), plain text."""
        if not pairs:
            return ""
        read = [self._fill(self.gettext(N_("“%(typed)s” as “%(word)s”")),
                           {"typed": self.isolate(typed), "word": self.isolate(word)}) for typed, word in pairs]
        return self._fill(self.gettext(N_("Read %(words)s.")), {"words": ", ".join(read)})

    def earlier_note(self, reports: Sequence[EarlierReport], shown: int = 2) -> str:
        """ "Earlier: about 300, Yonhap, 13 Jan 2025" (the newest `shown` of them), plain text."""
        if not reports:
            return ""
        described = [", ".join(filter(None, [self.isolate(r.value),
                                             self.isolate(", ".join(r.article.outlets) or r.article.title),
                                             self.date_text(r.article)])) for r in reports[:shown]]
        return self._fill(self.gettext(N_("Earlier: %(reports)s")), {"reports": "; ".join(described)})

    def time_note(self, note: TimeNote) -> str:
        """How the question's time words were taken, plain text, in this language (the engine's English as is)."""
        if self.language == i18n.ENGLISH:
            return note.text
        if note.kind == "newest" or not note.start or not note.end:
            return self.gettext(N_("The newest articles first."))
        phrase = self._when(note)
        if note.kind == "browse":
            return self.format(N_("Articles %(when)s, newest first."), when=phrase)
        if note.kind == "closest":
            return self.format(N_("Nothing %(when)s answers this; this is the closest match."), when=phrase)
        return self.format(N_("Nothing %(when)s answers this."), when=phrase)

    def _when(self, note: TimeNote) -> str:
        start, end = note.start, note.end
        assert start and end  # see `time_note`
        if note.before:
            return self.format(N_("from before %(day)s"), day=self.day(end + dt.timedelta(days=1)))
        month = start.day == 1 and end == _month_end(start)
        year = start == dt.date(start.year, 1, 1) and end == dt.date(start.year, 12, 31)
        if month:
            period = i18n.month_text(start, self.language)
        elif year:
            period = str(start.year)
        else:
            period = i18n.days_text(start, end, self.language)
        if note.words:
            return self.format(N_("from %(words)s (%(period)s)"), words=self.isolate(note.words), period=period)
        if year:
            return self.format(N_("from %(year)s"), year=period)
        if month:
            return self.format(N_("from %(month)s"), month=period)
        if start == end:
            return self.format(N_("from %(day)s"), day=period)
        return self.format(N_("from %(period)s"), period=period)

    def time_lines(self, answer: Answer, rank: int) -> tuple[str, str]:
        """What goes above an answer (how its time words were taken) and below its source (the earlier reports
        of its figure, for the first passage only: they are older than that one)."""
        above = f"<i>{escape_head(self.time_note(answer.time), 300)}</i>\n\n" if answer.time else ""
        below = (f"\n<i>{escape_head(self.earlier_note(answer.earlier), 600)}</i>"
                 if answer.earlier and rank == 0 else "")
        return above, below

    def format_answer(self, passage: Passage, rank: int, total: int, corrected: Sequence[tuple[str, str]] = (),
                      times: tuple[str, str] = ("", "")) -> str:
        """`format_passage`, after a line saying how misspelt question words were read, if any were; `times` from
        `time_lines`."""
        note = f"<i>{escape_head(self.read_as_note(corrected), 300)}</i>\n\n" if corrected else ""
        note += times[0]
        return note + self.format_passage(passage, rank, total, MAX_MESSAGE - tg_len(note), times[1])

    def position_line(self, rank: int, total: int) -> str:
        """"Answer 2 of 3", and on the last one that there are no more."""
        if total <= 1:
            return ""
        if rank + 1 == total:
            line = self.format(N_("Answer %(rank)d of %(total)d · no more answers"), rank=rank + 1, total=total)
        else:
            line = self.format(N_("Answer %(rank)d of %(total)d"), rank=rank + 1, total=total)
        return f"\n<i>{line}</i>"

    def format_passage(self, passage: Passage, rank: int = 0, total: int = 1, limit: int = MAX_MESSAGE,
                       after_source: str = "") -> str:
        """The passage with its best sentence in bold, then the source; trimmed around that sentence to `limit`.
        A long passage keeps the bold sentence in view and folds the long sides away (see `LONG_PASSAGE`)."""
        head = f"<i>{escape_head(passage.paragraph.section, 120)}</i>\n" if passage.paragraph.section else ""
        tail = "\n\n" + self.source_line(passage.article) + after_source + self.position_line(rank, total)
        text, sentence = passage.text, passage.sentence
        start = text.find(sentence) if sentence else -1
        if start < 0:
            return head + escape_head(text, limit - tg_len(head + tail)) + tail
        before, after = text[:start], text[start + len(sentence):]
        fold_before, fold_after = (len(text) > LONG_PASSAGE and len(side.strip()) > SHORT_SIDE
                                   for side in (before, after))
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

    # --- help and sources -------------------------------------------------------------------------------------

    def help_text(self, bot_username: str, article_count: int, paragraph_count: int, examples: Sequence[str],
                  private: bool = True) -> str:
        """What the bot knows and the ways to ask (those of this chat first), with example questions drawn from
        the corpus. In a group only what is addressed to the bot is read, so "just send your question" is wrong."""
        name = html.escape(bot_username)
        group_ways = self.format(N_("<code>/ask your question</code>, mention @%(bot)s with your question, or "
                                    "reply to one of my messages"), bot=name)
        if private:
            ways = [self.gettext(N_("• Here: just send your question.")),
                    self.format(N_("• In a group: %(ways)s."), ways=group_ways)]
        else:
            ways = [self.format(N_("• Here: %(ways)s. I answer only messages addressed to me."), ways=group_ways),
                    self.format(N_("• In a private chat with @%(bot)s: just send your question."), bot=name)]
        if article_count:
            known = self.format(N_("I know <b>%(articles)s</b> (%(passages)s)."),
                                articles=self.nformat("%(n)d article", "%(n)d articles", article_count),
                                passages=self.nformat("%(n)d passage", "%(n)d passages", paragraph_count))
        else:
            known = self.gettext(N_("I don't know any articles yet."))
        lines = [
            self.gettext(N_("<b>I answer questions about the news</b> with the passage that answers and its "
                            "source.")),
            known,
            "",
            self.gettext(N_("<b>How to ask</b>")),
            *ways,
            self.format(N_("• In any chat: type <code>@%(bot)s your question</code> and pick a passage."), bot=name),
            self.gettext(N_("Under each answer, <i>More answers</i> shows the next passages and 👍/👎 tells me if it "
                            "helped.")),
        ]
        if examples:
            lines += ["", self.gettext(N_("<b>Ask me about, for example</b>")),
                      *(f"• {escape_head(example, 200)}" for example in examples)]
        lines += ["", self.gettext(N_("/sources lists the articles I know, newest first (<code>/sources 7d</code>: "
                                      "the last 7 days) · /help shows this message"))]
        return "\n".join(lines)

    def sources_page(self, articles: Sequence[Article], page: int, per_page: int = SOURCES_PER_PAGE,
                     with_ids: bool = False, span: Span | None = None,
                     languages: Mapping[str, str] | None = None) -> str:
        """One page of the article list; `page` is clamped, so a stale button still shows a real page.
        `with_ids` is the admins' /list: the ids to remove by, tap-to-copy, and with `languages` (article id →
        language as read) each one's language, so a wrong one stands out; `span` what it was narrowed to."""
        if not articles:
            return self.gettext(N_("I don't know any articles yet."))
        pages = page_count(len(articles), per_page)
        page = min(max(page, 0), pages - 1)
        phrase = escape_head(self.span_phrase(span), 60) if span else ""
        if phrase:
            title = (self.format(N_("Corpus %(span)s, newest first"), span=phrase) if with_ids else
                     self.format(N_("Articles %(span)s, newest first"), span=phrase))
        else:
            title = (self.gettext(N_("Corpus, newest first")) if with_ids else
                     self.gettext(N_("Articles I know, newest first")))
        header = self.format(N_("<b>%(title)s</b> (%(count)d), page %(page)d of %(pages)d:"), title=title,
                             count=len(articles), page=page + 1, pages=pages)
        entry_budget = (MAX_MESSAGE - tg_len(header)) // per_page - 1
        lines = [header]
        for number, article in enumerate(articles[page * per_page:(page + 1) * per_page], page * per_page + 1):
            language = (languages or {}).get(article.id, "") if with_ids else ""
            lines.append(self._source_entry(number, article, entry_budget, with_ids, language))
        return "\n".join(lines)

    def _source_entry(self, number: int, article: Article, budget: int, with_ids: bool, language: str = "") -> str:
        details = " · ".join(filter(None, [", ".join(article.outlets), self.date_text(article), language]))
        details_html = f" — {escape_head(details, 80)}" if details else ""
        article_id = self._id(article.id, 80)
        prefix = f"{number}. {article_id} " if with_ids else f"{number}. "
        marks = 2 if self.right_to_left else 0
        title_html = escape_head(article.title, min(150, budget - tg_len(prefix + details_html) - marks)) or (
            self.gettext(N_("Untitled")))
        linked = self.isolate(_link(article.url, title_html))
        if tg_len(prefix + linked + details_html) > budget:
            linked = self.isolate(title_html)
        return prefix + linked + details_html

    def usage_span(self, command: str) -> str:
        return self.format(N_("Narrow the list like this: <code>%(command)s 7d</code> (the last 7 days), "
                              "<code>%(command)s 2w</code>, <code>%(command)s 2025-11</code> (a month), "
                              "<code>%(command)s 2025</code>, <code>%(command)s 2025-11-20</code> or "
                              "<code>%(command)s latest</code>."), command=command)

    def no_articles_in(self, span: Span, command: str) -> str:
        return self.format(N_("No articles %(span)s. %(command)s lists them all."),
                           span=escape_head(self.span_phrase(span), 60), command=self.isolate(command))

    # --- admin ----------------------------------------------------------------------------------------------------

    def _id(self, article_id: str, budget: int = 100) -> str:
        """An id (or what was typed for one), tap-to-copy."""
        return self.isolate(f"<code>{escape_head(article_id, budget)}</code>")

    def _title(self, article: Article) -> str:
        return self.isolate(escape_head(article.title, 300))

    def _paragraphs(self, n: int) -> str:
        return self.nformat("%(n)d paragraph", "%(n)d paragraphs", n)

    def metadata_lines(self, article: Article, detected: bool = False) -> str:
        """Outlets, date, link and language as they were read (the dates as stored), so an admin sees at once when
        one was lost or wrong; plain text."""
        none = self.gettext(N_("none given"))
        if article.published:
            date_text = article.published
        elif article.added:
            date_text = self._fill(self.gettext(N_("none given (added %(day)s)")), {"day": article.added})
        else:
            date_text = none
        outlets = self.isolate(", ".join(article.outlets)) or none
        return "\n".join([self._fill(self.gettext(N_("  Outlets: %(outlets)s")), {"outlets": outlets}),
                          self._fill(self.gettext(N_("  Date: %(date)s")), {"date": self.isolate(date_text)}),
                          self._fill(self.gettext(N_("  URL: %(url)s")), {"url": self.isolate(article.url or none)}),
                          self._fill(self.gettext(N_("  Language: %(language)s")),
                                     {"language": self.language_line(article, detected)})])

    def language_line(self, article: Article, detected: bool) -> str:
        """ "русский (ru, detected)" named in the reader's language, or why the article's language is not known
        (a nonsense `language:` header's reason stays English, as the corpus's reasons do)."""
        if not article.language:
            return self.gettext(N_("not clear from the text: read as SEARCH_LANGUAGE"))
        if problem := header_problem(article.language):
            return self._fill(self.gettext(N_("%(problem)s; read as SEARCH_LANGUAGE")),
                              {"problem": self.isolate(problem)})
        code = language_code(article.language) or ""
        template = N_("%(language)s (%(code)s, detected)") if detected else N_("%(language)s (%(code)s)")
        return self._fill(self.gettext(template), {"language": self.language_name(code), "code": code})

    def language_name(self, code: str) -> str:
        """A language's name in the reader's language ("русский" for ru when the reader is Russian)."""
        return self.isolate(Locale.parse(self.language).languages.get(code) or language_name(code))

    def preview(self, article: Article, shown: int = 5) -> str:
        """The start of the first paragraphs: how the text was split, at a glance; plain text."""
        lines = [f"  {n}. {p.text[:70]}{'…' if len(p.text) > 70 else ''}"
                 for n, p in enumerate(article.paragraphs[:shown], 1)]
        if len(article.paragraphs) > shown:
            lines.append(self._fill(self.gettext(N_("  … and %(n)d more")), {"n": len(article.paragraphs) - shown}))
        return "\n".join(lines)

    def added(self, result: Added, limit: int = MAX_MESSAGE) -> str:
        """The confirmation: the id (tap to copy), title, paragraphs, the outlets, date and URL as read, and a
        preview of the split; everything from the article escaped and cut to fit."""
        article = result.article
        if result.duplicate_of:
            return self.format(N_("Already in the corpus as %(id)s: %(title)s"), id=self._id(result.duplicate_of),
                               title=self._title(article))
        head = self.format(N_("Added %(id)s: %(title)s (%(paragraphs)s)"), id=self._id(article.id),
                           title=self._title(article),
                           paragraphs=self._paragraphs(len(article.paragraphs))) + "\n"
        body = self.metadata_lines(article, result.detected) + "\n" + self.preview(article)
        return head + escape_head(body, limit - tg_len(head))

    def failed(self, action: str, reason: str) -> str:
        """Why an admin action did not happen, e.g. "Could not add this: the file is empty" (`action`: "add this"
        or "undo"; the reason as the corpus code gave it)."""
        reason_html = self.isolate(escape_head(reason, 1000))
        if action == "undo":
            return self.format(N_("Could not undo: %(reason)s"), reason=reason_html)
        return self.format(N_("Could not add this: %(reason)s"), reason=reason_html)

    def removed(self, article: Article) -> str:
        return self.format(N_("Removed %(id)s: %(title)s. /undo brings it back."), id=self._id(article.id),
                           title=self._title(article))

    def restored(self, article: Article) -> str:
        return self.format(N_("Restored %(id)s: %(title)s."), id=self._id(article.id),
                           title=self._title(article))

    def unknown_article(self, article_id: str) -> str:
        return self.format(N_("No article has the id %(id)s. /list shows the ids."), id=self._id(article_id))

    def reload_report(self, report: ReloadReport) -> str:
        """Counts, then the ids and reasons; plain text escaped as a whole, so cutting it to size is safe."""
        lines = [self.format(N_("Reloaded: %(added)d added, %(changed)d changed, %(removed)d removed, "
                                "%(unparseable)d unparseable."), added=len(report.added),
                             changed=len(report.changed), removed=len(report.removed),
                             unparseable=len(report.errors))]
        for label, ids in [(N_("Added: %(ids)s"), report.added), (N_("Changed: %(ids)s"), report.changed),
                           (N_("Removed: %(ids)s"), report.removed)]:
            if ids:
                lines.append(self.format(label, ids=", ".join(ids)))
        lines += [self.format(N_("Unparseable %(name)s: %(reason)s"), name=name, reason=reason)
                  for name, reason in report.errors.items()]
        return escape_head("\n".join(lines), MAX_MESSAGE)

    def stats_text(self, stats: Stats, article_count: int, paragraph_count: int) -> str:
        """/stats: the corpus, how questions went, and the unanswered questions most asked (what the corpus
        lacks)."""
        not_found_count = stats.questions - stats.answered
        lines = [
            self.format(N_("<b>Corpus</b>: %(articles)s, %(paragraphs)s"),
                        articles=self.nformat("%(n)d article", "%(n)d articles", article_count),
                        paragraphs=self._paragraphs(paragraph_count)),
            self.format(N_("<b>Questions</b>: %(asked)d asked, %(answered)d answered (%(answered_share)s), "
                           "%(not_found)d not found (%(not_found_share)s)"),
                        asked=stats.questions, answered=stats.answered,
                        answered_share=_share(stats.answered, stats.questions), not_found=not_found_count,
                        not_found_share=_share(not_found_count, stats.questions)),
            self.format(N_("<b>Feedback</b>: 👍 %(up)d · 👎 %(down)d"), up=stats.up, down=stats.down),
        ]
        if stats.unanswered:
            lines += ["", self.gettext(N_("<b>Asked most often without an answer</b>"))]
            lines += [f"{n}. {self.isolate(escape_head(question, 300))} ({times}×)"
                      for n, (question, times) in enumerate(stats.unanswered, 1)]
        return "\n".join(lines)

    def window_label(self, n: int, unit: str) -> str:
        """The heading of /stats 7d: "Last 7 days" (`unit`: m, h, d or w)."""
        if unit == "m":
            return self.nformat("Last %(n)d minute", "Last %(n)d minutes", n)
        if unit == "h":
            return self.nformat("Last %(n)d hour", "Last %(n)d hours", n)
        if unit == "w":
            return self.nformat("Last %(n)d week", "Last %(n)d weeks", n)
        return self.nformat("Last %(n)d day", "Last %(n)d days", n)

    def stats_window_text(self, window: tuple[int, str] | None, stats: Stats, article_count: int,
                          paragraph_count: int, downvoted: Sequence[tuple[str, str, int]],
                          actions: Sequence[Action]) -> str:
        """/stats [window]: the totals, then the answers voted 👎 and the latest changes to the corpus; `window`
        is (n, unit) as `admin.parse_window` reads it, None for all time."""
        heading = self.window_label(*window) if window else self.gettext(N_("All time"))
        lines = [f"<b>{heading}</b>", self.stats_text(stats, article_count, paragraph_count)]
        if downvoted:
            lines += ["", self.gettext(N_("<b>Answers voted 👎</b>"))]
            lines += [f"{n}. {self.isolate(escape_head(question, 200))} → {self._id(article_id, 80)}"
                      f"{f' ({times}×)' if times > 1 else ''}"
                      for n, (question, article_id, times) in enumerate(downvoted, 1)]
        if actions:
            lines += ["", self.gettext(N_("<b>Latest changes</b>"))]
            lines += [f"{_when(a.at)} {self._who(a.who)}: {self._action(a.action)} "
                      f"{self._id(a.article_id, 80)}" for a in actions]
        text = "\n".join(lines)
        return text if tg_len(text) <= MAX_MESSAGE else "\n".join(lines[:2])

    def _who(self, who: str) -> str:
        """An audit log entry's author (as stored: "user 123", "channel @name") in this language."""
        kind, _, name = who.partition(" ")
        if kind == "user" and name:
            who = self._fill(self.gettext(N_("user %(id)s")), {"id": self.isolate(name)})
        elif kind == "channel" and name:
            who = self._fill(self.gettext(N_("channel %(name)s")), {"name": self.isolate(name)})
        return escape_head(who, 80)

    def _action(self, action: str) -> str:
        """An audit log entry's action (as stored, in English) in this language."""
        names = {"add": N_("add"), "remove": N_("remove"), "edit": N_("edit"), "undo add": N_("undo add"),
                 "undo remove": N_("undo remove")}
        return escape_head(self.gettext(names[action]) if action in names else action, 40)

    # --- admin: long pastes, edits, channels, undo ------------------------------------------------------------

    def cut_off(self, length: int) -> str:
        return self.format(N_("Could not add this: the text seems cut off. It is %(length)s characters long and "
                              "ends mid-sentence, and no second part arrived (Telegram splits texts over "
                              "%(limit)s characters). Nothing was added: send the article as a .txt file."),
                           length=self.number(length), limit=self.number(TELEGRAM_LIMIT))

    def built(self, outcome: Outcome, parts: int) -> str:
        """What became of an article sent as messages: added (from how many), updated in place, or why not."""
        if outcome.added:
            joined = ""
            if parts > 1 and not outcome.added.duplicate_of:
                joined = "\n<i>" + self.nformat("Joined from %(n)d message.", "Joined from %(n)d messages.",
                                                  parts) + "</i>"
            return self.added(outcome.added, MAX_MESSAGE - 80) + joined
        if outcome.updated:
            article = outcome.updated
            return self.format(N_("Updated %(id)s in place: %(title)s (%(paragraphs)s). Answers use the new text "
                                  "now."), id=self._id(article.id), title=self._title(article),
                               paragraphs=self._paragraphs(len(article.paragraphs)))
        if outcome.refused == "cut":
            return self.cut_off(max(LOOKS_CUT, len(outcome.group.text)))
        if outcome.refused == "removed":
            return self.gettext(N_("That article was removed, so the edit changed nothing."))
        return self.failed("add this", outcome.refused or self.gettext(N_("unknown reason")))

    def undone(self, result: Undone) -> str:
        article = result.article
        if result.action == "add":
            return self.format(N_("Undid the add of %(id)s: %(title)s is out of the corpus again."),
                               id=self._id(article.id), title=self._title(article))
        return self.restored(article)

    def ambiguous(self, query: str, matches: Sequence[Article]) -> str:
        ids = ", ".join(self._id(a.id, 80) for a in matches[:5])
        if len(matches) > 5:
            return self.format(N_("%(query)s starts %(n)d ids: %(ids)s and %(more)d more. Send more of the id."),
                               query=self._id(query, 80), n=len(matches), ids=ids, more=len(matches) - 5)
        return self.format(N_("%(query)s starts %(n)d ids: %(ids)s. Send more of the id."),
                           query=self._id(query, 80), n=len(matches), ids=ids)

    def no_article_from(self, link: str) -> str:
        return self.format(N_("No article came from %(link)s. /list shows the ids."), link=self._id(link, 200))

    def not_a_list_number(self, number: int, count: int) -> str:
        return self.format(N_("/list has no number %(number)d (it has %(count)d). /list shows the numbers and ids."),
                           number=number, count=count)


def _link(url: str | None, label_html: str) -> str:
    """Only http(s) links (Telegram rejects a whole message over one bad link), and none that would eat the
    message's length budget (the href is counted, to stay on the safe side)."""
    href = html.escape(url or "", quote=True)
    if not url or not is_web_url(url) or tg_len(href) > 1000:
        return label_html
    return f'<a href="{href}">{label_html}</a>'


def _share(part: int, whole: int) -> str:
    return f"{round(100 * part / whole)}%" if whole else "–"


def _when(at: float) -> str:
    """An audit log time as stored (UTC), the same in every language."""
    return time.strftime("%Y-%m-%d %H:%M", time.gmtime(at))


def _month_end(day: dt.date) -> dt.date:
    return (day.replace(day=28) + dt.timedelta(days=4)).replace(day=1) - dt.timedelta(days=1)


# --- choosing the language ----------------------------------------------------------------------------------------

@lru_cache(maxsize=len(i18n.LANGUAGES))
def _for_catalog(language: str) -> Messages:
    return Messages(language)


def for_language(code: str | None) -> Messages:
    """The texts for a Telegram `language_code` ("ru", "pt-br", None): its language's, else English."""
    return _for_catalog(i18n.language_of(code))


def for_update(update: object) -> Messages:
    """The texts for the person behind an update: their Telegram app's language."""
    user = update.effective_user if isinstance(update, Update) else None
    return for_language(user.language_code if user else None)


def for_message(message: Message) -> Messages:
    """The texts for the sender of a message."""
    return for_language(message.from_user.language_code if message.from_user else None)


ENGLISH = for_language(i18n.ENGLISH)
