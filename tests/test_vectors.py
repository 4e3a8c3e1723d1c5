"""Vector files are written atomically, memory-mapped on read, and searched exactly in float32."""
from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from config import load_config
from indexer import vectors as vec
from indexer.chunking import chunk_pages
from indexer.embedder import load_embedder

SEED_DIR = Path(__file__).resolve().parent.parent / "corpus"


class _Page:
    def __init__(self, text: str) -> None:
        self.number, self.text = 1, text


@pytest.fixture(scope="module")
def embedded() -> tuple[np.ndarray, np.ndarray]:
    """(passage vectors, query vectors) from the seed documents and FOI-style questions."""
    embedder = load_embedder(load_config({"torch_threads": 1}))
    texts = [c.text for p in sorted(SEED_DIR.glob("*.txt")) for c in chunk_pages([_Page(p.read_text("utf-8"))])]
    queries = ["false social media personas register", "fire service FOI response about fleet costs",
               "section 31 law enforcement prejudice", "national security exemption neither confirm nor deny"]
    return embedder.encode(texts), embedder.encode(queries)


def _brute(matrix: np.ndarray, query: np.ndarray, rows: np.ndarray) -> list[int]:
    scores = (matrix[rows].astype(np.float64) @ np.atleast_2d(query).astype(np.float64).T).max(axis=1)
    return [int(rows[i]) for i in sorted(range(len(rows)), key=lambda i: (-scores[i], rows[i]))]


@pytest.mark.parametrize("dtype", ["float32", "float16"])
def test_round_trip_is_memory_mapped_and_leaves_no_temporary_files(tmp_path, embedded, dtype):
    passages, _ = embedded
    vec.write_vectors(tmp_path, passages, "all-MiniLM-L6-v2", dtype)
    matrix, meta = vec.open_vectors(tmp_path)
    assert isinstance(matrix, np.memmap) and str(matrix.dtype) == dtype
    assert meta == {"model": "all-MiniLM-L6-v2", "dim": passages.shape[1], "dtype": dtype,
                    "count": len(passages), "normalized": True}
    assert np.allclose(matrix, passages, atol=1e-3)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["vectors.json", "vectors.npy"]


def test_top_k_matches_brute_force_for_single_and_multi_row_queries(tmp_path, embedded, monkeypatch):
    passages, queries = embedded
    vec.write_vectors(tmp_path, passages, "m")
    matrix, _ = vec.open_vectors(tmp_path)
    everything = np.arange(len(passages))
    monkeypatch.setattr(vec, "BLOCK_ROWS", 7)
    for query in (queries[0], queries[1:3]):
        hits = vec.top_k(matrix, query, 10)
        assert [r for r, _ in hits] == _brute(passages, query, everything)[:10]
        assert all(a[1] >= b[1] for a, b in zip(hits, hits[1:], strict=False))
    pair = vec.top_k(matrix, queries[1:3], 1)[0][1]
    assert pair == pytest.approx(max(vec.top_k(matrix, q, 1)[0][1] for q in queries[1:3]), abs=1e-6)


def test_row_subset_limits_the_search(embedded):
    passages, queries = embedded
    rows = np.arange(len(passages))[1::3]
    hits = vec.top_k(passages, queries[0], 5, rows=rows[::-1])
    assert [r for r, _ in hits] == _brute(passages, queries[0], rows)[:5]
    assert vec.top_k(passages, queries[0], 5, rows=np.array([], dtype=np.int64)) == []
    assert len(vec.top_k(passages, queries[0], 10_000)) == len(passages)
    with pytest.raises(IndexError):
        vec.top_k(passages, queries[0], 5, rows=np.array([len(passages)]))


def test_float16_search_ranks_like_float32(tmp_path, embedded):
    passages, queries = embedded
    vec.write_vectors(tmp_path / "32", passages, "m", "float32")
    vec.write_vectors(tmp_path / "16", passages, "m", "float16")
    full, half = vec.open_vectors(tmp_path / "32")[0], vec.open_vectors(tmp_path / "16")[0]
    for query in queries:
        a, b = vec.top_k(full, query, 5), vec.top_k(half, query, 5)
        assert a[0][0] == b[0][0]
        assert np.allclose([s for _, s in a], [s for _, s in b], atol=2e-3)


def test_bad_inputs_are_refused(tmp_path, embedded):
    passages, queries = embedded
    with pytest.raises(ValueError):
        vec.write_vectors(tmp_path, passages, "m", "int8")
    with pytest.raises(ValueError):
        vec.top_k(passages, queries[0][:10], 3)
    vec.write_vectors(tmp_path, passages, "m")
    meta = json.loads((tmp_path / "vectors.json").read_text())
    (tmp_path / "vectors.json").write_text(json.dumps({**meta, "count": meta["count"] + 1}))
    with pytest.raises(vec.VectorFileError):
        vec.open_vectors(tmp_path)
