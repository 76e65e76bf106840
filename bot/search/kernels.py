"""The BM25 index's top-k as one compiled call per question (numba), exact to the last bit of rank-bm25's scores.

Each posting stores its document (int32) and a 16-bit code: the term frequency in the top 4 bits (15 means "15 or
more: see the big-tf table", rare in paragraphs) and in the low 12 bits a quantised impact q = floor(impact /
(max impact of the term / 4095)), the impact being rank-bm25's tf·(k1+1)/(tf+norm) at the avgdl of the build.
For a question, W·(q+1) with W = idf·max/4095·drift·(1+1e-6) is an upper bound of a posting's exact
contribution (drift = max(1, avgdl now / avgdl at the build) covers live adds and removes), read without any
arithmetic but a multiply; sums of these bounds (a float32 accumulator) only choose candidates:

- light questions: MaxScore — terms from the highest bound down, until the terms left cannot lift an unseen
  document into the k best; the remaining terms are probed (galloping) for the candidates still in the race;
- heavier questions (postings above count / DENSE_SHARE): every posting added, then one pass over the
  accumulator in chunks of 512 documents: a vectorised maximum skips a chunk below the running k-th bound (or
  untouched), and the documents of the others at or above it are collected without branches.

The survivors are then scored exactly — in query order, with rank-bm25's arithmetic, from the true tf — and
every document whose bound reaches the k-th exact score is scored, so the top k (ties: lower id first) are
rank-bm25's, not an approximation. A question with a weight ≤ 0 (degenerate tiny corpora) returns -1: the
caller's exact numpy path answers it.

`python -m bot.search.kernels` compiles the kernels into numba's cache (the install step of the Makefile runs it),
so a start loads them in a fraction of a second instead of compiling for ~10 s.
"""
from __future__ import annotations

import numpy as np
from numba import njit

QMAX = 4095  # quantised impacts: the low 12 bits of a posting's code
TF_SHIFT = 12
TF_BIG = 15  # the tf field saturates here; the exact tf is in the big-tf table
DENSE_SHARE = 64  # a question with more than count / DENSE_SHARE postings takes the dense path (measured: 16-1024)
SLACK = 1e-5  # relative margin on bounds: float32 sums and the drift factors' rounding
GALLOP_COST = 16  # probing a candidate costs about as much as scanning this many postings
CHUNK = 512  # documents per skip test of the dense pass
_UP = 1 + 1e-6  # bounds rounded up
_DOWN = 1 - 1e-6


@njit(cache=True, nogil=True)
def _lower_bound(a, lo, hi, x):
    while lo < hi:
        mid = (lo + hi) >> 1
        if a[mid] < x:
            lo = mid + 1
        else:
            hi = mid
    return lo


@njit(cache=True, nogil=True)
def _gallop(a, lo, hi, x):
    """First position >= lo of a[lo:hi] (ascending) holding a value >= x."""
    if lo >= hi or a[lo] >= x:
        return lo
    step = 1
    prev = lo
    while lo + step < hi and a[lo + step] < x:
        prev = lo + step
        step <<= 1
    return _lower_bound(a, prev + 1, min(lo + step, hi), x)


@njit(cache=True, nogil=True)
def _tf(codes, p, big_pos, big_tf):
    f = codes[p] >> TF_SHIFT
    if f == TF_BIG:
        return float(big_tf[_lower_bound(big_pos, 0, len(big_pos), p)])
    return float(f)


