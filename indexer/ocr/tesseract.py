"""OCR of PDF pages without a text layer: render with pypdfium2, read with the tesseract CLI, cache by content hash."""
from __future__ import annotations

import hashlib
import logging
import os
import subprocess
import threading
from collections.abc import Mapping
from dataclasses import replace
from pathlib import Path
from typing import Any

from config import Settings
from indexer.extract import NEEDS_OCR_NOTE, OCR_MIN_CHARS_PER_PAGE, Extracted, Page
from indexer.ocr.cache import OcrCache, PageOcr
from indexer.sandbox import render_capped
from indexer.textclean import mend_pages

log = logging.getLogger("indexer.ocr")

PROBE_TIMEOUT = 20
STDERR_TAIL = 300
# One thread per tesseract: the build runs pages one after another, and OpenMP threads only fight over the cores.
_TESSERACT_ENV = {"OMP_THREAD_LIMIT": "1"}


class OcrError(Exception):
    """One page could not be read; the message says why."""


def _alnum(text: str) -> int:
    return sum(ch.isalnum() for ch in text)


def _run(args: list[str], timeout: float, data: bytes | None = None) -> subprocess.CompletedProcess:
    return subprocess.run(args, input=data, capture_output=True, timeout=timeout, check=False,
                          env={**os.environ, **_TESSERACT_ENV})


def probe(command: str, language: str) -> tuple[str | None, str]:
    """(engine name such as "tesseract 5.3.0", "") when command is a usable tesseract, else (None, why not)."""
    try:
        version = _run([command, "--version"], PROBE_TIMEOUT)
        langs = _run([command, "--list-langs"], PROBE_TIMEOUT)
    except (OSError, subprocess.SubprocessError) as exc:
        return None, f"{command!r} cannot be run ({type(exc).__name__}: {exc})"
    lines = (version.stdout or version.stderr).decode(errors="replace").strip().splitlines()
    if version.returncode != 0 or not lines or not lines[0].lower().startswith("tesseract "):
        return None, f"{command!r} --version does not answer like tesseract (exit status {version.returncode})"
    installed = set(langs.stdout.decode(errors="replace").split("\n")[1:])
    missing = [part for part in language.split("+") if part not in installed]
    if missing:
        return None, f"tesseract has no {'+'.join(missing)} language data (installed: {', '.join(sorted(installed))})"
    return lines[0].strip(), ""


def parse_tsv(tsv: str) -> PageOcr:
    """Text (lines by block and paragraph), mean word confidence and word count from `tesseract ... tsv` output."""
    lines: dict[tuple[int, int, int], list[str]] = {}
    confidences: list[float] = []
    for row in tsv.splitlines()[1:]:
        cells = row.split("\t")
        if len(cells) < 12 or cells[0] != "5" or not cells[11].strip():
            continue
        try:
            confidence = float(cells[10])
            key = (int(cells[2]), int(cells[3]), int(cells[4]))
        except ValueError:
            continue
        if confidence < 0:
            continue
        confidences.append(confidence)
        lines.setdefault(key, []).append(cells[11].strip())
    parts, previous = [], None
    for (block, par, _line), words in lines.items():
        if previous is not None:
            parts.append("\n\n" if (block, par) != previous else "\n")
        parts.append(" ".join(words))
        previous = (block, par)
    mean = sum(confidences) / len(confidences) if confidences else 0.0
    return PageOcr("".join(parts), round(mean, 2), len(confidences))


def recognise(command: str, language: str, image: bytes, dpi: int, timeout: float) -> PageOcr:
    """OCR one PNM image through `tesseract stdin stdout tsv`; OcrError on timeout or failure."""
    args = [command, "stdin", "stdout", "-l", language, "--dpi", str(dpi), "tsv"]
    try:
        done = _run(args, timeout, image)
    except subprocess.TimeoutExpired:
        raise OcrError(f"tesseract timed out after {timeout:g}s") from None
    except OSError as exc:
        raise OcrError(f"tesseract cannot be run: {exc}") from exc
    if done.returncode != 0:
        tail = done.stderr.decode(errors="replace").strip()[-STDERR_TAIL:]
        raise OcrError(f"tesseract exit status {done.returncode}: {tail}")
    return parse_tsv(done.stdout.decode("utf-8", errors="replace"))


def ocr_targets(extracted: Extracted) -> list[int]:
    """Pages to OCR: those without a text layer, or, in a scan, with less text than a real page has."""
    if extracted.format != "pdf":
        return []
    limit = OCR_MIN_CHARS_PER_PAGE if extracted.needs_ocr else 1
    return [page.number for page in extracted.pages if _alnum(page.text) < limit]


