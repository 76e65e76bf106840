"""BM25 over token lists: an immutable main segment, a small live segment, deletions as a bitmap.

Scores are exactly those of rank-bm25's `BM25Okapi` built on the documents alive now (same idf with its
epsilon floor over the mean idf of the terms alive documents hold, same avgdl, same arithmetic in the same
order, repeated query tokens counted each time). Removed documents keep their id (ids are never reused, so
callers' numbering stays valid); they score 0 and N, df and avgdl no longer count them.

Main segment, per posting: the document (int32) and a 16-bit code — the term frequency in the top 4 bits
(15: "15 or more", the exact value in a small table) and a 12-bit quantised impact, an upper bound of the
posting's score read without arithmetic (see `kernels`). `top_k` is one compiled call (numba): bounds pick
the candidates (MaxScore for light questions, a dense pass for heavy ones), the survivors are scored exactly.
Until the kernels are loaded (they are compiled into numba's cache at install; loading them takes a fraction of
a second, in a background thread started with the first index) and for weights <= 0 (tiny corpora), an exact
numpy path gives the same answers.
"""
from __future__ import annotations

import logging
import math
import os
import threading
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path

import numpy as np

from . import index_store
from .token_stream import TokenStream

# The bot's parameters, fitted on SQuAD v1.1 dev (docs/quality.md); rank-bm25's defaults are 1.5 / 0.75.
K1 = 0.9
B = 0.6
EPSILON = 0.25
QMAX = 4095  # as kernels.QMAX, TF_SHIFT, TF_BIG (that module imports numba, this one must not wait for it)
TF_SHIFT = 12
TF_BIG = 15
CHUNK = 512  # kernels.CHUNK
log = logging.getLogger(__name__)


class _Kernels:
    """The compiled kernels, loaded once per process in a background thread; `module` is None until then."""

    module = None
    enabled = os.environ.get("NEWSBOT_NUMBA", "1") != "0"  # 0: numpy only (a platform without numba wheels)
    _thread: threading.Thread | None = None
    _lock = threading.Lock()

    @classmethod
    def start(cls) -> None:
        with cls._lock:
            if cls._thread is None and cls.enabled:
                cls._thread = threading.Thread(target=cls._load, name="bm25-kernels", daemon=True)
                cls._thread.start()

    @classmethod
    def _load(cls) -> None:
        try:
            from . import kernels

            kernels.warm_up()
            cls.module = kernels
        except Exception as exc:  # no numba, or it failed: the numpy path answers, slower
            log.warning("compiled BM25 kernels unavailable (%s); using numpy", exc)

    @classmethod
    def wait(cls, timeout: float | None = None):
        """The kernels, after waiting for them to load (None when disabled or unavailable)."""
        cls.start()
        if cls._thread is not None:
            cls._thread.join(timeout)
        return cls.module


def kernels_ready(timeout: float | None = 0.0) -> bool:
    """Whether top_k runs compiled (waiting up to `timeout` seconds for the kernels, None: as long as it takes)."""
    return _Kernels.wait(timeout) is not None


class Vocabulary:
    """Terms that alive documents contain (a term only removed documents held is no longer in it)."""

    def __init__(self, index: BM25Index) -> None:
        self._index = index

    def __contains__(self, term: object) -> bool:
        term_id = self._index.term_ids.get(term)
        return term_id is not None and self._index.df[term_id] > 0

    def __iter__(self) -> Iterator[str]:
        return (t for t, i in self._index.term_ids.items() if self._index.df[i] > 0)

    def __len__(self) -> int:
        return int(np.count_nonzero(self._index.df[:len(self._index.term_ids)]))


