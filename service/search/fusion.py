"""Rank fusion and priors: pure functions over (doc_id, score) lists, best first; nothing here knows the index.

Fusions: reciprocal rank fusion (`rrf`) and a convex combination of min-max normalised scores (`weighted`).
Priors: the citation-authority curve (`authority_prior`) and the two ways a prior enters a score:
`multiplicative_prior` (score * (1 + w * prior)) and `additive_prior` ((1 - w) * score + w * prior).
"""
from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

Hits = Sequence[tuple[str, float]]
METHODS = ("rrf", "weighted")
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


def ordered(scores: Mapping[str, float]) -> list[tuple[str, float]]:
    """Scores best first; ties break on doc_id so equal inputs always give the same page."""
    return sorted(scores.items(), key=lambda item: (-item[1], item[0]))


def rrf(lists: Mapping[str, Hits], k: int = 60) -> list[tuple[str, float]]:
    """Reciprocal rank fusion: sum over retrievers of 1 / (k + rank)."""
    scores: dict[str, float] = {}
    for hits in lists.values():
        for doc_id, (rank, _score) in rank_table(hits).items():
            scores[doc_id] = scores.get(doc_id, 0.0) + 1.0 / (k + rank)
    return ordered(scores)


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
    return ordered(scores)


def fuse(lists: Mapping[str, Hits], method: str, k: int = 60, weights: Mapping[str, float] | None = None) -> Fused:
    """Fuse retriever lists by "rrf" or "weighted"; one list alone passes through with its own scores."""
    ranks = {name: rank_table(hits) for name, hits in lists.items()}
    present = {name: hits for name, hits in lists.items() if hits}
    if len(present) <= 1:
        only = next(iter(present.values()), [])
        return Fused([(doc_id, score) for doc_id, (_rank, score) in rank_table(only).items()], ranks)
    if method == "weighted":
        return Fused(weighted(present, weights or {}), ranks)
    if method != "rrf":
        raise ValueError(f"unknown fusion method {method!r}; expected one of {', '.join(METHODS)}")
    return Fused(rrf(present, k), ranks)


def authority_prior(counts: Mapping[str, int], half: float = PRIOR_HALF_CITATIONS) -> dict[str, float]:
    """Citation counts mapped to [0, 1) as c / (c + half): saturating, and independent of the corpus maximum,
    so one citation in a ten-document corpus is not treated as maximal authority."""
    return {doc_id: max(count, 0) / (max(count, 0) + half) for doc_id, count in counts.items()}


def multiplicative_prior(ranking: Hits, priors: Mapping[str, float], weight: float) -> list[tuple[str, float]]:
    """score * (1 + weight * prior): authority reorders relevant documents but cannot lift a document nobody's
    query matched above one that matched well."""
    if weight <= 0:
        return list(ranking)
    return ordered({doc_id: score * (1.0 + weight * priors.get(doc_id, 0.0)) for doc_id, score in ranking})


def additive_prior(scores: Mapping[str, float], priors: Mapping[str, float], weight: float) -> dict[str, float]:
    """(1 - weight) * score + weight * prior, for scores already in [0, 1]: authority counts on its own."""
    return {doc_id: (1.0 - weight) * score + weight * priors.get(doc_id, 0.0) for doc_id, score in scores.items()}
