"""Shared fixtures: a corpus folder in a temp dir."""
from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from tests.support.paths import REPO


@pytest.fixture
def corpus_dir(tmp_path: Path) -> Path:
    """A copy of the repo's corpus/ that a test may change freely."""
    target = tmp_path / "corpus"
    shutil.copytree(REPO / "corpus", target, ignore=shutil.ignore_patterns(".*"))
    return target
