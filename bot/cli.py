"""`python -m bot …`: a thin command line over the engine (ask, chat, list, eval, and the Telegram bot)."""
from __future__ import annotations

import argparse
import datetime as dt
import json
import logging
import sys
from pathlib import Path

from .corpus.fetch import FetchError
from .corpus.importing import article_from_upload, article_from_url
from .corpus.links import is_web_url
from .corpus.parsing import ArticleError
from .corpus.periods import USAGE, newest_first, parse_span, within
from .curation import Curator
from .models import Answer, Article, Passage, earlier_note, read_as_note
from .search.engine import Engine
from .search.evaluation import evaluate
from .search.languages import name as language_name
from .settings import Settings, SettingsError
from .tg.feedback import FeedbackStore

BOLD, RESET = "\033[1m", "\033[0m"


def render_passage(passage: Passage, color: bool, mark: bool = True) -> str:
    """The passage (its best sentence emphasised when `mark`), then a source line."""
    start, end = (BOLD, RESET) if color else ("**", "**")
    text = passage.text.replace(passage.sentence, f"{start}{passage.sentence}{end}", 1) if mark else passage.text
    article = passage.article
    source = " · ".join(filter(None, [article.title, ", ".join(article.outlets), article.date_text, article.url]))
    section = f"[{passage.paragraph.section}] " if passage.paragraph.section else ""
    return f"{section}{text}\n  — {source}"


NOT_FOUND = "Not found: the corpus has no passage that answers this. Try other words, or `python -m bot list`."
CHAT_NOT_FOUND = "Not found: no passage answers this. Try other words (names, places, numbers), or type `list`."
CHAT_HELP = """Type a question about the news and press Enter, e.g. "how many soldiers died?".
  more   the next answer to the last question
  list   the articles I know
  help   this text
  quit   leave (so do `exit`, an empty line and Ctrl-D)"""
QUIT = frozenset({"quit", "exit", "q", ":q"})
SMALL_TALK = {"greeting": "Hi!", "thanks": "You're welcome!", "ack": "OK.", "laugh": ":)", "bye": "Bye!",
              "how_are_you": "All good, thanks!", "emoji": ":)",
              "identity": "I answer questions about the news with the passage that answers and its source."}


def render_alternatives(answer: Answer) -> str:
    return "\n".join(f"{n}. {render_passage(p, False, mark=False)}" for n, p in enumerate(answer.alternatives, 2))


def missing_language_line(engine: Engine, answer: Answer) -> str | None:
    """"Not found" for a question in a language no article is in, naming those there are."""
    if not (missing := engine.missing_language(answer)):
        return None
    counts = engine.languages
    have = sorted(counts, key=counts.__getitem__, reverse=True)[:5]
    return (f"Not found: no article is in {language_name(missing)}. Ask in "
            f"{' or '.join(language_name(code) for code in have)}, or type `list`.")


def render_answer(answer: Answer, color: bool = False, alternatives: bool = True) -> str:
    if answer.small_talk:
        return f"{SMALL_TALK.get(answer.small_talk, 'OK.')} Ask me a question about the news."
    if not answer.found:
        return f"({answer.time_note})\n{NOT_FOUND}" if answer.time_note else NOT_FOUND
    text = render_passage(answer.best, color)
    if answer.earlier:
        text += f"\n  {earlier_note(answer.earlier)}"
    if answer.time_note:
        text = f"({answer.time_note})\n" + text
    if answer.read_as:
        text = f"({read_as_note(answer.read_as)})\n" + text
    if alternatives and answer.alternatives:
        text += "\n\nAlso relevant:\n" + render_alternatives(answer)
    elif answer.alternatives:
        text += f"\n  ({len(answer.alternatives)} more: type 'more')"
    return text


def article_lines(articles: list[Article], languages: dict[str, str]) -> list[str]:
    """id, paragraphs, language as read, date, title and outlets: one line per article, for `list` in the shell
    and the chat (a wrong language stands out, and is corrected in the file's `language:` line)."""
    lines = []
    for article in articles:
        outlets = f" ({', '.join(article.outlets)})" if article.outlets else ""
        lines.append(f"{article.id}\t{len(article.paragraphs)} ¶\t{languages.get(article.id, '-')}\t"
                     f"{article.date_text or '-'}\t{article.title}{outlets}")
    return lines


