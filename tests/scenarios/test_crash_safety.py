"""SIGKILL the admin side at random moments, again and again: the corpus must always load cleanly,
every confirmed change must be there, and nothing half-written may appear; a paste killed mid-join or an article
killed mid-edit is finished by the next start, from what the inbox kept."""
from __future__ import annotations

import json
import os
import random
import signal
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

from bot.corpus.folder import scan_corpus
from bot.curation import Curator
from bot.inbox import Inbox
from bot.search.engine import Engine
from tests.support.paths import REPO
from tests.support.scores import live_scores

ROUNDS = int(os.environ.get("CRASH_ROUNDS", "50"))
QUERIES = ("army border", "ceasefire vote treaty", "drone harbour minister", "refugee sanction election")


def expected_ids(log: list[str], start: set[str]) -> tuple[set[str], set[str], int]:
    """Ids that must exist, ids the unfinished last operation may have touched, and how many new
    articles it may have stored (their ids are only printed once it is done)."""
    present, pending, new = set(start), set(), 0
    for line in log:
        words = line.split()
        if words[0] == "BEGIN":
            # An undo may restore a removed article; a start builds what the inbox left half-joined.
            pending, new = set(words[2:]), {"add": 1, "import": 20, "join": 1, "undo": 1, "load": 2}.get(words[1], 0)
            continue
        pending, new = set(), 0
        if words[1] in ("add", "import", "undo", "join", "load"):
            present.update(words[2:])
        elif words[1] in ("remove", "undo-add") and len(words) > 2:
            present.discard(words[2])
    return present, pending, new


def test_random_sigkills_never_corrupt_or_lose_the_corpus(corpus_dir: Path) -> None:
    rng = random.Random(7)
    present = {a.id for a in scan_corpus(corpus_dir).articles}
    kills_mid_operation = operations = 0
    killed_during: Counter[str] = Counter()
    half_saved = 0  # kills that left an index save unfinished
    for round_number in range(ROUNDS):
        # The worker answers through numpy: loading the compiled kernels in the background would take the CPU
        # from the operations whose interruption this test is after (and it writes nothing).
        worker = subprocess.Popen([sys.executable, "-m", "tests.support.crash_worker", str(corpus_dir),
                                   str(round_number)], stdout=subprocess.PIPE, text=True, cwd=REPO,
                                  env={**os.environ, "NEWSBOT_NUMBA": "0"})
        # Start the clock once it is working, so a slow start (a loaded CI machine) does not eat the window.
        before = []  # what it did before READY (a round that saves says READY after its start)
        while (line := worker.stdout.readline()) and line.strip() != "READY":
            before.append(line.strip())
        assert line, "the worker ended without READY"
        time.sleep(rng.uniform(0.05, 0.4))
        worker.send_signal(signal.SIGKILL)
        log = before + [line for line in worker.communicate()[0].splitlines() if line.strip()]
        kills_mid_operation += bool(log) and log[-1].startswith("BEGIN")

        must, maybe, new = expected_ids(log, present)
        scan = scan_corpus(corpus_dir)
        found = {a.id for a in scan.articles}
        assert scan.errors == {}, f"round {round_number}: unreadable files {scan.errors}"
        assert must - maybe <= found, f"round {round_number}: confirmed articles lost: {must - maybe - found}"
        unexplained = found - must - maybe
        assert len(unexplained) <= new, f"round {round_number}: unexpected articles {unexplained}"
        operations += sum(line.startswith("DONE") for line in log)
        if log and log[-1].startswith("BEGIN"):
            killed_during[log[-1].split()[1]] += 1
        present = found | assert_restart_finishes_the_inbox(corpus_dir, round_number)
        half_saved += _interrupted_save(corpus_dir / ".index")
        assert_index_agrees_with_corpus(corpus_dir, round_number)
    # Restarting cleans the temp files a kill left behind, and the engine answers from what is there.
    curator = Curator(corpus_dir, Engine.load(corpus_dir))
    assert not list(corpus_dir.glob(".*.tmp"))
    assert {a.id for a in curator.engine.articles} == present
    print(f"{ROUNDS} kills, {kills_mid_operation} in the middle of an operation ({dict(killed_during)}), "
          f"{half_saved} in the middle of an index save, {operations} operations done")
    assert kills_mid_operation > ROUNDS // 2
    assert killed_during["save"] >= 1  # index saves were cut short too (the rounds that only add and save)


def assert_restart_finishes_the_inbox(corpus_dir: Path, round_number: int) -> set[str]:
    """As the bot's start does: build what the inbox holds half-joined or half-edited. Then every article built
    from messages holds the text of their latest version. The ids this added."""
    curator = Curator(corpus_dir, Engine.load(corpus_dir))
    inbox = Inbox.in_dir(corpus_dir.parent / "var")
    try:
        outcomes = [inbox.build(group, curator) for group in inbox.unbuilt()]
        for group in inbox.built():
            article = curator.engine.article(group.article_id)
            if article is not None:
                assert [p.text for p in article.paragraphs] == [p.text for p in group.article().paragraphs], \
                    f"round {round_number}: {article.id} lost an edit"
    finally:
        inbox.close()
    return {o.added.article.id for o in outcomes if o.added}


def _interrupted_save(folder: Path) -> bool:
    """Whether the saved index's folder holds files its manifest does not list: a save was cut short."""
    try:
        listed = {entry["file"] for entry in json.loads((folder / "manifest.json").read_text())["files"].values()}
    except (OSError, ValueError):
        return folder.is_dir()
    return any(path.name not in listed | {"manifest.json"} for path in folder.iterdir())


def assert_index_agrees_with_corpus(corpus_dir: Path, round_number: int) -> None:
    """What a restart answers from (the saved index, brought up to date) scores like an index built afresh
    from the corpus files: a saved index half-written or stale is never trusted."""
    loaded = Engine.load(corpus_dir)
    fresh = Engine(scan_corpus(corpus_dir).articles)
    assert loaded.paragraph_count == fresh.paragraph_count, f"round {round_number}"
    for query in QUERIES:
        assert live_scores(loaded, query) == live_scores(fresh, query), f"round {round_number}: {query}"

