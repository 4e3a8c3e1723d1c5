"""Every document's same-request cluster, computed once by the build and stored in the generation.

Naming a cluster on demand walks its whole mutual core, which costs seconds for a page of results at 25,000
requests; the build runs the matcher (indexer/same_request.py) over every request instead and writes
doc id -> cluster id, so serving reads a result's cluster in O(1). Clusters change whenever any request
changes, so every build (incremental or not) computes the table anew.
"""
from __future__ import annotations

import json
import logging
import time
from collections.abc import Mapping
from pathlib import Path

from config import Settings
from indexer.generations import write_atomic
from indexer.request_file import RequestFile, RequestShingles
from indexer.same_request import CLUSTER_PREFIX, MAX_CLUSTER, RequestMatcher

CLUSTERS_FILE = "request_clusters.json"
log = logging.getLogger("indexer.build")


def matcher_settings(config: Settings) -> dict[str, float]:
    """The settings a cluster table depends on: a table built under others is not used."""
    return {"threshold": config.same_request_threshold, "max_gap": config.same_request_max_gap,
            "min_shingles": config.same_request_min_shingles, "max_cluster": MAX_CLUSTER}


class AllRequestsMatcher(RequestMatcher):
    """The matcher over every request of a generation, caching every request and match list, and checking each
    pair of requests once: the check gives the same answer both ways unless the two have as many distinct 3-grams
    (which one counts as longer then depends on the order), so only those pairs are checked from both sides."""

    def __init__(self, file: RequestFile, config: Settings) -> None:
        super().__init__(file, set(file.ids), config, cache_size=len(file.ids) + 1)
        # Keyed by the requests' identities: the cache above keeps every request alive, so none is reused.
        self._pairs: dict[tuple[int, int], tuple[float, bool] | None] = {}

    def compare(self, one: RequestShingles, other: RequestShingles) -> tuple[float, bool] | None:
        if len(one.distinct) == len(other.distinct):
            return super().compare(one, other)
        key = (id(one), id(other)) if id(one) < id(other) else (id(other), id(one))
        if key not in self._pairs:
            self._pairs[key] = super().compare(one, other)
        return self._pairs[key]


def cluster_table(matcher: RequestMatcher) -> dict[str, str]:
    """doc id -> cluster id for every document with a match: the same answer as matcher.cluster_of, for all
    documents at once (each request checked once, each mutual core found once)."""
    linked = {doc_id: links for doc_id in matcher.position if (links := matcher.links(doc_id))}
    names = _core_names(linked)
    table = {}
    for doc_id in linked:
        home = matcher.home(doc_id)
        table[doc_id] = CLUSTER_PREFIX + (names.get(home) or matcher.core(home)[0])
    return table


def _core_names(linked: Mapping[str, list[tuple[str, float, bool]]]) -> dict[str, str]:
    """doc id -> smallest id of its mutual core, for the documents whose core is their connected component of
    mutual matches: components under MAX_CLUSTER whose every match is found from both sides (the matcher's walk
    from any member then reaches the whole component). Others are left to the matcher's own walk."""
    parent: dict[str, str] = {}

    def root(item: str) -> str:
        while parent.setdefault(item, item) != item:
            parent[item] = parent[parent[item]]
            item = parent[item]
        return item

    edges = {(doc_id, other) for doc_id, links in linked.items() for other, _score, mutual in links if mutual}
    for doc_id, other in edges:
        parent[root(other)] = root(doc_id)
    components: dict[str, list[str]] = {}
    for doc_id in parent:
        components.setdefault(root(doc_id), []).append(doc_id)
    one_sided = {root(doc_id) for doc_id, other in edges if (other, doc_id) not in edges}
    return {member: min(members) for top, members in components.items()
            if top not in one_sided and len(members) < MAX_CLUSTER for member in members}


def write_request_clusters(gen_dir: Path, config: Settings) -> int:
    """Compute and write the cluster table of the request index in gen_dir; returns how many documents have a
    cluster."""
    started = time.monotonic()
    file = RequestFile(gen_dir)
    table = cluster_table(AllRequestsMatcher(file, config))
    payload = {"settings": matcher_settings(config), "requests": len(file.ids), "clusters": table}
    write_atomic(gen_dir / CLUSTERS_FILE, json.dumps(payload, ensure_ascii=False))
    log.info("request clusters: %d documents in %d clusters (%.1f s)", len(table), len(set(table.values())),
             time.monotonic() - started)
    return len(table)


def read_request_clusters(gen_dir: Path | None, config: Settings, requests: int) -> dict[str, str] | None:
    """The stored doc id -> cluster id table, or None when the generation has none (built before the table
    existed), it was built under other matcher settings, or it does not fit the request index (`requests` rows)."""
    if gen_dir is None or not (gen_dir / CLUSTERS_FILE).is_file():
        return None
    try:
        payload = json.loads((gen_dir / CLUSTERS_FILE).read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        log.warning("request clusters unreadable (%s); naming clusters on demand", exc)
        return None
    if payload.get("settings") != matcher_settings(config) or payload.get("requests") != requests:
        return None
    return payload["clusters"]
