"""The one ranking pipeline: both retrievers, fusion, authority, and typed references pinned first.

Every ranking in the service comes from Ranker.rank: search (typed or pasted), search by text (POST /api/similar)
and a document's similar documents. What it did is returned with the ranking, for `explain`.
"""
from __future__ import annotations

import re
from collections.abc import Collection, Mapping
from dataclasses import dataclass, field

import numpy as np
from whoosh import query as wq

from config import Settings
from service.search.citations import CitationGraph
from service.search.filters import DocTable
from service.search.fusion import (
    additive_prior,
    authority_prior,
    fuse,
    multiplicative_prior,
    ordered,
    rank_table,
    weighted,
)
from service.search.keyword import KeywordRetriever, query_references
from service.search.queries import DOCUMENT, TERMS, Query
from service.search.semantic import SemanticHits, SemanticRetriever


@dataclass(frozen=True)
class RankOptions:
    """How to rank one query."""

    mode: str = "hybrid"                      # "hybrid" | "keyword" | "semantic"
    mask: np.ndarray | None = None            # table positions passing the filters and exclusions (None: all)
    all_keyword: bool = False                 # keep every keyword match (keyword mode: exact totals and facets)
    authority: bool = True                    # hybrid adds the citation signals
    as_of: str | None = None                  # citations count only from documents dated on or before this
    exclude: Collection[str] = frozenset()    # documents that never count as citing (a query taken from the corpus)


@dataclass
class Ranked:
    """A ranking and everything that explains it."""

    ranking: list[tuple[str, float]] = field(default_factory=list)
    fused: dict[str, float] = field(default_factory=dict)            # score before the authority signals
    ranks: dict[str, dict[str, tuple[int, float]]] = field(default_factory=dict)
    prior: dict[str, float] = field(default_factory=dict)            # what the prior added or multiplied in
    votes: dict[str, float] = field(default_factory=dict)            # neighbours' citation votes (document queries)
    reference_match: dict[str, str] = field(default_factory=dict)   # "carries" | "cites"
    semantic: SemanticHits | None = None
    terms: list[str] = field(default_factory=list)              # analysed query terms, for highlighting
    warnings: list[str] = field(default_factory=list)
    plan: dict = field(default_factory=dict)


