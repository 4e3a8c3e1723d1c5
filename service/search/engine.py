"""SearchEngine: keyword, semantic and hybrid search with one filter model, facets, snippets and browsing."""
from __future__ import annotations

import functools
import math
import re
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field

import numpy as np
from whoosh import query as wq

from config import Settings
from indexer.references import normalise_reference
from service.search.citations import CitationGraph
from service.search.facets import FacetTable
from service.search.filters import DocTable, Filters
from service.search.fusion import authority_prior, blend_prior, fuse
from service.search.keyword import KeywordRetriever, ParsedQuery, query_references
from service.search.long_query import is_long_query, rank_long_query
from service.search.query_limits import QueryLimits
from service.search.semantic import SemanticHits, SemanticRetriever
from service.search.snippets import best_snippets, term_needles, term_pattern

MODES = ("hybrid", "keyword", "semantic")
LOWERED_CACHE_DOCS = 512
SORTS = {"relevance": "relevance", "date": "date_desc", "date_desc": "date_desc", "-date": "date_desc",
         "newest": "date_desc", "date_asc": "date_asc", "oldest": "date_asc", "cited_by": "cited_by",
         "authority": "cited_by", "citations": "cited_by"}
_SYNTAX = re.compile(r'\b[A-Za-z_]+:|\b(?:AND|OR|NOT|ANDNOT|ANDMAYBE)\b|["^~*]')
METADATA_KEYS = ("id", "path", "title", "doc_type", "authority", "date", "references", "sections", "outcome",
                 "legislation", "needs_ocr", "ocr")


@dataclass
class Ranked:
    """A whole result set in order, with what explains each document's place."""

    order: list[int] = field(default_factory=list)                       # document positions
    scores: dict[int, float] = field(default_factory=dict)                # final score per position
    fused: dict[int, float] = field(default_factory=dict)                 # score before the authority prior
    ranks: dict[str, dict[str, tuple[int, float]]] = field(default_factory=dict)
    prior_weight: float = 0.0
    reference_match: dict[int, str] = field(default_factory=dict)        # "carries" | "cites"
    semantic_rows: dict[str, dict[int, float]] = field(default_factory=dict)
    terms: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


def semantic_text(q: str) -> str:
    """The query without Whoosh syntax, as the text to embed."""
    return " ".join(_SYNTAX.sub(" ", q).split()) or q


def _rank_score(table: dict[str, tuple[int, float]], doc_id: str) -> dict | None:
    entry = table.get(doc_id)
    return None if entry is None else {"rank": entry[0], "score": round(entry[1], 6)}


