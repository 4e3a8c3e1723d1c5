"""The query record every task builds, and the deterministic tune/report split that keeps a group in one half."""
from __future__ import annotations

import random
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

HALVES = ("tune", "report")
SEED = 20261130


@dataclass(frozen=True)
class Query:
    """One query with graded judgments over corpus paths (posix, relative to the corpus folder).

    need: how many relevant documents satisfy the query. A look-up needs one (any decision of the appeal will
    do), so R@k is then success@k; a query wanting every relevant document has need = len(relevant).
    group: the split unit. Variants of one case, one appeal, one cluster or one label combination share it,
    so no case is tuned on in one half and reported in the other.
    """

    qid: str
    text: str
    relevant: Mapping[str, int]
    group: str
    need: int = 1
    similar_text: str | None = None      # the text POST /api/similar gets; None where that path does not apply
    source: str | None = None            # the corpus document the query was taken from: never a candidate
    as_of: str | None = None             # the citation prior counts only citing documents dated on or before
    stratum: str = ""                    # a kind of query that sampling must not crowd out (reference kinds)


def split_halves(queries: Iterable[Query], seed: int = SEED) -> dict[str, list[Query]]:
    """Tune and report halves: groups in a seeded order, each to the half holding fewer queries so far."""
    by_group: dict[str, list[Query]] = {}
    for query in queries:
        by_group.setdefault(query.group, []).append(query)
    groups = sorted(by_group)
    random.Random(seed).shuffle(groups)
    halves: dict[str, list[Query]] = {half: [] for half in HALVES}
    for group in groups:
        # Ties alternate on the group count, so single-query groups still split evenly.
        target = min(HALVES, key=lambda h: (len(halves[h]), HALVES.index(h)))
        halves[target].extend(by_group[group])
    return {half: sorted(qs, key=lambda q: q.qid) for half, qs in halves.items()}


def cap(queries: list[Query], limit: int, seed: int = SEED) -> list[Query]:
    """At most `limit` queries (0 keeps all), a seeded sample in qid order so reruns score the same queries.

    The budget is shared out evenly over strata, a small stratum keeping all its queries and leaving the rest to
    the others, so 17 IC-reference queries are not crowded out by a thousand EA ones.
    """
    if not limit or len(queries) <= limit:
        return queries
    strata: dict[str, list[Query]] = {}
    for query in queries:
        strata.setdefault(query.stratum, []).append(query)
    rng = random.Random(seed)
    chosen: list[Query] = []
    budget = limit
    for left, (_name, members) in enumerate(sorted(strata.items(), key=lambda item: (len(item[1]), item[0]))):
        take = min(len(members), budget // (len(strata) - left))
        chosen += rng.sample(members, take)
        budget -= take
    return sorted(chosen, key=lambda q: q.qid)
