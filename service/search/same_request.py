"""The same FOI request sent to other authorities, found like a near-duplicate detector.

Candidates come from locality-sensitive hashing over the MinHash signatures the build stored for every request
(indexer/request_index.py): banded signatures in sorted NumPy arrays, one index for whole requests and one for
their first part, so an excerpt that holds only the start of a request still collides with the whole of it.
Each candidate then gets a precise check on the stored sentences: the shorter request's word 3-grams must be
contained in the other's, the longer one may not lack a part in the middle (an excerpt stops early; a request
that leaves out a part is another request), and the two must come from different authorities. Clusters are the
connected components of these matches, named after their smallest document id.
"""
from __future__ import annotations

from collections import OrderedDict, deque
from dataclasses import dataclass
from typing import Any

import numpy as np

from config import Settings
from indexer.request_index import SIGNATURE_KINDS, RequestFile, RequestRow, row_shingles
from indexer.request_signatures import Shingle, is_question

# LSH shape: BANDS bands of ROWS signature values each (BANDS * ROWS <= 128). A pair with Jaccard similarity s
# collides in some band with probability 1 - (1 - s**ROWS)**BANDS: 0.87 at s = 0.5, 0.99 at 0.6, 0.23 at 0.2.
BANDS, ROWS = 32, 4
# A sentence of one request counts as present in another when this share of its 3-grams is there (a third:
# siblings reword a phrase here and there, "for example ... and so on" for "eg ... etc").
SENTENCE_PRESENT = 0.34
# The stretch of the longer request that the shorter one covers runs between sentences found almost whole
# (this share), so that a later question merely built like an earlier one does not stretch it.
SENTENCE_ANCHOR = 0.6
CLUSTER_PREFIX = "req-"
# Parsed requests and match lists kept per process: enough for a page's worth of clusters, bounded at scale.
REQUEST_CACHE, MATCH_CACHE = 4096, 4096
_MULTIPLIERS = np.array([0x9E3779B97F4A7C15, 0xC2B2AE3D27D4EB4F, 0x165667B19E3779F9, 0xD6E8FEB86659FD93,
                         0xFF51AFD7ED558CCD, 0xC4CEB9FE1A85EC53, 0x94D049BB133111EB, 0xBF58476D1CE4E5B9],
                        dtype=np.uint64)


class BandIndex:
    """Banded LSH over signature rows, in two NumPy arrays: the hash of every (band, row) sorted, and the row each
    came from. A lookup is two vectorised binary searches (no per-row Python objects: a dict of sets per band,
    as datasketch's MinHashLSH keeps, takes hundreds of MiB at 25,000 requests)."""

    def __init__(self, signatures: np.ndarray) -> None:
        keys = self.band_keys(signatures).ravel()
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


@dataclass(frozen=True)
class _Request:
    row: RequestRow
    sentences: list[set[Shingle]]
    questions: list[bool]
    shingles: frozenset[Shingle]


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