class BM25Index:
    """Documents are numbered from 0 in the order given (to the constructor, then to `add`)."""

    def __init__(self, documents: Iterable[Sequence[str]] = (), k1: float = K1, b: float = B,
                 epsilon: float = EPSILON) -> None:
        _Kernels.start()  # loads while the index is built
        stream = documents if isinstance(documents, TokenStream) else TokenStream.from_documents(documents)
        self.k1, self.b, self.epsilon = k1, b, epsilon
        self.notes: object = None  # see save
        self.term_ids = {t: i for i, t in enumerate(stream.vocabulary)}
        offsets, docs, tf = _postings(stream.ids, stream.lengths, len(stream.vocabulary))
        lengths = stream.lengths.astype(np.int32)
        avgdl = int(stream.lengths.sum()) / len(lengths) if len(lengths) else 0.0
        self._set_main(offsets, docs, lengths, np.ones(len(lengths), dtype=bool), np.diff(offsets),
                       *self._encode(offsets, docs, tf, lengths, avgdl))

    @classmethod
    def from_stream(cls, stream: TokenStream, k1: float = K1, b: float = B, epsilon: float = EPSILON) -> BM25Index:
        return cls(stream, k1, b, epsilon)

    def _set_main(self, offsets: np.ndarray, docs: np.ndarray, doc_len: np.ndarray, alive: np.ndarray,
                  df: np.ndarray, codes: np.ndarray, big_pos: np.ndarray, big_tf: np.ndarray,
                  max_impact: np.ndarray, impact_avgdl: float) -> None:
        """Install a main segment (built or loaded) and an empty live segment."""
        self.offsets, self.docs, self.codes = offsets, docs, codes
        self.big_pos, self.big_tf = big_pos, big_tf  # positions (ascending) and tfs of postings with tf >= 15
        self.max_impact, self.impact_avgdl = max_impact, impact_avgdl
        self.count = self.main_count = len(doc_len)
        spare = max(64, self.count // 32)  # room for live adds before the per-document arrays are copied
        self.doc_len = _extended(np.asarray(doc_len, np.int32), self.count + spare)
        self.alive = _extended(np.asarray(alive, bool), self.count + spare)
        self.df = _extended(np.asarray(df, np.int32), len(df) + spare)
        self._scratch()
        self.live: dict[int, tuple[list[int], list[int]]] = {}  # term id → (doc ids, tfs) of added docs
        self.live_terms: dict[int, list[tuple[int, int]]] = {}  # added doc → its (term id, tf)
        self._live_arrays: dict[int, tuple[np.ndarray, np.ndarray]] = {}
        alive_len = self.doc_len[:self.count][self.alive[:self.count]]
        self.size, self._total_len = len(alive_len), int(alive_len.sum(dtype=np.int64))
        self._refresh_stats()

    def _scratch(self) -> None:
        """The kernels' per-document work arrays (zeroed; one past the end for branch-free appends)."""
        self._acc = np.zeros(-(-(len(self.doc_len) + 1) // CHUNK) * CHUNK, np.float32)  # whole chunks
        self._touched = np.zeros(len(self.doc_len) + 1, np.int32)

    def _encode(self, offsets: np.ndarray, docs: np.ndarray, tf: np.ndarray, doc_len: np.ndarray,
                avgdl: float) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray, float]:
        """Postings' codes (tf field, quantised impact at `avgdl`), the big-tf table, each term's highest
        impact, and `avgdl`."""
        exact = tf.astype(np.float64)
        with np.errstate(divide="ignore", invalid="ignore"):
            impact = exact * (self.k1 + 1) / (exact + self.k1 * (1 - self.b + self.b * doc_len[docs] / avgdl))
        del exact
        lengths = np.diff(offsets)
        max_impact = np.zeros(len(lengths))
        filled = lengths > 0
        if len(docs):
            max_impact[filled] = np.maximum.reduceat(impact, offsets[:-1][filled])
        with np.errstate(divide="ignore", invalid="ignore"):
            per_quantum = np.where(max_impact > 0, QMAX / max_impact, 0.0)
        impact *= np.repeat(per_quantum, lengths)
        codes = np.minimum(impact, QMAX).astype(np.uint16)  # floor: q·scale <= impact < (q + 1)·scale
        del impact
        codes |= np.minimum(tf, TF_BIG).astype(np.uint16) << TF_SHIFT
        big_pos = np.flatnonzero(tf >= TF_BIG)
        return codes, big_pos, tf[big_pos].astype(np.int32), max_impact, avgdl

    # --- statistics -------------------------------------------------------------------------------------

    def _refresh_stats(self) -> None:
        """avgdl over alive documents (rank-bm25's expression); N and the total length are kept up to date."""
        self.avgdl = self._total_len / self.size if self.size else 0.0
        self._mean_idf: float | None = None

    def _norm(self, docs: np.ndarray) -> np.ndarray:
        return self.k1 * (1 - self.b + self.b * self.doc_len[docs] / self.avgdl)

    def _impacts(self, docs: np.ndarray, tf: np.ndarray) -> np.ndarray:
        return tf * (self.k1 + 1) / (tf + self._norm(docs))

    @property
    def vocabulary(self) -> Vocabulary:
        return Vocabulary(self)

    def _idf(self, df: int) -> float:
        idf = math.log(self.size - df + 0.5) - math.log(df + 0.5)
        if idf >= 0:
            return idf
        if self._mean_idf is None:
            n = self.df[:len(self.term_ids)]
            n = n[n > 0].astype(np.float64)
            self._mean_idf = float(np.sum(np.log(self.size - n + 0.5) - np.log(n + 0.5))) / len(n)
        return self.epsilon * self._mean_idf

    def document_frequency(self, term: str) -> int:
        """Alive documents holding `term`."""
        term_id = self.term_ids.get(term)
        return 0 if term_id is None else int(self.df[term_id])

    def term_idf(self, term: str) -> float:
        """idf of a term, 0 for one no alive document holds (as rank-bm25 does)."""
        term_id = self.term_ids.get(term)
        return 0.0 if term_id is None or self.df[term_id] == 0 else self._idf(int(self.df[term_id]))

    # --- postings ---------------------------------------------------------------------------------------

    def _main_tf(self, start: int, end: int) -> np.ndarray:
        """Exact term frequencies of main postings start:end."""
        tf = self.codes[start:end] >> TF_SHIFT
        lo, hi = np.searchsorted(self.big_pos, (start, end))
        if hi > lo:
            tf = tf.astype(np.int32)
            tf[self.big_pos[lo:hi] - start] = self.big_tf[lo:hi]
        return tf

    def _live_postings(self, term_id: int) -> tuple[np.ndarray, np.ndarray]:
        live = self._live_arrays.get(term_id)
        if live is None:
            docs, tfs = self.live.get(term_id, ((), ()))
            live = self._live_arrays[term_id] = np.asarray(docs, np.int32), np.asarray(tfs, np.int32)
        return live

    def _postings(self, term_id: int) -> Iterator[tuple[np.ndarray, np.ndarray]]:
        """(docs ascending, exact tfs) of a term: its main postings, then its live ones; empty parts skipped."""
        if term_id < len(self.offsets) - 1:
            start, end = int(self.offsets[term_id]), int(self.offsets[term_id + 1])
            if end > start:
                yield self.docs[start:end], self._main_tf(start, end)
        if term_id in self.live:
            yield self._live_postings(term_id)

    def _query_terms(self, query: Sequence[str]) -> list[tuple[int, float]]:
        """(term id, idf) per query token in query order, tokens no alive document holds left out."""
        terms = []
        for token in query:
            term_id = self.term_ids.get(token)
            if term_id is not None and self.df[term_id] > 0:
                terms.append((term_id, self._idf(int(self.df[term_id]))))
        return terms

    # --- scoring ----------------------------------------------------------------------------------------

    def _accumulate(self, terms: list[tuple[int, float]]) -> tuple[np.ndarray, list[np.ndarray]]:
        """Exact scores of every document id (rank-bm25's arithmetic, query order) and the postings read."""
        scores = np.zeros(self.count)
        touched = []
        for term_id, idf in terms:
            for docs, tf in self._postings(term_id):
                scores[docs] += idf * self._impacts(docs, tf.astype(np.float64))
                touched.append(docs)
        return scores, touched

    def scores(self, query: Sequence[str]) -> np.ndarray:
        """Score of every document id (0 for removed ones): rank-bm25's `get_scores` on the alive ones."""
        scores, _ = self._accumulate(self._query_terms(query))
        scores[~self.alive[:self.count]] = 0.0
        return scores

    def top_k(self, query: Sequence[str], k: int, exclude: np.ndarray | None = None) -> list[tuple[int, float]]:
        """The k best alive documents with a positive score, best first (ties: lower id first).

        `exclude` is an optional boolean mask over document ids to leave out as well.
        """
        terms = self._query_terms(query)
        if not terms or k <= 0:
            return []
        kernels = _Kernels.module
        if kernels is not None:
            found = self._top_k_compiled(kernels, terms, int(k), exclude)
            if found is not None:
                return found
        return self._top_k_numpy(terms, k, exclude)

    def _top_k_numpy(self, terms: list[tuple[int, float]], k: int,
                     exclude: np.ndarray | None) -> list[tuple[int, float]]:
        """Every posting of the query scored exactly: the path while the kernels load, and for weights <= 0."""
        scores, touched = self._accumulate(terms)
        candidates = np.unique(np.concatenate(touched))
        keep = self.alive[candidates]
        if exclude is not None:
            keep &= ~_mask(exclude, self.count)[candidates]
        return _best(candidates[keep], scores[candidates[keep]], k)

    def _top_k_compiled(self, kernels, terms: list[tuple[int, float]], k: int,
                        exclude: np.ndarray | None) -> list[tuple[int, float]] | None:
        q_terms = np.fromiter((t for t, _ in terms), np.int64, len(terms))
        q_idf = np.fromiter((w for _, w in terms), np.float64, len(terms))
        l_ptr = np.zeros(len(terms) + 1, np.int64)
        l_docs = l_tf = _EMPTY_I32
        if self.live:
            parts = [self._live_postings(t) if t in self.live else (_EMPTY_I32, _EMPTY_I32) for t, _ in terms]
            if any(len(d) for d, _ in parts):
                np.cumsum([len(d) for d, _ in parts], out=l_ptr[1:])
                l_docs = np.concatenate([d for d, _ in parts])
                l_tf = np.concatenate([f for _, f in parts])
        ratio = self.avgdl / self.impact_avgdl if self.impact_avgdl else 1.0
        out_docs = np.empty(k, np.int64)
        out_scores = np.empty(k)
        n = kernels.top_k(self.offsets, self.docs, self.codes, self.big_pos, self.big_tf, self.max_impact,
                          self.doc_len, float(self.k1), float(self.b), float(self.avgdl), max(1.0, ratio),
                          min(1.0, ratio), self.main_count, self.count, q_terms, q_idf, l_ptr, l_docs, l_tf,
                          self.alive, _EMPTY_BOOL if exclude is None else _mask(exclude, self.count),
                          self.size != self.count, k, kernels.DENSE_SHARE, self._acc, self._touched, out_docs,
                          out_scores)
        if n < 0:
            return None
        return list(zip(out_docs[:n].tolist(), out_scores[:n].tolist(), strict=True))

    # --- live updates -----------------------------------------------------------------------------------

    def add(self, documents: Iterable[Sequence[str]]) -> list[int]:
        """Index more documents at once (live segment); returns their ids. Answerable right away."""
        ids = []
        for tokens in documents:
            doc = self.count + len(ids)
            counts: dict[int, int] = {}
            for token in tokens:
                term_id = self.term_ids.setdefault(token, len(self.term_ids))
                counts[term_id] = counts.get(term_id, 0) + 1
            self.live_terms[doc] = list(counts.items())
            for term_id, tf in counts.items():
                docs, tfs = self.live.setdefault(term_id, ([], []))
                docs.append(doc)
                tfs.append(tf)
                self._live_arrays.pop(term_id, None)
            ids.append((doc, len(tokens)))
        if not ids:
            return []
        self._grow(self.count + len(ids), len(self.term_ids))
        for doc, length in ids:
            self.doc_len[doc] = length
            self.alive[doc] = True
            self._total_len += length
            for term_id, _ in self.live_terms[doc]:
                self.df[term_id] += 1
        self.count += len(ids)
        self.size += len(ids)
        self._refresh_stats()
        return [doc for doc, _ in ids]

    def _grow(self, docs: int, terms: int) -> None:
        """Capacity doubling so adds stay cheap; arrays past `count` / the vocabulary are unused."""
        if docs > len(self.doc_len):
            size = max(docs, 2 * len(self.doc_len))
            self.doc_len = _extended(self.doc_len, size)
            self.alive = _extended(self.alive, size)
            self._scratch()
        if terms > len(self.df):
            self.df = _extended(self.df, max(terms, 2 * len(self.df)))

    def remove(self, doc_ids: Iterable[int]) -> None:
        """Drop documents from answers and statistics at once; unknown or already removed ids are ignored.

        A removed main-segment document needs one pass over the main postings to find its terms (~0.1 s at
        a million paragraphs); removals are rare admin actions, so no per-document term list is kept for them.
        """
        doomed = np.unique(np.asarray([d for d in doc_ids if 0 <= d < self.count], dtype=np.int64))
        doomed = doomed[self.alive[doomed]]
        if not len(doomed):
            return
        self.alive[doomed] = False
        self.size -= len(doomed)
        self._total_len -= int(self.doc_len[doomed].sum(dtype=np.int64))
        main = doomed[doomed < self.main_count]
        if len(main) and len(self.docs):
            gone = np.zeros(self.main_count, dtype=bool)
            gone[main] = True
            positions = np.flatnonzero(gone[self.docs])
            terms = np.searchsorted(self.offsets, positions, side="right") - 1
            self.df[:len(self.offsets) - 1] -= np.bincount(terms, minlength=len(self.offsets) - 1).astype(np.int32)
        for doc in doomed[doomed >= self.main_count].tolist():
            for term_id, _ in self.live_terms[doc]:
                self.df[term_id] -= 1
        self._refresh_stats()

    def compact(self) -> None:
        """Merge the live segment into a new main segment (ids unchanged; seconds at a million paragraphs)."""
        if not self.live:
            return
        live = sorted(self.live.items())
        live_terms = np.repeat(np.asarray([t for t, _ in live], np.int64), [len(d) for _, (d, _) in live])
        main_terms = np.repeat(np.arange(len(self.offsets) - 1), np.diff(self.offsets))
        terms = np.concatenate((main_terms, live_terms))
        del main_terms
        order = np.argsort(terms, kind="stable")  # main docs precede live ones, so docs stay ascending
        docs = np.concatenate((self.docs, np.fromiter((d for _, (ds, _) in live for d in ds), np.int32)))[order]
        tf = self._main_tf(0, len(self.docs)).astype(np.int32)
        tf = np.concatenate((tf, np.fromiter((f for _, (_, fs) in live for f in fs), np.int32)))[order]
        del order
        offsets = np.zeros(len(self.term_ids) + 1, dtype=np.int64)
        np.cumsum(np.bincount(terms, minlength=len(self.term_ids)), out=offsets[1:])
        doc_len, alive = self.doc_len[:self.count], self.alive[:self.count]
        self._set_main(offsets, docs, doc_len, alive, self.df[:len(self.term_ids)],
                       *self._encode(offsets, docs, tf, doc_len, self.avgdl))

    def save(self, folder: Path, fingerprint: str = "", notes: object = None) -> None:
        """Write the index (live segment merged first) so `load` can map it back in a fraction of a build.
        `notes`: the caller's JSON-able description of the documents, given back by `load` as `notes`."""
        self.compact()
        arrays = {"offsets": self.offsets, "docs": self.docs, "codes": self.codes, "big_pos": self.big_pos,
                  "big_tf": self.big_tf, "doc_len": self.doc_len[:self.count], "alive": self.alive[:self.count],
                  "df": self.df[:len(self.term_ids)], "max_impact": self.max_impact}
        meta = {"k1": self.k1, "b": self.b, "epsilon": self.epsilon, "impact_avgdl": self.impact_avgdl,
                "notes": notes}
        index_store.save(folder, arrays, list(self.term_ids), meta, fingerprint)

    @classmethod
    def load(cls, folder: Path, fingerprint: str = "", k1: float = K1, b: float = B,
             epsilon: float = EPSILON) -> BM25Index | None:
        """The saved index if it is intact, of this format, this corpus and these parameters; else None."""
        _Kernels.start()  # loads while the files are checked
        saved = index_store.load(folder, fingerprint, {"k1": k1, "b": b, "epsilon": epsilon})
        if saved is None:
            return None
        arrays, terms, meta = saved
        index = cls.__new__(cls)
        index.k1, index.b, index.epsilon = k1, b, epsilon
        index.term_ids = {t: i for i, t in enumerate(terms)}
        a = {name: array.view(np.ndarray) for name, array in arrays.items()}  # memmap slicing is slow
        index._set_main(a["offsets"], a["docs"], a["doc_len"], a["alive"], a["df"], a["codes"], a["big_pos"],
                        a["big_tf"], a["max_impact"], meta["impact_avgdl"])
        index.notes = meta.get("notes")
        return index


_EMPTY_I32 = np.empty(0, np.int32)
_EMPTY_BOOL = np.empty(0, bool)


def _extended(array: np.ndarray, size: int) -> np.ndarray:
    """A copy of `array` with zeros up to `size` elements."""
    out = np.zeros(size, array.dtype)
    out[:len(array)] = array
    return out


def _mask(exclude: np.ndarray, count: int) -> np.ndarray:
    """A boolean exclusion mask at least `count` long (a shorter one excludes nothing past its end)."""
    exclude = np.asarray(exclude, dtype=bool)
    return exclude if len(exclude) >= count else _extended(exclude, count)


def _best(candidates: np.ndarray, scores: np.ndarray, k: int) -> list[tuple[int, float]]:
    positive = scores > 0
    candidates, scores = candidates[positive], scores[positive]
    if len(candidates) > k:
        cut = np.partition(-scores, k - 1)[k - 1]
        keep = -scores <= cut
        candidates, scores = candidates[keep], scores[keep]
    order = np.lexsort((candidates, -scores))[:k]
    return [(int(candidates[i]), float(scores[i])) for i in order]


def _postings(ids: np.ndarray, lengths: np.ndarray, vocabulary_size: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Token stream → (term offsets, doc ids, term frequencies), term-major and docs ascending per term."""
    n_docs = len(lengths)
    doc_of = np.repeat(np.arange(n_docs, dtype=np.int64), lengths)
    keys = ids.astype(np.int64) * max(n_docs, 1) + doc_of
    del doc_of
    keys.sort()
    starts = np.flatnonzero(np.concatenate(([True], keys[1:] != keys[:-1]))) if len(keys) else np.empty(0, np.int64)
    tf = np.diff(np.append(starts, len(keys)))
    unique = keys[starts]
    del keys
    terms, docs = np.divmod(unique, max(n_docs, 1))
    offsets = np.zeros(vocabulary_size + 1, dtype=np.int64)
    np.cumsum(np.bincount(terms, minlength=vocabulary_size), out=offsets[1:])
    tf_type = np.uint16 if len(tf) and tf.max() < 2 ** 16 else np.int32
    return offsets, docs.astype(np.int32), tf.astype(tf_type)
