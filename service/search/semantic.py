"""Semantic retriever: query texts embedded once (with a keyword-only fallback), exact cosine over every passage.

A query is one or more embedded chunks. A document scores the mean over query chunks of its best passage's cosine
(mean of max): for a one-chunk query that is simply its best passage.
"""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np

from service.search.filters import DocTable

# Passage rows multiplied per block: float16 stores are converted block by block, never as a whole copy.
BLOCK_ROWS = 8192


@dataclass
class SemanticHits:
    """Documents by semantic score, and the passage similarities they came from (rows x query chunks)."""

    ranking: list[tuple[str, float]] = field(default_factory=list)
    sims: np.ndarray | None = None
    spans: dict[str, tuple[int, int]] = field(default_factory=dict)  # doc_id -> (first row, row count)

    def best_rows(self, doc_id: str, count: int) -> dict[int, float]:
        """A document's `count` passages closest to the query: {row: best cosine over the query chunks}."""
        if self.sims is None or doc_id not in self.spans:
            return {}
        first, n = self.spans[doc_id]
        best = self.sims[first:first + n].max(axis=1)
        top = np.argsort(-best, kind="stable")[:count]
        return {first + int(i): float(best[i]) for i in top}


class SemanticRetriever:
    """Exact dense retrieval over the generation's passage vectors."""

    def __init__(self, reader, table: DocTable, embedder_factory: Callable[[], object]):
        self.reader = reader
        self.table = table
        self.embedder_factory = embedder_factory
        layout = sorted((int(r.get("first_passage", 0)), int(r["passage_count"]), p)
                        for p, r in enumerate(table.records) if r.get("passage_count"))
        # Passages of a document are contiguous, so per-document maxima are one reduceat over these starts.
        self.starts = np.array([first for first, _n, _p in layout], dtype=np.int64)
        self.positions = np.array([p for _first, _n, p in layout], dtype=np.int64)
        self.spans = {table.ids[p]: (first, n) for first, n, p in layout}

    @property
    def dim(self) -> int:
        return int(self.reader.vectors.shape[1])

    def encode(self, texts: list[str], warnings: list[str]) -> np.ndarray | None:
        """Unit vectors of texts; None (and a warning) when the model cannot be used, so search degrades to keywords."""
        if not texts:
            return None
        try:
            return np.asarray(self.embedder_factory().encode(texts), dtype=np.float32)
        except Exception as exc:  # noqa: BLE001 - a missing or broken model must degrade to keyword search
            warnings.append(f"semantic search unavailable ({exc}); showing keyword results")
            return None

    def similarities(self, vectors: np.ndarray) -> np.ndarray:
        """(passages x query chunks) cosine similarities."""
        stored = self.reader.vectors
        out = np.empty((stored.shape[0], vectors.shape[0]), dtype=np.float32)
        query = np.ascontiguousarray(vectors.T, dtype=np.float32)
        for start in range(0, stored.shape[0], BLOCK_ROWS):
            block = np.asarray(stored[start:start + BLOCK_ROWS], dtype=np.float32)
            out[start:start + block.shape[0]] = block @ query
        return out

    def document_scores(self, sims: np.ndarray) -> np.ndarray:
        """Per document position: mean over query chunks of the best passage similarity; -inf without passages."""
        out = np.full(len(self.table), -np.inf, dtype=np.float32)
        if sims.shape[0] and len(self.starts):
            out[self.positions] = np.maximum.reduceat(sims, self.starts, axis=0).mean(axis=1)
        return out

    def search(self, vectors: np.ndarray, mask: np.ndarray | None, limit: int) -> SemanticHits:
        """The `limit` best documents among those the mask allows (all when None)."""
        sims = self.similarities(vectors)
        scores = self.document_scores(sims)
        if mask is not None:
            scores[~mask] = -np.inf
        count = min(limit, len(scores))
        if count <= 0:
            return SemanticHits(sims=sims, spans=self.spans)
        picked = np.argpartition(-scores, count - 1)[:count] if count < len(scores) else np.arange(len(scores))
        picked = picked[np.lexsort((picked, -scores[picked]))]
        ranking = [(self.table.ids[p], float(scores[p])) for p in picked if np.isfinite(scores[p])]
        return SemanticHits(ranking, sims, self.spans)
