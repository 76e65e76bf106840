"""The project as a newcomer meets it: the README documents every command, and the package installs whole (its
language catalogs included)."""
from __future__ import annotations

import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

from bot.cli import build_parser
from bot.tg.i18n import LANGUAGES
from tests.support.paths import REPO


def test_every_subcommand_is_in_the_readme() -> None:
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    [subcommands] = [action for action in build_parser()._subparsers._group_actions]  # argparse's own record
    missing = [name for name in subcommands.choices if f"python -m bot {name}" not in readme]
    assert subcommands.choices and not missing


def test_a_built_wheel_holds_every_module(tmp_path: Path) -> None:
    """The editable install finds any file under bot/; a real install gets only what the packaging lists."""
    source = tmp_path / "source"  # a copy: building in the checkout would leave build/ behind
    shutil.copytree(REPO / "bot", source / "bot", ignore=shutil.ignore_patterns("__pycache__"))
    for name in ("pyproject.toml", "README.md"):
        shutil.copy(REPO / name, source / name)
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(tmp_path), str(source)],
                   check=True, capture_output=True, timeout=600)
    [wheel] = tmp_path.glob("*.whl")
    packed = set(zipfile.ZipFile(wheel).namelist())
    modules = {path.relative_to(REPO).as_posix() for path in (REPO / "bot").rglob("*.py")}
    assert modules and modules <= packed
    catalogs = {f"bot/tg/locales/{language}/LC_MESSAGES/newsbot.{kind}" for language in LANGUAGES
                for kind in ("mo", "po")}
    assert catalogs <= packed  # the bot's texts in every language, as gettext reads them