@njit(cache=True, nogil=True)
def _exact(offsets, docs, codes, big_pos, big_tf, doc_len, k1, b, avgdl, main_count, q_terms, q_idf,
           l_ptr, l_docs, l_tf, sel):
    """Exact scores of the ascending documents `sel`: query order and arithmetic of rank-bm25's get_scores."""
    n_main = len(offsets) - 1
    k1p1 = k1 + 1
    omb = 1 - b
    scores = np.zeros(len(sel))
    for qi in range(len(q_terms)):
        t = q_terms[qi]
        w = q_idf[qi]
        lo = offsets[t] if t < n_main else 0
        hi = offsets[t + 1] if t < n_main else 0
        p = lo
        lp = l_ptr[qi]
        lhi = l_ptr[qi + 1]
        for i in range(len(sel)):
            d = sel[i]
            if d < main_count:
                p = _gallop(docs, p, hi, d)
                if p < hi and docs[p] == d:
                    f = _tf(codes, p, big_pos, big_tf)
                    scores[i] += w * (f * k1p1 / (f + k1 * (omb + b * doc_len[d] / avgdl)))
            else:
                lp = _gallop(l_docs, lp, lhi, d)
                if lp < lhi and l_docs[lp] == d:
                    f = float(l_tf[lp])
                    scores[i] += w * (f * k1p1 / (f + k1 * (omb + b * doc_len[d] / avgdl)))
    return scores


@njit(cache=True, nogil=True)
def _allowed(d, alive, exclude, has_exclude):
    return alive[d] and not (has_exclude and exclude[d])


@njit(cache=True, nogil=True)
def _push(hv, hd, size, k, v, d):
    """Keep the k largest values (and their docs) in a min-heap; returns the new size."""
    if size < k:
        pos = size
        size += 1
        while pos > 0 and hv[(pos - 1) >> 1] > v:
            parent = (pos - 1) >> 1
            hv[pos] = hv[parent]
            hd[pos] = hd[parent]
            pos = parent
        hv[pos] = v
        hd[pos] = d
    elif v > hv[0]:
        pos = 0
        while True:
            child = 2 * pos + 1
            if child >= size:
                break
            if child + 1 < size and hv[child + 1] < hv[child]:
                child += 1
            if hv[child] < v:
                hv[pos] = hv[child]
                hd[pos] = hd[child]
                pos = child
            else:
                break
        hv[pos] = v
        hd[pos] = d
    return size


@njit(cache=True, nogil=True)
def _kth(acc, touched, nt, alive, exclude, check, k, hv, hd):
    """k-th largest accumulator value over the allowed documents of touched[:nt]; -inf when fewer than k."""
    has_exclude = len(exclude) > 0
    size = 0
    for i in range(nt):
        d = touched[i]
        if check and not _allowed(d, alive, exclude, has_exclude):
            continue
        size = _push(hv, hd, size, k, acc[d], d)
    return hv[0] if size == k else -np.inf


@njit(cache=True, nogil=True)
def _best_k(scores, sel, k, out_docs, out_scores):
    """The k best (score descending, id ascending) positive scores into out_*; returns how many."""
    n = 0
    for i in range(len(sel)):
        s = scores[i]
        d = sel[i]
        if not s > 0:
            continue
        pos = n
        while pos > 0 and (out_scores[pos - 1] < s or (out_scores[pos - 1] == s and out_docs[pos - 1] > d)):
            if pos < k:
                out_scores[pos] = out_scores[pos - 1]
                out_docs[pos] = out_docs[pos - 1]
            pos -= 1
        if pos < k:
            out_scores[pos] = s
            out_docs[pos] = d
            if n < k:
                n += 1
    return n


@njit(cache=True, nogil=True)
def _finish(offsets, docs, codes, big_pos, big_tf, doc_len, k1, b, avgdl, main_count, q_terms, q_idf,
            l_ptr, l_docs, l_tf, acc, cand, nc, hd, size, k, out_docs, out_scores):
    """cand[:nc] (ascending) hold every document that can be in the top k, acc their complete bounds, hd[:size]
    the k best by bound. Their exact scores give a k-th score; every candidate whose bound reaches it is
    scored exactly. Clears acc of the candidates."""
    first = np.sort(hd[:size])
    first_scores = _exact(offsets, docs, codes, big_pos, big_tf, doc_len, k1, b, avgdl, main_count, q_terms,
                          q_idf, l_ptr, l_docs, l_tf, first)
    if size < k:
        for i in range(nc):
            acc[cand[i]] = 0
        return _best_k(first_scores, first, k, out_docs, out_scores)
    cut = first_scores.min() * (1 - SLACK)
    kept = 0
    for i in range(nc):
        d = cand[i]
        if acc[d] >= cut:
            cand[kept] = d
            kept += 1
        acc[d] = 0
    if kept == size:
        return _best_k(first_scores, first, k, out_docs, out_scores)
    sel = cand[:kept].copy()
    scores = _exact(offsets, docs, codes, big_pos, big_tf, doc_len, k1, b, avgdl, main_count, q_terms, q_idf,
                    l_ptr, l_docs, l_tf, sel)
    return _best_k(scores, sel, k, out_docs, out_scores)


