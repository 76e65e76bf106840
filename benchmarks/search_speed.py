"""Search speed at scale: this project's BM25Index against bm25s and (up to 200k paragraphs) rank-bm25.

    python -m benchmarks.search_speed --paragraphs 1000000

Everything runs in one process on the same token streams (the project's tokenizer), so ratios are fair
even on a busy machine. bm25s and numba are benchmark extras (`pip install -e '.[bench]'`).
"""
from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

from benchmarks.corpora import DATA, load, questions
from bot.search.index import BM25Index
from bot.search.token_stream import tokenize_texts
from bot.search.tokenizer import Tokenizer

RESTART = """
import json, sys, time
started = time.perf_counter()
from pathlib import Path
from bot.search.index import BM25Index
from bot.search.tokenizer import Tokenizer
def rss():
    return int(next(l for l in open("/proc/self/status") if l.startswith("VmRSS")).split()[1]) / 1024
base = rss()
index = BM25Index.load(Path(sys.argv[1]), fingerprint="bench", k1=float(sys.argv[3]), b=float(sys.argv[4]))
answer = index.top_k(Tokenizer()(sys.argv[2]), 1)
print(json.dumps({"seconds": time.perf_counter() - started, "rss_mb": rss(), "index_rss_mb": rss() - base,
                  "loaded": index is not None, "answer": answer}))
"""


def percentiles(seconds: list[float]) -> tuple[float, float]:
    ms = np.asarray(seconds) * 1000
    return float(np.percentile(ms, 50)), float(np.percentile(ms, 99))


def timed(function, queries: list, *args) -> tuple[list[float], list]:
    times, results = [], []
    for query in queries:
        started = time.perf_counter()
        results.append(function(query, *args))
        times.append(time.perf_counter() - started)
    return times, results


def index_bytes(index: BM25Index) -> int:
    arrays = sum(a.nbytes for a in (index.offsets, index.docs, index.tf, index.doc_len, index.alive, index.df,
                                    index.max_impact, index.impacts, index.norm, index._buffer,
                                    index._marks))
    terms = sys.getsizeof(index.term_ids) + sum(sys.getsizeof(t) + 32 for t in index.term_ids)
    return arrays + terms