class SearchEngine:
    """Per-reader search; everything that does not depend on the request is computed here, once."""

    def __init__(self, reader, embedder_factory: Callable[[], object], config: Settings):
        self.reader = reader
        self.embedder_factory = embedder_factory
        self.config = config
        self.table = DocTable(reader.documents)
        self.facet_table = FacetTable(self.table.records)
        self.keyword = KeywordRetriever(reader.doc_index, self.table, limits=QueryLimits.from_config(config))
        self.semantic = SemanticRetriever(reader, self.table)
        self.citations = CitationGraph(reader.documents)
        counts = {doc_id: self.citations.authority(doc_id) for doc_id in self.table.ids}
        self.cited_by = np.array([counts[doc_id] for doc_id in self.table.ids], dtype=np.int64)
        self.priors = authority_prior(counts)
        # Lower-cased passage texts of recently shown documents: snippet scoring then skips str.lower().
        self._lowered = functools.lru_cache(maxsize=LOWERED_CACHE_DOCS)(self._lower_passages)
        self.date_rank = {key: self._date_ranks(descending) for key, descending in (("date_desc", True),
                                                                                   ("date_asc", False))}

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

    # ---- public API -------------------------------------------------------------------------------------------
    def search(self, params: Mapping) -> dict:
        """Ranked, filtered, paginated results with explain, snippets, facets and warnings."""
        q = (params.get("q") or "").strip()
        mode = params.get("mode") or "hybrid"
        if mode not in MODES:
            mode = "hybrid"
        page, per_page = self._paging(params)
        mask = self.table.mask(Filters.from_params(params))
        ranked = self._rank(q, mode, params, mask) if q else self._browse(mask)
        order = self._sort(ranked, params.get("sort"), bool(q))
        evidence = (term_pattern(ranked.terms), term_needles(ranked.terms))
        results = [self._result(p, ranked, evidence) for p in order[(page - 1) * per_page: page * per_page]]
        return {"total": len(order), "page": page, "per_page": per_page, "pages": math.ceil(len(order) / per_page),
                "query": q, "mode": mode, "results": results,
                "facets": self.facet_table.counts(order), "warnings": ranked.warnings}

    def documents(self, params: Mapping) -> dict:
        """Filtered, paginated document metadata (no query), with total and facets; id order unless sort is given."""
        page, per_page = self._paging(params)
        ranked = self._browse(self.table.mask(Filters.from_params(params)))
        order = self._sort(ranked, params.get("sort"), False) if params.get("sort") else ranked.order
        docs = [self._metadata(p) for p in order[(page - 1) * per_page: page * per_page]]
        return {"total": len(order), "page": page, "per_page": per_page, "pages": math.ceil(len(order) / per_page),
                "documents": docs, "facets": self.facet_table.counts(order), "warnings": ranked.warnings}

    def iter_documents(self, params: Mapping) -> Iterator[dict]:
        """Metadata of every matching document, for export: search order when q is given, else as documents()."""
        q = (params.get("q") or "").strip()
        mask = self.table.mask(Filters.from_params(params))
        ranked = self._rank(q, params.get("mode") or "hybrid", params, mask) if q else self._browse(mask)
        order = self._sort(ranked, params.get("sort"), bool(q)) if q or params.get("sort") else ranked.order
        for position in order:
            record = self._metadata(position)
            if q:
                score = ranked.scores.get(position)
                record["score"] = None if score is None else round(score, 6)
            yield record

    def close(self) -> None:
        """Close the long-lived Whoosh searcher; the engine must not be used afterwards."""
        self.keyword.close()

    # ---- ranking ------------------------------------------------------------------------------------------------
    def _paging(self, params: Mapping) -> tuple[int, int]:
        per_page = int(params.get("per_page") or self.config.default_per_page)
        per_page = max(1, min(per_page, self.config.max_per_page))
        return max(1, int(params.get("page") or 1)), per_page

    def _browse(self, mask: np.ndarray | None) -> Ranked:
        return Ranked(order=[int(p) for p in self.table.positions(mask)])

    def _rank(self, q: str, mode: str, params: Mapping, mask: np.ndarray | None) -> Ranked:
        if is_long_query(q, self.config):
            return self._rank_long(q, mode, mask, params)
        ranked = Ranked()
        limit = self.config.candidates
        # A query that is just a case reference has no meaning to embed: hybrid answers it from the keyword side.
        dense = mode == "semantic" or (mode == "hybrid" and normalise_reference(q) is None)
        # Parsed first: a query over the limits (QueryRejected) is refused before any embedding work.
        parsed = self.keyword.parse(q, conjunctive=mode != "hybrid")
        semantic = self._semantic(q, mask, limit, ranked) if dense else SemanticHits()
        keyword: list[tuple[str, float]] = []
        if mode != "semantic" or semantic is None:
            # Keyword mode keeps every match, so its total, facets and deep pages cover the whole result set.
            keyword, parsed = self._keyword(q, parsed, mask, None if mode == "keyword" else limit, ranked)
        ranked.terms = parsed.terms()
        ranked.semantic_rows = semantic.rows if semantic else {}
        self._fuse(ranked, {"keyword": keyword, "semantic": semantic.ranking if semantic else []}, mode, params)
        self._pin_references(ranked, q, mask)
        return ranked

    def _rank_long(self, q: str, mode: str, mask: np.ndarray | None, params: Mapping) -> Ranked:
        # A pasted paragraph ranks far better as a document (key terms, every chunk embedded) than as one
        # AND/OR query whose embedding sees only its first 256 tokens. as_of/exclude are not HTTP parameters:
        # evaluations on the corpus's own documents pass them to keep later citations out of the prior.
        long = rank_long_query(self, q, mode, mask, params.get("as_of"), params.get("exclude") or ())
        ranked = Ranked(ranks=long.ranks, semantic_rows=long.semantic_rows, terms=long.terms)
        ranked.warnings.append(f"long query ({len(q.split())} words) searched as a document: key terms and "
                               "passage similarity" + (", with the citation prior" if mode == "hybrid" else ""))
        for doc_id, score in long.ranking:
            position = self.table.position[doc_id]
            ranked.order.append(position)
            ranked.scores[position] = ranked.fused[position] = score
        return ranked

    def _keyword(self, q: str, parsed: ParsedQuery, mask, limit, ranked: Ranked):
        # Syntax warnings matter only where the query is actually run as keywords.
        ranked.warnings.extend(parsed.warnings)
        hits = self.keyword.search(parsed, mask, limit)
        if not hits and isinstance(parsed.query, wq.And) and not re.search(r"\b(AND|NOT)\b", q):
            # Nobody wrote "AND", so a query no document fully matches is better answered by any-word matches.
            parsed = self.keyword.parse(q, conjunctive=False)
            hits = self.keyword.search(parsed, mask, limit)
            if hits:
                ranked.warnings.append("no document contains every word; showing documents matching any of them")
        return hits, parsed

    def _semantic(self, q: str, mask, limit: int, ranked: Ranked) -> SemanticHits | None:
        try:
            vector = np.asarray(self.embedder_factory().encode([semantic_text(q)]), dtype=np.float32)[0]
        except Exception as exc:  # noqa: BLE001 - a missing or broken model must degrade to keyword search
            ranked.warnings.append(f"semantic search unavailable ({exc}); showing keyword results")
            return None
        return self.semantic.search(vector, mask, limit)

    def _fuse(self, ranked: Ranked, lists: dict, mode: str, params: Mapping) -> None:
        method = params.get("fusion") or self.config.fusion
        fused = fuse(lists, method, self.config.rrf_k, self.config.weight_keyword)
        ranked.prior_weight = self.config.citation_prior if mode == "hybrid" else 0.0
        ranked.ranks = fused.ranks
        before = dict(fused.ranking)
        position_of = self.table.position
        for doc_id, score in blend_prior(fused.ranking, self.priors, ranked.prior_weight):
            position = position_of[doc_id]
            ranked.order.append(position)
            ranked.scores[position] = score
            ranked.fused[position] = before[doc_id]

    def _pin_references(self, ranked: Ranked, q: str, mask: np.ndarray | None) -> None:
        # The document carrying a reference typed as the query comes first, then the documents citing it.
        refs = query_references(q)
        carriers = [int(p) for ref in refs for p in self.table.with_reference(ref)]
        citers = [int(p) for ref in refs for p in self.table.citing(ref)]
        tiers = {"carries": self._allowed(carriers, mask), "cites": self._allowed(citers, mask)}
        citing = set(tiers["cites"]) - set(tiers["carries"])
        tiers["cites"] = [p for p in ranked.order if p in citing] + [p for p in tiers["cites"]
                                                                   if p in citing and p not in ranked.scores]
        pinned = tiers["carries"] + tiers["cites"]
        if not pinned:
            return
        top = max(ranked.scores.values(), default=0.0)
        for tier, positions in tiers.items():
            for position in positions:
                ranked.reference_match[position] = tier
                floor = top if tier == "carries" else 0.0
                ranked.scores[position] = max(ranked.scores.get(position, 0.0), floor)
        first = set(pinned)
        ranked.order = pinned + [p for p in ranked.order if p not in first]

    @staticmethod
    def _allowed(positions: list[int], mask: np.ndarray | None) -> list[int]:
        return list(dict.fromkeys(p for p in positions if mask is None or mask[p]))

    def _sort(self, ranked: Ranked, sort: str | None, searched: bool) -> list[int]:
        key = SORTS.get(sort or "relevance")
        if key is None:
            ranked.warnings.append(f"unknown sort {sort!r}; sorted by relevance")
            key = "relevance"
        if key == "relevance":
            if searched:
                return ranked.order
            key = "date_desc"
        if key == "cited_by":
            return sorted(ranked.order, key=lambda p: -self.cited_by[p])
        return sorted(ranked.order, key=self.date_rank[key].__getitem__)

    # ---- output -------------------------------------------------------------------------------------------------
    def _metadata(self, position: int) -> dict:
        record = self.table.records[position]
        out = {key: record.get(key) for key in METADATA_KEYS}
        out["cited_by"] = int(self.cited_by[position])
        return out

    def _explain(self, position: int, ranked: Ranked) -> dict | None:
        if position not in ranked.scores:
            return None
        doc_id = self.table.ids[position]
        explain = {
            "keyword": _rank_score(ranked.ranks.get("keyword", {}), doc_id),
            "semantic": _rank_score(ranked.ranks.get("semantic", {}), doc_id),
            "fused": round(ranked.fused.get(position, 0.0), 6),
            "prior": round(ranked.prior_weight * self.priors.get(doc_id, 0.0), 6),
        }
        if position in ranked.reference_match:
            explain["reference_match"] = ranked.reference_match[position]
        return explain

    def _result(self, position: int, ranked: Ranked, evidence: tuple) -> dict:
        item = self._metadata(position)
        doc_id = item["id"]
        score = ranked.scores.get(position)
        item["score"] = None if score is None else round(score, 6)
        item["explain"] = self._explain(position, ranked)
        pattern, needles = evidence
        limit = self.config.snippets_per_result if pattern or ranked.semantic_rows else 1
        item["snippets"] = best_snippets(self.reader.doc_passages(doc_id), pattern, ranked.semantic_rows.get(doc_id),
                                         limit, needles=needles, lowered=self._lowered(doc_id) if needles else None)
        return item
