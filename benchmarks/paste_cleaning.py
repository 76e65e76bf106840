"""Pasted pages: how many of the kept paragraphs are the story's own (precision) and how many of the story's
paragraphs are kept (recall), for the parser before issue 14 and for the cleaning parser.

    python -m benchmarks.paste_cleaning [--pages-per-split N] [--data ../shared/data]

A page is a real story (BBC News, Reuters, XQuAD in ru/de/es/ar, a few hand-written uk/ru stories) wrapped in what
a browser's select-all + copy of a news site gives: menus, breadcrumbs, bylines, times, share and follow lines,
ads, captions, "Read more" lines and link lists, comment counters, newsletter and cookie notices, footers, and
metadata lines (source, link, date). The wording comes from `paste_bank`: "tune" pages use the wording the rules
were written against, "held-out" pages other wording and other stories; only the held-out figures say how the
rules do on text they were not fitted to. "clean" pages are the held-out stories with nothing around them (what
cleaning costs when there is nothing to clean). The "html" pages are tests/data/news_page.html rendered to text the way
lxml and a browser would. Stories are read from ../shared/data at run time, nothing of them is stored here.
"""
from __future__ import annotations

import argparse
import gzip
import json
import random
import re
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import lxml.html

from bot.corpus.parsing import ArticleError, parse_text

from . import paste_bank as bank

REPO = Path(__file__).resolve().parent.parent
DATA = REPO.parent / "shared" / "data"
SENT = datetime(2025, 11, 21, 18, 0)
LANGUAGES = ("en", "ru", "uk", "de", "es", "ar")


@dataclass
class Case:
    split: str
    lang: str
    text: str
    title: str
    story: list[tuple[str, str | None]]  # the story's paragraphs with their section
    headings: list[str]


# --- stories ------------------------------------------------------------------------------------------------------

def _fold(text: str) -> str:
    return " ".join(text.split())


def load_stories(data: Path, rng: random.Random) -> list[dict]:
    """News stories in six languages, each {lang, title, blocks: [("p"|"h", text)], headed}."""
    stories = []
    with gzip.open(data / "bbc-news/bbc-news.jsonl.gz", "rt") as handle:
        bbc = [json.loads(line) for line in handle]
    stories += [{"lang": "en", "title": r["title"], "blocks": [("p", p) for p in r["paragraphs"]]}
                for r in rng.sample(bbc, 120)]
    reuters = []
    with gzip.open(data / "reuters21578/reuters21578.jsonl.gz", "rt") as handle:
        for line in handle:
            record = json.loads(line)
            paragraphs = record["paragraphs"]
            if 3 <= len(paragraphs) <= 12 and all(len(p.split()) >= 8 and p.rstrip().endswith((".", '"'))
                                                   for p in paragraphs):
                reuters.append(record)
    stories += [{"lang": "en", "title": r["title"].title(), "blocks": [("p", p) for p in r["paragraphs"]]}
                for r in rng.sample(reuters, 40)]
    for lang in ("ru", "de", "es", "ar"):
        with gzip.open(data / f"xquad/xquad.{lang}.json.gz", "rt") as handle:
            articles = json.load(handle)["data"]
        for article in rng.sample(articles, 30):
            paragraphs = [p["context"].lstrip("\ufeff").strip() for p in article["paragraphs"]][:rng.randint(3, 5)]
            words = paragraphs[0].split()
            title = re.sub(r"[,.;:]+$", "", " ".join(words[:rng.randint(6, 10)]))
            stories.append({"lang": lang, "title": title, "blocks": [("p", p) for p in paragraphs]})
    stories += [{"lang": lang, "title": title, "blocks": list(blocks), "headed": True}
                for lang, title, blocks in bank.EXTRA]
    return stories


# --- wording --------------------------------------------------------------------------------------------------

def _tune_wording(lang: str) -> dict[str, list]:
    """Every tuning template of a language by category; the extra kinds go under "extra"."""
    wording: dict[str, list] = {}
    for category, variants in bank.BANK[lang].items():
        wording[category] = [*variants[bank.D], *variants[bank.T], *bank.BANK2[lang].get(category, [])]
    wording["extra"] = [t for templates in bank.TEST_ONLY[lang].values() for t in templates]
    wording["extra"] += bank.BANK2[lang]["new"]
    return wording


