"""Passage vectors on disk (vectors.npy + vectors.json) and exact top-k cosine search over them."""
from __future__ import annotations

import json
import os
from pathlib import Path

import numpy as np

VECTORS_FILE = "vectors.npy"
VECTORS_META = "vectors.json"
DTYPES = ("float32", "float16")
# Rows converted to float32 at a time: float16 matmul in numpy is ~30x slower than float32, and 16k x 384
# float32 is 24 MiB, small enough to stay in cache-friendly territory without a full copy of the matrix.
BLOCK_ROWS = 16_384


class VectorFileError(Exception):
    """vectors.npy is missing, malformed or disagrees with vectors.json."""


def _fsync_replace(tmp: Path, final: Path) -> None:
    with open(tmp, "rb") as handle:
        os.fsync(handle.fileno())
    os.replace(tmp, final)


def write_vectors(gen_dir: Path | str, vectors: np.ndarray, model: str, dtype: str = "float32") -> None:
    """Store vectors (n, dim) in gen_dir as dtype; both files appear whole or not at all."""
    if dtype not in DTYPES:
        raise ValueError(f"vector_dtype must be one of {DTYPES}, got {dtype!r}")
    vectors = np.asarray(vectors)
    if vectors.ndim != 2:
        raise ValueError(f"vectors must be 2-D, got shape {vectors.shape}")
    gen = Path(gen_dir)
    gen.mkdir(parents=True, exist_ok=True)
    tmp = gen / (VECTORS_FILE + ".tmp")
    with open(tmp, "wb") as handle:
        np.save(handle, np.ascontiguousarray(vectors, dtype=dtype))
    _fsync_replace(tmp, gen / VECTORS_FILE)
    meta = {"model": model, "dim": int(vectors.shape[1]), "dtype": dtype, "count": int(vectors.shape[0]),
            "normalized": True}
    tmp_meta = gen / (VECTORS_META + ".tmp")
    tmp_meta.write_text(json.dumps(meta, indent=1), encoding="utf-8")
    _fsync_replace(tmp_meta, gen / VECTORS_META)


def open_vectors(gen_dir: Path | str) -> tuple[np.ndarray, dict]:
    """(memory-mapped matrix, vectors.json); raises VectorFileError when they are missing or disagree."""
    gen = Path(gen_dir)
    try:
        meta = json.loads((gen / VECTORS_META).read_text(encoding="utf-8"))
        matrix = np.load(gen / VECTORS_FILE, mmap_mode="r")
    except (OSError, ValueError) as exc:
        raise VectorFileError(f"cannot read vectors in {gen}: {exc}") from exc
    expected = (meta.get("count"), meta.get("dim"))
    if matrix.ndim != 2 or matrix.shape != expected or str(matrix.dtype) != meta.get("dtype"):
        raise VectorFileError(
            f"{gen / VECTORS_FILE} has shape {matrix.shape} {matrix.dtype}, vectors.json says {expected} {meta.get('dtype')}"
        )
    return matrix, meta


def _as_queries(query: np.ndarray, dim: int) -> np.ndarray:
    queries = np.asarray(query, dtype=np.float32)
    if queries.ndim == 1:
        queries = queries[None, :]
    if queries.ndim != 2 or queries.shape[1] != dim:
        raise ValueError(f"query must have shape ({dim},) or (m, {dim}), got {np.shape(query)}")
    return queries


def all_scores(vectors: np.ndarray, query: np.ndarray, rows: np.ndarray | None = None) -> np.ndarray:
    """Cosine score of every row (or of each row in rows, in that order): max over the query rows."""
    queries_t = _as_queries(query, vectors.shape[1]).T.copy()
    count = vectors.shape[0] if rows is None else len(rows)
    scores = np.empty(count, dtype=np.float32)
    for start in range(0, count, BLOCK_ROWS):
        end = min(start + BLOCK_ROWS, count)
        block = vectors[start:end] if rows is None else vectors[rows[start:end]]
        scores[start:end] = (np.asarray(block, dtype=np.float32) @ queries_t).max(axis=1)
    return scores


def top_k(vectors: np.ndarray, query: np.ndarray, k: int, rows: np.ndarray | None = None) -> list[tuple[int, float]]:
    """Exact top-k (row, cosine) by score descending, ties by row; rows limits the search to those rows."""
    if rows is not None:
        rows = np.unique(np.asarray(rows, dtype=np.int64))
        if len(rows) and (rows[0] < 0 or rows[-1] >= vectors.shape[0]):
            raise IndexError(f"rows must lie in [0, {vectors.shape[0]})")
    scores = all_scores(vectors, query, rows)
    if k <= 0 or len(scores) == 0:
        return []
    k = min(k, len(scores))
    picked = np.argpartition(-scores, k - 1)[:k] if k < len(scores) else np.arange(len(scores))
    # Rows whose score equals the k-th may be cut arbitrarily by argpartition; lexsort keeps results stable.
    order = picked[np.lexsort((picked, -scores[picked]))]
    ids = order if rows is None else rows[order]
    return [(int(r), float(s)) for r, s in zip(ids, scores[order], strict=True)]
