"""Many documents' tokens as one int32 array: the input of an index build, made on all cores.

Tokenizing a million paragraphs word by word in Python takes minutes. Here each text is split on whitespace
in C and each distinct chunk ("word,", "(1901)") goes through the regex, stemmer and stopwords once (a dict
with `__missing__`), so the per-word work left is a dict hit done by `map` in C. The tokens are exactly
`Tokenizer.__call__`'s.
"""
from __future__ import annotations

import multiprocessing
import os
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from itertools import chain

import numpy as np

from .tokenizer import Tokenizer, matches, normalise, surface_word

CHUNK = 20_000  # texts per worker task: small enough that a task's word strings stay a few dozen MB
MAX_CACHED_CHUNKS = 2_000_000  # bounds a worker's cache (~300 MB); hits are what make tokenizing fast


@dataclass(frozen=True)
class TokenStream:
    """`vocabulary[ids[i]]` is token i; document d has the next `lengths[d]` tokens."""

    vocabulary: list[str]
    ids: np.ndarray  # int32
    lengths: np.ndarray  # int64

    @classmethod
    def from_documents(cls, documents: Iterable[Sequence[str]]) -> TokenStream:
        """From token lists (small corpora, tests, live adds): a plain Python loop."""
        term_ids: dict[str, int] = {}
        ids: list[int] = []
        lengths: list[int] = []
        for tokens in documents:
            lengths.append(len(tokens))
            ids.extend(term_ids.setdefault(t, len(term_ids)) for t in tokens)
        return cls(list(term_ids), np.asarray(ids, dtype=np.int32), np.asarray(lengths, dtype=np.int64))

    def documents(self) -> Iterator[list[str]]:
        """The token lists back (to feed reference libraries the very same tokens)."""
        vocabulary, start = self.vocabulary, 0
        for length in self.lengths.tolist():
            yield [vocabulary[i] for i in self.ids[start:start + length].tolist()]
            start += length


class _ChunkIds(dict):
    """Whitespace-separated chunk → its token ids (stopwords dropped), worked out on first sight.

    Tokens never span whitespace, so a chunk's tokens do not depend on its neighbours; ids are given in
    order of first use, which is the order a token-list build gives them.
    """

    def __init__(self, tokenizer: Tokenizer) -> None:
        super().__init__()
        self.tokenizer = tokenizer
        self.raw_ids: dict[str, int] = {}  # regex match → id, -1 for a stopword
        self.term_ids: dict[str, int] = {}
        self.vocabulary: list[str] = []

    def __missing__(self, chunk: str) -> tuple[int, ...]:
        ids = []
        for raw in matches(chunk):
            value = self.raw_ids.get(raw)
            if value is None:
                value = self.raw_ids[raw] = self._term_id(self.tokenizer.token(surface_word(raw)))
            if value >= 0:
                ids.append(value)
        if len(self) > MAX_CACHED_CHUNKS:
            self.clear()
        value = self[chunk] = tuple(ids)
        return value

    def _term_id(self, token: str | None) -> int:
        if token is None:
            return -1
        value = self.term_ids.get(token)
        if value is None:
            value = self.term_ids[token] = len(self.vocabulary)
            self.vocabulary.append(token)
        return value


def _encode(texts: Sequence[str], chunk_ids: _ChunkIds) -> tuple[np.ndarray, np.ndarray]:
    chunks = [normalise(text).split() for text in texts]
    per_chunk = list(map(chunk_ids.__getitem__, chain.from_iterable(chunks)))
    tokens_per_chunk = np.fromiter(map(len, per_chunk), dtype=np.int64, count=len(per_chunk))
    chunk_ends = np.cumsum(np.fromiter(map(len, chunks), dtype=np.int64, count=len(chunks)))
    token_ends = np.concatenate(([0], np.cumsum(tokens_per_chunk)))[chunk_ends]
    ids = np.fromiter(chain.from_iterable(per_chunk), dtype=np.int32, count=int(tokens_per_chunk.sum()))
    return ids, np.diff(token_ends, prepend=0)


# Set in the parent right before forking so the workers inherit the texts instead of receiving pickles.
_JOB: tuple[Sequence[str], Tokenizer] | None = None
_WORKER_IDS: _ChunkIds | None = None


def _task(bounds: tuple[int, int]) -> tuple[int, list[str], np.ndarray, np.ndarray]:
    """One slice of texts in a worker; returns the worker's tokens first seen in it along with the ids."""
    global _WORKER_IDS
    texts, tokenizer = _JOB
    if _WORKER_IDS is None:
        _WORKER_IDS = _ChunkIds(tokenizer)
    known = len(_WORKER_IDS.vocabulary)
    ids, lengths = _encode(texts[bounds[0]:bounds[1]], _WORKER_IDS)
    return os.getpid(), _WORKER_IDS.vocabulary[known:], ids, lengths


def tokenize_texts(texts: Sequence[str], tokenizer: Tokenizer, processes: int | None = None) -> TokenStream:
    """Tokenize with `processes` forked workers (default: all cores); one process for small inputs."""
    processes = processes or os.cpu_count() or 1
    if processes == 1 or len(texts) < 2 * CHUNK or "fork" not in multiprocessing.get_all_start_methods():
        chunk_ids = _ChunkIds(tokenizer)
        ids, lengths = _encode(texts, chunk_ids)
        return TokenStream(chunk_ids.vocabulary, ids, lengths)
    global _JOB
    _JOB = (texts, tokenizer)
    term_ids: dict[str, int] = {}
    remaps: dict[int, np.ndarray] = {}  # worker pid → worker id → global id
    parts, part_lengths = [], []
    try:
        with multiprocessing.get_context("fork").Pool(processes) as pool:
            bounds = [(s, min(s + CHUNK, len(texts))) for s in range(0, len(texts), CHUNK)]
            for pid, new_tokens, ids, lengths in pool.imap(_task, bounds):
                new_ids = np.fromiter((term_ids.setdefault(t, len(term_ids)) for t in new_tokens),
                                      dtype=np.int32, count=len(new_tokens))
                remaps[pid] = np.concatenate((remaps.get(pid, np.empty(0, np.int32)), new_ids))
                parts.append(remaps[pid][ids])
                part_lengths.append(lengths)
    finally:
        _JOB = None
    return TokenStream(list(term_ids), np.concatenate(parts), np.concatenate(part_lengths))
