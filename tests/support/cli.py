"""`python -m bot …` run as a user runs it: in a subprocess, over a corpus folder, without Telegram settings."""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from tests.support.paths import REPO


def run_bot(*args: str, corpus: Path | None = None, stdin: str = "",
            env: dict[str, str] | None = None) -> subprocess.CompletedProcess:
    env = {**{k: v for k, v in os.environ.items() if not k.startswith("TELEGRAM_")}, **(env or {})}
    env["CORPUS_DIR"] = str(corpus or REPO / "corpus")
    return subprocess.run([sys.executable, "-m", "bot", *args], input=stdin, capture_output=True, text=True,
                          env=env, cwd=REPO, timeout=120)
