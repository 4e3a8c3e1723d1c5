"""Answers to one FOI request seen together: the cluster view, and search results folded by request.

A request sent to forty police forces comes back as forty near-identical answers; listed one after another they
push every other result off the page. Folding keeps the best-ranked answer of each cluster in its place and
hangs the others on it; the cluster view lists every answer with what each authority decided.
"""
from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from service.search.same_request import SameRequestIndex

ROW_KEYS = ("id", "title", "doc_type", "authority", "date", "references", "outcome", "sections")


@dataclass
class Folded:
    """A ranked order with the later answers to an already-listed request taken out."""

    order: list[int]
    # Position of a result leading a cluster -> (cluster id, ids of the later results folded into it, best first).
    groups: dict[int, tuple[str, list[str]]] = field(default_factory=dict)


def fold_by_request(order: Sequence[int], ids: Sequence[str], index: SameRequestIndex, depth: int) -> Folded:
    """Keep the first (best-ranked) result of each same-request cluster among the first `depth` results and fold
    the later ones into it; results beyond `depth` are kept as they come, so every lookup is bounded per search.
    Deterministic: the same order gives the same folding, so pages cut from it never overlap or skip."""
    folded = Folded(order=[])
    leaders: dict[str, int] = {}
    for rank, position in enumerate(order):
        cluster = index.cluster_of(ids[position]) if rank < depth else None
        if cluster is None:
            folded.order.append(position)
        elif cluster in leaders:
            folded.groups[leaders[cluster]][1].append(ids[position])
        else:
            leaders[cluster] = position
            folded.groups[position] = (cluster, [])
            folded.order.append(position)
    return folded


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


def group_summary(index: SameRequestIndex, documents: Mapping[str, Mapping], doc_id: str, cluster_id: str,
                  folded: list[str]) -> dict:
    """What a search result leading a cluster says about the rest: {"cluster", "documents", "other_authorities",
    "folded"} (documents and authorities of the whole cluster; folded: the results of this search behind it)."""
    members = [documents[member] for member in index.cluster(cluster_id) if member in documents]
    own = (documents[doc_id].get("authority") or "").strip().lower()
    others = [record for record in members if record["id"] != doc_id
              and not (own and (record.get("authority") or "").strip().lower() == own)]
    return {"cluster": cluster_id, "documents": len(members), "other_authorities": authority_count(others),
            "folded": folded}
