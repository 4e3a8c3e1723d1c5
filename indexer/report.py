"""Build report: one entry per corpus file, the summary counts, log lines and the printed summary."""
from __future__ import annotations

import logging
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

log = logging.getLogger("indexer.build")

INDEXED, REUSED, FAILED, NEEDS_OCR = "indexed", "reused", "failed", "needs_ocr"

# Why a file was not indexed: the "reason" of a failed report entry, with what it means.
FAILURE_REASONS: dict[str, str] = {
    "unsupported_type": "the file extension is not a supported one (indexer.extract.SUPPORTED_EXTENSIONS), or a "
                        "Word/Excel 97-2003 binary file named .docx/.xlsx",
    "empty_file": "no bytes, only whitespace, an HTML page without readable text, or a workbook of empty sheets",
    "corrupt_pdf": "not a PDF, or damaged or truncated beyond recovery",
    "encrypted_pdf": "needs a password, or AES decryption without the 'cryptography' package",
    "pdf_bomb": "a stream or object exceeds pypdf's safety limits (decompression bomb)",
    "binary_content": "a text file holding binary data (a binary magic number, or over 1% control bytes); a few "
                      "stray NUL bytes are only a warning",
    "corrupt_office": "a .docx, .odt, .rtf or .xlsx file that is damaged, truncated, or not of the kind its name "
                      "says (e.g. random bytes named .docx)",
    "encrypted_office": "a .docx, .xlsx or .odt file protected with a password; its text cannot be read",
    "corrupt_email": "an .eml or .msg file that is not an email or cannot be parsed",
    "corrupt_archive": "a .zip file, or one member of it, that is damaged or truncated",
    "encrypted_archive": "a zip member protected with a password",
    "archive_bomb": "a zip (or a .docx/.xlsx/.odt, which are zips) whose members would inflate past "
                    "archive_max_inflated_mb, or a big member compressed more than archive_max_ratio times",
    "archive_too_deep": "a zip nested inside containers deeper than archive_max_depth; not unpacked",
    "read_error": "the file could not be read (permissions, I/O error)",
    "vanished": "the file was deleted between the corpus scan and its extraction",
    "too_large": "the file (or an archive member or attachment) is bigger than max_file_mb, or past what is left "
                 "of archive_max_inflated_mb; not read at all",
    "timeout": "extraction took longer than extract_timeout_s and was killed",
    "memory_limit": "extraction needed more than extract_memory_mb and was stopped",
    "worker_crashed": "the extraction process died (a crash in a parser); the build went on",
    "internal_error": "a bug in the indexer on this file; the build went on",
}


def file_entry(
    path: str,
    status: str,
    sha256: str,
    reason: str | None = None,
    message: str | None = None,
    pages: int = 0,
    chars: int = 0,
    warnings: list[str] | None = None,
    source: str | None = None,
) -> dict[str, Any]:
    """One report line; sha256 lets the next build skip unchanged failed files too.

    source is the corpus file a member or attachment was unpacked from (the path itself for a corpus file).
    """
    return {
        "path": path,
        "source": source or path,
        "status": status,
        "reason": reason,
        "message": message,
        "pages": pages,
        "chars": chars,
        "warnings": list(warnings or []),
        "sha256": sha256,
    }


def log_entry(entry: Mapping[str, Any]) -> None:
    """One log line per file that failed or needs OCR; warnings of indexed files go to debug."""
    if entry["status"] == FAILED:
        log.warning("failed %s: %s: %s", entry["path"], entry["reason"], entry["message"])
    elif entry["status"] == NEEDS_OCR:
        log.warning("needs_ocr %s: %s", entry["path"], entry["message"] or "no text layer")
    elif entry["warnings"]:
        log.debug("%s %s: %s", entry["status"], entry["path"], "; ".join(entry["warnings"]))


@dataclass
class Counts:
    """Numbers gathered during a build that the file entries alone do not tell."""

    extracted: int = 0
    reused: int = 0
    removed: int = 0
    passages: int = 0
    embedded: int = 0
    cached_vectors: int = 0


def summarise(files: list[dict[str, Any]], counts: Counts, seconds: float) -> dict[str, Any]:
    statuses = Counter(f["status"] for f in files)
    reasons = Counter(f["reason"] for f in files if f["status"] == FAILED)
    return {
        "files": len({f.get("source") or f["path"] for f in files}),
        "contained": sum(1 for f in files if (f.get("source") or f["path"]) != f["path"]),
        # needs_ocr documents are indexed too (metadata and whatever text there is), only flagged.
        "indexed": statuses[INDEXED] + statuses[REUSED] + statuses[NEEDS_OCR],
        "reused": counts.reused,
        "extracted": counts.extracted,
        "removed": counts.removed,
        "failed": statuses[FAILED],
        "needs_ocr": statuses[NEEDS_OCR],
        "passages": counts.passages,
        "embedded": counts.embedded,
        "cached_vectors": counts.cached_vectors,
        "seconds": round(seconds, 3),
        "failures_by_reason": dict(sorted(reasons.items())),
    }


def make_report(
    generation: str | None,
    started_at: str,
    finished_at: str,
    files: list[dict[str, Any]],
    counts: Counts,
    seconds: float,
    error: str | None = None,
) -> dict[str, Any]:
    report: dict[str, Any] = {
        "generation": generation,
        "started_at": started_at,
        "finished_at": finished_at,
        "summary": summarise(files, counts, seconds),
        "files": sorted(files, key=lambda f: f["path"]),
    }
    if error is not None:
        report["error"] = error
    return report


def format_summary(report: Mapping[str, Any]) -> str:
    """Human summary printed at the end of a build."""
    s = report["summary"]
    reasons = ", ".join(f"{r}={n}" for r, n in s["failures_by_reason"].items()) or "none"
    lines = [
        f"generation: {report['generation'] or '(none: build failed)'}",
        f"documents:  {s['indexed']} ({s['reused']} reused, {s['extracted']} files extracted, {s['removed']} removed; "
        f"{s.get('contained', 0)} from inside emails and archives)",
        f"passages:   {s['passages']} ({s['embedded']} embedded, {s['cached_vectors']} from cache)",
        f"failures:   {s['failed']} ({reasons})",
        f"needs_ocr:  {s['needs_ocr']}",
        f"time:       {s['seconds']:.1f}s",
    ]
    if report.get("error"):
        lines.append(f"error:      {report['error']}")
    return "\n".join(lines)
