"""The same FOI request sent to other authorities, served over one opened generation.

Matching lives in indexer/same_request.py (the build runs it too). Each document's cluster is read from the table
the build stored (indexer/request_clusters.py), so a result's request_cluster costs a dict lookup; a generation
built before that table existed names clusters on demand with the matcher's own walk.
"""
from __future__ import annotations

from typing import Any

from config import Settings
from indexer.request_clusters import read_request_clusters
from indexer.request_file import RequestFile
from indexer.same_request import CLUSTER_PREFIX, BandIndex, RequestMatcher

__all__ = ["CLUSTER_PREFIX", "BandIndex", "SameRequestIndex"]


class SameRequestIndex(RequestMatcher):
    """Same-request matches and clusters over one opened generation (an IndexReader: `.path`, `.documents`).
    Built when the generation is opened: 25,000 requests load in well under a second (bench.same_request_scale)."""

    def __init__(self, reader: Any, config: Settings) -> None:
        super().__init__(RequestFile(reader.path), reader.documents, config)
        stored = read_request_clusters(reader.path, config, len(self.file.ids))
        self.stored: dict[str, str] | None = None
        self.members: dict[str, list[str]] = {}
        if stored is not None:
            # Rows of documents the generation no longer lists are left out, as from every other result.
            self.stored = {doc_id: name for doc_id, name in stored.items() if doc_id in self.position}
            for doc_id, name in sorted(self.stored.items()):
                self.members.setdefault(name, []).append(doc_id)

    def cluster_of(self, doc_id: str) -> str | None:
        """The id of the cluster answering the same request as doc_id ("req-" + the smallest document id of its
        core), or None when no other authority's document answers it."""
        if self.stored is None:
            return super().cluster_of(doc_id)
        return self.stored.get(doc_id)

    def cluster(self, cluster_id: str) -> list[str]:
        """The document ids of a cluster (every document whose cluster_of names it), sorted; [] for an id that
        names no cluster of this generation."""
        if self.stored is None:
            return super().cluster(cluster_id)
        return list(self.members.get(cluster_id, []))
