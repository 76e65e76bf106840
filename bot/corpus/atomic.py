"""Crash-safe file writes, shared by the corpus and the saved index: a reader (or a restart after a kill)
sees the old file or the complete new one, never a partial one."""
from __future__ import annotations

import os
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import BinaryIO


def write_atomically(path: Path, write: Callable[[BinaryIO], object], sync_dir: bool = True) -> None:
    """Write via a hidden temp file in the same folder, fsync, rename.

    `sync_dir=False` leaves the folder's fsync to the caller, so a batch of files pays for it once.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as handle:
            write(handle)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    if sync_dir:
        sync_folder(path.parent)


def sync_folder(folder: Path) -> None:
    """fsync a folder so a rename inside it survives a power cut."""
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