class Wording:
    """Fills boilerplate templates of one split and language."""

    def __init__(self, split: str, lang: str, rng: random.Random) -> None:
        self.rng, self.lang = rng, lang
        self.templates = bank.HELD_OUT[lang] if split == "held-out" else _tune_wording(lang)
        self.headings = (bank.HELD_OUT_HEADINGS if split == "held-out" else bank.HEADINGS)[lang]

    def fill(self, template: str) -> str:
        r, lang = self.rng, self.lang
        heads, names = r.sample(bank.HEADLINES[lang], 3), r.sample(bank.NAMES[lang], 2)
        outlets = r.sample(bank.SITES[lang] + bank.AGENCIES[:3], 2)
        return template.format(
            headline=heads[0], headline2=heads[1], headline3=heads[2], caption=r.choice(bank.CAPTIONS[lang]),
            agency=r.choice(bank.AGENCIES), name=names[0], name2=names[1], n=r.randint(2, 240), h=r.randint(2, 9),
            m=r.randint(2, 9), date=r.choice(bank.DATES[lang])[0], year=r.choice([2024, 2025]),
            site=r.choice(bank.SITES[lang]), outlet=outlets[0], outlet2=outlets[1])

    def block(self, category: str) -> list[str]:
        """The lines of one piece of furniture; a menu or a row of share buttons often copies as one line."""
        template = self.rng.choice(self.templates[category])
        if isinstance(template, list):
            items = [self.fill(t) for t in template]
            if category in ("menu", "share") and self.rng.random() < 0.6:
                return [self.rng.choice([" ", "\t", " | ", "  ", " · "]).join(items)]
            return items
        return [line.strip() for line in self.fill(template).split("\n") if line.strip()]

    def meta(self, where: str) -> list[str]:
        r, lines = self.rng, []
        if r.random() < 0.35:
            lines.append(self.fill(r.choice([*bank.META[self.lang]["source"][bank.D],
                                             *bank.META[self.lang]["source"][bank.T]])))
        if where == "head" and r.random() < 0.3:
            domain = r.choice(["com", "ru", "de", "es", "ua"])
            url = f"https://www.example-news.{domain}/world/{r.randint(10**6, 10**7)}"
            lines.append(r.choice(["", "URL: ", "Link: ", "Ссылка: ", "Посилання: "]) + url)
        if where == "head" and r.random() < 0.35:
            template = r.choice([*bank.META[self.lang]["date"][bank.D], *bank.META[self.lang]["date"][bank.T]])
            lines.append(template.replace("{date}", r.choice(bank.DATES[self.lang])[0]))
        return lines


# --- pages ----------------------------------------------------------------------------------------------------

def make_page(story: dict, split: str, rng: random.Random) -> Case:
    """The story as pasted from a page: a select-all copy (menus, footers, cookie notices) or only the article."""
    words = Wording(split, story["lang"], rng)
    blocks = list(story["blocks"])
    if not story.get("headed") and len(blocks) >= 4 and rng.random() < 0.45:
        spots = rng.sample(range(2, len(blocks)), min(len(blocks) - 2, rng.randint(1, 2)))
        for spot, heading in sorted(zip(spots, rng.sample(words.headings, len(spots)), strict=True), reverse=True):
            blocks.insert(spot, ("h", heading))
    select_all = rng.random() < 0.5
    lines: list[tuple[str, str]] = []  # (line, "title" | "story" | "heading" | "junk")

    def add(category: str) -> None:
        lines.extend((line, "junk") for line in words.block(category))

    if select_all:
        if rng.random() < 0.3:
            add("cookie")
        for _ in range(rng.randint(1, 3)):
            add("top")
        add("menu")
        if rng.random() < 0.7:
            add("crumb")
    elif rng.random() < 0.3:
        add("crumb")
    lines.append((story["title"], "title"))
    head: list[list[str]] = [words.block(c) for c, p in (("byline", 0.6), ("time", 0.8), ("time", 0.3),
                                                         ("share", 0.4)) if rng.random() < p]
    head += [[line] for line in words.meta("head")]
    rng.shuffle(head)
    lines += [(line, "junk") for piece in head for line in piece]
    if rng.random() < 0.5:
        add("caption")
    for i, (kind, text) in enumerate(blocks):
        lines.append((_fold(text), "heading" if kind == "h" else "story"))
        if kind == "p" and i < len(blocks) - 1 and rng.random() < 0.3:
            add(rng.choice(["ad", "related", "caption", "share", "follow", "newsletter", "extra"]))
    tail = [c for c, p in (("tags", 0.4), ("share", 0.5), ("follow", 0.3), ("comments", 0.4), ("relist", 0.5),
                           ("newsletter", 0.3), ("extra", 0.3)) if rng.random() < (p if select_all else p / 2)]
    pieces = [words.block(c) for c in tail] + [[line] for line in words.meta("tail")]
    rng.shuffle(pieces)
    lines += [(line, "junk") for piece in pieces for line in piece]
    if select_all:
        for _ in range(rng.randint(1, 2)):
            add("footer")
    return _case(split, story["lang"], lines, blank_lines=rng.random() < 0.5)


