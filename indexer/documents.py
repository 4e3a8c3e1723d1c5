"""One corpus file to indexable Docs: reused from the last generation, or extracted, OCR'd, described and chunked.

A container (an email, a zip) yields several: itself, then each member or attachment, depth first, each
extracted on its own under the per-file caps and linked to its container by parent_path and attachment_paths.
"""
from __future__ import annotations

import hashlib
import logging
import tempfile
from collections import defaultdict
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from config import Settings
from indexer import report as rep
from indexer.extract import Caps, Extracted, ExtractionError
from indexer.generations import Previous
from indexer.ocr.tesseract import apply_ocr, ocr_pending
from indexer.sandbox import Limits, SandboxError, extract_capped
from indexer.sources import Source

log = logging.getLogger("indexer.build")


@dataclass
class Doc:
    """One indexable file: its record, page texts and passages, and whether it came from the previous generation."""

    record: dict[str, Any]
    pages: list[dict[str, Any]]
    chunks: list[dict[str, Any]]  # passages without row and doc_id, which depend on the whole build
    reused: bool


Item = Doc | dict  # a Doc, or the failed report entry of a file (or member) that could not be indexed


class Reuse:
    """What the previous generation holds for each corpus file: its documents and failures, members included."""

    def __init__(self, prev: Previous) -> None:
        self.prev = prev
        self.records: dict[str, list[dict[str, Any]]] = defaultdict(list)
        self.failures: dict[str, list[dict[str, Any]]] = defaultdict(list)
        for path, record in prev.by_path.items():
            self.records[record.get("source") or path].append(record)
        for path, failure in prev.failures.items():
            self.failures[failure.get("source") or path].append(failure)

    def items(self, src: Source) -> list[Item] | None:
        """The previous documents (or failures) of an unchanged file, without reading it again; else None."""
        records = self.records.get(src.path, [])
        own = next((r for r in records if r["path"] == src.path), None)
        # A scan OCR never read is extracted again when this build can OCR it (tesseract installed since).
        if own is not None and own["sha256"] == src.sha256 and not any(ocr_pending(r) for r in records):
            docs = [self._doc(record) for record in records]
            if all(doc is not None for doc in docs):
                return [*docs, *(dict(f) for f in self.failures.get(src.path, []))]
        failure = self.prev.failures.get(src.path)
        if src.sha256 and failure is not None and failure.get("sha256") == src.sha256:
            return [dict(failure)]
        return None

    def _doc(self, record: dict[str, Any]) -> Doc | None:
        chunks = self.prev.passages.get(record["id"], [])
        pages = self.prev.pages(record["id"])
        if pages is None or len(chunks) != record.get("passage_count", 0):
            return None
        return Doc(dict(record), pages, chunks, reused=True)


@dataclass(frozen=True)
class _Node:
    """A file to extract: a corpus file, or a member or attachment unpacked from one."""

    path: str
    file: Path
    sha256: str
    size: int
    source: str
    parent: str | None = None


def _describe(node: _Node, extracted: Extracted, config: Settings) -> Doc:
    from indexer.chunking import chunk_pages
    from indexer.metadata import extract_metadata

    extracted = apply_ocr(node.file, extracted, config)
    metadata = extract_metadata(extracted.text, node.path, extracted.format, extracted.title_hint)
    chunks = chunk_pages(extracted.pages, config.chunk_words, config.chunk_max_words)
    record = {"id": "", "path": node.path, "sha256": node.sha256, "size": node.size, "format": extracted.format,
              "pages": len(extracted.pages), "chars": extracted.chars, "warnings": list(extracted.warnings),
              "needs_ocr": bool(extracted.needs_ocr), "passage_count": len(chunks), "first_passage": 0,
              "ocr": extracted.ocr, "source": node.source, **extracted.fields}
    if node.parent is not None:
        record["parent_path"] = node.parent
    if extracted.members:
        record["attachment_paths"] = [f"{node.path}/{member.name}" for member in extracted.members]
    record.update({k: v for k, v in metadata.items() if k not in record})
    passages = [{"ordinal": i, "page_start": c.page_start, "page_end": c.page_end, "text": c.text}
                for i, c in enumerate(chunks)]
    pages = [{"number": p.number, "text": p.text} for p in extracted.pages]
    return Doc(record, pages, passages, reused=False)


