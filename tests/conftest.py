"""Shared fixtures: the real first article, the shared data folder, a corpus folder in a temp dir."""
from __future__ import annotations

import shutil
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
SHARED = REPO.parent / "shared"
FIRST_ARTICLE_TXT = SHARED / "000_4b92a0998539b9f3.txt"
DATA = SHARED / "data"


@pytest.fixture
def corpus_dir(tmp_path: Path) -> Path:
    """A copy of the repo's corpus/ that a test may change freely."""
    target = tmp_path / "corpus"
    shutil.copytree(REPO / "corpus", target, ignore=shutil.ignore_patterns(".*"))
    return target
