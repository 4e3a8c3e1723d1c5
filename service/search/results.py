"""What a search returns for each document: its metadata card, score, explain and evidence snippets; and sorting."""
from __future__ import annotations

import functools
import re

import numpy as np

from config import Settings
from service.search.citations import CitationGraph
from service.search.filters import DocTable
from service.search.ranking import Ranked
from service.search.snippets import best_snippets

METADATA_KEYS = ("id", "path", "title", "doc_type", "authority", "date", "references", "sections", "outcome",
                 "legislation", "needs_ocr", "ocr")
SORTS = {"relevance": "relevance", "date": "date_desc", "date_desc": "date_desc", "-date": "date_desc",
         "newest": "date_desc", "date_asc": "date_asc", "oldest": "date_asc", "cited_by": "cited_by",
         "authority": "cited_by", "citations": "cited_by"}
LOWERED_CACHE_DOCS = 512


def _rank_score(table: dict[str, tuple[int, float]], doc_id: str) -> dict | None:
    entry = table.get(doc_id)
    return None if entry is None else {"rank": entry[0], "score": round(entry[1], 6)}


def rounded(value: float | None) -> float | None:
    """A score as the API shows it (6 decimals), None kept."""
    return None if value is None else round(value, 6)


def retriever_score(table: dict[str, tuple[int, float]], doc_id: str) -> float | None:
    """One retriever's raw score for a document, None when that retriever did not return it."""
    entry = table.get(doc_id)
    return None if entry is None else rounded(entry[1])


class ResultCards:
    """Per-generation tables for result cards and sorting, computed once."""

    def __init__(self, reader, table: DocTable, citations: CitationGraph, config: Settings):
        self.reader, self.table, self.config = reader, table, config
        self.cited_by = np.array([citations.authority(d) for d in table.ids], dtype=np.int64)
        self.date_rank = {"date_desc": self._date_ranks(True), "date_asc": self._date_ranks(False)}
        # Lower-cased passage texts of recently shown documents: snippet scoring then skips str.lower().
        self._lowered = functools.lru_cache(maxsize=LOWERED_CACHE_DOCS)(self._lower_passages)

    def _lower_passages(self, doc_id: str) -> tuple[str, ...]:
        return tuple(passage.get("text", "").lower() for passage in self.reader.doc_passages(doc_id))

    def _date_ranks(self, descending: bool) -> list[int]:
        # Position -> rank in date order (undated documents last either way), so sorting a result set is one lookup.
        dates = [str(d) for d in self.table.dates]
        dated = sorted((p for p, d in enumerate(dates) if d), key=lambda p: dates[p], reverse=descending)
        order = dated + [p for p, d in enumerate(dates) if not d]
        ranks = [0] * len(order)
        for rank, position in enumerate(order):
            ranks[position] = rank
        return ranks

    def sort(self, order: list[int], sort: str | None, searched: bool, warnings: list[str]) -> list[int]:
        """Positions in the requested order; relevance keeps the ranking, and browsing defaults to newest first."""
        key = SORTS.get(sort or "relevance")
        if key is None:
            warnings.append(f"unknown sort {sort!r}; sorted by relevance")
            key = "relevance"
        if key == "relevance":
            if searched:
                return order
            key = "date_desc"
        if key == "cited_by":
            return sorted(order, key=lambda p: -self.cited_by[p])
        return sorted(order, key=self.date_rank[key].__getitem__)

    def metadata(self, position: int) -> dict:
        record = self.table.records[position]
        out = {key: record.get(key) for key in METADATA_KEYS}
        out["cited_by"] = int(self.cited_by[position])
        return out

    def explain(self, doc_id: str, ranked: Ranked) -> dict:
        explain = {
            "keyword": _rank_score(ranked.ranks.get("keyword", {}), doc_id),
            "semantic": _rank_score(ranked.ranks.get("semantic", {}), doc_id),
            "fused": rounded(ranked.fused.get(doc_id, 0.0)),
            "prior": rounded(ranked.prior.get(doc_id, 0.0)),
        }
        if doc_id in ranked.votes:
            explain["votes"] = rounded(ranked.votes[doc_id])
        if doc_id in ranked.reference_match:
            explain["reference_match"] = ranked.reference_match[doc_id]
        if doc_id in ranked.known_item:
            explain["known_item"] = ranked.known_item[doc_id]
        return explain

    def card(self, position: int, ranked: Ranked | None, scores: dict[str, float], pattern: re.Pattern | None,
             needles: list[str]) -> dict:
        """A search result: metadata, score, explain and up to snippets_per_result highlighted passages."""
        item = self.metadata(position)
        doc_id = item["id"]
        score = scores.get(doc_id)
        item["score"] = rounded(score)
        item["explain"] = self.explain(doc_id, ranked) if ranked is not None and score is not None else None
        semantic = ranked.semantic.best_rows(doc_id, self.config.snippets_per_result) if ranked and ranked.semantic else {}
        limit = self.config.snippets_per_result if pattern or semantic else 1
        item["snippets"] = best_snippets(self.reader.doc_passages(doc_id), pattern, semantic, limit, needles=needles,
                                         lowered=self._lowered(doc_id) if needles else None)
        return item