def _failed(node: _Node, reason: str, message: str) -> dict[str, Any]:
    entry = rep.file_entry(node.path, rep.FAILED, node.sha256, reason, message, source=node.source)
    if node.parent is not None:
        entry["parent_path"] = node.parent
    return entry


def _digest(file: Path) -> str:
    digest = hashlib.sha256()
    with open(file, "rb") as handle:
        while block := handle.read(1 << 20):
            digest.update(block)
    return digest.hexdigest()


class _Tree:
    """The documents of one corpus file, extracted depth first within its archive budgets."""

    def __init__(self, config: Settings, unpack_root: Path) -> None:
        self.config, self.unpack_root = config, unpack_root
        self.items: list[Item] = []
        self.used_members = self.used_inflated = 0

    def extract(self, node: _Node, caps: Caps) -> None:
        unpack_dir = self.unpack_root / str(len(self.items))
        caps = replace(caps, used_members=self.used_members, used_inflated=self.used_inflated)
        try:
            extracted = extract_capped(node.file, self.config, caps, unpack_dir)
        except ExtractionError as exc:
            self.items.append(_failed(node, exc.reason, exc.message))
            return
        self.items.append(_describe(node, extracted, self.config))
        self.used_members += len(extracted.members)
        self.used_inflated += sum(member.size for member in extracted.members)
        child_caps = replace(caps, depth=caps.depth + 1)
        for member in extracted.members:
            child = f"{node.path}/{member.name}"
            if member.failure is not None:
                self.items.append(_failed(_Node(child, Path(), "", member.size, node.source, node.path),
                                          *member.failure))
            elif member.file is not None:
                self.extract(_Node(child, member.file, _digest(member.file), member.size, node.source, node.path),
                             child_caps)


def extract_document(src: Source, config: Settings) -> list[Item]:
    """The Docs of an indexable file (and of its members), else failed report entries; never raises for bad input."""
    try:
        with tempfile.TemporaryDirectory(prefix="foi-unpack-") as unpack_root:
            tree = _Tree(config, Path(unpack_root))
            tree.extract(_Node(src.path, src.file, src.sha256, src.size, src.path), Limits.from_config(config).caps)
            return tree.items
    except SandboxError:
        # No file can be extracted without the worker: failing them one by one would publish an empty index.
        raise
    except Exception as exc:  # a bug on one odd file must not cost the whole corpus its index
        log.exception("unexpected error on %s", src.path)
        return [rep.file_entry(src.path, rep.FAILED, src.sha256, "internal_error", f"{type(exc).__name__}: {exc}")]


def link_containers(docs: list[Doc]) -> None:
    """Set parent (the container's id) and attachments (the ids of its indexed members) from the paths."""
    ids = {doc.record["path"]: doc.record["id"] for doc in docs}
    for doc in docs:
        record = doc.record
        if record.get("parent_path"):
            record["parent"] = ids.get(record["parent_path"])
        if record.get("attachment_paths"):
            record["attachments"] = [ids[path] for path in record["attachment_paths"] if path in ids]


def doc_entry(doc: Doc) -> dict[str, Any]:
    """The report line of an indexed (or reused, or needs_ocr) document."""
    record = doc.record
    status = rep.REUSED if doc.reused else rep.INDEXED
    message = None
    if record.get("needs_ocr"):
        status = rep.NEEDS_OCR
        message = f"no text layer ({record['chars']} characters on {record['pages']} pages); indexed by metadata only"
    entry = rep.file_entry(record["path"], status, record["sha256"], None, message, record["pages"], record["chars"],
                           record.get("warnings"), source=record.get("source"))
    if record.get("parent_path"):
        entry["parent_path"] = record["parent_path"]
    return entry
