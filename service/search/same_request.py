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

import re
from collections import deque
from dataclasses import dataclass
from typing import Any

import numpy as np

from config import Settings
from indexer.request_index import SIGNATURE_KINDS, RequestRow, read_request_index, row_shingles

# LSH shape: BANDS bands of ROWS signature values each (BANDS * ROWS <= 128). A pair with Jaccard similarity s
# collides in some band with probability 1 - (1 - s**ROWS)**BANDS: 0.87 at s = 0.5, 0.99 at 0.6, 0.23 at 0.2.
BANDS, ROWS = 32, 4
# A sentence of one request counts as present in another when this share of its 3-grams is there (a third:
# siblings reword a phrase here and there, "for example ... and so on" for "eg ... etc").
SENTENCE_PRESENT = 0.34
# A question (as opposed to an introduction, a definition or a format wish): only questions left out in the
# middle make another request.
_QUESTION = re.compile(r"^(?:\S+\s+){0,3}?(?:whether|how|what|when|where|which|who|why|is|are|do|does|did|has|have|"
                       r"can|could|will|would|please|the number|number of|a list|list of|details of|cop(?:y|ies) of|"
                       r"the total|total|the amount|amount of|if so|if yes)\b")
CLUSTER_PREFIX = "req-"
_MULTIPLIERS = np.array([0x9E3779B97F4A7C15, 0xC2B2AE3D27D4EB4F, 0x165667B19E3779F9, 0xD6E8FEB86659FD93,
                         0xFF51AFD7ED558CCD, 0xC4CEB9FE1A85EC53, 0x94D049BB133111EB, 0xBF58476D1CE4E5B9],
                        dtype=np.uint64)


class BandIndex:
    """Banded LSH over signature rows: per band, the band hash of every row, sorted, for binary search."""

    def __init__(self, signatures: np.ndarray) -> None:
        keys = self.band_keys(signatures)
        self.order = np.argsort(keys, axis=1, kind="stable").astype(np.int32)
        self.sorted = np.take_along_axis(keys, self.order.astype(np.int64), axis=1)

    @staticmethod
    def band_keys(signatures: np.ndarray) -> np.ndarray:
        """(BANDS, n) uint64 hash of each band of each signature row (one row: pass shape (1, perms))."""
        values = signatures[:, :BANDS * ROWS].astype(np.uint64).reshape(len(signatures), BANDS, ROWS)
        with np.errstate(over="ignore"):
            return (values * _MULTIPLIERS[:ROWS]).sum(axis=2, dtype=np.uint64).T.copy()

    def query(self, signature: np.ndarray) -> set[int]:
        """Rows sharing at least one band with the signature."""
        keys = self.band_keys(signature[None, :])[:, 0]
        found: set[int] = set()
        for band, key in enumerate(keys):
            low = int(np.searchsorted(self.sorted[band], key, side="left"))
            high = int(np.searchsorted(self.sorted[band], key, side="right"))
            found.update(self.order[band, low:high].tolist())
        return found


@dataclass(frozen=True)
class _Request:
    row: RequestRow
    sentences: list[set[str]]
    questions: list[bool]
    shingles: frozenset[str]


class SameRequestIndex:
    """Same-request matches and clusters over one opened generation (an IndexReader: `.path`, `.documents`)."""

    def __init__(self, reader: Any, config: Settings) -> None:
        rows, signatures = read_request_index(reader.path)
        known = [i for i, row in enumerate(rows) if row.doc_id in reader.documents]
        self.rows = [rows[i] for i in known]
        self.position = {row.doc_id: i for i, row in enumerate(self.rows)}
        self.signatures = signatures[known]
        self.indexes = [BandIndex(self.signatures[:, kind, :]) for kind in range(len(SIGNATURE_KINDS))]
        self.threshold = config.same_request_threshold
        self.max_gap = config.same_request_max_gap
        self.min_shingles = config.same_request_min_shingles
        self._requests: dict[int, _Request] = {}
        self._matches: dict[str, list[tuple[str, float, list[str]]]] = {}
        self._clusters: dict[str, list[str]] = {}

    def _request(self, position: int) -> _Request:
        if position not in self._requests:
            row = self.rows[position]
            sentences = row_shingles(row)
            questions = [bool(_QUESTION.match(normal)) for normal, _written in row.sentences]
            self._requests[position] = _Request(row, sentences, questions, frozenset().union(*sentences))
        return self._requests[position]

    def candidates(self, doc_id: str) -> set[int]:
        """Rows whose whole request or first part collides with this one's in some LSH band."""
        position = self.position[doc_id]
        found: set[int] = set()
        for kind, index in enumerate(self.indexes):
            found |= index.query(self.signatures[position, kind])
        found.discard(position)
        return found

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
        if doc_id not in self._matches:
            own = self._request(self.position[doc_id])
            found = []
            for position in self.candidates(doc_id):
                other = self._request(position)
                if own.row.authority_key and own.row.authority_key == other.row.authority_key:
                    continue
                result = self.compare(own, other)
                if result is not None:
                    found.append((other.row.doc_id, round(result[0], 4), result[1]))
            self._matches[doc_id] = sorted(found, key=lambda match: (-match[1], match[0]))
        return self._matches[doc_id]

    def _component(self, doc_id: str) -> list[str]:
        seen, queue = {doc_id}, deque([doc_id])
        while queue:
            for other, _score, _evidence in self.matches(queue.popleft()):
                if other not in seen:
                    seen.add(other)
                    queue.append(other)
        return sorted(seen)

    def cluster_of(self, doc_id: str) -> str | None:
        """The id of the cluster answering the same request as doc_id ("req-" + its smallest document id),
        or None when no other authority's document answers it."""
        if not self.matches(doc_id):
            return None
        for members in self._clusters.values():
            if doc_id in members:
                return CLUSTER_PREFIX + members[0]
        members = self._component(doc_id)
        self._clusters[members[0]] = members
        return CLUSTER_PREFIX + members[0]

    def cluster(self, cluster_id: str) -> list[str]:
        """The document ids of a cluster, sorted; [] for an id that names no cluster of this generation."""
        if not cluster_id.startswith(CLUSTER_PREFIX):
            return []
        named = cluster_id[len(CLUSTER_PREFIX):]
        if self.cluster_of(named) != cluster_id:
            return []
        return list(self._clusters[named])


def _present(sentence: set[str], shingles: frozenset[str]) -> bool:
    return bool(sentence) and len(sentence & shingles) >= SENTENCE_PRESENT * len(sentence)


def _gap(longer: _Request, shorter: frozenset[str]) -> float:
    """Share of the questions in the longer request's stretch between its first and last sentence present in
    the shorter one that the shorter one lacks: 0 for an excerpt of the start (or for siblings that drop an
    introduction), high for a request leaving out a question in the middle."""
    present = [_present(sentence, shorter) for sentence in longer.sentences]
    if True not in present:
        return 1.0
    first, last = present.index(True), len(present) - 1 - present[::-1].index(True)
    stretch = range(first, last + 1)
    asked = sum(len(longer.sentences[i]) for i in stretch if longer.questions[i])
    missing = sum(len(longer.sentences[i]) for i in stretch if longer.questions[i] and not present[i])
    return missing / max(1, asked)