def row(name: str, *cells: str) -> None:
    print(f"  {name:<34}" + "".join(f"{c:>16}" for c in cells))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--paragraphs", type=int, default=100_000)
    parser.add_argument("--squad-questions", type=int, default=700)
    parser.add_argument("--corpus-questions", type=int, default=500)
    parser.add_argument("--rank-bm25-queries", type=int, default=150)
    parser.add_argument("--processes", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--data", type=Path, default=DATA)
    parser.add_argument("--no-bm25s", action="store_true", help="skip bm25s (smoke runs)")
    args = parser.parse_args()
    k1, b = 1.5, 0.75

    texts, extra = load(args.paragraphs, 200, args.data)
    questions_text = questions(texts, args.squad_questions, args.corpus_questions, args.data)
    print(f"corpus: {len(texts):,} paragraphs, {sum(len(t.split()) for t in texts):,} words; "
          f"{len(questions_text)} questions ({args.squad_questions} SQuAD dev + {args.corpus_questions} from corpus "
          f"sentences); k1={k1} b={b}; {os.cpu_count()} cores")

    tokenizer = Tokenizer()
    started = time.perf_counter()
    stream = tokenize_texts(texts, tokenizer, args.processes)
    tokenized = time.perf_counter() - started
    index = BM25Index.from_stream(stream, k1=k1, b=b)
    built = time.perf_counter() - started
    print(f"tokens: {len(stream.ids):,}; vocabulary {len(stream.vocabulary):,}; postings {len(index.docs):,}")
    queries = [q for q in (tokenizer(t) for t in questions_text) if any(x in index.vocabulary for x in q)]

    ours1, top1 = timed(index.top_k, queries, 1)
    ours10, top10 = timed(index.top_k, queries, 10)
    # Live adds: 20 articles of 10 held-back paragraphs each; each must be answerable right after.
    adds, found = [], 0
    for start in range(0, len(extra), 10):
        article = extra[start:start + 10]
        begun = time.perf_counter()
        ids = index.add([tokenizer(p) for p in article])
        adds.append(time.perf_counter() - begun)
        found += ids[0] in [d for d, _ in index.top_k(tokenizer(article[0]), 10)]
    with tempfile.TemporaryDirectory() as folder:
        begun = time.perf_counter()
        index.save(Path(folder), fingerprint="bench")
        saved = time.perf_counter() - begun
        begun = time.perf_counter()
        restart = json.loads(subprocess.run([sys.executable, "-c", RESTART, folder, questions_text[0], str(k1), str(b)],
                                            capture_output=True, text=True, check=True).stdout)
        restart_wall = time.perf_counter() - begun
    memory = index_bytes(index) / 2 ** 20

    results = {"this project": dict(build=built, memory=memory, p1=percentiles(ours1), p10=percentiles(ours10))}
    print(f"\nthis project: tokenizing {tokenized:.1f} s ({args.processes} processes) + indexing "
          f"{built - tokenized:.1f} s; live add of a 10-paragraph article (tokenize + add): p50 "
          f"{np.median(adds) * 1000:.1f} ms, max {max(adds) * 1000:.1f} ms; {found}/{len(adds)} added articles "
          f"answered at once (own first paragraph in top-10); save {saved:.1f} s; "
          f"restart (new process: import + load + first answer) "
          f"{restart['seconds']:.2f} s in-process, {restart_wall:.2f} s with interpreter start; resident after "
          f"restart {restart['rss_mb']:.0f} MB ({restart['index_rss_mb']:.0f} MB over the bare interpreter); "
          f"index data {memory:.0f} MB in the building process")

    documents = None
    if not args.no_bm25s:
        import bm25s
        from bm25s.tokenization import Tokenized
        try:
            import numba  # noqa: F401
            backend = "numba"
        except ImportError:
            backend = "numpy"
        splits = np.cumsum(stream.lengths)[:-1]
        corpus = Tokenized([a.tolist() for a in np.split(stream.ids, splits)],
                           {t: i for i, t in enumerate(stream.vocabulary)})
        retriever = bm25s.BM25(k1=k1, b=b, method="robertson", backend=backend)
        begun = time.perf_counter()
        retriever.index(corpus, show_progress=False)
        bm_index = time.perf_counter() - begun
        del corpus
        known = [[t for t in q if t in retriever.vocab_dict] for q in queries]

        def search(query: list[str], k: int):
            return retriever.retrieve([query], k=k, show_progress=False, n_threads=1, backend_selection=backend)

        timed(search, known[:20], 10)  # numba compiles on first use
        bm1, _ = timed(search, known, 1)
        bm10, _ = timed(search, known, 10)
        bm_memory = sum(a.nbytes for a in retriever.scores.values() if isinstance(a, np.ndarray)) / 2 ** 20
        results[f"bm25s {bm25s.__version__} ({backend})"] = dict(
            build=tokenized + bm_index, memory=bm_memory, p1=percentiles(bm1), p10=percentiles(bm10))
        print(f"bm25s: indexing {bm_index:.1f} s on the same token ids (+ the same {tokenized:.1f} s tokenizing); "
              f"memory = its score/index arrays only; no live add (full rebuild)")

    if args.paragraphs <= 200_000:
        from rank_bm25 import BM25Okapi
        documents = list(stream.documents())
        begun = time.perf_counter()
        reference = BM25Okapi(documents, k1=k1, b=b)
        rb_build = time.perf_counter() - begun
        sample = queries[:: max(1, len(queries) // args.rank_bm25_queries)][: args.rank_bm25_queries]

        def rank_top(query: list[str], k: int):
            scores = reference.get_scores(query)
            order = np.lexsort((np.arange(len(scores)), -scores))[:k]
            return [int(i) for i in order if scores[i] > 0]

        rb1, _ = timed(rank_top, sample, 1)
        rb10, rb_results = timed(rank_top, sample, 10)
        fresh = BM25Index.from_stream(stream, k1=k1, b=b)
        ours_sample = [[d for d, _ in fresh.top_k(q, 10)] for q in sample]
        same = sum(a == b_ for a, b_ in zip(ours_sample, rb_results, strict=True))
        results["rank-bm25 0.2.2"] = dict(build=tokenized + rb_build, memory=float("nan"), p1=percentiles(rb1),
                                          p10=percentiles(rb10))
        print(f"rank-bm25: {len(sample)} sampled queries; top-10 identical to this project's on "
              f"{same}/{len(sample)} queries (index without the live adds)")

    print(f"\n{len(queries)} queries with at least one indexed token; latency in ms")
    row("engine", "build s", "memory MB", "top-1 p50", "top-1 p99", "top-10 p50", "top-10 p99")
    for name, r in results.items():
        row(name, f"{r['build']:.1f}", f"{r['memory']:.0f}", f"{r['p1'][0]:.3f}", f"{r['p1'][1]:.3f}",
            f"{r['p10'][0]:.3f}", f"{r['p10'][1]:.3f}")
    ours = results["this project"]
    print("\nratios (other / this project; > 1 means this project is faster or smaller)")
    row("engine", "build", "memory", "top-1 p50", "top-1 p99", "top-10 p50", "top-10 p99")
    for name, r in results.items():
        if name != "this project":
            row(name, f"{r['build'] / ours['build']:.1f}x", f"{r['memory'] / ours['memory']:.1f}x",
                *(f"{r[p][i] / ours[p][i]:.2f}x" for p in ("p1", "p10") for i in (0, 1)))


if __name__ == "__main__":
    main()