class TerminalChat:
    """The terminal chat's replies, one line typed at a time: questions, small talk and the commands its
    hints name (`help`, `list`, `more`). `more` walks through the last question's other answers, one each."""

    COMMANDS = ("help", "list", "more")

    def __init__(self, engine: Engine, color: bool = False) -> None:
        self.engine, self.color = engine, color
        self.last: Answer | None = None
        self.shown = 0  # passages of `last` shown so far

    def reply(self, line: str) -> str:
        command = line.strip().lower()
        if command == "help":
            return CHAT_HELP
        if command == "list":
            lines = article_lines(newest_first(self.engine.articles), self.engine.article_languages())
            return "\n".join(lines) or "No articles yet."
        if command == "more":
            return self._more()
        answer = self.engine.ask(line)
        if answer.small_talk:
            example = next(iter(self.engine.example_questions(1)), "")
            hint = f' Ask me about the news, e.g. "{example}"' if example else " Ask me a question about the news."
            return SMALL_TALK.get(answer.small_talk, "OK.") + hint + " (`help` for the commands)"
        self.last, self.shown = answer, 1
        if not answer.found:
            reason = missing_language_line(self.engine, answer) or CHAT_NOT_FOUND
            return f"({answer.time_note})\n{reason}" if answer.time_note else reason
        return render_answer(answer, self.color, alternatives=False)

    def _more(self) -> str:
        if self.last is None:
            return "Ask a question first; `more` then shows its next answer."
        if not self.last.found:
            return "No more answers: nothing answered the last question."
        passages = self.last.passages
        if self.shown >= len(passages):
            return "No more answers."
        passage, self.shown = passages[self.shown], self.shown + 1
        left = len(passages) - self.shown
        note = f"({left} more: type 'more')" if left else "(no more answers)"
        return f"Answer {self.shown} of {len(passages)}:\n{render_passage(passage, self.color)}\n  {note}"


def _engine(settings: Settings, today: dt.date | None = None) -> Engine:
    engine = Engine.load(settings.corpus_dir, settings.language, settings.min_confidence)
    if today:
        engine.today = lambda: today
    return engine


def report_errors(engine: Engine) -> None:
    for name, reason in engine.errors.items():
        print(f"warning: skipped {name}: {reason}", file=sys.stderr)
    for article_id, reason in engine.warnings.items():
        print(f"warning: {article_id}: {reason}", file=sys.stderr)


def cmd_ask(args: argparse.Namespace, settings: Settings) -> int:
    engine = _engine(settings, args.today)
    answer = engine.ask(" ".join(args.question), limit=args.limit)
    if args.json:
        print(json.dumps(answer.to_dict(), ensure_ascii=False, indent=2))
    else:
        report_errors(engine)
        print(render_answer(answer, color=sys.stdout.isatty()))
    return 0 if answer.found else 1


def cmd_chat(args: argparse.Namespace, settings: Settings) -> int:
    """The embedded default: a terminal chat over `corpus/` when no Telegram token is configured."""
    engine = _engine(settings, getattr(args, "today", None))
    report_errors(engine)
    print(f"Ask about {len(engine.articles)} article(s), {engine.paragraph_count} passages. "
          "Type `help` for the commands, `quit` to leave.")
    for example in engine.example_questions(3):
        print(f"  e.g. {example}")
    chat = TerminalChat(engine, color=sys.stdout.isatty())
    while True:
        try:
            line = input("\n? ").strip()
        except (EOFError, KeyboardInterrupt):
            print()
            return 0
        if not line or line.lower() in QUIT:
            return 0
        print(chat.reply(line), flush=True)


def cmd_list(args: argparse.Namespace, settings: Settings) -> int:
    """The articles newest first, with their dates; narrowed to a span ("7d", "2025-11") when one is given."""
    engine = _engine(settings, args.today)
    span = parse_span(args.span, engine.today()) if args.span else None
    if args.span and span is None:
        print(f"error: {args.span!r} is not a span: use {USAGE}", file=sys.stderr)
        return 2
    report_errors(engine)
    for line in article_lines(within(newest_first(engine.articles), span), engine.article_languages()):
        print(line)
    return 0


def load_source(source: str, settings: Settings) -> Article:
    """A path to an article file or an http(s) URL → Article."""
    if is_web_url(source):
        return article_from_url(source, allow_private=settings.allow_private_urls)
    path = Path(source)
    return article_from_upload(path.name, path.read_bytes())


def _audit(settings: Settings, action: str, article: Article) -> None:
    """The shell's changes go to the same audit log as the admins' in Telegram (/stats shows it), as "shell"."""
    store = FeedbackStore.in_dir(settings.data_dir)
    try:
        store.log_action("shell", action, article.id, article.title)
    finally:
        store.close()


def cmd_add(args: argparse.Namespace, settings: Settings) -> int:
    curator = Curator(settings.corpus_dir, _engine(settings))
    try:
        url = args.source if is_web_url(args.source) else None
        added = curator.add_from(lambda: load_source(args.source, settings), url)
    except (ArticleError, FetchError, OSError) as exc:
        print(f"error: {args.source}: {exc}", file=sys.stderr)
        return 2
    if not added.duplicate_of:
        _audit(settings, "add", added.article)
    print(added.describe())
    return 1 if added.duplicate_of else 0


def cmd_remove(args: argparse.Namespace, settings: Settings) -> int:
    curator = Curator(settings.corpus_dir, _engine(settings))
    matches = curator.find(args.id)
    if len(matches) != 1:
        found = f"{len(matches)} ids start with it: {', '.join(a.id for a in matches[:5])}" if matches else "none"
        print(f"error: no single article with id {args.id!r} ({found}; see `list`)", file=sys.stderr)
        return 2
    article = curator.remove(matches[0].id)
    _audit(settings, "remove", article)
    print(f"Removed {article.id}: {article.title} (moved to {settings.corpus_dir / '.trash'}; `undo` restores it)")
    return 0


