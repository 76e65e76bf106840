"""BM25 over token lists, stored as postings in numpy arrays.

Scores are exactly those of rank-bm25's `BM25Okapi` on the same tokens (same idf with its epsilon floor
for negative idf, same k1/b defaults, repeated query tokens counted each time), but a query only touches
the postings of its own terms instead of scanning every document in Python.
"""
from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence

import numpy as np

K1 = 1.5
B = 0.75
EPSILON = 0.25


class BM25Index:
    """Immutable BM25 index over documents given as token lists; documents are numbered from 0."""

    def __init__(self, documents: Iterable[Sequence[str]], k1: float = K1, b: float = B, epsilon: float = EPSILON):
        self.k1, self.b, self.epsilon = k1, b, epsilon
        vocabulary: dict[str, int] = {}
        term_ids: list[int] = []
        doc_ids: list[int] = []
        freqs: list[int] = []
        lengths: list[int] = []
        for doc_id, tokens in enumerate(documents):
            lengths.append(len(tokens))
            for term, tf in Counter(tokens).items():
                term_ids.append(vocabulary.setdefault(term, len(vocabulary)))
                doc_ids.append(doc_id)
                freqs.append(tf)
        self.vocabulary = vocabulary
        self.doc_len = np.asarray(lengths, dtype=np.float64)
        self.size = len(lengths)
        self.avgdl = float(self.doc_len.sum() / self.size) if self.size else 0.0

        terms = np.asarray(term_ids, dtype=np.int64)
        order = np.argsort(terms, kind="stable")
        self.postings_docs = np.asarray(doc_ids, dtype=np.int32)[order]
        tf = np.asarray(freqs, dtype=np.float64)[order]
        counts = np.bincount(terms, minlength=len(vocabulary))
        self.offsets = np.concatenate(([0], np.cumsum(counts))).astype(np.int64)
        self.idf = self._idf(counts)
        # The term-frequency part of BM25 depends only on the posting, so it is computed once here.
        norm = k1 * (1 - b + b * self.doc_len[self.postings_docs] / self.avgdl) if self.size else tf
        self.postings_tf = tf * (k1 + 1) / (tf + norm)

    def _idf(self, doc_freq: np.ndarray) -> np.ndarray:
        """rank-bm25's idf: log((N - n + 0.5) / (n + 0.5)); negative values become epsilon × mean idf."""
        n = doc_freq.astype(np.float64)
        idf = np.log(self.size - n + 0.5) - np.log(n + 0.5)
        if len(idf):
            idf[idf < 0] = self.epsilon * (sum(idf.tolist()) / len(idf))
        return idf

    def term_idf(self, term: str) -> float:
        """idf of a term, 0 for one the index has never seen (as rank-bm25 does)."""
        term_id = self.vocabulary.get(term)
        return 0.0 if term_id is None else float(self.idf[term_id])

    def scores(self, query: Sequence[str]) -> np.ndarray:
        """Score of every document, the array rank-bm25's `get_scores` returns."""
        scores = np.zeros(self.size)
        for term in query:
            term_id = self.vocabulary.get(term)
            if term_id is None:
                continue
            start, end = self.offsets[term_id], self.offsets[term_id + 1]
            scores[self.postings_docs[start:end]] += self.idf[term_id] * self.postings_tf[start:end]
        return scores

    def top_k(self, query: Sequence[str], k: int, exclude: np.ndarray | None = None) -> list[tuple[int, float]]:
        """The k best documents with a positive score, best first; `exclude` is a boolean mask of removed ones."""
        scores = self.scores(query)
        if exclude is not None:
            scores[exclude] = 0.0
        candidates = np.flatnonzero(scores > 0)
        if len(candidates) > k:
            candidates = candidates[np.argpartition(-scores[candidates], k - 1)[:k]]
        ranked = candidates[np.lexsort((candidates, -scores[candidates]))]
        return [(int(doc), float(scores[doc])) for doc in ranked]
