"""Search speed at scale: this project's BM25Index against bm25s, tantivy and (up to 200k paragraphs) rank-bm25.

    python -m benchmarks.search_speed --paragraphs 1000000

Everything runs in one process on the same token streams (the project's tokenizer), so ratios are fair even
on a busy machine: each question goes through every engine in turn, `--passes` times, and a question's time
is its fastest pass (wall clock; CPU time beside it), so another process's burst does not land on one engine
only. bm25s and tantivy are benchmark extras (`pip install -e '.[bench]'`); each is skipped when missing.
tantivy (the Python binding of the Rust engine) gets the same tokens: each paragraph's tokens joined by
spaces into a field split on whitespace only, frequencies without positions; its scores differ by design (its
own BM25 variant), so only its speed and size are compared. The 10M-paragraph figures are projected from
this run's growth between half of the corpus and all of it.
"""
from __future__ import annotations

import argparse
import gc
import json
import math
import os
import shutil
import subprocess
import sys
import tempfile
import time
from importlib import metadata
from pathlib import Path

import numpy as np

from benchmarks.corpora import DATA, load, questions
from bot.search.index import BM25Index, kernels_ready
from bot.search.token_stream import TokenStream, tokenize_texts
from bot.search.tokenizer import Tokenizer

PROJECTED = 10_000_000
RESTART = """
import json, sys, time
started = time.perf_counter()
from pathlib import Path
from bot.search.index import BM25Index, kernels_ready
from bot.search.tokenizer import Tokenizer
def rss():
    return int(next(l for l in open("/proc/self/status") if l.startswith("VmRSS")).split()[1]) / 1024
base = rss()
index = BM25Index.load(Path(sys.argv[1]), fingerprint="bench", k1=float(sys.argv[3]), b=float(sys.argv[4]))
query = Tokenizer()(sys.argv[2])
answer = index.top_k(query, 1)
first = time.perf_counter() - started
compiled = kernels_ready(0)
kernels_ready(None)
ready = time.perf_counter() - started
print(json.dumps({"seconds": first, "kernels_ready": ready, "compiled_first": compiled, "rss_mb": rss(),
                  "index_rss_mb": rss() - base, "loaded": index is not None, "same": index.top_k(query, 1) == answer}))
"""


def percentiles(seconds: list[float]) -> tuple[float, float]:
    ms = np.asarray(seconds) * 1000
    return float(np.percentile(ms, 50)), float(np.percentile(ms, 99))


def interleaved(engines: dict, queries: list, k: int, passes: int) -> tuple[dict, dict, dict]:
    """Each query through every engine in turn, `passes` times; per query the fastest pass (wall and CPU)."""
    wall = {name: np.full(len(queries), np.inf) for name in engines}
    cpu = {name: np.full(len(queries), np.inf) for name in engines}
    results: dict[str, list] = {name: [None] * len(queries) for name in engines}
    clock, now = time.process_time, time.perf_counter
    for _ in range(passes):
        for i, query in enumerate(queries):
            for name, (search, prepare) in engines.items():
                q = prepare(i, query)
                c, t = clock(), now()
                results[name][i] = search(q, k)
                t, c = now() - t, clock() - c
                wall[name][i] = min(wall[name][i], t)
                cpu[name][i] = min(cpu[name][i], c)
    return wall, cpu, results


def array_bytes(obj: object) -> int:
    return sum(v.nbytes for v in vars(obj).values() if isinstance(v, np.ndarray))


def dict_bytes(terms: dict) -> int:
    """A str → int dict's own size plus its keys' (32 bytes each for the entry and the int)."""
    return sys.getsizeof(terms) + sum(sys.getsizeof(t) + 32 for t in terms)


def row(name: str, *cells: str, width: int = 40) -> None:
    print(f"  {name:<{width}}" + "".join(f"{c:>11}" for c in cells))


def substream(stream: TokenStream, docs: int) -> TokenStream:
    """The first `docs` documents of a stream, with a vocabulary of their own terms only."""
    ids = stream.ids[:int(stream.lengths[:docs].sum())]
    terms, remapped = np.unique(ids, return_inverse=True)
    return TokenStream([stream.vocabulary[t] for t in terms.tolist()], remapped.astype(np.int32),
                       stream.lengths[:docs])


