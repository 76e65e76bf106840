"""The paste-cleaning benchmark on a slice of its pages (the full run prints the README's table)."""
from __future__ import annotations

import pytest

from benchmarks.paste_cleaning import build_cases, evaluate
from tests.support.paths import DATA


@pytest.mark.skipif(not (DATA / "bbc-news").is_dir(), reason="needs ../shared/data")
def test_cleaning_keeps_the_story_and_drops_most_furniture_on_held_out_pages() -> None:
    scores = evaluate(build_cases(DATA, pages_per_split=40))
    now, before = scores["cleaning", "held-out"], scores["before", "held-out"]

    assert now.pages == before.pages == 40
    assert now.right / now.kept > 0.93 > before.right / before.kept
    assert now.right / now.story > 0.95
    assert now.junk_headings * 5 < before.junk_headings
    assert scores["cleaning", "html"].right == scores["cleaning", "html"].story == 6
