"""The search speed benchmark end to end on 10k real paragraphs (the full run is not part of CI)."""
from __future__ import annotations

import re
import subprocess
import sys

from tests.support.paths import REPO


def test_benchmark_runs_and_top10_equals_rank_bm25() -> None:
    out = subprocess.run(
        [sys.executable, "-m", "benchmarks.search_speed", "--paragraphs", "10000", "--no-bm25s", "--no-tantivy",
         "--passes", "1", "--squad-questions", "100", "--corpus-questions", "50", "--rank-bm25-queries", "20"],
        capture_output=True, text=True, check=True, timeout=300, cwd=REPO).stdout
    assert "top-10 ids and scores identical (==) to this project's on 20/20 sampled queries" in out
    assert re.search(r"20/20 added articles answered at once", out)
    assert re.search(r"same answer compiled: True", out)
    assert re.search(r"^  this project\s+[\d.]+", out, re.M) and "projected to 10M paragraphs" in out