def growth(small: float, large: float, ratio: float) -> float:
    """Exponent of a quantity measured at two sizes `ratio` apart."""
    return math.log(large / small) / math.log(ratio) if small > 0 and large > 0 else 1.0


def tantivy_engine(stream: TokenStream, folder: Path):
    """tantivy over the same tokens (see the module docstring); returns (search, build seconds, index bytes)."""
    import tantivy

    builder = tantivy.SchemaBuilder()
    builder.add_text_field("body", stored=False, tokenizer_name="whitespace", index_option="freq")
    schema = builder.build()
    index = tantivy.Index(schema, path=str(folder))
    vocabulary, ids = stream.vocabulary, stream.ids.tolist()
    begun = time.perf_counter()
    writer = index.writer(1_000_000_000, 1)
    start = 0
    for length in stream.lengths.tolist():
        writer.add_document(tantivy.Document(body=" ".join([vocabulary[i] for i in ids[start:start + length]])))
        start += length
    writer.commit()
    writer.wait_merging_threads()
    index.reload()
    built = time.perf_counter() - begun
    searcher = index.searcher()
    should, term_query, boolean = tantivy.Occur.Should, tantivy.Query.term_query, tantivy.Query.boolean_query

    def search(query: list[str], k: int):
        return searcher.search(boolean([(should, term_query(schema, "body", t)) for t in query]), limit=k,
                               count=False).hits

    size = sum(p.stat().st_size for p in folder.rglob("*") if p.is_file())
    return search, built, size, searcher.num_segments


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--paragraphs", type=int, default=100_000)
    parser.add_argument("--squad-questions", type=int, default=700)
    parser.add_argument("--corpus-questions", type=int, default=500)
    parser.add_argument("--rank-bm25-queries", type=int, default=150)
    parser.add_argument("--passes", type=int, default=3, help="times each question is asked (fastest counts)")
    parser.add_argument("--processes", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--data", type=Path, default=DATA)
    parser.add_argument("--no-bm25s", action="store_true", help="skip bm25s")
    parser.add_argument("--no-tantivy", action="store_true", help="skip tantivy")
    args = parser.parse_args()
    k1, b = 1.5, 0.75

    texts, extra = load(args.paragraphs, 200, args.data)
    questions_text = questions(texts, args.squad_questions, args.corpus_questions, args.data)
    print(f"corpus: {len(texts):,} paragraphs, {sum(len(t.split()) for t in texts):,} words; "
          f"{len(questions_text)} questions ({args.squad_questions} SQuAD dev + {args.corpus_questions} from corpus "
          f"sentences); k1={k1} b={b}; {os.cpu_count()} cores; fastest of {args.passes} passes per question")

    tokenizer = Tokenizer()
    begun = time.perf_counter()
    compiled = kernels_ready(None)  # a start loads them in the background while it builds or loads the index
    loading = time.perf_counter() - begun
    started = time.perf_counter()
    stream = tokenize_texts(texts, tokenizer, args.processes)
    tokenized = time.perf_counter() - started
    index = BM25Index.from_stream(stream, k1=k1, b=b)
    built = time.perf_counter() - started
    print(f"tokens: {len(stream.ids):,}; vocabulary {len(stream.vocabulary):,}; postings {len(index.docs):,}; "
          f"compiled kernels: {compiled} (loaded from numba's cache in {loading:.2f} s)")
    queries = [q for q in (tokenizer(t) for t in questions_text) if any(x in index.vocabulary for x in q)]
    ours = {"build": built, "arrays": array_bytes(index), "terms": dict_bytes(index.term_ids)}
    engines = {"this project": (index.top_k, lambda i, q: q)}

    half = substream(stream, len(texts) // 2)
    begun = time.perf_counter()
    small = BM25Index.from_stream(half, k1=k1, b=b)
    small_build = time.perf_counter() - begun
    small_sizes = (len(small.docs), len(half.vocabulary), len(half.ids))
    del small

    others: dict[str, dict] = {}
    if not args.no_bm25s:
        try:
            import bm25s
            from bm25s.tokenization import Tokenized
        except ImportError:
            print("bm25s not installed: skipped")
        else:
            splits = np.cumsum(stream.lengths)[:-1]
            corpus = Tokenized([a.tolist() for a in np.split(stream.ids, splits)],
                               {t: i for i, t in enumerate(stream.vocabulary)})
            retriever = bm25s.BM25(k1=k1, b=b, method="robertson", backend="numba")
            begun = time.perf_counter()
            retriever.index(corpus, show_progress=False)
            indexing = time.perf_counter() - begun
            del corpus
            known = [[t for t in q if t in retriever.vocab_dict] for q in queries]

            def search(query: list[str], k: int):
                return retriever.retrieve([query], k=k, show_progress=False, n_threads=1, backend_selection="numba")

            search(known[0], 10)  # numba compiles on first use
            arrays = sum(a.nbytes for a in retriever.scores.values() if isinstance(a, np.ndarray))
            name = f"bm25s {bm25s.__version__} (numba)"
            others[name] = {"build": tokenized + indexing, "arrays": arrays, "terms": dict_bytes(retriever.vocab_dict)}
            engines[name] = (search, lambda i, q, known=known: known[i])
    tantivy_folder = Path(tempfile.mkdtemp(prefix="tantivy-"))
    if not args.no_tantivy:
        try:
            import tantivy  # noqa: F401
        except ImportError:
            print("tantivy not installed: skipped")
        else:
            search, indexing, size, segments = tantivy_engine(stream, tantivy_folder)
            name = f"tantivy {metadata.version('tantivy')} ({segments} segment{'s' * (segments > 1)})"
            others[name] = {"build": tokenized + indexing, "arrays": size, "terms": 0}
            engines[name] = (search, lambda i, q: q)

    for k in (1, 10):  # warm-up: first-use costs (page faults, compilation) are not per-query costs
        interleaved(engines, queries[:20], k, 1)
    timings = {}
    for k in (1, 10):
        wall, cpu, results = interleaved(engines, queries, k, args.passes)
        timings[k] = (wall, cpu)
    shutil.rmtree(tantivy_folder, ignore_errors=True)

    # Live adds: 20 articles of 10 held-back paragraphs each; each must be answerable right after.
    del engines, results
    gc.collect()  # the other engines' garbage is not an add's cost
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
        restarts = []
        for _ in range(3):
            begun = time.perf_counter()
            out = subprocess.run([sys.executable, "-c", RESTART, folder, questions_text[0], str(k1), str(b)],
                                 capture_output=True, text=True, check=True).stdout
            restarts.append((json.loads(out), time.perf_counter() - begun))
    restart, restart_wall = min(restarts, key=lambda r: r[0]["seconds"])
    print(f"\nthis project: tokenizing {tokenized:.1f} s ({args.processes} processes) + indexing "
          f"{built - tokenized:.1f} s; live add of a 10-paragraph article (tokenize + add): p50 "
          f"{np.median(adds) * 1000:.1f} ms, max {max(adds) * 1000:.1f} ms; {found}/{len(adds)} added articles "
          f"answered at once (own first paragraph in top-10); save {saved:.1f} s; restart (new process: import + "
          f"load + first answer, best of 3) {restart['seconds']:.2f} s in-process, {restart_wall:.2f} s with "
          f"interpreter start (kernels {'already' if restart['compiled_first'] else 'not yet'} loaded for the "
          f"first answer, loaded at {restart['kernels_ready']:.2f} s; same answer compiled: {restart['same']}); "
          f"resident after restart {restart['rss_mb']:.0f} MB ({restart['index_rss_mb']:.0f} MB over the bare "
          f"interpreter)")

    if args.paragraphs <= 200_000:
        from rank_bm25 import BM25Okapi
        documents = list(stream.documents())
        reference = BM25Okapi(documents, k1=k1, b=b)
        sample = queries[:: max(1, len(queries) // args.rank_bm25_queries)][: args.rank_bm25_queries]

        def rank_top(query: list[str], k: int):
            scores = reference.get_scores(query)
            order = np.lexsort((np.arange(len(scores)), -scores))[:k]
            return [(int(i), float(scores[i])) for i in order if scores[i] > 0]

        begun = time.perf_counter()
        reference_top = [rank_top(q, 10) for q in sample]
        per_query = (time.perf_counter() - begun) / len(sample) * 1000
        fresh = BM25Index.from_stream(stream, k1=k1, b=b)
        same = sum(fresh.top_k(q, 10) == r for q, r in zip(sample, reference_top, strict=True))
        print(f"rank-bm25 0.2.2: {per_query:.1f} ms per top-10 query; top-10 ids and scores identical (==) to this "
              f"project's on {same}/{len(sample)} sampled queries (index without the live adds)")

    print(f"\n{len(queries)} queries with at least one indexed token; ms per query (fastest of {args.passes} passes)")
    row("engine", "build s", "memory MB", "+terms MB", "top-1 p50", "top-1 p99", "top-10 p50", "top-10 p99",
        "cpu10 p50", "cpu10 p99")
    sizes = {"this project": ours, **others}
    for name, size in sizes.items():
        (w1, _), (w10, c10) = timings[1], timings[10]
        row(name, f"{size['build']:.1f}", f"{size['arrays'] / 2 ** 20:.0f}",
            f"{(size['arrays'] + size['terms']) / 2 ** 20:.0f}", *(f"{v:.3f}" for v in (
                *percentiles(w1[name]), *percentiles(w10[name]), *percentiles(c10[name]))))
    print("  memory: arrays in RAM (tantivy: its index folder, memory-mapped); +terms: with the term → id dict")
    print("\nratios (other / this project; > 1 means this project is faster or smaller)")
    row("engine", "build", "memory", "+terms", "top-1 p50", "top-1 p99", "top-10 p50", "top-10 p99", "cpu10 p50",
        "cpu10 p99")
    ours_cells = [*percentiles(timings[1][0]["this project"]), *percentiles(timings[10][0]["this project"]),
                  *percentiles(timings[10][1]["this project"])]
    for name, size in others.items():
        cells = [*percentiles(timings[1][0][name]), *percentiles(timings[10][0][name]),
                 *percentiles(timings[10][1][name])]
        row(name, f"{size['build'] / ours['build']:.1f}x", f"{size['arrays'] / ours['arrays']:.2f}x",
            f"{(size['arrays'] + size['terms']) / (ours['arrays'] + ours['terms']):.2f}x",
            *(f"{o / m:.2f}x" for o, m in zip(cells, ours_cells, strict=True)))

    # 10M projection: postings and vocabulary grow as measured from half of the corpus to all of it.
    ratio, scale = len(texts) / max(len(texts) // 2, 1), PROJECTED / len(texts)
    postings, vocabulary = len(index.docs), len(stream.vocabulary)
    p_exp = growth(small_sizes[0], postings, ratio)
    v_exp = growth(small_sizes[1], vocabulary, ratio)
    b_exp = growth(small_build, built - tokenized, ratio)
    postings10, vocabulary10 = postings * scale ** p_exp, vocabulary * scale ** v_exp
    per_doc = sum(getattr(index, n).itemsize for n in ("doc_len", "alive", "_acc", "_touched"))
    per_posting = index.docs.itemsize + index.codes.itemsize
    per_term = index.offsets.itemsize + index.df.itemsize + index.max_impact.itemsize
    term_bytes = ours["terms"] / vocabulary
    ours10 = per_posting * postings10 + per_doc * PROJECTED + per_term * vocabulary10
    print(f"\nprojected to {PROJECTED // 1_000_000}M paragraphs (growth from {len(texts) // 2:,} to {len(texts):,}: "
          f"postings ~N^{p_exp:.2f}, vocabulary ~N^{v_exp:.2f}, this project's indexing time ~N^{b_exp:.2f}): "
          f"{postings10 / 1e6:.0f}M postings, {vocabulary10 / 1e6:.1f}M terms")
    print("  (every engine: tokenizing linear in paragraphs, indexing in postings; memory: this project's from its "
          "bytes per posting, paragraph and term, the others' arrays with the postings, term dicts with the terms)")
    row("engine", "build s", "memory MB", "+terms MB")
    row("this project", f"{tokenized * scale + (built - tokenized) * postings10 / postings:.0f}",
        f"{ours10 / 2 ** 20:.0f}", f"{(ours10 + term_bytes * vocabulary10) / 2 ** 20:.0f}")
    for name, size in others.items():
        grown = size["arrays"] * (postings10 / postings)
        terms = size["terms"] / vocabulary * vocabulary10
        build = tokenized * scale + (size["build"] - tokenized) * postings10 / postings
        row(name, f"{build:.0f}", f"{grown / 2 ** 20:.0f}", f"{(grown + terms) / 2 ** 20:.0f}")


if __name__ == "__main__":
    main()
