"""Read-only view of the current index generation, as the search service uses it."""
from __future__ import annotations

import json
import struct
from collections import OrderedDict
from pathlib import Path
from typing import Any

import numpy as np
from whoosh import index as whoosh_index

from config import Settings
from indexer import store
from indexer.embedder import manifest_backend
from indexer.keyword import open_keyword_indexes
from indexer.vectors import VectorFileError, open_vectors, top_k

SCHEMA_VERSION = 1
HINT = "run `make index` or `python -m indexer build`"
_PAGE_CACHE_SIZE = 64
# What damaged or half-written files raise: JSON/shape errors, missing files, Whoosh's own index errors.
_UNREADABLE = (OSError, ValueError, KeyError, EOFError, struct.error, VectorFileError, whoosh_index.IndexError)


class IndexUnavailable(Exception):
    """There is no usable index generation; the message says why and how to build one."""


class IndexReader:
    """One opened generation: records in memory, vectors memory-mapped, page texts read on demand."""

    def __init__(self, gen_dir: Path, generation: str, corpus_dir: Path | None = None) -> None:
        self.path = gen_dir
        self.generation = generation
        self.manifest = _read_manifest(gen_dir)
        documents = store.read_jsonl(gen_dir / store.DOCUMENTS_FILE)
        self.documents: dict[str, dict] = {d["id"]: d for d in sorted(documents, key=lambda d: d["id"])}
        self.passages: list[dict] = store.read_jsonl(gen_dir / store.PASSAGES_FILE)
        self.vectors, self.vector_meta = open_vectors(gen_dir)
        if len(self.passages) != self.vectors.shape[0]:
            raise ValueError(f"{len(self.passages)} passages but {self.vectors.shape[0]} vectors")
        self.doc_index, self.passage_index = open_keyword_indexes(gen_dir / "keyword")
        self.corpus_dir = Path(corpus_dir or self.manifest.get("corpus_dir") or ".").resolve()
        self._pages: OrderedDict[str, list[dict]] = OrderedDict()

    @property
    def embedding_backend(self) -> str:
        """The backend the passages were embedded with; queries must use the same one."""
        return manifest_backend(self.manifest)

    def document(self, doc_id: str) -> dict | None:
        return self.documents.get(doc_id)

    def pages(self, doc_id: str) -> list[dict]:
        """[{"number", "text"}, ...] of a known document; [] for an unknown one."""
        if doc_id not in self.documents:
            return []
        if doc_id in self._pages:
            self._pages.move_to_end(doc_id)
            return self._pages[doc_id]
        pages = store.read_pages(self.path, doc_id) or []
        self._pages[doc_id] = pages
        if len(self._pages) > _PAGE_CACHE_SIZE:
            self._pages.popitem(last=False)
        return pages

    def doc_passages(self, doc_id: str) -> list[dict]:
        doc = self.documents.get(doc_id)
        if doc is None:
            return []
        first = int(doc.get("first_passage", 0))
        return self.passages[first : first + int(doc.get("passage_count", 0))]

    def file_path(self, doc_id: str) -> Path | None:
        """The corpus file of a known document, if it exists and lies inside corpus_dir; else None."""
        doc = self.documents.get(doc_id)
        if doc is None or not doc.get("path"):
            return None
        candidate = (self.corpus_dir / doc["path"]).resolve()
        if not candidate.is_relative_to(self.corpus_dir) or not candidate.is_file():
            return None
        return candidate

    def vector_search(self, query: np.ndarray, k: int, rows: np.ndarray | None = None) -> list[tuple[int, float]]:
        """Exact top-k (row, cosine) over passages; a (m, dim) query scores each row by its best query row."""
        return top_k(self.vectors, query, k, rows)


def _read_manifest(gen_dir: Path) -> dict[str, Any]:
    manifest = json.loads((gen_dir / "manifest.json").read_text(encoding="utf-8"))
    if manifest.get("schema_version") != SCHEMA_VERSION:
        raise ValueError(f"schema_version {manifest.get('schema_version')!r}, this code reads {SCHEMA_VERSION}")
    return manifest


def current_generation(index_dir: Path) -> str:
    """Name in index_dir/CURRENT; IndexUnavailable when absent or empty."""
    pointer = index_dir / "CURRENT"
    try:
        name = pointer.read_text(encoding="utf-8").strip()
    except FileNotFoundError:
        raise IndexUnavailable(f"no index in {index_dir} (no CURRENT file); {HINT}") from None
    except OSError as exc:
        raise IndexUnavailable(f"cannot read {pointer}: {exc}; {HINT}") from exc
    if not name or "/" in name or name.startswith("."):
        raise IndexUnavailable(f"{pointer} does not name a generation ({name!r}); {HINT}")
    return name


def open_index(config: Settings) -> IndexReader:
    """Open the generation named by index_dir/CURRENT; IndexUnavailable (with a hint) when unusable."""
    index_dir = Path(config.index_dir)
    name = current_generation(index_dir)
    gen_dir = index_dir / "generations" / name
    if not gen_dir.is_dir():
        raise IndexUnavailable(f"CURRENT names generation {name!r} but {gen_dir} is missing; {HINT}")
    try:
        return IndexReader(gen_dir, name, config.corpus_dir)
    except _UNREADABLE as exc:
        raise IndexUnavailable(f"index generation {gen_dir} is unreadable ({exc}); {HINT}") from exc
