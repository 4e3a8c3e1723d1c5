"""The same FOI request sent to other authorities, found like a near-duplicate detector (the matcher).

Candidates come from locality-sensitive hashing over the MinHash signatures the build stored for every request
(indexer/request_index.py): banded signatures in sorted NumPy arrays, one index for whole requests and one for
their first part, so an excerpt that holds only the start of a request still collides with the whole of it.
Each candidate then gets a precise check on the stored sentences: the shorter request's word 3-grams must be
contained in the other's, the longer one may not lack a part in the middle (an excerpt stops early; a request
that leaves out a part is another request), and the two must come from different authorities. A cluster is the
connected component of the mutual matches (whole copies of one request contain each other), plus the excerpts whose
best match lies in it: an excerpt matches every request that starts the same way, so it may join a cluster but
never chains two together. A cluster is named after the smallest document id of its mutual core.

The build runs this matcher over every request to store each document's cluster (indexer/request_clusters.py);
the service (service/search/same_request.py) runs it per lookup for matches and evidence.
"""
from __future__ import annotations

from collections import OrderedDict, deque
from collections.abc import Collection
from typing import Any

import numpy as np

from config import Settings
from indexer.request_file import RequestFile, RequestShingles
from indexer.request_index import SIGNATURE_KINDS

# LSH shape: BANDS bands of ROWS signature values each (BANDS * ROWS <= 128). A pair with Jaccard similarity s
# collides in some band with probability 1 - (1 - s**ROWS)**BANDS: 0.87 at s = 0.5, 0.99 at 0.6, 0.23 at 0.2.
BANDS, ROWS = 32, 4
_SLICE = 2048
# A sentence of one request counts as present in another when this share of its 3-grams is there (a third:
# siblings reword a phrase here and there, "for example ... and so on" for "eg ... etc").
SENTENCE_PRESENT = 0.34
# The stretch of the longer request that the shorter one covers runs between sentences found almost whole
# (this share), so that a later question merely built like an earlier one does not stretch it.
SENTENCE_ANCHOR = 0.6
# A MinHash estimate of 128 values is off by about 0.04 in Jaccard, more in the containment derived from it: a
# candidate is checked when its estimate comes within this margin of the threshold, or its first questions are
# this alike (an excerpt of the start).
ESTIMATE_MARGIN, HEAD_ALIKE = 0.2, 0.5
CLUSTER_PREFIX = "req-"
# Parsed requests and match lists kept per process: enough for a page's worth of clusters, bounded at scale.
REQUEST_CACHE, MATCH_CACHE = 4096, 4096
# The most documents one cluster gathers (one request went to 366 authorities in a real WhatDoTheyKnow batch).
MAX_CLUSTER = 1000
_MULTIPLIERS = np.array([0x9E3779B97F4A7C15, 0xC2B2AE3D27D4EB4F, 0x165667B19E3779F9, 0xD6E8FEB86659FD93,
                         0xFF51AFD7ED558CCD, 0xC4CEB9FE1A85EC53, 0x94D049BB133111EB, 0xBF58476D1CE4E5B9],
                        dtype=np.uint64)


