"""The recency benchmark on the Reuters set as the README reports it, and the set is what its builder writes."""
from __future__ import annotations

import json
import subprocess
import sys

import pytest

from benchmarks.recency import LABELS, SET, measure, reuters_articles
from bot.search.engine import Engine
from bot.search.recency import TUNING
from bot.search.tokenizer import Tokenizer
from tests.support.paths import DATA, REPO

pytestmark = pytest.mark.skipif(not (DATA / "reuters21578").is_dir(), reason="needs ../shared/data")


def test_the_layer_puts_the_newest_report_first_and_respects_periods() -> None:
    data = json.loads(SET.read_text())
    labels = json.loads(LABELS.read_text())
    engine = Engine(reuters_articles(), Tokenizer("english"))
    alone, layer = (measure(engine, data, labels, tuning) for tuning in (None, TUNING))

    assert alone["plain: the right report first (84)"] < 0.3 < 0.5 < layer["plain: the right report first (84)"]
    assert layer["plain: moved to another figure's passage (84)"] == 0
    assert layer["latest: the right report first (84)"] > 0.6 > 0.3 > alone["latest: the right report first (84)"]
    assert layer["period: the period respected (84)"] > 0.9 > 0.6 > alone["period: the period respected (84)"]


def test_the_set_is_what_its_builder_writes(tmp_path) -> None:
    out = tmp_path / "set.json"
    subprocess.run([sys.executable, "-m", "benchmarks.recency_set", "--out", str(out)], check=True, cwd=REPO,
                   capture_output=True, timeout=300)
    assert json.loads(out.read_text()) == json.loads(SET.read_text())