class Ranker:
    """Holds the retrievers and the citation graph of one index generation."""

    def __init__(self, table: DocTable, keyword: KeywordRetriever, semantic: SemanticRetriever,
                 citations: CitationGraph, config: Settings):
        self.table, self.keyword, self.semantic, self.citations, self.config = table, keyword, semantic, citations, config
        self.priors = authority_prior({d: citations.authority(d) for d in table.ids})

    def rank(self, query: Query, options: RankOptions) -> Ranked:
        ranked = Ranked(warnings=list(query.warnings), terms=list(query.highlight), plan={"path": query.kind, "prior": None})
        semantic = self._semantic(query, options, ranked) if options.mode != "keyword" else None
        keyword: list[tuple[str, float]] = []
        if options.mode != "semantic" or semantic is None:
            keyword = self._keyword(query, options, ranked)
        ranked.semantic = semantic
        lists = {"keyword": keyword, "semantic": semantic.ranking if semantic else []}
        if query.kind == DOCUMENT:
            self._rank_document(ranked, lists, options)
        else:
            self._rank_terms(ranked, lists, options)
            self._pin_references(ranked, query.text, options.mask)
        return ranked

    # ---- retrieval ------------------------------------------------------------------------------------------
    def _semantic(self, query: Query, options: RankOptions, ranked: Ranked) -> SemanticHits | None:
        if query.vectors is None:
            # Kept on the query, so ranking it again (other filters, facet counts) embeds nothing twice.
            query.vectors = self.semantic.encode(query.texts, ranked.warnings)
        vectors = query.vectors
        if vectors is None or not len(vectors):
            return None
        return self.semantic.search(vectors, options.mask, self.config.candidates)

    def _keyword(self, query: Query, options: RankOptions, ranked: Ranked) -> list[tuple[str, float]]:
        if query.keyword is None:
            return []
        limit = None if options.all_keyword else self.config.candidates
        hits = self.keyword.search(query.keyword, options.mask, limit)
        if hits or query.kind != TERMS or not isinstance(query.keyword.query, wq.And):
            return hits
        if re.search(r"\b(AND|NOT)\b", query.text):
            return hits
        # Nobody wrote "AND", so a query no document fully matches is better answered by any-word matches.
        parsed = self.keyword.parse(query.text, conjunctive=False)
        hits = self.keyword.search(parsed, options.mask, limit)
        ranked.terms = parsed.terms()
        if hits:
            ranked.warnings.append("no document contains every word; showing documents matching any of them")
        return hits

    # ---- fusion and authority -------------------------------------------------------------------------------
    def _rank_terms(self, ranked: Ranked, lists: dict, options: RankOptions) -> None:
        cfg = self.config
        weights = {"keyword": cfg.weight_keyword, "semantic": 1.0 - cfg.weight_keyword}
        fused = fuse(lists, cfg.fusion, cfg.rrf_k, weights)
        weight = cfg.citation_prior if options.mode == "hybrid" and options.authority else 0.0
        priors = self._priors([d for d, _ in fused.ranking], options)
        ranked.ranking = multiplicative_prior(fused.ranking, priors, weight)
        ranked.fused, ranked.ranks = dict(fused.ranking), fused.ranks
        ranked.prior = {d: weight * priors.get(d, 0.0) for d, _ in fused.ranking} if weight else {}
        ranked.plan.update(fusion=self._fusion_plan(fused.ranks, cfg.fusion, weights),
                           prior={"kind": "multiplicative", "weight": weight} if weight else None)

    def _rank_document(self, ranked: Ranked, lists: dict, options: RankOptions) -> None:
        cfg = self.config
        share = {"keyword": 1.0, "semantic": 0.0}.get(options.mode, cfg.similar_weight_keyword)
        weights = {"keyword": share, "semantic": 1.0 - share}
        # Min-max scaled even when one list is empty: the authority blend needs scores in [0, 1].
        content = dict(weighted(lists, weights))
        ranked.fused, ranked.ranks = content, {name: rank_table(hits) for name, hits in lists.items()}
        ranked.plan["fusion"] = self._fusion_plan(ranked.ranks, "weighted", weights)
        scores = content
        if options.mode == "hybrid" and options.authority:
            scores = self._document_authority(ranked, content, options)
        ranked.ranking = ordered(scores)

    def _document_authority(self, ranked: Ranked, content: Mapping[str, float], options: RankOptions) -> dict:
        """(1 - p) * content + p * prior, plus v * the nearest documents' citation votes (see CitationGraph.votes)."""
        cfg = self.config
        p, v = cfg.similar_citation_prior, cfg.similar_neighbour_votes
        base = additive_prior(content, self._priors(content, options), p)
        near = ((d, content[d]) for d in sorted(base, key=lambda d: (-base[d], d)))
        votes = self.citations.votes(near, options.as_of, set(options.exclude), cfg.similar_neighbours)
        if options.mask is not None:
            votes = {d: n for d, n in votes.items() if options.mask[self.table.position[d]]}
        top = max(votes.values(), default=0.0) or 1.0
        ranked.votes = {d: n / top for d, n in votes.items()}
        priors = self._priors([*base, *votes], options)
        scores = {d: base.get(d, p * priors.get(d, 0.0)) + v * ranked.votes.get(d, 0.0) for d in [*base, *votes]}
        ranked.prior = {d: p * priors.get(d, 0.0) for d in scores}
        ranked.plan["prior"] = {"kind": "additive", "weight": p, "votes": v}
        return scores

    def _priors(self, doc_ids: Collection[str], options: RankOptions) -> dict[str, float]:
        if options.as_of is None and not options.exclude:
            return self.priors
        return authority_prior(self.citations.authorities(doc_ids, options.as_of, options.exclude))

    @staticmethod
    def _fusion_plan(ranks: Mapping[str, Mapping], method: str, weights: Mapping[str, float]) -> dict:
        present = [name for name, table in ranks.items() if table]
        if len(present) <= 1:
            return {"method": "single", "retriever": present[0] if present else None}
        return {"method": method, "weights": dict(weights)} if method == "weighted" else {"method": method}

    # ---- typed references ------------------------------------------------------------------------------------
    def _pin_references(self, ranked: Ranked, q: str, mask: np.ndarray | None) -> None:
        """The documents carrying a reference typed in the query come first, then the documents citing it."""
        refs = query_references(q)
        carriers = self._allowed([self.table.ids[p] for r in refs for p in self.table.with_reference(r)], mask)
        citers = self._allowed([self.table.ids[p] for r in refs for p in self.table.citing(r)], mask)
        citing = [d for d in citers if d not in carriers]
        if not carriers and not citing:
            return
        scores = dict(ranked.ranking)
        top = max(scores.values(), default=0.0)
        in_order = [d for d, _ in ranked.ranking if d in set(citing)] + [d for d in citing if d not in scores]
        for tier, docs, floor in (("carries", carriers, top), ("cites", in_order, 0.0)):
            for doc_id in docs:
                ranked.reference_match[doc_id] = tier
                scores[doc_id] = max(scores.get(doc_id, 0.0), floor)
        pinned = carriers + in_order
        first = set(pinned)
        ranked.ranking = [(d, scores[d]) for d in pinned] + [(d, s) for d, s in ranked.ranking if d not in first]

    def _allowed(self, doc_ids: list[str], mask: np.ndarray | None) -> list[str]:
        return list(dict.fromkeys(d for d in doc_ids if mask is None or mask[self.table.position[d]]))
