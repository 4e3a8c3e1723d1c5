"""Per-query R@1, R@10, graded nDCG@10 and MRR, and (paired) bootstrap confidence intervals of their means."""
from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np

METRICS = ("R@1", "R@10", "nDCG@10", "MRR")
RESAMPLES = 2000
LEVEL = 0.95


def query_metrics(ranked: Sequence[str], relevant: Mapping[str, int], need: int = 1) -> dict[str, float]:
    """Metrics of one ranking.

    R@k is capped recall: relevant documents in the top k over min(k, need), at most 1, so a look-up (need 1)
    scores success@k. nDCG@10 uses the grades, counting at most `need` relevant hits against an ideal of the
    `need` best grades. MRR is 1 / rank of the first relevant document in the whole ranking (0 if none).
    """
    ranked = list(dict.fromkeys(ranked))
    need = max(1, min(need, len(relevant))) if relevant else 1
    hit_ranks = [i for i, doc in enumerate(ranked) if relevant.get(doc, 0) > 0]
    out = {}
    for k in (1, 10):
        wanted = min(k, need)
        out[f"R@{k}"] = min(sum(1 for i in hit_ranks if i < k), wanted) / wanted
    gains = [relevant[ranked[i]] / math.log2(i + 2) for i in hit_ranks[:need] if i < 10]
    ideal_grades = sorted((g for g in relevant.values() if g > 0), reverse=True)[: min(10, need)]
    ideal = sum(g / math.log2(i + 2) for i, g in enumerate(ideal_grades))
    out["nDCG@10"] = sum(gains) / ideal if ideal else 0.0
    out["MRR"] = 1.0 / (hit_ranks[0] + 1) if hit_ranks else 0.0
    return out


@dataclass(frozen=True)
class Interval:
    mean: float
    low: float
    high: float

    def excludes_zero(self) -> bool:
        return self.low > 0 or self.high < 0


def bootstrap(values: Sequence[float], resamples: int = RESAMPLES, seed: int = 0, level: float = LEVEL) -> Interval:
    """Mean of per-query values with a percentile bootstrap interval (queries resampled with replacement)."""
    data = np.asarray(values, dtype=np.float64)
    if data.size == 0:
        return Interval(math.nan, math.nan, math.nan)
    rng = np.random.default_rng(seed)
    means = data[rng.integers(0, data.size, size=(resamples, data.size))].mean(axis=1)
    tail = (1 - level) / 2 * 100
    low, high = np.percentile(means, [tail, 100 - tail])
    return Interval(float(data.mean()), float(low), float(high))


def paired_bootstrap(first: Sequence[float], second: Sequence[float], resamples: int = RESAMPLES,
                     seed: int = 0, level: float = LEVEL) -> Interval:
    """Mean per-query difference first - second with its bootstrap interval (the same queries resampled)."""
    if len(first) != len(second):
        raise ValueError(f"paired samples differ in length: {len(first)} != {len(second)}")
    diff = np.asarray(first, dtype=np.float64) - np.asarray(second, dtype=np.float64)
    return bootstrap(diff, resamples, seed, level)


def verdict(difference: Interval) -> str:
    """How hybrid compares with the best single mode, from the interval of their difference."""
    if math.isnan(difference.mean):
        return "n/a"
    if difference.low > 0:
        return "better"
    if difference.high < 0:
        return "worse"
    return "within noise"