class SameRequestIndex:
    """Same-request matches and clusters over one opened generation (an IndexReader: `.path`, `.documents`).
    Built when the generation is opened: 25,000 requests load in well under a second (bench.same_request_scale)."""

    def __init__(self, reader: Any, config: Settings) -> None:
        self.file = RequestFile(reader.path)
        # Rows of documents the generation no longer lists are left out of every result.
        self.position = {doc_id: i for i, doc_id in enumerate(self.file.ids) if doc_id in reader.documents}
        self.indexes = [BandIndex(np.asarray(self.file.signatures[:, kind, :]))
                        for kind in range(len(SIGNATURE_KINDS))]
        self.threshold = config.same_request_threshold
        self.max_gap = config.same_request_max_gap
        self.min_shingles = config.same_request_min_shingles
        self._requests = _Bounded(REQUEST_CACHE)
        self._matches = _Bounded(MATCH_CACHE)
        self._clusters = _Bounded(MATCH_CACHE)

    def _request(self, position: int) -> _Request:
        if position in self._requests:
            return self._requests[position]
        row = self.file.row(position)
        sentences = row_shingles(row)
        questions = [is_question(normal) for normal, _written in row.sentences]
        return self._requests.remember(position, _Request(row, sentences, questions, frozenset().union(*sentences)))

    def candidates(self, doc_id: str) -> set[int]:
        """Rows whose whole request or first part collides with this one's in some LSH band."""
        position = self.position[doc_id]
        found: set[int] = set()
        for kind, index in enumerate(self.indexes):
            found |= index.query(np.asarray(self.file.signatures[position, kind]))
        found.discard(position)
        return {row for row in found if self.file.ids[row] in self.position}

    def compare(self, one: _Request, other: _Request) -> tuple[float, list[str]] | None:
        """(containment of the shorter request in the other, the sentences of `one` the other contains), or
        None when they are not the same request."""
        if min(len(one.shingles), len(other.shingles)) < self.min_shingles:
            return None
        shared = len(one.shingles & other.shingles)
        shorter, longer = sorted((one, other), key=lambda request: len(request.shingles))
        score = shared / len(shorter.shingles)
        if score < self.threshold or _gap(longer, shorter.shingles) > self.max_gap:
            return None
        evidence = [written for (_normal, written), sentence in zip(one.row.sentences, one.sentences, strict=True)
                    if _present(sentence, other.shingles)]
        return score, evidence

    def matches(self, doc_id: str) -> list[tuple[str, float, list[str]]]:
        """(other document id, score 0-1, shared request sentences as written in doc_id) for every document
        answering the same request from another authority, best first; [] for a document without a request."""
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
        return self._matches.remember(doc_id, sorted(found, key=lambda match: (-match[1], match[0])))

    def _component(self, doc_id: str) -> list[str]:
        seen, queue = {doc_id}, deque([doc_id])
        while queue:
            for other, _score, _evidence in self.matches(queue.popleft()):
                if other not in seen:
                    seen.add(other)
                    queue.append(other)
        return sorted(seen)

    def _members(self, doc_id: str) -> list[str]:
        for members in self._clusters.values():
            if doc_id in members:
                return members
        members = self._component(doc_id)
        return self._clusters.remember(members[0], members)

    def cluster_of(self, doc_id: str) -> str | None:
        """The id of the cluster answering the same request as doc_id ("req-" + its smallest document id),
        or None when no other authority's document answers it."""
        if not self.matches(doc_id):
            return None
        return CLUSTER_PREFIX + self._members(doc_id)[0]

    def cluster(self, cluster_id: str) -> list[str]:
        """The document ids of a cluster, sorted; [] for an id that names no cluster of this generation."""
        named = cluster_id[len(CLUSTER_PREFIX):] if cluster_id.startswith(CLUSTER_PREFIX) else None
        if named is None or self.cluster_of(named) != cluster_id:
            return []
        return list(self._members(named))


def _present(sentence: set[Shingle], shingles: frozenset[Shingle], share: float = SENTENCE_PRESENT) -> bool:
    return bool(sentence) and len(sentence & shingles) >= share * len(sentence)


def _gap(longer: _Request, shorter: frozenset[Shingle]) -> float:
    """Share of the questions in the longer request's stretch covered by the shorter one (from its first to
    its last sentence found almost whole there) that the shorter one lacks: 0 for an excerpt of the start or
    for siblings that drop an introduction, high for a request leaving out a question in the middle."""
    anchors = [i for i, sentence in enumerate(longer.sentences) if _present(sentence, shorter, SENTENCE_ANCHOR)]
    if not anchors:
        return 1.0
    stretch = range(anchors[0], anchors[-1] + 1)
    asked = sum(len(longer.sentences[i]) for i in stretch if longer.questions[i])
    missing = sum(len(longer.sentences[i]) for i in stretch
                  if longer.questions[i] and not _present(longer.sentences[i], shorter))
    return missing / max(1, asked)