class OcrRunner:
    """One build's OCR: probes tesseract once, warns once when it is unusable, counts pages and cache hits."""

    def __init__(self, config: Settings) -> None:
        self.config = config
        self.command, self.language = config.ocr_command, config.ocr_language
        self.dpi, self.max_pages = config.ocr_dpi, config.ocr_max_pages
        self.timeout = config.ocr_page_timeout
        self.engine: str | None = None
        self.cache: OcrCache | None = None
        self._probed = False
        self.calls = self.cache_hits = self.failures = 0
        # Extraction threads OCR at the same time: the probe, the cache and the counters are shared.
        self._lock = threading.RLock()

    def usable(self) -> bool:
        with self._lock:
            return self._usable()

    def _usable(self) -> bool:
        if not self._probed:
            self._probed = True
            if not self.config.ocr_enabled:
                why = "turned off (setting ocr_enabled)"
            else:
                self.engine, why = probe(self.command, self.language)
            if self.engine is None:
                log.warning("OCR unavailable: %s; scanned PDFs stay needs_ocr (Debian: apt-get install "
                            "tesseract-ocr, done by `make install`)", why)
            else:
                self.cache = OcrCache(Path(self.config.cache_dir), self.engine, self.language, self.dpi)
        return self.engine is not None

    def apply(self, path: Path, extracted: Extracted) -> Extracted:
        """extracted with its text-less pages OCR'd (from the cache when possible); unchanged when not needed."""
        targets = ocr_targets(extracted)
        if not targets or not self.usable():
            return extracted
        try:
            data = Path(path).read_bytes()
        except OSError as exc:
            return replace(extracted, warnings=[*extracted.warnings, f"OCR skipped: cannot read the file ({exc})"])
        chosen, notes = targets[: max(self.max_pages, 0)], []
        if len(chosen) < len(targets):
            notes.append(f"OCR capped at {len(chosen)} of {len(targets)} pages (setting ocr_max_pages)")
        results = self._read(Path(path), data, chosen, notes)
        merged = merge_ocr(extracted, results, notes, str(self.engine), complete=len(results) == len(targets))
        if merged.ocr:
            log.info("OCR %s: %d page(s), mean confidence %.1f", path, len(merged.ocr["pages"]),
                     merged.ocr["mean_confidence"])
        return merged

    def _read(self, path: Path, data: bytes, numbers: list[int], notes: list[str]) -> dict[int, PageOcr]:
        assert self.cache is not None
        sha256, results = hashlib.sha256(data).hexdigest(), {}
        for number in numbers:
            with self._lock:
                cached = self.cache.get(sha256, number)
                self.cache_hits += cached is not None
            if cached is not None:
                results[number] = cached
                continue
            try:
                # pdfium parses an untrusted page here: the capped extraction worker does it, not this process.
                image, dpi = render_capped(path, number, self.dpi, self.config)
                results[number] = recognise(self.command, self.language, image, dpi, self.timeout)
            except Exception as exc:  # pdfium and tesseract fail in many ways; one page must not cost the rest
                with self._lock:
                    self.failures += 1
                notes.append(f"page {number}: OCR failed ({type(exc).__name__}: {exc})")
                continue
            with self._lock:
                self.calls += 1
                self.cache.put(sha256, number, results[number])
        return results

    def close(self) -> None:
        if self.cache is not None:
            self.cache.close()


def merge_ocr(extracted: Extracted, results: dict[int, PageOcr], notes: list[str], engine: str,
              complete: bool) -> Extracted:
    """extracted with OCR text in place of empty pages, the `ocr` confidence record and updated needs_ocr."""
    if not results:
        return replace(extracted, warnings=[*extracted.warnings, *notes])
    numbers = sorted(results)
    mended = dict(zip(numbers, mend_pages([results[n].text for n in numbers]), strict=True))
    pages = [Page(p.number, mended[p.number]) if _alnum(mended.get(p.number, "")) > _alnum(p.text) else p
             for p in extracted.pages]
    words = sum(results[n].words for n in numbers)
    mean = sum(results[n].confidence * results[n].words for n in numbers) / words if words else 0.0
    info = {"engine": engine, "mean_confidence": round(mean, 1),
            "pages": [{"page": n, "confidence": round(results[n].confidence, 1), "words": results[n].words}
                      for n in numbers]}
    needs_ocr = extracted.needs_ocr and not (complete and words > 0)
    kept = [w for w in extracted.warnings if needs_ocr or not w.endswith(NEEDS_OCR_NOTE)]
    summary = (f"OCR ({engine}) read {len(numbers)} page(s) without a text layer: {words} words, "
               f"mean confidence {mean:.1f}")
    return replace(extracted, pages=pages, needs_ocr=needs_ocr, ocr=info, warnings=[*kept, summary, *notes])


_BUILD: dict[str, OcrRunner] = {}


def begin_build(config: Settings) -> OcrRunner:
    """A fresh runner for a new build, so the probe and its one warning happen once per build."""
    previous = _BUILD.pop("runner", None)
    if previous is not None:
        previous.close()
    _BUILD["runner"] = OcrRunner(config)
    return _BUILD["runner"]


def ocr_pending(record: Mapping[str, Any]) -> bool:
    """True for an indexed PDF with text-less pages that OCR never read, when this build can OCR it."""
    runner = _BUILD.get("runner")
    if runner is None or record.get("format") != "pdf" or record.get("ocr") is not None:
        return False
    blank = record.get("needs_ocr") or any(w.endswith("no text layer") for w in record.get("warnings") or [])
    return bool(blank) and runner.usable()


def apply_ocr(path: Path, extracted: Extracted, config: Settings) -> Extracted:
    """OCR the text-less pages of an extracted PDF with the current build's runner (see begin_build)."""
    runner = _BUILD.get("runner") or begin_build(config)
    return runner.apply(path, extracted)
