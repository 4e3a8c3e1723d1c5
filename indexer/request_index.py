"""The request index of a generation: each document's normalised request sentences and MinHash signatures,
written by the build next to documents.jsonl and read by the service's same-request finder."""
from __future__ import annotations

import hashlib
import json
import logging
import mmap
import os
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from indexer.gazetteer import canonical
from indexer.request_signatures import (
    NUM_PERM,
    SIGNATURE_VERSION,
    Shingle,
    is_question,
    request_sentences,
    sentence_shingles,
    shingles,
    signature,
)

REQUESTS_FILE = "requests.jsonl"
SIGNATURES_FILE = "request_signatures.npy"
# Two signatures per request: of all its shingles, and of the first HEAD_SHINGLES of its questions (in reading
# order), so that an excerpt holding only the first questions, or quoting the questions without the request's
# introduction (as decision notices do), still collides with the whole request.
SIGNATURE_KINDS = ("full", "head")
HEAD_SHINGLES = 40
log = logging.getLogger("indexer.build")


@dataclass(frozen=True)
class RequestRow:
    """One document's request: its id, the key of its authority (gazetteer id, else the lower-cased name),
    its date, and its sentences as [normalised, as written] pairs."""
    doc_id: str
    authority_key: str | None
    date: str | None
    sentences: tuple[tuple[str, str], ...]
    digest: str


def authority_key(name: str | None) -> str | None:
    """The same key for every name of one body: its gazetteer id, else its lower-cased display name."""
    if not name:
        return None
    body = canonical(name)
    return body.id if body else " ".join(name.lower().split())


def _digest(record: Mapping[str, Any]) -> str:
    payload = json.dumps([SIGNATURE_VERSION, record.get("request_text"), record.get("authority")], ensure_ascii=False)
    return hashlib.sha1(payload.encode("utf-8")).hexdigest()


def head_shingles(normalised: Sequence[str]) -> set[Shingle]:
    """The first HEAD_SHINGLES distinct shingles of the request's questions (of all its sentences when none
    reads as a question) in reading order."""
    head: dict[Shingle, None] = {}
    questions = [sentence for sentence in normalised if is_question(sentence)]
    for sentence in questions or normalised:
        words = sentence.split()
        for shingle in zip(words, words[1:], words[2:], strict=False):
            head.setdefault(shingle, None)
            if len(head) >= HEAD_SHINGLES:
                return set(head)
    return set(head)


def _row(record: Mapping[str, Any]) -> tuple[RequestRow, np.ndarray] | None:
    pairs = request_sentences(record["request_text"], record.get("authority"))
    if not pairs:
        return None
    normalised = [normal for normal, _written in pairs]
    row = RequestRow(record["id"], authority_key(record.get("authority")), record.get("date"),
                     tuple(pairs), _digest(record))
    return row, np.stack([signature(shingles(normalised)), signature(head_shingles(normalised))])


def _json_line(row: RequestRow) -> str:
    return json.dumps({"id": row.doc_id, "authority": row.authority_key, "date": row.date,
                       "sentences": [list(pair) for pair in row.sentences], "digest": row.digest},
                      ensure_ascii=False) + "\n"


def write_request_index(gen_dir: Path, records: Iterable[Mapping[str, Any]],
                        previous: Path | None = None) -> tuple[int, int]:
    """Write requests.jsonl and request_signatures.npy for every record with a request; rows of unchanged
    requests are taken from the previous generation. Returns (requests written, requests signed anew)."""
    try:
        reused = {row.doc_id: (row, sig) for row, sig in zip(*read_request_index(previous), strict=True)}
    except (OSError, ValueError, KeyError) as exc:
        log.warning("previous request index unreadable (%s); signing every request again", exc)
        reused = {}
    rows, sigs, computed = [], [], 0
    for record in records:
        if not record.get("request_text"):
            continue
        old = reused.get(record["id"])
        made = old if old and old[0].digest == _digest(record) else _row(record)
        computed += made is not old
        if made is not None:
            rows.append(made[0])
            sigs.append(made[1])
    matrix = np.stack(sigs) if sigs else np.zeros((0, len(SIGNATURE_KINDS), NUM_PERM), dtype=np.uint32)
    tmp = gen_dir / (SIGNATURES_FILE + ".tmp")
    with open(tmp, "wb") as handle:
        np.save(handle, matrix)
    os.replace(tmp, gen_dir / SIGNATURES_FILE)
    (gen_dir / REQUESTS_FILE).write_text("".join(map(_json_line, rows)), encoding="utf-8")
    log.info("request index: %d requests (%d signed anew)", len(rows), computed)
    return len(rows), computed


