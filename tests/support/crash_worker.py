"""Runs admin operations on a corpus in a loop (adds, removes, undos, bulk imports, index saves, long pastes
joined from two parts, edits of them, and restarts that bring the saved index up to date and finish what the
inbox holds half-built), logging BEGIN/DONE lines, until the test SIGKILLs it.

Usage: python -m tests.support.crash_worker CORPUS_DIR SEED
"""
from __future__ import annotations

import json
import random
import sys
import tempfile
from pathlib import Path

from bot.corpus.importing import article_from_text
from bot.curation import Curator
from bot.inbox import ADD, Inbox
from bot.search import detect
from bot.search.engine import Engine

WORDS = "army border ceasefire drone election harbour minister parliament refugee sanction treaty vote".split()


def say(*parts: object) -> None:
    print(*parts, flush=True)


def text(rng: random.Random) -> str:
    title = " ".join(rng.choices(WORDS, k=4)).capitalize() + f" {rng.randrange(10**9)}"
    body = "\n".join(" ".join(rng.choices(WORDS, k=12)).capitalize() + "." for _ in range(rng.randint(1, 6)))
    return f"{title}\n{body}\nSources: Wire"


def inbox_of(corpus_dir: Path) -> Inbox:
    return Inbox.in_dir(corpus_dir.parent / "var")


def restart(corpus_dir: Path) -> Curator:
    """As the bot starts: load the corpus and its saved index, bring the index up to date and save it, and
    build what the inbox holds half-joined or half-edited."""
    say("BEGIN load")
    curator = Curator(corpus_dir, Engine.load(corpus_dir))
    inbox = inbox_of(corpus_dir)
    built = [inbox.build(group, curator) for group in inbox.unbuilt()]
    inbox.close()
    say("DONE load", *sorted(o.added.article.id for o in built if o.added and not o.added.duplicate_of))
    return curator


def main(corpus_dir: Path, seed: int) -> None:
    rng = random.Random(seed)
    # Every tenth round only adds and saves, its clock started once the start is over, so that some kills surely
    # land in the middle of an index save (a save takes milliseconds: among the other operations, and after a
    # start that loads the lemma table, a kill rarely meets one).
    saving = seed % 10 == 9
    detect.load()  # as the bot's warm-up does: the language model's one-time load is no operation to kill
    if not saving:
        say("READY")
    curator = restart(corpus_dir)
    inbox = inbox_of(corpus_dir)
    if saving:
        curator.engine.warm_up()
        say("READY")
    ops = ["add", "save"] if saving else ["add", "add", "remove", "undo", "import", "save", "load", "join", "edit"]
    while True:
        op = rng.choice(ops)
        ids = [a.id for a in curator.engine.articles]
        if op == "add":
            say("BEGIN add")
            say("DONE add", curator.add(article_from_text(text(rng))).article.id)
        elif op == "remove" and ids:
            victim = rng.choice(ids)
            say("BEGIN remove", victim)
            curator.remove(victim)
            say("DONE remove", victim)
        elif op == "undo":
            say("BEGIN undo", *ids)  # an undo may take back any add (its id is unknown until it is done)
            result = curator.undo()
            say("DONE", "undo-add" if result and result.action == "add" else "undo", result.article.id if result
                else "")
        elif op == "join":  # a long paste in two messages, as the bot stores and joins them
            chat, first = rng.randrange(1, 10**6), rng.randrange(1, 10**6)
            body = text(rng).split("\n")
            say("BEGIN join")
            group_id = inbox.open(ADD, chat, first, "\n".join(body[:2]), {}, "worker", chat)
            inbox.append(group_id, chat, first + 1, "\n".join(body[2:]), complete=True)
            outcome = inbox.build(inbox.group(group_id), curator)
            say("DONE join", outcome.added.article.id if outcome.added else "")
        elif op == "edit" and (built := inbox.built()):
            group = rng.choice(built)
            message_id, old = group.parts[-1]
            say("BEGIN edit", group.article_id)
            new_text = old.replace(".", f" {rng.randrange(10**9)}.", 1)
            edited = inbox.edit(int(group.id.split("/")[0]), message_id, new_text)
            inbox.build(edited, curator)
            say("DONE edit", group.article_id)
        elif op == "save":
            say("BEGIN save")
            curator.engine.save_index()
            say("DONE save")
        elif op == "load":
            curator = restart(corpus_dir)
        elif op == "import":
            lines = [json.dumps({"title": t.split("\n")[0], "text": "\n\n".join(t.split("\n")[1:-1])})
                     for t in (text(rng) for _ in range(rng.randint(2, 20)))]
            with tempfile.NamedTemporaryFile("w", suffix=".jsonl", delete=False) as handle:
                handle.write("\n".join(lines))
            say("BEGIN import")
            curator.import_path(Path(handle.name))
            Path(handle.name).unlink()
            say("DONE import", *sorted(a.id for a in curator.engine.articles if a.id not in ids))


if __name__ == "__main__":
    main(Path(sys.argv[1]), int(sys.argv[2]))
