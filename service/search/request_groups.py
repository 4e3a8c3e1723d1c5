"""Answers to one FOI request seen together: the cluster view, and search results folded by request.

A request sent to forty police forces comes back as forty near-identical answers; listed one after another they
push every other result off the page. Folding keeps the best-ranked answer of each cluster in its place and
hangs the others on it; the cluster view lists every answer with what each authority decided.
"""
from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np

from service.search.same_request import BandIndex, SameRequestIndex

ROW_KEYS = ("id", "title", "doc_type", "authority", "date", "references", "outcome", "sections")


@dataclass
class Folded:
    """A ranked order with the later answers to an already-listed request taken out."""

    order: list[int]
    # Position of a result leading a group -> ids of the later results folded into it, best first.
    groups: dict[int, list[str]] = field(default_factory=dict)


def fold_by_request(order: Sequence[int], ids: Sequence[str], index: SameRequestIndex, depth: int) -> Folded:
    """Keep the first (best-ranked) result of each request among the first `depth` results and fold the later
    answers to it into that one; results beyond `depth` are kept as they come. Deterministic: the same order
    gives the same folding, so pages cut from it never overlap or skip."""
    top = list(order[:depth])
    group = _same_request_groups([ids[position] for position in top], index)
    folded = Folded(order=[])
    leaders: dict[int, int] = {}
    for rank, position in enumerate(top):
        if group[rank] is None or group[rank] not in leaders:
            folded.order.append(position)
            if group[rank] is not None:
                leaders[group[rank]] = position
                folded.groups[position] = []
        else:
            folded.groups[leaders[group[rank]]].append(ids[position])
    folded.order.extend(order[depth:])
    return folded


def _same_request_groups(doc_ids: list[str], index: SameRequestIndex) -> list[int | None]:
    """For each of these documents, the number of its group of answers to one request among them (None when it
    shares its request with none of them). Only these documents are compared, never the rest of the corpus, so a
    search pays for its own results: their signatures collide in an LSH band, then the matcher's precise check.
    Whole copies of a request (mutual matches) join; an excerpt with no whole copy here joins only when all it
    matches lies in one group, so it never chains two requests together (the matcher's own rule for clusters)."""
    rows = [(rank, index.position[doc_id]) for rank, doc_id in enumerate(doc_ids) if doc_id in index.position]
    groups = _UnionFind(len(doc_ids))
    excerpts: dict[int, set[int]] = {}
    shingles = {row: index.file.shingles(row) for _rank, row in rows}
    for one, other in _colliding(rows, index):
        (first, first_row), (second, second_row) = rows[one], rows[other]
        if groups.root(first) == groups.root(second):
            continue  # already one request: the check would add nothing
        result = index.compare(shingles[first_row], shingles[second_row])
        if result is not None and result[1]:
            groups.join(first, second)
        elif result is not None:
            excerpts.setdefault(first, set()).add(second)
            excerpts.setdefault(second, set()).add(first)
    sizes = groups.sizes()
    homes = {rank: {groups.root(other) for other in excerpts[rank]} for rank in sorted(excerpts)
             if sizes[groups.root(rank)] == 1}
    for rank, home in homes.items():
        if len(home) == 1:
            groups.join(home.pop(), rank)
    sizes = groups.sizes()
    return [groups.root(rank) if sizes[groups.root(rank)] > 1 else None for rank in range(len(doc_ids))]


class _UnionFind:
    """Disjoint sets over 0..n-1 (path halving); the root of a set is its member joined first."""

    def __init__(self, size: int) -> None:
        self.parent = list(range(size))

    def root(self, item: int) -> int:
        while self.parent[item] != item:
            self.parent[item] = self.parent[self.parent[item]]
            item = self.parent[item]
        return item

    def join(self, keep: int, other: int) -> None:
        self.parent[self.root(other)] = self.root(keep)

    def sizes(self) -> Counter:
        """Root -> how many members its set has."""
        return Counter(self.root(member) for member in range(len(self.parent)))


def _colliding(rows: list[tuple[int, int]], index: SameRequestIndex) -> list[tuple[int, int]]:
    """Pairs (i < j, indexes into rows) of different authorities whose whole requests or first questions share
    an LSH band, in order."""
    if len(rows) < 2:
        return []
    signatures = np.asarray(index.file.signatures[[row for _rank, row in rows]])
    buckets: dict[int, list[int]] = {}
    for kind in range(signatures.shape[1]):
        keys = BandIndex.band_keys(signatures[:, kind, :])
        for i, row_keys in enumerate(keys.tolist()):
            for key in row_keys:
                buckets.setdefault(key, []).append(i)
    keys_of = index.file.authority_keys
    pairs = {(one, other) for members in buckets.values() if len(members) > 1
             for n, one in enumerate(members) for other in members[n + 1:] if one != other}
    return sorted((one, other) for one, other in pairs
                  if not (keys_of[rows[one][1]] and keys_of[rows[one][1]] == keys_of[rows[other][1]]))


def authority_count(records: Sequence[Mapping]) -> int:
    """Distinct authorities among the records; a record naming none counts as one of its own."""
    named = {(record.get("authority") or "").strip().lower() for record in records}
    unnamed = sum(1 for record in records if not (record.get("authority") or "").strip())
    return len(named - {""}) + unnamed


def cluster_view(index: SameRequestIndex, documents: Mapping[str, Mapping], cluster_id: str) -> dict | None:
    """{"id", "request_text" (the fullest member's), "authorities", "documents": [row]} with rows by authority
    then date; None for an id naming no cluster of this generation."""
    members = [documents[doc_id] for doc_id in index.cluster(cluster_id) if doc_id in documents]
    if not members:
        return None
    fullest = max(members, key=lambda record: (len(record.get("request_text") or ""), record["id"]))
    rows = [{**{key: record.get(key) for key in ROW_KEYS}, "reference": (record.get("references") or [None])[0]}
            for record in members]
    rows.sort(key=lambda row: ((row["authority"] or "").lower(), row["date"] or "", row["id"]))
    return {"id": cluster_id, "request_text": fullest.get("request_text"), "authorities": authority_count(members),
            "documents": rows}


def group_summary(index: SameRequestIndex, documents: Mapping[str, Mapping], doc_id: str, cluster_id: str | None,
                  folded: list[str]) -> dict:
    """What a search result leading a group says about the rest: {"cluster", "documents", "other_authorities",
    "folded"}: documents and authorities of its whole cluster (of the group, should the matcher name none), and
    folded, the results of this search behind it."""
    listed = index.cluster(cluster_id) if cluster_id else []
    members = [documents[member] for member in (listed or [doc_id, *folded]) if member in documents]
    own = (documents[doc_id].get("authority") or "").strip().lower()
    others = [record for record in members if record["id"] != doc_id
              and not (own and (record.get("authority") or "").strip().lower() == own)]
    return {"cluster": cluster_id, "documents": len(members), "other_authorities": authority_count(others),
            "folded": folded}
