"""BM25Index: rank-bm25 parity on real news text, also after live adds/removes, pruned top-k, persistence."""
from __future__ import annotations

import gzip
import json
from pathlib import Path

import numpy as np
import pytest
from rank_bm25 import BM25Okapi

from bot.search import index as index_module
from bot.search import index_store, kernels
from bot.search.index import BM25Index, kernels_ready
from bot.search.token_stream import TokenStream, tokenize_texts
from bot.search.tokenizer import Tokenizer
from tests.support.paths import DATA

BBC = DATA / "bbc-news" / "bbc-news.jsonl.gz"


@pytest.fixture(scope="module")
def paragraphs() -> list[str]:
    out = []
    with gzip.open(BBC, "rt", encoding="utf-8") as handle:
        for line in handle:
            out.extend(json.loads(line)["paragraphs"])
            if len(out) >= 1500:
                return out
    return out


@pytest.fixture(scope="module")
def docs(paragraphs: list[str]) -> list[list[str]]:
    tokenizer = Tokenizer()
    return [tokenizer(p) for p in paragraphs]


@pytest.fixture(scope="module")
def queries(paragraphs: list[str], docs: list[list[str]]) -> list[list[str]]:
    """Question-like queries: sentence halves, repeated tokens, a very common term, an unknown word."""
    tokenizer = Tokenizer()
    out = [tokenizer(p.split(".")[0])[:7] for p in paragraphs[::37]]
    common = max(BM25Okapi(docs).idf.items(), key=lambda kv: -kv[1])[0]
    return [q for q in out if q] + [[common], [common, "elect", "elect"], ["zzunknown", "govern"]]


def assert_parity(index: BM25Index, alive: list[int], docs: list[list[str]], queries: list[list[str]]) -> None:
    """Scores and top-k equal to rank-bm25's to the last bit (==, not approximately) — but for a term in more
    than half the documents, whose idf is rank-bm25's floor (epsilon × the mean idf): that mean is summed in
    another order (rank-bm25's: first appearance among the alive documents), so it may differ in the last bits."""
    reference = BM25Okapi([docs[i] for i in alive], k1=index.k1, b=index.b, epsilon=index.epsilon)
    assert index.size == len(alive)
    for query in queries:
        expected = reference.get_scores(query)
        got = index.scores(query)
        bitwise = all(2 * index.document_frequency(t) <= index.size for t in query)
        if bitwise:
            np.testing.assert_array_equal(got[alive], expected)
        else:
            np.testing.assert_allclose(got[alive], expected, rtol=1e-12, atol=1e-12)
        assert not got[np.setdiff1d(np.arange(len(got)), alive)].any()
        for k in (1, 10):
            top = index.top_k(query, k)
            positive = (i for i in range(len(alive)) if expected[i] > 0)
            order = sorted(positive, key=lambda i: (-expected[i], alive[i]))[:k]
            if bitwise:
                assert top == [(alive[i], float(expected[i])) for i in order]
            else:
                assert [d for d, _ in top] == [alive[i] for i in order]
                np.testing.assert_allclose([s for _, s in top], expected[order], rtol=1e-12)
    for term in {t for q in queries for t in q}:
        assert index.term_idf(term) == pytest.approx(reference.idf.get(term, 0.0), rel=1e-12)
        assert (term in index.vocabulary) == (term in reference.idf)


@pytest.fixture(autouse=True, params=["numpy", "maxscore", "dense"])
def top_k_path(request, monkeypatch) -> str:
    """Every test runs through the numpy path (while the kernels load) and both compiled ones: MaxScore and the
    dense pass (small test corpora would otherwise always take the dense one)."""
    assert kernels_ready(None)
    if request.param == "numpy":
        monkeypatch.setattr(index_module._Kernels, "module", None)
    else:
        monkeypatch.setattr(kernels, "DENSE_SHARE", 0 if request.param == "maxscore" else 10 ** 9)
    return request.param


