"""Rank fusion of retriever outputs: reciprocal rank fusion, weighted min-max combination and an authority prior.

Pure functions over lists of (doc_id, score), best first; nothing here knows about the index.
"""
from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

Hits = Sequence[tuple[str, float]]
# Citing documents at which the authority prior reaches one half.
PRIOR_HALF_CITATIONS = 5.0


@dataclass
class Fused:
    """The fused ranking plus, per retriever, each document's (1-based rank, raw score)."""

    ranking: list[tuple[str, float]]
    ranks: dict[str, dict[str, tuple[int, float]]] = field(default_factory=dict)


def rank_table(hits: Hits) -> dict[str, tuple[int, float]]:
    """doc_id -> (1-based rank, score); a document listed twice keeps its first (best) position."""
    table: dict[str, tuple[int, float]] = {}
    for doc_id, score in hits:
        if doc_id not in table:
            table[doc_id] = (len(table) + 1, float(score))
    return table


def _ordered(scores: Mapping[str, float]) -> list[tuple[str, float]]:
    # Ties break on doc_id so equal inputs always give the same page.
    return sorted(scores.items(), key=lambda item: (-item[1], item[0]))


def rrf(lists: Mapping[str, Hits], k: int = 60) -> list[tuple[str, float]]:
    """Reciprocal rank fusion: sum over retrievers of 1 / (k + rank)."""
    scores: dict[str, float] = {}
    for hits in lists.values():
        for doc_id, (rank, _score) in rank_table(hits).items():
            scores[doc_id] = scores.get(doc_id, 0.0) + 1.0 / (k + rank)
    return _ordered(scores)


def minmax(hits: Hits) -> dict[str, float]:
    """Scores rescaled to [0, 1]; when every score is equal each becomes 1 (all equally good)."""
    table = rank_table(hits)
    if not table:
        return {}
    values = [score for _rank, score in table.values()]
    low, high = min(values), max(values)
    span = high - low
    return {doc_id: 1.0 if span == 0 else (score - low) / span for doc_id, (_rank, score) in table.items()}


def weighted(lists: Mapping[str, Hits], weights: Mapping[str, float]) -> list[tuple[str, float]]:
    """Convex combination of min-max normalised scores; a document missing from a list scores 0 there."""
    scores: dict[str, float] = {}
    for name, hits in lists.items():
        weight = weights.get(name, 0.0)
        for doc_id, value in minmax(hits).items():
            scores[doc_id] = scores.get(doc_id, 0.0) + weight * value
    return _ordered(scores)


def fuse(lists: Mapping[str, Hits], method: str = "rrf", k: int = 60, weight_keyword: float = 0.5) -> Fused:
    """Fuse retriever lists by "rrf" or "weighted"; one list alone passes through with its own scores."""
    ranks = {name: rank_table(hits) for name, hits in lists.items()}
    present = {name: hits for name, hits in lists.items() if hits}
    if len(present) <= 1:
        only = next(iter(present.values()), [])
        return Fused([(doc_id, score) for doc_id, (_rank, score) in rank_table(only).items()], ranks)
    if method == "weighted":
        weights = {"keyword": weight_keyword, "semantic": 1.0 - weight_keyword}
        return Fused(weighted(present, weights), ranks)
    if method != "rrf":
        raise ValueError(f"unknown fusion method {method!r}; expected 'rrf' or 'weighted'")
    return Fused(rrf(present, k), ranks)


def authority_prior(counts: Mapping[str, int], half: float = PRIOR_HALF_CITATIONS) -> dict[str, float]:
    """Citation counts mapped to [0, 1) as c / (c + half): saturating, and independent of the corpus maximum,
    so one citation in a ten-document corpus is not treated as maximal authority."""
    return {doc_id: max(count, 0) / (max(count, 0) + half) for doc_id, count in counts.items()}


def blend_prior(ranking: Hits, priors: Mapping[str, float], weight: float) -> list[tuple[str, float]]:
    """score * (1 + weight * prior): a multiplicative boost, so authority reorders relevant documents
    but cannot lift a document nobody's query matched above one that matched well."""
    if weight <= 0:
        return list(ranking)
    return _ordered({doc_id: score * (1.0 + weight * priors.get(doc_id, 0.0)) for doc_id, score in ranking})
