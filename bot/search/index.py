"""BM25 over token lists: an immutable numpy main segment, a small live segment, deletions as a bitmap.

Scores are exactly those of rank-bm25's `BM25Okapi` built on the documents alive now (same idf with its
epsilon floor over the mean idf of the terms alive documents hold, same avgdl, same arithmetic in the same
order, repeated query tokens counted each time). Removed documents keep their id (ids are never reused, so
callers' numbering stays valid); they score 0 and N, df and avgdl no longer count them.

`top_k` is exact but prunes (MaxScore): terms are taken from the highest score upper bound down; once the
bounds of the terms not yet read cannot lift an unseen document over the k-th best score found, the long
postings of common terms are only probed for the few candidates left instead of being scanned.
"""
from __future__ import annotations

import math
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path

import numpy as np

from . import index_store
from .token_stream import TokenStream

# The bot's parameters, fitted on SQuAD v1.1 dev (docs/quality.md); rank-bm25's defaults are 1.5 / 0.75.
K1 = 0.9
B = 0.6
EPSILON = 0.25
EXHAUSTIVE_POSTINGS = 20_000  # below this many postings pruning costs more calls than it saves
THETA_UPDATES = 3  # exact k-th score estimates per query: the first terms read decide it, later ones rarely
_SLACK = 1e-9  # relative margin on upper bounds: float sums in another order may differ in the last bits


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
        stream = documents if isinstance(documents, TokenStream) else TokenStream.from_documents(documents)
        self.k1, self.b, self.epsilon = k1, b, epsilon
        self.notes: object = None  # see save
        self.term_ids = {t: i for i, t in enumerate(stream.vocabulary)}
        offsets, docs, tf = _postings(stream.ids, stream.lengths, len(stream.vocabulary))
        self._set_main(offsets, docs, tf, stream.lengths.astype(np.float64),
                       np.ones(len(stream.lengths), dtype=bool), np.diff(offsets))

    @classmethod
    def from_stream(cls, stream: TokenStream, k1: float = K1, b: float = B, epsilon: float = EPSILON) -> BM25Index:
        return cls(stream, k1, b, epsilon)

    def _set_main(self, offsets: np.ndarray, docs: np.ndarray, tf: np.ndarray, doc_len: np.ndarray,
                  alive: np.ndarray, df: np.ndarray, max_impact: np.ndarray | None = None,
                  impacts: np.ndarray | None = None, impact_avgdl: float | None = None) -> None:
        """Install a main segment (built or loaded) and an empty live segment."""
        self.offsets, self.docs, self.tf = offsets, docs, tf
        self.count = self.main_count = len(doc_len)
        self.doc_len = np.array(doc_len, dtype=np.float64)
        self.alive = np.array(alive, dtype=bool)
        self.df = np.array(df, dtype=np.int64)
        self.live: dict[int, tuple[list[int], list[int]]] = {}  # term id → (doc ids, tfs) of added docs
        self.live_terms: dict[int, list[tuple[int, int]]] = {}  # added doc → its (term id, tf)
        self._live_arrays: dict[int, tuple[np.ndarray, np.ndarray]] = {}
        self._refresh_stats()
        if max_impact is None:
            impact = self._impacts(docs, tf.astype(np.float64))
            max_impact = np.maximum.reduceat(impact, offsets[:-1]) if len(docs) else np.zeros(len(offsets) - 1)
            impacts = (impact * (1 + 1e-6)).astype(np.float32)  # rounded up: a bound, read without arithmetic
            impact_avgdl = self.avgdl
        self.max_impact, self.impacts, self.impact_avgdl = max_impact, impacts, impact_avgdl
        self._buffer = np.zeros(self.count)
        self._marks = np.zeros(self.count, dtype=np.int64)

    # --- statistics -------------------------------------------------------------------------------------

    def _refresh_stats(self) -> None:
        """N, avgdl and the per-document length norm over alive documents (rank-bm25's expressions)."""
        alive_len = self.doc_len[:self.count][self.alive[:self.count]]
        self.size = len(alive_len)
        self.avgdl = int(alive_len.sum()) / self.size if self.size else 0.0
        with np.errstate(divide="ignore", invalid="ignore"):
            self.norm = self.k1 * (1 - self.b + self.b * self.doc_len[:self.count] / self.avgdl)
        self._mean_idf: float | None = None

    def _impacts(self, docs: np.ndarray, tf: np.ndarray) -> np.ndarray:
        return tf * (self.k1 + 1) / (tf + self.norm[docs])

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

    def _postings(self, term_id: int) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
        """(main docs, main tfs, live docs, live tfs) of a term, docs ascending."""
        if term_id < len(self.offsets) - 1:
            start, end = self.offsets[term_id], self.offsets[term_id + 1]
            main = self.docs[start:end], self.tf[start:end]
        else:
            main = _EMPTY_DOCS, _EMPTY_TF
        live = self._live_arrays.get(term_id)
        if live is None and term_id in self.live:
            docs, tfs = self.live[term_id]
            live = self._live_arrays[term_id] = np.asarray(docs, np.int32), np.asarray(tfs, np.int32)
        return (*main, *(live or (_EMPTY_DOCS, _EMPTY_TF)))

    def _tf_of(self, term_id: int, candidates: np.ndarray) -> np.ndarray:
        """Term frequency of the term in each candidate, 0 where absent."""
        out = None
        for docs, tf in _pairs(self._postings(term_id)):
            pos = np.minimum(np.searchsorted(docs, candidates), len(docs) - 1)
            found = np.where(docs[pos] == candidates, tf[pos], 0).astype(np.float64)
            out = found if out is None else out + found
        return np.zeros(len(candidates)) if out is None else out

    def _query_terms(self, query: Sequence[str]) -> list[tuple[int, float]]:
        """(term id, idf) per query token in query order, tokens no alive document holds left out."""
        terms = []
        for token in query:
            term_id = self.term_ids.get(token)
            if term_id is not None and self.df[term_id] > 0:
                terms.append((term_id, self._idf(int(self.df[term_id]))))
        return terms

    # --- scoring ----------------------------------------------------------------------------------------

    def scores(self, query: Sequence[str]) -> np.ndarray:
        """Score of every document id (0 for removed ones): rank-bm25's `get_scores` on the alive ones."""
        scores = np.zeros(self.count)
        for term_id, idf in self._query_terms(query):
            for docs, tf in _pairs(self._postings(term_id)):
                scores[docs] += idf * self._impacts(docs, tf.astype(np.float64))
        scores[~self.alive[:self.count]] = 0.0
        return scores

    def _exact(self, terms: list[tuple[int, float]], candidates: np.ndarray) -> np.ndarray:
        """Scores of distinct candidates, summed in query order exactly as `scores` does."""
        total = np.zeros(len(candidates))
        norm = self.norm[candidates]
        tfs = {}
        for term_id, idf in terms:
            if term_id not in tfs:
                tfs[term_id] = self._tf_of(term_id, candidates)
            tf = tfs[term_id]
            total += idf * (tf * (self.k1 + 1) / (tf + norm))
        return total

    def _upper_bound(self, term_id: int, idf: float) -> float:
        """Highest score the term can add to one document, whatever avgdl has drifted to since the build."""
        bound = 0.0
        if term_id < len(self.max_impact):
            # impact(avgdl) ≤ impact(built avgdl) × max(1, avgdl / built avgdl): the length norm scales at most so.
            bound = float(self.max_impact[term_id]) * max(1.0, self.avgdl / self.impact_avgdl) * (1 + 1e-6)
        if term_id in self.live:
            live_docs, live_tf = self._postings(term_id)[2:]
            bound = max(bound, float(self._impacts(live_docs, live_tf.astype(np.float64)).max()))
        return max(idf, 0.0) * bound

    def top_k(self, query: Sequence[str], k: int, exclude: np.ndarray | None = None) -> list[tuple[int, float]]:
        """The k best alive documents with a positive score, best first (ties: lower id first).

        `exclude` is an optional boolean mask over document ids to leave out as well.
        """
        terms = self._query_terms(query)
        if not terms or k <= 0:
            return []
        allowed = self.alive[:self.count] if exclude is None else self.alive[:self.count] & ~exclude[:self.count]
        if sum(self.df[t] for t, _ in terms) <= EXHAUSTIVE_POSTINGS:
            return self._top_k_exhaustive(terms, allowed, k)
        weight: dict[int, tuple[float, int]] = {}
        for term_id, idf in terms:
            w, n = weight.get(term_id, (idf, 0))
            weight[term_id] = (w, n + 1)
        bounds = sorted(((n * self._upper_bound(t, w), t, w, n) for t, (w, n) in weight.items()), reverse=True)
        rest = sum(bound for bound, *_ in bounds)
        theta = -math.inf
        drift = max(1.0, self.avgdl / self.impact_avgdl)
        buffer, touched = self._buffer, []
        try:
            for read, (bound, term_id, idf, n) in enumerate(bounds):
                # Partial scores here are upper bounds (stored impacts, drift-scaled): they only pick candidates.
                docs, _, live_docs, live_tf = self._postings(term_id)
                if len(docs):
                    start = self.offsets[term_id]
                    buffer[docs] += (n * max(idf, 0.0) * drift) * self.impacts[start:start + len(docs)]
                    touched.append(docs)
                if len(live_docs):
                    buffer[live_docs] += n * max(idf, 0.0) * self._impacts(live_docs, live_tf.astype(np.float64))
                    touched.append(live_docs)
                rest -= bound
                if rest * (1 + _SLACK) < theta:
                    break
                if read < THETA_UPDATES:
                    theta = max(theta, self._kth_score(terms, touched, allowed, k))
                    if rest * (1 + _SLACK) < theta:
                        break
            unread = bounds[read + 1:]
            seen = np.concatenate(touched)
            hopeful = self._distinct(seen[(buffer[seen] + rest) * (1 + _SLACK) >= theta])
            partial = buffer[hopeful]
        finally:
            for docs in touched:
                buffer[docs] = 0.0
        # Complete the survivors term by term, dropping each one as soon as it can no longer reach theta.
        for bound, term_id, idf, n in unread:
            if not len(hopeful):
                break
            tf = self._tf_of(term_id, hopeful)
            partial += n * idf * (tf * (self.k1 + 1) / (tf + self.norm[hopeful]))
            rest -= bound
            keep = (partial + rest) * (1 + _SLACK) >= theta
            hopeful, partial = hopeful[keep], partial[keep]
        candidates = hopeful[allowed[hopeful]]
        return _best(candidates, self._exact(terms, candidates), k)

    def _top_k_exhaustive(self, terms: list[tuple[int, float]], allowed: np.ndarray,
                          k: int) -> list[tuple[int, float]]:
        """Few postings: score them all (fewer numpy calls than pruning); sums in query order as `scores`."""
        buffer, touched = self._buffer, []
        try:
            for term_id, idf in terms:
                for docs, tf in _pairs(self._postings(term_id)):
                    buffer[docs] += idf * self._impacts(docs, tf.astype(np.float64))
                    touched.append(docs)
            candidates = self._distinct(np.concatenate(touched))
            scores = buffer[candidates]
        finally:
            for docs in touched:
                buffer[docs] = 0.0
        keep = allowed[candidates]
        return _best(candidates[keep], scores[keep], k)

    def _distinct(self, docs: np.ndarray) -> np.ndarray:
        """Each doc once, in linear time (np.unique sorts): the last write of a position wins per doc."""
        positions = np.arange(len(docs))
        self._marks[docs] = positions
        return docs[self._marks[docs] == positions]

    def _kth_score(self, terms: list[tuple[int, float]], touched: list[np.ndarray], allowed: np.ndarray,
                   k: int) -> float:
        """A lower bound of the k-th best score: exact scores of the best candidates by partial score."""
        seen = np.concatenate(touched)
        take = min(len(seen), 4 * k + 16)
        best = seen[np.argpartition(-self._buffer[seen], take - 1)[:take]] if take < len(seen) else seen
        best = self._distinct(best)
        best = best[allowed[best]]
        if len(best) < k:
            return -math.inf
        return float(np.partition(self._exact(terms, best), len(best) - k)[len(best) - k])

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
            for term_id, _ in self.live_terms[doc]:
                self.df[term_id] += 1
        self.count += len(ids)
        self._refresh_stats()
        return [doc for doc, _ in ids]

    def _grow(self, docs: int, terms: int) -> None:
        """Capacity doubling so adds stay cheap; arrays past `count` / the vocabulary are unused."""
        if docs > len(self.doc_len):
            size = max(docs, 2 * len(self.doc_len))
            self.doc_len = np.concatenate((self.doc_len, np.zeros(size - len(self.doc_len))))
            self.alive = np.concatenate((self.alive, np.zeros(size - len(self.alive), dtype=bool)))
            self._buffer = np.zeros(size)
            self._marks = np.zeros(size, dtype=np.int64)
        if terms > len(self.df):
            self.df = np.concatenate((self.df, np.zeros(max(terms, 2 * len(self.df)) - len(self.df), np.int64)))

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
        main = doomed[doomed < self.main_count]
        if len(main) and len(self.docs):
            gone = np.zeros(self.main_count, dtype=np.int64)
            gone[main] = 1
            per_term = np.add.reduceat(gone[self.docs], self.offsets[:-1])
            per_term[np.diff(self.offsets) == 0] = 0
            self.df[:len(per_term)] -= per_term
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
        order = np.argsort(terms, kind="stable")  # main docs precede live ones, so docs stay ascending
        docs = np.concatenate((self.docs, np.fromiter((d for _, (ds, _) in live for d in ds), np.int32)))[order]
        tf = np.concatenate((self.tf.astype(np.int32), np.fromiter((f for _, (_, fs) in live for f in fs), np.int32)))
        offsets = np.zeros(len(self.term_ids) + 1, dtype=np.int64)
        np.cumsum(np.bincount(terms, minlength=len(self.term_ids)), out=offsets[1:])
        tf = tf[order]
        self._set_main(offsets, docs, tf.astype(np.uint16 if tf.max() < 2 ** 16 else np.int32),
                       self.doc_len[:self.count], self.alive[:self.count], self.df[:len(self.term_ids)])

    def save(self, folder: Path, fingerprint: str = "", notes: object = None) -> None:
        """Write the index (live segment merged first) so `load` can map it back in a fraction of a build.
        `notes`: the caller's JSON-able description of the documents, given back by `load` as `notes`."""
        self.compact()
        arrays = {"offsets": self.offsets, "docs": self.docs, "tf": self.tf, "doc_len": self.doc_len[:self.count],
                  "alive": self.alive[:self.count], "df": self.df[:len(self.term_ids)], "max_impact": self.max_impact,
                  "impacts": self.impacts}
        meta = {"k1": self.k1, "b": self.b, "epsilon": self.epsilon, "impact_avgdl": self.impact_avgdl,
                "notes": notes}
        index_store.save(folder, arrays, list(self.term_ids), meta, fingerprint)

    @classmethod
    def load(cls, folder: Path, fingerprint: str = "", k1: float = K1, b: float = B,
             epsilon: float = EPSILON) -> BM25Index | None:
        """The saved index if it is intact, of this format, this corpus and these parameters; else None."""
        saved = index_store.load(folder, fingerprint, {"k1": k1, "b": b, "epsilon": epsilon})
        if saved is None:
            return None
        arrays, terms, meta = saved
        index = cls.__new__(cls)
        index.k1, index.b, index.epsilon = k1, b, epsilon
        index.term_ids = {t: i for i, t in enumerate(terms)}
        arrays = {name: array.view(np.ndarray) for name, array in arrays.items()}  # memmap slicing is slow
        index._set_main(arrays["offsets"], arrays["docs"], arrays["tf"], arrays["doc_len"], arrays["alive"],
                        arrays["df"], arrays["max_impact"], arrays["impacts"], meta["impact_avgdl"])
        index.notes = meta.get("notes")
        return index

_EMPTY_DOCS = np.empty(0, np.int32)
_EMPTY_TF = np.empty(0, np.int32)


def _pairs(postings: tuple[np.ndarray, ...]) -> Iterator[tuple[np.ndarray, np.ndarray]]:
    """(docs, tfs) of the main then the live segment, skipping empty ones."""
    for docs, tf in ((postings[0], postings[1]), (postings[2], postings[3])):
        if len(docs):
            yield docs, tf


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