def cmd_undo(args: argparse.Namespace, settings: Settings) -> int:
    result = Curator(settings.corpus_dir, _engine(settings)).undo()
    if result is None:
        print("Nothing to undo.")
        return 1
    _audit(settings, f"undo {result.action}", result.article)
    done = "Undid the add of" if result.action == "add" else "Restored"
    print(f"{done} {result.article.id}: {result.article.title}")
    return 0


def cmd_import(args: argparse.Namespace, settings: Settings) -> int:
    from tqdm import tqdm

    curator = Curator(settings.corpus_dir, _engine(settings))
    with tqdm(desc=f"importing {args.path.name}", unit=" articles", disable=None) as bar:
        report = curator.import_path(args.path, progress=bar.update)
    for where, reason in list(report.errors.items())[:20]:
        print(f"skipped {where}: {reason}", file=sys.stderr)
    print(report.summary())
    return 0


def cmd_eval(args: argparse.Namespace, settings: Settings) -> int:
    protocol = args.abstain_protocol
    if protocol == []:  # the protocol: BBC news beside the even articles
        protocol = [args.file.parent.parent / "bbc-news" / "bbc-news.jsonl.gz"]
    try:
        report = evaluate(args.file, args.distractors, settings.language, args.max_questions, protocol)
    except ValueError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    print("\n".join(report.lines()))
    return 0


def cmd_run(args: argparse.Namespace, settings: Settings) -> int:
    if not settings.telegram_token:
        print("TELEGRAM_BOT_TOKEN is not set (see .env.example); starting the terminal chat instead.",
              file=sys.stderr)
        return cmd_chat(args, settings)
    from .tg.app import run  # imported here so the terminal commands start fast

    logging.basicConfig(format="%(asctime)s %(levelname)s %(name)s: %(message)s", level=logging.INFO)
    return run(settings, _engine(settings))


TODAY_HELP = "YYYY-MM-DD: the day 'yesterday' and 'last week' count from (default: today)"


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m bot", description=__doc__)
    parser.set_defaults(handler=cmd_run)
    sub = parser.add_subparsers(title="commands")

    ask = sub.add_parser("ask", help="answer one question and exit (exit code 1 when not found)")
    ask.add_argument("question", nargs="+")
    ask.add_argument("--json", action="store_true", help="print a machine-readable answer")
    ask.add_argument("--limit", type=int, default=5, help="passages to return (best + alternatives)")
    ask.add_argument("--today", type=dt.date.fromisoformat, help=TODAY_HELP)
    ask.set_defaults(handler=cmd_ask)

    chat = sub.add_parser("chat", help="interactive question/answer in the terminal")
    chat.add_argument("--today", type=dt.date.fromisoformat, help=TODAY_HELP)
    chat.set_defaults(handler=cmd_chat)
    listing = sub.add_parser("list", help="list the articles of the corpus, newest first")
    listing.add_argument("span", nargs="?", help=f"only the articles dated within it: {USAGE}")
    listing.add_argument("--today", type=dt.date.fromisoformat, help=TODAY_HELP)
    listing.set_defaults(handler=cmd_list)
    sub.add_parser("run", help="run the Telegram bot (the default)").set_defaults(handler=cmd_run)

    add = sub.add_parser("add", help="add an article from a .txt/.md/.html file or an http(s) URL")
    add.add_argument("source", help="path or URL")
    add.set_defaults(handler=cmd_add)
    remove = sub.add_parser("remove", help="remove an article (moved to corpus/.trash; `undo` restores it)")
    remove.add_argument("id", help="the id, or the start of it")
    remove.set_defaults(handler=cmd_remove)
    sub.add_parser("undo", help="take back the last add or removal").set_defaults(handler=cmd_undo)
    imp = sub.add_parser("import", help="bulk import a folder of article files or a JSON-lines file (.jsonl[.gz])")
    imp.add_argument("path", type=Path)
    imp.set_defaults(handler=cmd_import)

    ev = sub.add_parser("eval", help="answer quality on a SQuAD (.json), WikiQA (.tsv) or TrecQA (.csv) file")
    ev.add_argument("file", type=Path, help="the data set, gzipped or not; its format is told by the extension")
    ev.add_argument("--distractors", type=Path, nargs="*", default=[],
                    help="JSON-lines corpora whose paragraphs are indexed as distractors")
    ev.add_argument("--max-questions", type=int, help="only the first N questions")
    ev.add_argument("--abstain-protocol", type=Path, nargs="*",
                    help="also index the even-numbered articles with these JSON-lines corpora (default: the "
                         "bbc-news folder beside the SQuAD folder), ask the odd ones as off-corpus questions, "
                         "and print the bot beside plain rank-bm25")
    ev.set_defaults(handler=cmd_eval)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        settings = Settings.from_env()
    except SettingsError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    return args.handler(args, settings)