@njit(cache=True, nogil=True)
def _dense(offsets, docs, codes, big_pos, big_tf, doc_len, k1, b, avgdl, main_count, count, q_terms, q_idf,
           l_ptr, l_docs, l_tf, alive, exclude, check, k, acc, touched, out_docs, out_scores,
           ut, W, WL, slot, m, err):
    """Heavy questions: every posting's bound added without bookkeeping, then one pass over acc[:count]."""
    n_main = len(offsets) - 1
    k1p1 = k1 + 1
    omb = 1 - b
    has_exclude = len(exclude) > 0
    for j in range(m):
        t = ut[j]
        w = np.float32(W[j])
        if t < n_main:
            for p in range(offsets[t], offsets[t + 1]):
                acc[docs[p]] += w * np.float32((codes[p] & QMAX) + 1)
        wl = np.float32(WL[j])
        s = slot[j]
        for p in range(l_ptr[s], l_ptr[s + 1]):
            d = l_docs[p]
            f = float(l_tf[p])
            acc[d] += wl * np.float32(f * k1p1 / (f + k1 * (omb + b * doc_len[d] / avgdl)))
    bits = acc.view(np.int32)  # non-negative float32s order as their bit patterns: an integer max vectorises
    hv = np.empty(k, np.float32)
    hd = np.empty(k, np.int64)
    size = 0
    nc = 0
    floor = -np.inf  # a document whose bound is below it cannot be in the top k
    floor_bits = np.int32(1)  # of floor, rounded down (1: the smallest positive float32, so zeros are left out)
    fb = np.zeros(1, np.float32)
    picked = np.empty(CHUNK + 1, np.int64)
    for c in range(0, count, CHUNK):
        # acc holds whole chunks (zeros past count); unsigned indices spare the wraparound test, so this vectorises
        base = np.uint64(c)
        mx = np.int32(0)
        for i in range(CHUNK):
            v = bits[base + np.uint64(i)]
            mx = v if v > mx else mx
        if mx < floor_bits:  # nothing touched, or nothing that can reach the top k
            continue
        found = np.uint64(0)  # the chunk's documents at or above the floor, collected without branches
        for i in range(CHUNK):
            picked[found] = i
            found += np.uint64(bits[base + np.uint64(i)] >= floor_bits)
        for i in range(found):
            d = c + picked[i]
            v = acc[d]
            if v < floor:  # it rose meanwhile
                continue
            if check and not _allowed(d, alive, exclude, has_exclude):
                continue
            touched[nc] = d
            nc += 1
            size = _push(hv, hd, size, k, v, d)
            if size == k:
                floor = (hv[0] - err) * (1 - SLACK)
                fb[0] = floor * _DOWN if floor > 0 else 0.0
                floor_bits = max(fb.view(np.int32)[0], np.int32(1))
    if size == 0:
        acc[:count] = 0
        return 0
    # the kept candidates are ascending (scan order); _finish clears only them, the rest of acc is cleared here
    n = _finish(offsets, docs, codes, big_pos, big_tf, doc_len, k1, b, avgdl, main_count, q_terms, q_idf,
                l_ptr, l_docs, l_tf, acc, touched, nc, hd, size, k, out_docs, out_scores)
    acc[:count] = 0
    return n


