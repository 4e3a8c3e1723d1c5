"""One corpus file to an indexable Doc: reused from the last generation, or extracted, OCR'd, described and chunked."""
from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Any

from config import Settings
from indexer import report as rep
from indexer.generations import Previous
from indexer.ocr.tesseract import apply_ocr, ocr_pending
from indexer.sandbox import SandboxError
from indexer.sources import Source

log = logging.getLogger("indexer.build")


@dataclass
class Doc:
    """One indexable file: its record, page texts and passages, and whether it came from the previous generation."""

    record: dict[str, Any]
    pages: list[dict[str, Any]]
    chunks: list[dict[str, Any]]  # passages without row and doc_id, which depend on the whole build
    reused: bool


def reuse_document(src: Source, prev: Previous) -> Doc | dict | None:
    """The previous generation's document (or failure) for an unchanged file, without reading it again."""
    record = prev.by_path.get(src.path)
    # A scan OCR never read is extracted again when this build can OCR it (tesseract installed since).
    if record is not None and record["sha256"] == src.sha256 and not ocr_pending(record):
        chunks = prev.passages.get(record["id"], [])
        pages = prev.pages(record["id"])
        if pages is not None and len(chunks) == record.get("passage_count", 0):
            return Doc(dict(record), pages, chunks, reused=True)
    failure = prev.failures.get(src.path)
    if src.sha256 and failure is not None and failure.get("sha256") == src.sha256:
        return dict(failure)
    return None


def _extract(src: Source, config: Settings) -> Doc | dict:
    from indexer.chunking import chunk_pages
    from indexer.extract import ExtractionError
    from indexer.metadata import extract_metadata
    from indexer.sandbox import extract_capped

    try:
        extracted = extract_capped(src.file, config)
    except ExtractionError as exc:
        return rep.file_entry(src.path, rep.FAILED, src.sha256, exc.reason, exc.message)
    extracted = apply_ocr(src.file, extracted, config)
    metadata = extract_metadata(extracted.text, src.path, extracted.format, extracted.title_hint)
    chunks = chunk_pages(extracted.pages, config.chunk_words, config.chunk_max_words)
    record = {"id": "", "path": src.path, "sha256": src.sha256, "size": src.size, "format": extracted.format,
              "pages": len(extracted.pages), "chars": extracted.chars, "warnings": list(extracted.warnings),
              "needs_ocr": bool(extracted.needs_ocr), "passage_count": len(chunks), "first_passage": 0,
              "ocr": extracted.ocr}
    record.update({k: v for k, v in metadata.items() if k not in record})
    passages = [{"ordinal": i, "page_start": c.page_start, "page_end": c.page_end, "text": c.text}
                for i, c in enumerate(chunks)]
    pages = [{"number": p.number, "text": p.text} for p in extracted.pages]
    return Doc(record, pages, passages, reused=False)


def extract_document(src: Source, config: Settings) -> Doc | dict:
    """A Doc for an indexable file, else its failed report entry; never raises for one bad file."""
    try:
        return _extract(src, config)
    except SandboxError:
        # No file can be extracted without the worker: failing them one by one would publish an empty index.
        raise
    except Exception as exc:  # a bug on one odd file must not cost the whole corpus its index
        log.exception("unexpected error on %s", src.path)
        return rep.file_entry(src.path, rep.FAILED, src.sha256, "internal_error", f"{type(exc).__name__}: {exc}")


def doc_entry(doc: Doc) -> dict[str, Any]:
    """The report line of an indexed (or reused, or needs_ocr) document."""
    record = doc.record
    status = rep.REUSED if doc.reused else rep.INDEXED
    message = None
    if record.get("needs_ocr"):
        status = rep.NEEDS_OCR
        message = f"no text layer ({record['chars']} characters on {record['pages']} pages); indexed by metadata only"
    return rep.file_entry(record["path"], status, record["sha256"], None, message,
                          record["pages"], record["chars"], record.get("warnings"))
