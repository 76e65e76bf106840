"""Where things are: the repository, and `../shared` beside it (the first article and the data sets)."""
from __future__ import annotations

from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
SHARED = REPO.parent / "shared"
FIRST_ARTICLE_TXT = SHARED / "000_4b92a0998539b9f3.txt"
DATA = SHARED / "data"
TEST_DATA = REPO / "tests" / "data"