def _case(split: str, lang: str, lines: list[tuple[str, str]], blank_lines: bool = False) -> Case:
    story, headings, section = [], [], None
    for text, label in lines:
        if label == "heading":
            section = text
            headings.append(text)
        elif label == "story":
            story.append((_fold(text), section))
    title = next(text for text, label in lines if label == "title")
    return Case(split, lang, ("\n\n" if blank_lines else "\n").join(t for t, _ in lines), title, story, headings)


_BLOCK_TAGS = {"p", "div", "h1", "h2", "h3", "h4", "h5", "h6", "li", "ul", "ol", "header", "footer", "nav", "main",
               "article", "aside", "section", "figure", "figcaption", "blockquote", "tr", "br", "title"}


def _inner_text(element: lxml.html.HtmlElement) -> str:
    """Roughly what a browser copies: block elements on lines of their own, inline text run together."""
    out: list[str] = []

    def walk(e: lxml.html.HtmlElement) -> None:
        if e.tag in ("script", "style", "head") or not isinstance(e.tag, str):
            return
        block = e.tag in _BLOCK_TAGS
        out.append("\n" if block else "")
        out.append(" ".join((e.text or "").split()) + (" " if (e.text or "").endswith((" ", "\n")) else ""))
        for child in e:
            walk(child)
            if child.tail and child.tail.strip():
                out.append(" " + " ".join(child.tail.split()) + " ")
        out.append("\n" if block else "")

    walk(element)
    return re.sub(r"[ \t]+", " ", "".join(out))


def html_cases() -> list[Case]:
    """The sample page of the tests, rendered to text as lxml and as a browser would."""
    body = lxml.html.fromstring((REPO / "tests/data/news_page.html").read_text()).find("body")
    cases = []
    for text in (body.text_content(), _inner_text(body)):
        labelled = []
        for line in (line.strip() for line in text.splitlines()):
            if not line:
                continue
            if line.startswith(("Two North Korean", "The men told", "Seoul says the")):
                labelled.append((line, "story"))
            elif line == "Captured North Korean soldiers ask to go to Seoul":
                labelled.append((line, "title"))
            elif line == "Fears of punishment":
                labelled.append((line, "heading"))
            else:
                labelled.append((line, "junk"))
        cases.append(_case("html", "en", labelled))
    return cases


def build_cases(data: Path, pages_per_split: int | None = None) -> list[Case]:
    """Stories alternate between the two splits (no story is in both), each wrapped in its split's wording."""
    rng = random.Random(20251121)
    stories = load_stories(data, rng)
    rng.shuffle(stories)
    cases, seen = [], Counter()
    for story in stories:
        split = "tune" if seen[story["lang"]] % 2 == 0 else "held-out"
        seen[story["lang"]] += 1
        cases.append(make_page(story, split, rng))
        if split == "held-out":
            cases.append(clean_page(story))
    if pages_per_split is not None:
        cases = [c for split in ("tune", "held-out", "clean") for c in [c for c in cases if c.split == split][
            :pages_per_split]]
    return cases + html_cases()


def clean_page(story: dict) -> Case:
    """The story alone (title, headings, paragraphs): what cleaning costs when there is nothing to clean."""
    lines = [(story["title"], "title")] + [(_fold(text), "heading" if kind == "h" else "story")
                                            for kind, text in story["blocks"]]
    return _case("clean", story["lang"], lines)


# --- the parsers compared -----------------------------------------------------------------------------------------

_OLD_BOILERPLATE = frozenset(line.casefold() for line in (
    "Others are reading now", "Also read", "Read also", "Read more", "Read next", "See also", "Advertisement",
    "Sponsored", "Related", "Related articles", "Related stories", "Most read", "Share this article", "Share",
    "Follow us", "Subscribe", "Continue reading", "Recommended", "Watch", "More on this story", "Top stories",
    "Trending", "ADVERTISEMENT", "Click here"))
