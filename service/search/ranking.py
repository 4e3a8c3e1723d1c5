"""The one ranking pipeline: both retrievers, fusion, authority, then known items and typed references first.

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
    multiplicative_prior,
    ordered,
    rank_table,
    rrf,
    weighted,
)
from service.search.keyword import KeywordRetriever, query_references
from service.search.known_item import KnownItemFinder
from service.search.queries import DOCUMENT, TERMS, Query
from service.search.semantic import SemanticHits, SemanticRetriever

# The documents citation authority is about, and how many of a query's best matches show whether it seeks them.
PRECEDENT_TYPES = frozenset({"decision_notice", "tribunal_decision"})
PRECEDENT_NEIGHBOURS = 10


@dataclass(frozen=True)
class RankOptions:
    """How to rank one query."""

    mode: str = "hybrid"                      # "hybrid" | "keyword" | "semantic"
    mask: np.ndarray | None = None            # table positions passing the filters and exclusions (None: all)
    all_keyword: bool = False                 # keep every keyword match (keyword mode: exact totals and facets)
    authority: bool = True                    # hybrid adds the citation signals
    as_of: str | None = None                  # citations count only from documents dated on or before this
    exclude: Collection[str] = frozenset()    # documents that never count as citing (a query taken from the corpus)
    fusion: str | None = None                 # "weighted" or "rrf"; None: the fusion setting


@dataclass(frozen=True)
class Weights:
    """How much each signal counts for one kind of query."""

    keyword: float   # share of the keyword retriever in the fused content score (the semantic one gets the rest)
    prior: float     # weight of the citation-authority prior
    votes: float     # weight of the nearest documents' citation votes
    blend: str       # how the prior enters: "additive" or "multiplicative"


def scaled_to_best(ranking: list[tuple[str, float]]) -> dict[str, float]:
    """Scores divided by the best one, so the top document has 1."""
    top = ranking[0][1] if ranking and ranking[0][1] > 0 else 1.0
    return {doc_id: score / top for doc_id, score in ranking}


def known_item_gate(content: Mapping[str, float], margin: float) -> tuple[float, float]:
    """(share of the authority signals kept, the top document's lead over the second).

    A document whose content score leads the rest by `margin` or more is what the query asks for (a title, a
    summary, a quoted passage): authority must not lift other documents over it, so its signals are switched off.
    Below the margin they are kept whole: a precedent query's best match rarely stands out that far, and a
    partial cut would weaken authority on every query. margin 0 keeps them always.
    """
    top = sorted(content.values(), reverse=True)[:2]
    lead = top[0] - top[1] if len(top) == 2 else (top[0] if top else 0.0)
    if margin <= 0:
        return 1.0, lead
    return (0.0 if lead >= margin else 1.0), lead


@dataclass
class Ranked:
    """A ranking and everything that explains it."""

    ranking: list[tuple[str, float]] = field(default_factory=list)
    fused: dict[str, float] = field(default_factory=dict)            # score before the authority signals
    ranks: dict[str, dict[str, tuple[int, float]]] = field(default_factory=dict)
    prior: dict[str, float] = field(default_factory=dict)            # what the prior added or multiplied in
    votes: dict[str, float] = field(default_factory=dict)            # neighbours' citation votes (document queries)
    reference_match: dict[str, str] = field(default_factory=dict)   # "carries" | "cites"
    known_item: dict[str, str] = field(default_factory=dict)        # "title" | "quoted" | "agreed"
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
        self.known_items = KnownItemFinder(table.ids, table.records, semantic.reader, config)

    def rank(self, query: Query, options: RankOptions) -> Ranked:
        ranked = Ranked(warnings=list(query.warnings), terms=list(query.highlight), plan={"path": query.kind, "prior": None})
        semantic = self._semantic(query, options, ranked) if options.mode != "keyword" else None
        keyword: list[tuple[str, float]] = []
        if options.mode != "semantic" or semantic is None:
            keyword = self._keyword(query, options, ranked)
        ranked.semantic = semantic
        lists = {"keyword": keyword, "semantic": semantic.ranking if semantic else []}
        self._fuse(ranked, lists, options, query.kind)
        if options.mode == "hybrid":
            self._pin_known_items(ranked, query, options.mask)
        if query.kind == TERMS:
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
    def _weights(self, kind: str) -> Weights:
        cfg = self.config
        if kind == DOCUMENT:
            return Weights(cfg.similar_weight_keyword, cfg.similar_citation_prior, cfg.similar_neighbour_votes,
                           "additive")
        return Weights(cfg.weight_keyword, cfg.citation_prior, cfg.neighbour_votes, cfg.prior_blend)

    def _fuse(self, ranked: Ranked, lists: dict, options: RankOptions, kind: str) -> None:
        """Content scores in [0, 1] (best = 1), then the authority signals, damped when one document stands out."""
        weights = self._weights(kind)
        method = options.fusion or self.config.fusion
        share = {"keyword": 1.0, "semantic": 0.0}.get(options.mode, weights.keyword)
        retrievers = {"keyword": share, "semantic": 1.0 - share}
        ranked.ranks = {name: rank_table(hits) for name, hits in lists.items()}
        if method == "rrf":
            content = scaled_to_best(rrf({n: h for n, h in lists.items() if h}, self.config.rrf_k))
        else:
            content = dict(weighted(lists, retrievers))
        ranked.fused = content
        ranked.plan["fusion"] = self._fusion_plan(ranked.ranks, method, retrievers)
        gate, margin = known_item_gate(content, self.config.known_item_margin)
        precedent = self._precedent_share(content)
        gate *= precedent
        ranked.plan["known_item"] = {"margin": round(margin, 4), "authority_kept": round(gate, 4)}
        ranked.plan["precedent_share"] = round(precedent, 4)
        scores = dict(content)
        if options.mode == "hybrid" and options.authority and (weights.prior or weights.votes) and gate > 0:
            scores = self._authority(ranked, content, options, weights, gate)
        ranked.ranking = ordered(scores)

    def _precedent_share(self, content: Mapping[str, float]) -> float:
        """Share of decisions among the best content matches. Citation authority is evidence about decisions: a
        query whose best matches are FOI responses or request threads (the same request at other authorities)
        is not looking for precedent, and much-cited decisions must not be lifted over what it found."""
        best = sorted(content, key=lambda d: (-content[d], d))[:PRECEDENT_NEIGHBOURS]
        if not best:
            return 1.0
        types = (self.table.records[self.table.position[d]].get("doc_type") for d in best)
        return sum(t in PRECEDENT_TYPES for t in types) / len(best)

    def _authority(self, ranked: Ranked, content: Mapping[str, float], options: RankOptions, weights: Weights,
                   gate: float) -> dict[str, float]:
        """The citation prior (additive or multiplicative) plus the nearest documents' citation votes."""
        p, v = weights.prior * gate, weights.votes * gate
        ranked.votes = self._votes(content, options) if v else {}
        priors = self._priors([*content, *ranked.votes], options)
        if weights.blend == "multiplicative":
            base = dict(multiplicative_prior(content.items(), priors, p))
        else:
            base = additive_prior(content, priors, p)
        # Explained as p x prior: a factor of (1 + it) when multiplicative, a term when additive.
        ranked.prior = {d: p * priors.get(d, 0.0) for d in [*content, *ranked.votes]}
        scores = {d: base.get(d, p * priors.get(d, 0.0)) + v * ranked.votes.get(d, 0.0) for d in [*base, *ranked.votes]}
        ranked.plan["prior"] = {"kind": weights.blend, "weight": round(p, 4), "votes": round(v, 4)}
        return scores

    def _votes(self, content: Mapping[str, float], options: RankOptions) -> dict[str, float]:
        """What the query's nearest documents cite (see CitationGraph.votes), scaled so the top vote is 1."""
        near = ((d, content[d]) for d in sorted(content, key=lambda d: (-content[d], d)))
        votes = self.citations.votes(near, options.as_of, set(options.exclude), self.config.similar_neighbours)
        if options.mask is not None:
            votes = {d: n for d, n in votes.items() if options.mask[self.table.position[d]]}
        top = max(votes.values(), default=0.0) or 1.0
        return {d: n / top for d, n in votes.items()}

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

    # ---- known items ----------------------------------------------------------------------------------------
    def _pin_known_items(self, ranked: Ranked, query: Query, mask: np.ndarray | None) -> None:
        """What the query asks for by name or by quoting it (see known_item.py), first."""
        scores = dict(ranked.ranking)
        pinned, label, plan = self.known_items.find(query, scores, ranked.fused, ranked.ranks,
                                                    lambda doc_ids: self._allowed(doc_ids, mask))
        ranked.plan["known_item"] = {**ranked.plan.get("known_item", {}), **plan}
        if not pinned:
            return
        top = max(scores.values(), default=0.0)
        for doc_id in pinned:
            ranked.known_item[doc_id] = label
            scores[doc_id] = max(scores.get(doc_id, 0.0), top)
        first = set(pinned)
        ranked.ranking = [(d, scores[d]) for d in pinned] + [(d, s) for d, s in ranked.ranking if d not in first]

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