@njit(cache=True, nogil=True)
def top_k(offsets, docs, codes, big_pos, big_tf, max_impact, doc_len, k1, b, avgdl, hi_drift, lo_drift,
          main_count, count, q_terms, q_idf, l_ptr, l_docs, l_tf, alive, exclude, check, k, dense_share,
          acc, touched, out_docs, out_scores):
    """The k best documents into out_docs / out_scores; returns how many, or -1 for a weight <= 0.

    q_terms / q_idf: each query token's term id and idf in query order; l_ptr[i]:l_ptr[i+1] its live postings
    (l_docs ascending, l_tf). check: whether alive / exclude must be read (exclude empty for none).
    acc (float32, zeros) has whole CHUNKs past count, touched (int32) count + 1 elements; acc is left zeroed."""
    n_main = len(offsets) - 1
    k1p1 = k1 + 1
    omb = 1 - b
    q = len(q_terms)
    ut = np.empty(q, np.int64)  # distinct terms, their summed weight and first query position
    uw = np.zeros(q)
    slot = np.empty(q, np.int64)
    m = 0
    for i in range(q):
        t = q_terms[i]
        j = 0
        while j < m and ut[j] != t:
            j += 1
        if j == m:
            ut[m] = t
            slot[m] = i
            m += 1
        uw[j] += q_idf[i]
    W = np.zeros(m)  # bound per quantum of a main posting
    WL = np.zeros(m)  # bound factor of a live posting's exact impact
    E = np.zeros(m)  # how far W·(q+1) may exceed the exact contribution
    ub = np.zeros(m)  # bound of the term's contribution to one document
    total = 0
    for j in range(m):
        if not uw[j] > 0:
            return -1
        t = ut[j]
        bound = 0.0
        if t < n_main and offsets[t + 1] > offsets[t]:
            scale = max_impact[t] / QMAX
            W[j] = uw[j] * scale * hi_drift * _UP
            # exact >= w·q·scale·lo_drift, so W·(q+1) - exact <= W + q·(W - w·scale·lo) <= W + QMAX·(...)
            E[j] = W[j] + QMAX * (W[j] - uw[j] * scale * lo_drift * _DOWN)
            bound = max_impact[t] * hi_drift * _UP  # of the exact contribution (what `rest` must bound)
            total += offsets[t + 1] - offsets[t]
            if not np.float32(W[j]) > 0:
                return -1
        WL[j] = uw[j] * _UP
        if not np.float32(WL[j]) > 0:
            return -1
        s = slot[j]
        for p in range(l_ptr[s], l_ptr[s + 1]):
            f = float(l_tf[p])
            v = f * k1p1 / (f + k1 * (omb + b * doc_len[l_docs[p]] / avgdl))
            if v > bound:
                bound = v
            total += 1
        ub[j] = uw[j] * bound * _UP
    has_exclude = len(exclude) > 0
    check = check or has_exclude
    if dense_share > 0 and total * dense_share >= count:
        err = 0.0
        for j in range(m):
            err += E[j]
        return _dense(offsets, docs, codes, big_pos, big_tf, doc_len, k1, b, avgdl, main_count, count, q_terms,
                      q_idf, l_ptr, l_docs, l_tf, alive, exclude, check, k, acc, touched, out_docs, out_scores,
                      ut, W, WL, slot, m, err)
    order = np.argsort(-ub)
    rest = np.zeros(m + 1)  # rest[a]: bound of what terms order[a:] can add to one document
    for a in range(m - 1, -1, -1):
        rest[a] = rest[a + 1] + ub[order[a]]
    hv = np.empty(k, np.float32)
    hd = np.empty(k, np.int64)

    theta = -np.inf  # a lower bound of the k-th best exact score
    err = 0.0  # how far the accumulated bounds may exceed the exact partial scores
    nt = 0
    stop = m
    for a in range(m):  # phase 1: terms read whole while an unseen document could still reach the top k
        j = order[a]
        t = ut[j]
        lo = offsets[t] if t < n_main else 0
        hi = offsets[t + 1] if t < n_main else 0
        s = slot[j]
        length = (hi - lo) + (l_ptr[s + 1] - l_ptr[s])
        if a > 0 and nt >= k and 4 * length > nt:
            theta = max(theta, (_kth(acc, touched, nt, alive, exclude, check, k, hv, hd) - err) * (1 - SLACK))
            if rest[a] * (1 + SLACK) < theta:
                stop = a
                break
        w = np.float32(W[j])
        for p in range(lo, hi):
            d = docs[p]
            old = acc[d]
            touched[nt] = d
            nt += old == 0
            acc[d] = old + w * np.float32((codes[p] & QMAX) + 1)
        wl = np.float32(WL[j])
        for p in range(l_ptr[s], l_ptr[s + 1]):
            d = l_docs[p]
            old = acc[d]
            touched[nt] = d
            nt += old == 0
            f = float(l_tf[p])
            acc[d] = old + wl * np.float32(f * k1p1 / (f + k1 * (omb + b * doc_len[d] / avgdl)))
        err += E[j]

    # candidates: allowed touched documents whose bound can still reach theta; the others are cleared
    left = rest[stop]
    nc = 0
    for i in range(nt):
        d = touched[i]
        if (not check or _allowed(d, alive, exclude, has_exclude)) and (acc[d] + left) * (1 + SLACK) >= theta:
            touched[nc] = d
            nc += 1
        else:
            acc[d] = 0
    cand = touched[:nc]
    cand.sort()
    for a in range(stop, m):  # phase 2: the remaining terms, only for the candidates
        if nc == 0:
            break
        j = order[a]
        t = ut[j]
        w = np.float32(W[j])
        lo = offsets[t] if t < n_main else 0
        hi = offsets[t + 1] if t < n_main else 0
        s = slot[j]
        llo = l_ptr[s]
        lhi = l_ptr[s + 1]
        wl = np.float32(WL[j])
        if nc * GALLOP_COST < (hi - lo) + (lhi - llo):
            p = lo
            lp = llo
            for i in range(nc):
                d = cand[i]
                if d < main_count:
                    p = _gallop(docs, p, hi, d)
                    if p < hi and docs[p] == d:
                        acc[d] += w * np.float32((codes[p] & QMAX) + 1)
                else:
                    lp = _gallop(l_docs, lp, lhi, d)
                    if lp < lhi and l_docs[lp] == d:
                        f = float(l_tf[lp])
                        acc[d] += wl * np.float32(f * k1p1 / (f + k1 * (omb + b * doc_len[d] / avgdl)))
        else:  # acc > 0 marks exactly the candidates now
            for p in range(lo, hi):
                d = docs[p]
                old = acc[d]
                if old > 0:
                    acc[d] = old + w * np.float32((codes[p] & QMAX) + 1)
            for p in range(llo, lhi):
                d = l_docs[p]
                old = acc[d]
                if old > 0:
                    f = float(l_tf[p])
                    acc[d] = old + wl * np.float32(f * k1p1 / (f + k1 * (omb + b * doc_len[d] / avgdl)))
        err += E[j]
        left = rest[a + 1]
        keep = 0
        for i in range(nc):
            d = cand[i]
            if (acc[d] + left) * (1 + SLACK) >= theta:
                cand[keep] = d
                keep += 1
            else:
                acc[d] = 0
        nc = keep
    if nc == 0:
        return 0
    size = 0
    for i in range(nc):
        size = _push(hv, hd, size, k, acc[cand[i]], cand[i])
    return _finish(offsets, docs, codes, big_pos, big_tf, doc_len, k1, b, avgdl, main_count, q_terms, q_idf,
                   l_ptr, l_docs, l_tf, acc, cand, nc, hd, size, k, out_docs, out_scores)


def warm_up() -> None:
    """Compile (or load from numba's cache) every kernel with the argument types the index passes."""
    import sys

    from .index import BM25Index

    module = sys.modules[__name__]
    index = BM25Index([["a", "b", "c"], ["b", "c", "d", "d"], ["e"]] * 40)
    for exclude in (None, np.zeros(index.count, bool)):
        index._top_k_compiled(module, index._query_terms(["b", "d"]), 3, exclude)
    index.add([["a", "d"]])
    index._top_k_compiled(module, index._query_terms(["b", "d", "a"]), 3, None)


if __name__ == "__main__":
    import time

    started = time.perf_counter()
    warm_up()
    print(f"BM25 kernels compiled and cached in {time.perf_counter() - started:.1f} s")
