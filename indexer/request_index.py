"""The request index of a generation: each document's normalised request sentences and MinHash signatures,
written by the build next to documents.jsonl and read by the service's same-request finder."""
from __future__ import annotations

import hashlib
import io
import json
import logging
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
    sentence_hashes,
    shingles,
    signature,
)

REQUESTS_FILE = "requests.jsonl"
SIGNATURES_FILE = "request_signatures.npy"
# Ids, authority keys, shingle and sentence counts and line offsets: what a lookup needs in memory, in one go.
TABLE_FILE = "request_table.json"
# Every request's sentences as stable 64-bit shingle hashes (flat, in reading order) and each sentence's shingle
# count and whether it asks a question: the precise check works on these NumPy arrays without parsing text.
SHINGLES_FILE = "request_shingles.npy"
SENTENCES_FILE = "request_sentences.npy"
SENTENCE_DTYPE = np.dtype([("size", np.int32), ("question", np.bool_)])
INDEX_FILES = (REQUESTS_FILE, SIGNATURES_FILE, TABLE_FILE, SHINGLES_FILE, SENTENCES_FILE)
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


def _save_array(path: Path, array: np.ndarray) -> None:
    buffer = io.BytesIO()
    np.save(buffer, array)
    _write_atomic(path, buffer.getvalue())


def _sentence_arrays(rows: list[RequestRow]) -> tuple[np.ndarray, np.ndarray]:
    """Every request's sentences as shingle hashes, flat in reading order, and per sentence (size, question)."""
    hashes = [sentence_hashes(normal) for row in rows for normal, _written in row.sentences]
    sentences = np.array([(len(h), is_question(normal)) for h, (normal, _written) in
                          zip(hashes, (pair for row in rows for pair in row.sentences), strict=True)],
                         dtype=SENTENCE_DTYPE).reshape(-1)
    flat = np.concatenate(hashes) if hashes else np.zeros(0, dtype=np.uint64)
    return flat, sentences


def _write_files(gen_dir: Path, rows: list[RequestRow], signatures: list[np.ndarray]) -> None:
    lines = [_json_line(row) for row in rows]
    table = {"version": SIGNATURE_VERSION, "ids": [row.doc_id for row in rows],
             "authority": [row.authority_key for row in rows],
             "shingles": [len(shingles(normal for normal, _written in row.sentences)) for row in rows],
             "sentences": [len(row.sentences) for row in rows],
             "offsets": np.cumsum([0, *map(len, lines)])[:-1].tolist()}
    flat, sentences = _sentence_arrays(rows)
    empty = np.zeros((0, len(SIGNATURE_KINDS), NUM_PERM), dtype=np.uint32)
    _save_array(gen_dir / SIGNATURES_FILE, np.stack(signatures) if signatures else empty)
    _save_array(gen_dir / SHINGLES_FILE, flat)
    _save_array(gen_dir / SENTENCES_FILE, sentences)
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
        rows = [parse_row(line) for line in handle if line.strip()]
    matrix = np.load(gen_dir / SIGNATURES_FILE)
    if matrix.shape != (len(rows), len(SIGNATURE_KINDS), NUM_PERM):
        raise ValueError(f"{SIGNATURES_FILE} has shape {matrix.shape} for {len(rows)} requests")
    return rows, matrix


def parse_row(line: bytes | str) -> RequestRow:
    """One line of requests.jsonl."""
    item = json.loads(line)
    return RequestRow(item["id"], item["authority"], item["date"],
                      tuple((normal, written) for normal, written in item["sentences"]), item["digest"])
