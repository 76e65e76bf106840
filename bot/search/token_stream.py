"""Many documents' tokens as one int32 array: the input of an index build, made on all cores.

Tokenizing a million paragraphs word by word in Python takes minutes. Here each text is split on whitespace
in C and each distinct chunk ("word,", "(1901)") goes through the regex, stemmer and stopwords once (a dict
with `__missing__`), so the per-word work left is a dict hit done by `map` in C. The tokens are exactly
`Tokenizer.__call__`'s, each text in its own language's analysis.
"""
from __future__ import annotations

import multiprocessing
import os
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from itertools import chain

import numpy as np

from .tokenizer import Tokenizer, analyzer, matches, pieces

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


class _Vocabulary:
    """Token → id in order of first use (the order a token-list build gives them), shared by every language."""

    def __init__(self) -> None:
        self.term_ids: dict[str, int] = {}
        self.tokens: list[str] = []

    def id(self, token: str | None) -> int:
        """The token's id, -1 for a stopword (None)."""
        if token is None:
            return -1
        value = self.term_ids.get(token)
        if value is None:
            value = self.term_ids[token] = len(self.tokens)
            self.tokens.append(token)
        return value


class _ChunkIds(dict):
    """Whitespace-separated chunk → its token ids (stopwords dropped), worked out on first sight.

    Tokens never span whitespace, so a chunk's tokens do not depend on its neighbours. One per language: the
    same chunk is other terms in another language.
    """

    def __init__(self, tokenizer: Tokenizer, vocabulary: _Vocabulary) -> None:
        super().__init__()
        self.tokenizer = tokenizer
        self.raw_ids: dict[str, tuple[int, ...]] = {}  # regex match → its ids (a run without spaces: several)
        self.vocabulary = vocabulary

    def __missing__(self, chunk: str) -> tuple[int, ...]:
        ids: list[int] = []
        for raw in matches(chunk):
            value = self.raw_ids.get(raw)
            if value is None:
                found = map(self.vocabulary.id, map(self.tokenizer.token, pieces(raw)))
                value = self.raw_ids[raw] = tuple(i for i in found if i >= 0)
            ids.extend(value)
        if len(self) > MAX_CACHED_CHUNKS:
            self.clear()
        value = self[chunk] = tuple(ids)
        return value


class _Encoder:
    """Texts → token ids, each text by its language's analysis (`tokenizer` for texts without one)."""

    def __init__(self, tokenizer: Tokenizer) -> None:
        self.vocabulary = _Vocabulary()
        self.default = tokenizer
        self.by_language: dict[str | None, _ChunkIds] = {}

    def chunk_ids(self, language: str | None) -> _ChunkIds:
        found = self.by_language.get(language)
        if found is None:
            tokenizer = self.default if language in (None, self.default.language) else analyzer(language)
            found = self.by_language[language] = _ChunkIds(tokenizer, self.vocabulary)
        return found

    def encode(self, texts: Sequence[str], languages: Sequence[str | None] | None) -> tuple[np.ndarray, np.ndarray]:
        """Ids and per-text lengths; runs of texts in one language (an article's paragraphs) are encoded together."""
        if languages is None:
            return _encode(texts, self.chunk_ids(None))
        parts = [_encode(texts[start:end], self.chunk_ids(language)) for start, end, language in _runs(languages)]
        if not parts:
            return np.empty(0, np.int32), np.empty(0, np.int64)
        return np.concatenate([p[0] for p in parts]), np.concatenate([p[1] for p in parts])


def _runs(languages: Sequence[str | None]) -> Iterator[tuple[int, int, str | None]]:
    """(start, end, language) of each run of equal languages."""
    start = 0
    for n in range(1, len(languages) + 1):
        if n == len(languages) or languages[n] != languages[start]:
            yield start, n, languages[start]
            start = n


def _encode(texts: Sequence[str], chunk_ids: _ChunkIds) -> tuple[np.ndarray, np.ndarray]:
    normalise = chunk_ids.tokenizer.normalise
    chunks = [normalise(text).split() for text in texts]
    per_chunk = list(map(chunk_ids.__getitem__, chain.from_iterable(chunks)))
    tokens_per_chunk = np.fromiter(map(len, per_chunk), dtype=np.int64, count=len(per_chunk))
    chunk_ends = np.cumsum(np.fromiter(map(len, chunks), dtype=np.int64, count=len(chunks)))
    token_ends = np.concatenate(([0], np.cumsum(tokens_per_chunk)))[chunk_ends]
    ids = np.fromiter(chain.from_iterable(per_chunk), dtype=np.int32, count=int(tokens_per_chunk.sum()))
    return ids, np.diff(token_ends, prepend=0)


# Set in the parent right before forking so the workers inherit the texts instead of receiving pickles.
_JOB: tuple[Sequence[str], Sequence[str | None] | None, Tokenizer] | None = None
_WORKER: _Encoder | None = None


def _task(bounds: tuple[int, int]) -> tuple[int, list[str], np.ndarray, np.ndarray]:
    """One slice of texts in a worker; returns the worker's tokens first seen in it along with the ids."""
    global _WORKER
    texts, languages, tokenizer = _JOB
    if _WORKER is None:
        _WORKER = _Encoder(tokenizer)
    known = len(_WORKER.vocabulary.tokens)
    start, end = bounds
    ids, lengths = _WORKER.encode(texts[start:end], None if languages is None else languages[start:end])
    return os.getpid(), _WORKER.vocabulary.tokens[known:], ids, lengths


def tokenize_texts(texts: Sequence[str], tokenizer: Tokenizer, processes: int | None = None,
                   languages: Sequence[str | None] | None = None) -> TokenStream:
    """Tokenize with `processes` forked workers (default: all cores); one process for small inputs. With
    `languages` (a code or None per text), each text is read in its language, `tokenizer` being the one for None
    and for its own language."""
    processes = processes or os.cpu_count() or 1
    if processes == 1 or len(texts) < 2 * CHUNK or "fork" not in multiprocessing.get_all_start_methods():
        encoder = _Encoder(tokenizer)
        ids, lengths = encoder.encode(texts, languages)
        return TokenStream(encoder.vocabulary.tokens, ids, lengths)
    global _JOB
    _JOB = (texts, languages, tokenizer)
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
