"""The corpus side of a build: which files there are, their hashes, and the document id of each."""
from __future__ import annotations

import hashlib
import os
import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

_SLUG = re.compile(r"[^a-z0-9]+")
_HASH_BLOCK = 1 << 20


@dataclass
class Source:
    path: str  # posix, relative to corpus_dir
    file: Path
    sha256: str
    size: int


def _digest(file: Path) -> tuple[str, int] | None:
    """(sha256, size), ("", 0) for an unreadable file, None for one deleted since it was listed."""
    digest, size = hashlib.sha256(), 0
    try:
        with open(file, "rb") as handle:
            while block := handle.read(_HASH_BLOCK):
                digest.update(block)
                size += len(block)
    except FileNotFoundError:
        return None
    except OSError:
        # Unreadable files still get a report line: extract() fails on them with reason read_error.
        return "", 0
    return digest.hexdigest(), size


def scan_corpus(corpus_dir: Path) -> list[Source]:
    """Every non-hidden regular file below corpus_dir (hidden folders skipped too), in path order, hashed."""
    corpus_dir = Path(corpus_dir)
    if not corpus_dir.is_dir():
        raise FileNotFoundError(f"corpus folder {corpus_dir} does not exist (setting corpus_dir, or --corpus)")
    sources = []
    for dirpath, dirnames, filenames in os.walk(corpus_dir):
        dirnames[:] = sorted(d for d in dirnames if not d.startswith("."))
        for filename in sorted(filenames):
            file = Path(dirpath) / filename
            if filename.startswith(".") or not file.is_file():
                continue
            digest = _digest(file)
            # A file deleted while the scan runs is simply not part of this corpus; one deleted after the scan
            # fails its extraction with reason "vanished".
            if digest is not None:
                sources.append(Source(file.relative_to(corpus_dir).as_posix(), file, *digest))
    return sources


def slugify(text: str) -> str:
    return _SLUG.sub("-", text.lower()).strip("-")


def _new_id(path: str, taken: set[str]) -> str:
    stem, ext = os.path.splitext(path)
    base = slugify(stem) or "document"
    with_ext = f"{base}-{slugify(ext)}".rstrip("-")
    candidates = [base, with_ext, *(f"{with_ext}-{n}" for n in range(2, len(taken) + 3))]
    return next(c for c in candidates if c not in taken)


def assign_ids(records: list[dict[str, Any]], previous_by_path: Mapping[str, Mapping[str, Any]]) -> None:
    """Set record["id"]: the slug of the path without extension ("tribunal/1234.pdf" -> "tribunal-1234").

    A path keeps its previous id, so adding a file never renames an existing document; a clash between
    new paths (a.pdf next to a.txt) appends the extension to the later one.
    """
    taken: set[str] = set()
    pending = []
    for record in records:
        old = previous_by_path.get(record["path"])
        if old is not None and old["id"] not in taken:
            record["id"] = old["id"]
            taken.add(old["id"])
        else:
            pending.append(record)
    for record in pending:
        record["id"] = _new_id(record["path"], taken)
        taken.add(record["id"])