@pytest.mark.parametrize("k1,b", [(1.5, 0.75), (0.9, 0.6)])
def test_scores_and_top_k_equal_rank_bm25(docs, queries, k1, b) -> None:
    assert_parity(BM25Index(docs, k1=k1, b=b), list(range(len(docs))), docs, queries)


def test_parity_after_live_adds_and_removes(docs, queries) -> None:
    index = BM25Index(docs[:1000])
    assert index.add(docs[1000:1400]) == list(range(1000, 1400))
    assert index.add([]) == []
    alive = list(range(1400))
    assert_parity(index, alive, docs, queries)
    removed = set(range(0, 1400, 7)) | set(range(1200, 1300))
    index.remove(sorted(removed) + [99999, 0])
    alive = [i for i in alive if i not in removed]
    assert_parity(index, alive, docs, queries)
    assert index.add(docs[1400:]) == list(range(1400, len(docs)))
    alive += list(range(1400, len(docs)))
    assert_parity(index, alive, docs, queries)


def test_removed_document_vanishes_from_answers(docs) -> None:
    index = BM25Index(docs[:300])
    query = docs[5][:6]
    best = index.top_k(query, 1)[0][0]
    index.remove([best])
    assert best not in [d for d, _ in index.top_k(query, 300)]
    new = index.add([docs[best]])[0]
    assert index.top_k(query, 1)[0][0] == new


def test_exclude_mask_is_honoured(docs, queries) -> None:
    index = BM25Index(docs[:400])
    exclude = np.zeros(400, dtype=bool)
    exclude[::2] = True
    for query in queries[:10]:
        assert all(d % 2 for d, _ in index.top_k(query, 5, exclude=exclude))


def test_bulk_token_stream_equals_the_tokenizer(paragraphs, docs) -> None:
    stream = tokenize_texts(paragraphs, Tokenizer(), processes=1)
    assert list(stream.documents()) == docs
    assert stream.vocabulary == TokenStream.from_documents(docs).vocabulary


def test_parallel_tokenizing_keeps_order_and_ids(monkeypatch, paragraphs, docs) -> None:
    monkeypatch.setattr("bot.search.token_stream.CHUNK", 200)
    stream = tokenize_texts(paragraphs, Tokenizer(), processes=2)
    assert list(stream.documents()) == docs
    assert stream.vocabulary == TokenStream.from_documents(docs).vocabulary


def test_save_load_roundtrip_keeps_scores_and_live_state(tmp_path: Path, docs, queries) -> None:
    index = BM25Index(docs[:800])
    index.add(docs[800:900])
    index.remove([3, 850])
    index.save(tmp_path / "ix", fingerprint="corpus-1")
    loaded = BM25Index.load(tmp_path / "ix", fingerprint="corpus-1")
    assert loaded is not None and loaded.size == index.size and loaded.count == index.count
    for query in queries:
        np.testing.assert_array_equal(loaded.scores(query), index.scores(query))
        assert loaded.top_k(query, 10) == index.top_k(query, 10)
    assert loaded.add([docs[950]]) == [900]


def _saved(tmp_path: Path, docs) -> Path:
    folder = tmp_path / "ix"
    BM25Index(docs[:200]).save(folder, fingerprint="fp")
    return folder


def _docs_file(folder: Path) -> Path:
    return next(folder.glob("docs.*.npy"))


@pytest.mark.parametrize("damage", ["truncate", "flip", "manifest", "version", "missing", "stale", "params"])
def test_damaged_or_stale_saved_index_is_rejected(tmp_path: Path, docs, damage: str) -> None:
    folder = _saved(tmp_path, docs)
    fingerprint, k1 = "fp", 1.5
    manifest = folder / "manifest.json"
    if damage == "truncate":
        path = _docs_file(folder)
        path.write_bytes(path.read_bytes()[:-10])
    elif damage == "flip":
        path = _docs_file(folder)
        data = bytearray(path.read_bytes())
        data[-3] ^= 0xFF
        path.write_bytes(bytes(data))
    elif damage == "manifest":
        manifest.write_text("{not json")
    elif damage == "version":
        manifest.write_text(manifest.read_text().replace(f'"format": {index_store.FORMAT}', '"format": 2'))
    elif damage == "missing":
        _docs_file(folder).unlink()
    elif damage == "stale":
        fingerprint = "another corpus"
    elif damage == "params":
        k1 = 1.5
    assert BM25Index.load(folder, fingerprint=fingerprint, k1=k1) is None