_OLD_META = re.compile(r"^\s*(?:(?:sources?|outlets?|published|date|url)\s*:|https?://\S+\s*$)", re.IGNORECASE)


def parse_before(text: str) -> tuple[str, list[tuple[str, str | None]]]:
    """The plain-text parser as it was before issue 14: first line the title, a fixed English stoplist, and every
    short line without end punctuation a heading."""
    lines = [" ".join(line.split()) for line in text.splitlines() if line.strip()]
    paragraphs, section = [], None
    for line in lines[1:]:
        if _OLD_META.match(line) or line.casefold() in _OLD_BOILERPLATE:
            continue
        if len(line) <= 60 and len(line.split()) <= 6 and not line.endswith(
                (".", "!", "?", ":", ";", ",", "\"", "”", "’", "'", ")")):
            section = line
        else:
            paragraphs.append((line, section))
    return lines[0], paragraphs


def parse_now(text: str) -> tuple[str, list[tuple[str, str | None]]]:
    try:
        article = parse_text(text, "x", SENT)
    except ArticleError:
        return "", []
    return article.title, [(p.text, p.section) for p in article.paragraphs]


PARSERS: dict[str, Callable[[str], tuple[str, list[tuple[str, str | None]]]]] = {
    "before": parse_before, "cleaning": parse_now}


# --- scores ---------------------------------------------------------------------------------------------------

@dataclass
class Score:
    pages: int = 0
    kept: int = 0
    story: int = 0
    right: int = 0          # kept paragraphs that are the story's
    junk_headings: int = 0  # section headings that are not a real heading of the story
    headings: int = 0       # real headings of the stories ...
    headings_found: int = 0  # ... that became the section of what follows them
    titles: int = 0

    def add(self, case: Case, title: str, paragraphs: list[tuple[str, str | None]]) -> None:
        gold, kept = Counter(t for t, _ in case.story), Counter(_fold(t) for t, _ in paragraphs)
        sections = {s for _, s in paragraphs if s}
        self.pages += 1
        self.kept += sum(kept.values())
        self.story += sum(gold.values())
        self.right += sum((gold & kept).values())
        self.junk_headings += len(sections - set(case.headings))
        self.headings += len(set(case.headings))
        self.headings_found += len(sections & set(case.headings))
        self.titles += _fold(title) == _fold(case.title)

    def row(self) -> str:
        precision = self.right / self.kept if self.kept else 0.0
        recall = self.right / self.story if self.story else 0.0
        return (f"{self.pages:5d} {precision:6.3f} {recall:6.3f} {self.junk_headings:6d} "
                f"{self.headings_found:4d}/{self.headings:<4d} {self.titles / self.pages:6.2f}")


def evaluate(cases: list[Case]) -> dict[tuple[str, str], Score]:
    """(parser, group) → score; groups are the splits, and the held-out split by language."""
    scores: dict[tuple[str, str], Score] = {}
    for case in cases:
        groups = [case.split] + ([f"held-out {case.lang}"] if case.split == "held-out" else [])
        for name, parse in PARSERS.items():
            title, paragraphs = parse(case.text)
            for group in groups:
                scores.setdefault((name, group), Score()).add(case, title, paragraphs)
    return scores


HEADER = (f"{'split':16s} {'parser':9s} {'pages':>5s} {'P':>6s} {'R':>6s} {'junk h':>6s} {'real h':>9s} "
          f"{'title':>6s}")


def report(scores: dict[tuple[str, str], Score]) -> str:
    groups = list(dict.fromkeys(group for _, group in scores))
    order = [g for g in ("tune", "held-out", "clean", "html") if g in groups]
    order += [g for g in groups if g.startswith("held-out ")]
    lines = [HEADER]
    for group in order:
        for name in PARSERS:
            lines.append(f"{group:16s} {name:9s} {scores[name, group].row()}")
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data", type=Path, default=DATA)
    parser.add_argument("--pages-per-split", type=int, default=None, help="only the first N pages of each split")
    args = parser.parse_args()
    cases = build_cases(args.data, args.pages_per_split)
    story = sum(len(c.story) for c in cases)
    print(f"{len(cases)} pasted pages, {story} story paragraphs; P = kept paragraphs that are the story's, "
          "R = story paragraphs kept, junk h = section headings that are furniture, real h = real headings kept "
          "as headings, title = title right")
    print(report(evaluate(cases)))


if __name__ == "__main__":
    main()
