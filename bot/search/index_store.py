"""A saved index on disk: `.npy` arrays mapped into memory, a vocabulary file and a manifest.

The manifest is written last and names each file with its size and CRC-32, the format version, the
parameters and a fingerprint of the corpus the index was built from. Files carry a generation in their
name, so a crash while saving leaves the previous manifest and its files intact. Anything that does not
match — missing, truncated, corrupt, another format, another corpus — makes `load` return None (the
caller rebuilds); a saved index is never trusted on faith and never crashes the bot.
"""
from __future__ import annotations

import json
import logging
import uuid
import zlib
from pathlib import Path

import numpy as np

from ..corpus.atomic import sync_folder, write_atomically

FORMAT = 3  # 3: postings as doc ids + 16-bit codes (tf, quantised impact), a big-tf table
MANIFEST = "manifest.json"
log = logging.getLogger(__name__)


def save(folder: Path, arrays: dict[str, np.ndarray], terms: list[str], meta: dict, fingerprint: str) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    generation = uuid.uuid4().hex[:12]
    files = {}
    for name, array in arrays.items():
        files[name] = _write(folder / f"{name}.{generation}.npy",
                             lambda h, a=array: np.save(h, np.ascontiguousarray(a)))
    terms_blob = json.dumps(terms, ensure_ascii=False).encode()
    files["terms"] = _write(folder / f"terms.{generation}.json", lambda h: h.write(terms_blob))
    manifest = {"format": FORMAT, "fingerprint": fingerprint, "meta": meta, "files": files}
    _write(folder / MANIFEST, lambda h: h.write(json.dumps(manifest, indent=1).encode()))
    sync_folder(folder)
    keep = {entry["file"] for entry in files.values()} | {MANIFEST}
    for path in folder.iterdir():
        if path.name not in keep:
            path.unlink(missing_ok=True)


def load(folder: Path, fingerprint: str, params: dict) -> tuple[dict[str, np.ndarray], list[str], dict] | None:
    """(arrays, terms, meta) when every check passes, else None (with the reason logged: a warning when a saved
    index could not be used, a plain note when there is none yet, as on the first start)."""
    if not (folder / MANIFEST).is_file():
        log.info("no saved index in %s yet: building the index", folder)
        return None
    try:
        manifest = json.loads((folder / MANIFEST).read_text(encoding="utf-8"))
        if manifest.get("format") != FORMAT:
            return _reject(folder, f"format {manifest.get('format')!r}, expected {FORMAT}")
        if manifest.get("fingerprint") != fingerprint:
            return _reject(folder, "made by another analysis (tokenizer version, fallback language or stopwords)")
        meta = manifest["meta"]
        if any(meta.get(key) != value for key, value in params.items()):
            return _reject(folder, "built with other parameters")
        arrays, terms = {}, None
        for name, entry in manifest["files"].items():
            path = folder / Path(entry["file"]).name
            if path.stat().st_size != entry["bytes"]:
                return _reject(folder, f"{path.name} has the wrong size")
            if name == "terms":
                blob = path.read_bytes()
                if zlib.crc32(blob) != entry["crc32"]:
                    return _reject(folder, f"{path.name} is corrupt")
                terms = json.loads(blob)
                continue
            array = np.load(path, mmap_mode="c", allow_pickle=False)  # copy-on-write: writable, never written
            if _crc32_file(path) != entry["crc32"]:
                return _reject(folder, f"{path.name} is corrupt")
            arrays[name] = array
        if terms is None or not _consistent(arrays, terms):
            return _reject(folder, "arrays do not fit together")
        return arrays, terms, meta
    except (OSError, ValueError, KeyError, TypeError, AttributeError) as exc:
        return _reject(folder, f"unreadable: {exc}")


def _consistent(arrays: dict[str, np.ndarray], terms: list[str]) -> bool:
    offsets, docs, big_pos = arrays["offsets"], arrays["docs"], arrays["big_pos"]
    return (len(offsets) == len(terms) + 1 == len(arrays["df"]) + 1 == len(arrays["max_impact"]) + 1
            and int(offsets[0]) == 0 and int(offsets[-1]) == len(docs) == len(arrays["codes"])
            and bool(np.all(offsets[1:] >= offsets[:-1]))
            and len(arrays["doc_len"]) == len(arrays["alive"]) and len(big_pos) == len(arrays["big_tf"])
            and (not len(big_pos) or (int(big_pos.min()) >= 0 and int(big_pos.max()) < len(docs)))
            and (not len(docs) or (int(docs.min()) >= 0 and int(docs.max()) < len(arrays["doc_len"]))))


def _reject(folder: Path, reason: str) -> None:
    log.warning("saved index in %s not used (%s); rebuilding", folder, reason)
    return None


def _write(path: Path, write) -> dict:
    """temp file + fsync + rename (the folder is synced once, after the manifest); returns the manifest entry."""
    write_atomically(path, write, sync_dir=False)
    return {"file": path.name, "bytes": path.stat().st_size, "crc32": _crc32_file(path)}


def _crc32_file(path: Path) -> int:
    crc = 0
    with path.open("rb") as handle:
        while block := handle.read(1 << 24):
            crc = zlib.crc32(block, crc)
    return crc