def test_saving_again_replaces_old_files(tmp_path: Path, docs) -> None:
    folder = _saved(tmp_path, docs)
    BM25Index(docs[:50]).save(folder, fingerprint="fp2")
    assert len(list(folder.glob("docs.*.npy"))) == 1 and not list(folder.glob("*.tmp"))
    assert BM25Index.load(folder, fingerprint="fp2").size == 50


def test_big_term_frequencies_are_exact(docs) -> None:
    """tf of 15 and more is kept in a table beside the postings' 4-bit field; 255 and 70,000 too."""
    words = ["flood", "river", "rain", "bank"]
    heavy = [docs[0] + ["flood"] * 14, docs[1] + ["flood"] * 15 + ["river"] * 16, ["rain"] * 254 + ["bank"],
             ["rain"] * 255 + ["river"] * 3, ["bank"] * 70_000 + ["flood"], docs[2] + ["bank"] * 300]
    corpus = heavy + docs[3:200]
    index = BM25Index(corpus)
    assert len(index.big_pos) >= 6
    queries = [[w] for w in words] + [words, ["rain", "rain", "flood"], docs[5][:4] + ["bank"]]
    assert_parity(index, list(range(len(corpus))), corpus, queries)
    index.add(heavy[:3])
    index.remove([0, 4])
    alive = [i for i in range(len(corpus) + 3) if i not in (0, 4)]
    assert_parity(index, alive, corpus + heavy[:3], queries)
    index.compact()
    assert_parity(index, alive, corpus + heavy[:3], queries)


@pytest.mark.parametrize("corpus", [
    [["a", "b"], ["a", "c"]],  # idf of "a" is 0: log(2 - 2 + .5) - log(2 + .5) < 0, and the mean is negative
    [["a", "b"], ["c", "d"]],  # every idf 0: log(1.5) - log(1.5)
    [["a", "b"], ["a", "c"], ["a", "d"], ["b", "e"]],  # "a" in 3 of 4: below zero, floored at eps * mean
])
def test_weights_at_or_below_zero_are_scored_exactly(corpus) -> None:
    index = BM25Index(corpus)
    reference = BM25Okapi(corpus, k1=index.k1, b=index.b, epsilon=index.epsilon)
    for query in (["a"], ["a", "b"], ["b", "a", "c"], ["d", "e"], ["c"]):
        expected = reference.get_scores(query)
        order = sorted((i for i in range(len(corpus)) if expected[i] > 0), key=lambda i: (-expected[i], i))
        top = index.top_k(query, 3)
        assert [d for d, _ in top] == order[:3]
        np.testing.assert_allclose([s for _, s in top], expected[order[:3]], rtol=1e-12)


def test_a_loaded_index_runs_the_kernels_compiled_at_install(tmp_path: Path, docs, queries, top_k_path) -> None:
    """Saved arrays are mapped writable (copy-on-write), so a loaded index calls the very kernels the install
    step compiled: no second compilation (~10 s) at a start."""
    if top_k_path == "numpy":
        pytest.skip("compiled paths only")
    index = BM25Index(docs[:300])
    index.save(tmp_path / "ix", fingerprint="fp")
    loaded = BM25Index.load(tmp_path / "ix", fingerprint="fp")
    assert all(loaded.top_k(q, 5) == index.top_k(q, 5) for q in queries)
    loaded.add([docs[400]])
    index.add([docs[400]])
    assert all(loaded.top_k(q, 5, np.zeros(301, bool)) == index.top_k(q, 5) for q in queries)
    assert len(kernels.top_k.signatures) == 1