def read_request_index(gen_dir: Path | None) -> tuple[list[RequestRow], np.ndarray]:
    """The rows and their (n, 2, NUM_PERM) signatures; empty for a generation built before request indexes."""
    empty = np.zeros((0, len(SIGNATURE_KINDS), NUM_PERM), dtype=np.uint32)
    if gen_dir is None or not (gen_dir / REQUESTS_FILE).is_file() or not (gen_dir / SIGNATURES_FILE).is_file():
        return [], empty
    with open(gen_dir / REQUESTS_FILE, encoding="utf-8") as handle:
        rows = [_parse(line) for line in handle if line.strip()]
    matrix = np.load(gen_dir / SIGNATURES_FILE)
    if matrix.shape != (len(rows), len(SIGNATURE_KINDS), NUM_PERM):
        raise ValueError(f"{SIGNATURES_FILE} has shape {matrix.shape} for {len(rows)} requests")
    return rows, matrix


def _parse(line: bytes | str) -> RequestRow:
    item = json.loads(line)
    return RequestRow(item["id"], item["authority"], item["date"],
                      tuple((normal, written) for normal, written in item["sentences"]), item["digest"])


class RequestFile:
    """A generation's request index opened for lookups: ids, authority keys and signatures in memory, each
    request's sentences read from the memory-mapped requests.jsonl only when asked for (at 25,000 requests the
    sentences as Python strings would take over 100 MiB per process)."""

    def __init__(self, gen_dir: Path | None) -> None:
        self.ids: list[str] = []
        self.authority_keys: list[str | None] = []
        self._offsets: list[int] = []
        self._map: mmap.mmap | None = None
        self.signatures = np.zeros((0, len(SIGNATURE_KINDS), NUM_PERM), dtype=np.uint32)
        if gen_dir is None or not (gen_dir / REQUESTS_FILE).is_file() or not (gen_dir / SIGNATURES_FILE).is_file():
            return
        with open(gen_dir / REQUESTS_FILE, "rb") as handle:
            if os.fstat(handle.fileno()).st_size:
                self._map = mmap.mmap(handle.fileno(), 0, access=mmap.ACCESS_READ)
        offset = 0
        for line in iter(self._map.readline, b"") if self._map is not None else ():
            item = json.loads(line)
            self.ids.append(item["id"])
            self.authority_keys.append(item["authority"])
            self._offsets.append(offset)
            offset += len(line)
        self.signatures = np.load(gen_dir / SIGNATURES_FILE, mmap_mode="r")
        if self.signatures.shape != (len(self.ids), len(SIGNATURE_KINDS), NUM_PERM):
            raise ValueError(f"{SIGNATURES_FILE} has shape {self.signatures.shape} for {len(self.ids)} requests")

    def row(self, position: int) -> RequestRow:
        """The full row of one request, parsed from the file."""
        assert self._map is not None
        start = self._offsets[position]
        end = self._map.find(b"\n", start)
        return _parse(self._map[start:end if end >= 0 else len(self._map)])


def row_shingles(row: RequestRow) -> list[set[Shingle]]:
    """Shingles of each normalised sentence of a row, in reading order."""
    return [sentence_shingles(normal) for normal, _written in row.sentences]