class BandIndex:
    """Banded LSH over signature rows, in two NumPy arrays: the hash of every (band, row) sorted, and the row each
    came from. A lookup is two vectorised binary searches (no per-row Python objects: a dict of sets per band,
    as datasketch's MinHashLSH keeps, takes hundreds of MiB at 25,000 requests)."""

    def __init__(self, signatures: np.ndarray) -> None:
        # In slices, so that the uint64 copies of 25,000 signatures never sit in memory at once.
        keys = np.concatenate([self.band_keys(np.asarray(signatures[start:start + _SLICE]))
                               for start in range(0, len(signatures), _SLICE)] or [np.zeros((0, BANDS), np.uint64)])
        keys = keys.ravel()
        order = np.argsort(keys, kind="stable")
        self.sorted = keys[order]
        self.rows = (order // BANDS).astype(np.int32)

    @staticmethod
    def band_keys(signatures: np.ndarray) -> np.ndarray:
        """(n, BANDS) uint64 hash of each band of each signature row, salted by the band's number so that one
        sorted array holds every band."""
        values = signatures[:, :BANDS * ROWS].astype(np.uint64).reshape(len(signatures), BANDS, ROWS)
        with np.errstate(over="ignore"):
            keys = (values * _MULTIPLIERS[:ROWS]).sum(axis=2, dtype=np.uint64)
            return keys ^ (np.arange(BANDS, dtype=np.uint64) * _MULTIPLIERS[-1])

    def query(self, signature: np.ndarray) -> set[int]:
        """Rows sharing at least one band with the signature."""
        keys = self.band_keys(signature[None, :])[0]
        low = np.searchsorted(self.sorted, keys, side="left")
        high = np.searchsorted(self.sorted, keys, side="right")
        found: set[int] = set()
        for start, stop in zip(low.tolist(), high.tolist(), strict=True):
            if stop > start:
                found.update(self.rows[start:stop].tolist())
        return found


class _Bounded(OrderedDict):
    """A dict that forgets its least recently used entries beyond a size, so caches stay small at scale."""

    def __init__(self, size: int) -> None:
        super().__init__()
        self.size = size

    def remember(self, key: Any, value: Any) -> Any:
        self[key] = value
        self.move_to_end(key)
        if len(self) > self.size:
            self.popitem(last=False)
        return value


class RequestMatcher:
    """Same-request matches and clusters over one generation's request index, for the documents in `present`
    (rows of documents the generation no longer lists are left out of every result). Caches hold `cache_size`
    parsed requests and match lists: a page's worth at serving time, every request at build time."""

    def __init__(self, file: RequestFile, present: Collection[str], config: Settings,
                 cache_size: int = MATCH_CACHE) -> None:
        self.file = file
        self.position = {doc_id: i for i, doc_id in enumerate(self.file.ids) if doc_id in present}
        self.indexes = [BandIndex(self.file.signatures[:, kind, :]) for kind in range(len(SIGNATURE_KINDS))]
        self.threshold = config.same_request_threshold
        self.max_gap = config.same_request_max_gap
        self.min_shingles = config.same_request_min_shingles
        self._requests = _Bounded(max(REQUEST_CACHE, cache_size))
        self._matches = _Bounded(cache_size)
        self._clusters = _Bounded(cache_size)

    def _request(self, position: int) -> RequestShingles:
        if position in self._requests:
            return self._requests[position]
        return self._requests.remember(position, self.file.shingles(position))

    def candidates(self, doc_id: str) -> list[int]:
        """Rows whose whole request or first questions collide with this one's in some LSH band, and whose
        signatures promise a match: estimated containment (from the MinHash Jaccard estimate and the two
        requests' sizes) near the threshold, or first questions alike. Only these are read and checked."""
        position = self.position[doc_id]
        found: set[int] = set()
        for kind, index in enumerate(self.indexes):
            found |= index.query(np.asarray(self.file.signatures[position, kind]))
        found.discard(position)
        rows = np.fromiter((row for row in found if self.file.ids[row] in self.position), dtype=np.int64)
        if not len(rows):
            return []
        own = np.asarray(self.file.signatures[position])
        theirs = np.asarray(self.file.signatures[rows])
        jaccard, head = (theirs == own[None]).mean(axis=2).T
        sizes, size = self.file.shingle_counts[rows], self.file.shingle_counts[position]
        contained = jaccard * (sizes + size) / ((1 + jaccard) * np.maximum(1, np.minimum(sizes, size)))
        promising = (contained >= self.threshold - ESTIMATE_MARGIN) | (head >= HEAD_ALIKE)
        return rows[promising].tolist()

    def compare(self, one: RequestShingles, other: RequestShingles) -> tuple[float, bool] | None:
        """(containment of the shorter request in the other, whether the longer is contained in the shorter
        as well), or None when they are not the same request."""
        if min(len(one.distinct), len(other.distinct)) < self.min_shingles:
            return None
        shared = np.intersect1d(one.distinct, other.distinct, assume_unique=True).size
        shorter, longer = sorted((one, other), key=lambda request: len(request.distinct))
        score = shared / len(shorter.distinct)
        if score < self.threshold or _gap(longer, shorter.distinct) > self.max_gap:
            return None
        return score, shared / len(longer.distinct) >= self.threshold

    def links(self, doc_id: str) -> list[tuple[str, float, bool]]:
        """(other document id, score, whether the match is mutual) for every match of doc_id, best first."""
        if doc_id not in self.position:
            return []
        if doc_id in self._matches:
            return self._matches[doc_id]
        position = self.position[doc_id]
        own, own_key = self._request(position), self.file.authority_keys[position]
        found = []
        for other_position in self.candidates(doc_id):
            if own_key and own_key == self.file.authority_keys[other_position]:
                continue
            result = self.compare(own, self._request(other_position))
            if result is not None:
                found.append((self.file.ids[other_position], round(result[0], 4), result[1]))
        return self._matches.remember(doc_id, sorted(found, key=lambda link: (-link[1], link[0])))

    def matches(self, doc_id: str) -> list[tuple[str, float, list[str]]]:
        """(other document id, score 0-1, shared request sentences as written in doc_id) for every document
        answering the same request from another authority, best first; [] for a document without a request."""
        links = self.links(doc_id)
        if not links:
            return []
        position = self.position[doc_id]
        own = self._request(position)
        written = [text for _normal, text in self.file.row(position).sentences]
        found = []
        for other, score, _mutual in links:
            shares = _shares(own, self._request(self.position[other]).distinct)
            found.append((other, score, [written[i] for i in np.flatnonzero(shares >= SENTENCE_PRESENT)]))
        return found

    def core(self, doc_id: str) -> list[str]:
        """The documents joined to doc_id by mutual matches (each request contains the other), at most
        MAX_CLUSTER of them: whole copies of one request, which an excerpt cannot chain to another request."""
        seen, queue = {doc_id}, deque([doc_id])
        while queue and len(seen) < MAX_CLUSTER:
            for other, _score, mutual in self.links(queue.popleft()):
                if mutual and other not in seen:
                    seen.add(other)
                    queue.append(other)
        return sorted(seen)

    def home(self, doc_id: str) -> str:
        """Where an excerpt (a document with no mutual match) belongs: the fullest request it matches, followed
        until a document with mutual matches or one fuller than all it matches (sizes only grow, so this ends)."""
        for _step in range(MAX_CLUSTER):
            links = self.links(doc_id)
            if not links or any(mutual for *_rest, mutual in links):
                return doc_id
            size = lambda other: (int(self.file.shingle_counts[self.position[other]]), other)  # noqa: E731
            fullest = max((other for other, *_rest in links), key=size)
            if size(fullest) <= size(doc_id):
                return doc_id
            doc_id = fullest
        return doc_id

    def _members(self, doc_id: str) -> list[str]:
        """The cluster of doc_id: its core and the excerpts whose best match lies in the core."""
        core_of = self.home(doc_id)
        for members in self._clusters.values():
            if core_of in members:
                return members
        core = self.core(core_of)
        excerpts = {other for member in core for other, _score, mutual in self.links(member)
                    if not mutual and other not in core and self.home(other) in core}
        return self._clusters.remember(core[0], sorted({*core, *excerpts}))

    def cluster_of(self, doc_id: str) -> str | None:
        """The id of the cluster answering the same request as doc_id ("req-" + the smallest document id of its
        core), or None when no other authority's document answers it."""
        if not self.links(doc_id):
            return None
        return CLUSTER_PREFIX + self.core(self.home(doc_id))[0]

    def cluster(self, cluster_id: str) -> list[str]:
        """The document ids of a cluster, sorted; [] for an id that names no cluster of this generation."""
        named = cluster_id[len(CLUSTER_PREFIX):] if cluster_id.startswith(CLUSTER_PREFIX) else None
        if named is None or self.cluster_of(named) != cluster_id:
            return []
        return list(self._members(named))


def _shares(request: RequestShingles, other: np.ndarray) -> np.ndarray:
    """For each sentence of the request, the share of its shingles found among `other` (sorted distinct hashes)."""
    if not len(request.flat):
        return np.zeros(0)
    found = np.isin(request.flat, other).astype(np.int64)
    return np.add.reduceat(found, request.starts) / np.maximum(1, request.sizes)


def _gap(longer: RequestShingles, shorter: np.ndarray) -> float:
    """Share of the questions in the longer request's stretch covered by the shorter one (from its first to
    its last sentence found almost whole there) that the shorter one lacks: 0 for an excerpt of the start or
    for siblings that drop an introduction, high for a request leaving out a question in the middle."""
    shares = _shares(longer, shorter)
    anchors = np.flatnonzero(shares >= SENTENCE_ANCHOR)
    if not len(anchors):
        return 1.0
    stretch = slice(anchors[0], anchors[-1] + 1)
    asked = longer.questions[stretch]
    sizes = longer.sizes[stretch]
    missing = sizes[asked & (shares[stretch] < SENTENCE_PRESENT)].sum()
    return float(missing) / max(1, int(sizes[asked].sum()))
