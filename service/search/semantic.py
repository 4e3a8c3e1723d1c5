"""Semantic retriever: exact cosine over passage vectors, restricted to the filtered documents' rows, max per doc."""
from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from service.search.filters import DocTable

# Passage hits fetched per wanted document: a relevant decision often holds several of the top passages.
PASSAGES_PER_DOC = 4
BEST_ROWS_PER_DOC = 3


@dataclass
class SemanticHits:
    ranking: list[tuple[str, float]] = field(default_factory=list)   # (doc_id, best passage cosine)
    rows: dict[str, dict[int, float]] = field(default_factory=dict)  # doc_id -> {row: cosine} of its best passages


class SemanticRetriever:
    """Dense retrieval over reader.vector_search; a document scores its best passage."""

    def __init__(self, reader, table: DocTable):
        self.reader = reader
        self.table = table
        count = len(reader.passages)
        self.row_position = np.full(count, -1, dtype=np.int64)
        for position, record in enumerate(table.records):
            first, n = int(record.get("first_passage", 0)), int(record.get("passage_count", 0))
            self.row_position[first:first + n] = position

    def rows_for(self, mask: np.ndarray | None) -> np.ndarray | None:
        """Passage rows of the documents a mask allows (None = every row)."""
        if mask is None:
            return None
        known = self.row_position >= 0
        allowed = np.zeros(len(self.row_position), dtype=bool)
        allowed[known] = mask[self.row_position[known]]
        return np.flatnonzero(allowed)

    def search(self, vector: np.ndarray, mask: np.ndarray | None, limit: int) -> SemanticHits:
        """Top `limit` documents by their best passage, plus each one's best rows for snippets."""
        rows = self.rows_for(mask)
        available = len(self.row_position) if rows is None else len(rows)
        k = min(available, limit * PASSAGES_PER_DOC)
        if k <= 0:
            return SemanticHits()
        hits = SemanticHits()
        for row, score in self.reader.vector_search(vector, k, rows):
            position = self.row_position[row]
            if position < 0:
                continue
            doc_id = self.table.ids[position]
            best = hits.rows.setdefault(doc_id, {})
            if not best:
                if len(hits.ranking) >= limit:
                    del hits.rows[doc_id]
                    continue
                hits.ranking.append((doc_id, float(score)))
            if len(best) < BEST_ROWS_PER_DOC:
                best[int(row)] = float(score)
        return hits
