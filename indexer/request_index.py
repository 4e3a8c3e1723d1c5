"""The request index of a generation: each document's normalised request sentences and MinHash signatures,
written by the build next to documents.jsonl and read by the service's same-request finder."""
from __future__ import annotations

import hashlib
import io
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
# Ids, authority keys, shingle counts and line offsets: what a lookup needs in memory, read in one go.
TABLE_FILE = "request_table.json"
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


def _json_line(row: RequestRow) -> bytes:
    return (json.dumps({"id": row.doc_id, "authority": row.authority_key, "date": row.date,
                        "sentences": [list(pair) for pair in row.sentences], "digest": row.digest},
                       ensure_ascii=False) + "\n").encode("utf-8")


def _write_atomic(path: Path, data: bytes) -> None:
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_bytes(data)
    os.replace(tmp, path)


def _write_files(gen_dir: Path, rows: list[RequestRow], signatures: list[np.ndarray]) -> None:
    lines = [_json_line(row) for row in rows]
    offsets = np.cumsum([0, *map(len, lines)])[:-1].tolist()
    table = {"version": SIGNATURE_VERSION, "ids": [row.doc_id for row in rows],
             "authority": [row.authority_key for row in rows],
             "shingles": [len(shingles(normal for normal, _written in row.sentences)) for row in rows],
             "offsets": offsets}
    matrix = np.stack(signatures) if signatures else np.zeros((0, len(SIGNATURE_KINDS), NUM_PERM), dtype=np.uint32)
    buffer = io.BytesIO()
    np.save(buffer, matrix)
    _write_atomic(gen_dir / SIGNATURES_FILE, buffer.getvalue())
    _write_atomic(gen_dir / REQUESTS_FILE, b"".join(lines))
    _write_atomic(gen_dir / TABLE_FILE, json.dumps(table, ensure_ascii=False).encode("utf-8"))


def write_request_index(gen_dir: Path, records: Iterable[Mapping[str, Any]],
                        previous: Path | None = None) -> tuple[int, int]:
    """Write the request index files for every record with a request; rows of unchanged requests are taken from
    the previous generation. Returns (requests written, requests signed anew)."""
    try:
        reused = {row.doc_id: (row, sig) for row, sig in zip(*read_request_index(previous), strict=True)}
    except (OSError, ValueError, KeyError) as exc:
        log.warning("previous request index unreadable (%s); signing every request again", exc)
        reused = {}
    rows, signatures, computed = [], [], 0
    for record in records:
        if not record.get("request_text"):
            continue
        old = reused.get(record["id"])
        made = old if old and old[0].digest == _digest(record) else _row(record)
        computed += made is not old
        if made is not None:
            rows.append(made[0])
            signatures.append(made[1])
    _write_files(gen_dir, rows, signatures)
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
    """A generation's request index opened for lookups: the table (ids, authority keys, shingle counts) and the
    signatures in memory, each request's sentences read from the memory-mapped requests.jsonl only when asked
    for (at 25,000 requests the sentences as Python strings would take over 100 MiB per process)."""

    def __init__(self, gen_dir: Path | None) -> None:
        self.ids: list[str] = []
        self.authority_keys: list[str | None] = []
        self.shingle_counts = np.zeros(0, dtype=np.int32)
        self._offsets: list[int] = []
        self._map: mmap.mmap | None = None
        self.signatures = np.zeros((0, len(SIGNATURE_KINDS), NUM_PERM), dtype=np.uint32)
        files = [gen_dir / name for name in (REQUESTS_FILE, SIGNATURES_FILE, TABLE_FILE)] if gen_dir else []
        if not files or not all(path.is_file() for path in files):
            return
        table = json.loads(files[2].read_text(encoding="utf-8"))
        self.ids, self.authority_keys, self._offsets = table["ids"], table["authority"], table["offsets"]
        self.shingle_counts = np.asarray(table["shingles"], dtype=np.int32)
        with open(files[0], "rb") as handle:
            if os.fstat(handle.fileno()).st_size:
                self._map = mmap.mmap(handle.fileno(), 0, access=mmap.ACCESS_READ)
        self.signatures = np.load(files[1], mmap_mode="r")
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
