"""A generation's request index opened for lookups: small tables in memory, everything else memory-mapped."""
from __future__ import annotations

import json
import mmap
import os
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from indexer.request_index import (
    INDEX_FILES,
    NUM_PERM,
    REQUESTS_FILE,
    SENTENCE_DTYPE,
    SENTENCES_FILE,
    SHINGLES_FILE,
    SIGNATURE_KINDS,
    SIGNATURES_FILE,
    TABLE_FILE,
    RequestRow,
    parse_row,
)


@dataclass(frozen=True)
class RequestShingles:
    """One request as arrays: its shingle hashes sentence by sentence (`flat`, in reading order), where each
    sentence starts in `flat`, each sentence's shingle count and question flag, and the distinct hashes sorted."""
    flat: np.ndarray
    starts: np.ndarray
    sizes: np.ndarray
    questions: np.ndarray
    distinct: np.ndarray


class RequestFile:
    """Ids, authority keys and counts in memory; signatures, shingle hashes and sentences memory-mapped, so the
    page cache holds them once for every worker; a request's text is parsed only when its evidence is shown."""

    def __init__(self, gen_dir: Path | None) -> None:
        self.ids: list[str] = []
        self.authority_keys: list[str | None] = []
        self.shingle_counts = np.zeros(0, dtype=np.int64)
        self.signatures = np.zeros((0, len(SIGNATURE_KINDS), NUM_PERM), dtype=np.uint32)
        self._offsets: list[int] = []
        self._map: mmap.mmap | None = None
        if gen_dir is None or not all((gen_dir / name).is_file() for name in INDEX_FILES):
            return
        table = json.loads((gen_dir / TABLE_FILE).read_text(encoding="utf-8"))
        self.ids, self.authority_keys, self._offsets = table["ids"], table["authority"], table["offsets"]
        self.shingle_counts = np.asarray(table["shingles"], dtype=np.int64)
        self.signatures = np.load(gen_dir / SIGNATURES_FILE, mmap_mode="r")
        self._hashes = np.load(gen_dir / SHINGLES_FILE, mmap_mode="r")
        self._sentences = np.load(gen_dir / SENTENCES_FILE, mmap_mode="r")
        if self.signatures.shape != (len(self.ids), len(SIGNATURE_KINDS), NUM_PERM) or \
                self._sentences.dtype != SENTENCE_DTYPE:
            raise ValueError(f"{SIGNATURES_FILE} or {SENTENCES_FILE} does not fit {TABLE_FILE}")
        self._first_sentence = np.concatenate([[0], np.cumsum(table["sentences"], dtype=np.int64)])
        self._first_shingle = np.concatenate([[0], np.cumsum(self._sentences["size"], dtype=np.int64)])
        with open(gen_dir / REQUESTS_FILE, "rb") as handle:
            if os.fstat(handle.fileno()).st_size:
                self._map = mmap.mmap(handle.fileno(), 0, access=mmap.ACCESS_READ)

    def __len__(self) -> int:
        return len(self.ids)

    def shingles(self, position: int) -> RequestShingles:
        """The shingle arrays of one request (views of the mapped files, and its sorted distinct hashes)."""
        first, last = self._first_sentence[position], self._first_sentence[position + 1]
        start, stop = self._first_shingle[first], self._first_shingle[last]
        flat = np.asarray(self._hashes[start:stop])
        sentences = np.asarray(self._sentences[first:last])
        starts = (self._first_shingle[first:last] - start).astype(np.int64)
        return RequestShingles(flat, starts, sentences["size"].astype(np.int64), sentences["question"].astype(bool),
                               np.unique(flat))

    def row(self, position: int) -> RequestRow:
        """The full row of one request (its sentences as written), parsed from requests.jsonl."""
        assert self._map is not None
        start = self._offsets[position]
        end = self._map.find(b"\n", start)
        return parse_row(self._map[start:end if end >= 0 else len(self._map)])
