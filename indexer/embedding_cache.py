"""Embedding cache in SQLite, keyed by (model name, sha256 of the passage text), shared by processes."""
from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import numpy as np

from indexer.sqlite_cache import SqliteCache

CACHE_FILE = "embeddings.sqlite3"
# Rows per SELECT ... IN (...): below SQLite's default limit on host parameters.
_LOOKUP_CHUNK = 500
# Passages per batch a build embeds and caches at once: small enough that progress (and the cache) advance every
# few seconds and that embedding workers share out the last batches evenly.
EMBED_BATCH = 64


def text_key(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


class EmbeddingCache(SqliteCache):
    """Vectors by text hash, for one model and dimension."""

    schema = ("CREATE TABLE IF NOT EXISTS vectors (model TEXT NOT NULL, hash TEXT NOT NULL, dim INTEGER NOT NULL,"
              " vector BLOB NOT NULL, PRIMARY KEY (model, hash)) WITHOUT ROWID")

    def __init__(self, cache_dir: Path, model_name: str, dim: int) -> None:
        self.model_name = model_name
        self.dim = dim
        super().__init__(cache_dir, CACHE_FILE)

    def get_many(self, texts: list[str]) -> dict[int, np.ndarray]:
        """Index in texts -> cached float32 vector, for the texts that are cached."""
        keys = [text_key(t) for t in texts]
        found: dict[str, np.ndarray] = {}
        conn = self._connection()
        unique = list(dict.fromkeys(keys))
        for start in range(0, len(unique), _LOOKUP_CHUNK):
            chunk = unique[start : start + _LOOKUP_CHUNK]
            marks = ",".join("?" * len(chunk))
            rows = conn.execute(
                f"SELECT hash, vector FROM vectors WHERE model = ? AND dim = ? AND hash IN ({marks})",
                [self.model_name, self.dim, *chunk],
            )
            for key, blob in rows:
                found[key] = np.frombuffer(blob, dtype=np.float32)
        return {i: found[k] for i, k in enumerate(keys) if k in found}

    def put_many(self, texts: list[str], vectors: np.ndarray) -> None:
        vectors = np.asarray(vectors, dtype=np.float32)
        if vectors.shape != (len(texts), self.dim):
            raise ValueError(f"expected vectors of shape ({len(texts)}, {self.dim}), got {vectors.shape}")
        rows = [(self.model_name, text_key(t), self.dim, v.tobytes()) for t, v in zip(texts, vectors, strict=True)]
        conn = self._connection()
        with conn:
            conn.executemany("INSERT OR REPLACE INTO vectors (model, hash, dim, vector) VALUES (?, ?, ?, ?)", rows)


def embed_with_cache(
    embedder: Any, cache: EmbeddingCache, texts: list[str], progress: bool | Callable[[int], Any] = False,
    batch_size: int = EMBED_BATCH,
) -> np.ndarray:
    """Vectors for texts (row i for texts[i]), embedding only the texts not cached yet.

    Each batch is stored as soon as it is embedded, so an interrupted build resumes where it stopped. An embedder
    with encode_batches(batches) (an iterator of each batch's vectors, in order) may embed batches in parallel.
    """
    out = np.zeros((len(texts), cache.dim), dtype=np.float32)
    cached = cache.get_many(texts)
    for index, vector in cached.items():
        out[index] = vector
    missing: dict[str, list[int]] = {}
    for index, text in enumerate(texts):
        if index not in cached:
            missing.setdefault(text, []).append(index)
    todo = list(missing)
    bar = _progress_bar(len(todo), progress)
    batches = [todo[start : start + batch_size] for start in range(0, len(todo), batch_size)]
    for batch, vectors in zip(batches, _encode_in_order(embedder, batches), strict=True):
        cache.put_many(batch, vectors)
        for text, vector in zip(batch, vectors, strict=True):
            out[missing[text]] = vector
        if bar is not None:
            bar.update(len(batch))
    if bar is not None:
        bar.close()
    return out


def _encode_in_order(embedder: Any, batches: list[list[str]]) -> Iterator[np.ndarray]:
    """Each batch's vectors in order: embedders that spread batches over processes have encode_batches()."""
    if hasattr(embedder, "encode_batches"):
        return embedder.encode_batches(batches)
    return (embedder.encode(batch) for batch in batches)


def _progress_bar(total: int, progress: bool | Callable[[int], Any]) -> Any:
    """None, a tqdm bar, or what a progress factory (given the total) returns: anything with update and close."""
    if callable(progress):
        return progress(total)
    if not progress or total == 0:
        return None
    from tqdm import tqdm

    return tqdm(total=total, desc="embedding", unit="passage")
