"""Extraction over every file of the shared corpus: scans, the truncated notice, request threads, throughput."""
from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

import pytest

from indexer.extract import SUPPORTED_EXTENSIONS, Extracted, ExtractionError

pytestmark = pytest.mark.realdata

SCANS = {"652", "758", "893", "1104", "1448", "2096"}
TRUNCATED = "ico-notices/ic-357236-d1q7.pdf"
# Shared-corpus README: 1243 and 1676 are genuine one-page consent orders of about 40 words.
MIN_PDF_WORDS = 35
THREAD_FURNITURE = ("Things to do with this request", "Link to this", "Report this request", "Download a zip file",
                    "Browse requests", "Follow this request", "Collapse all correspondence", "mySociety", "cookies")


@pytest.fixture(scope="module")
def corpus_results(shared_extractions) -> dict[str, Extracted | ExtractionError]:
    return shared_extractions


def _pdfs(results) -> dict[str, Extracted]:
    return {path: result for path, result in results.items()
            if path.endswith(".pdf") and isinstance(result, Extracted)}


def test_every_supported_file_is_handled(corpus_results):
    assert all(Path(path).suffix.lower() in SUPPORTED_EXTENSIONS for path in corpus_results)
    failures = {path: result.reason for path, result in corpus_results.items() if isinstance(result, ExtractionError)}
    assert failures == {TRUNCATED: "corrupt_pdf"}


def test_truncated_notice_is_reported_as_truncated(corpus_results):
    error = corpus_results[TRUNCATED]
    assert isinstance(error, ExtractionError)
    assert "truncated" in error.message and "%%EOF" in error.message


def test_exactly_the_six_scans_need_ocr(corpus_results):
    needing = {Path(path).stem for path, result in _pdfs(corpus_results).items() if result.needs_ocr}
    assert needing == SCANS
    for path, result in _pdfs(corpus_results).items():
        if result.needs_ocr:
            assert result.chars == 0 and any("OCR" in warning for warning in result.warnings), path


def test_other_pdfs_yield_substantial_text(corpus_results):
    for path, result in _pdfs(corpus_results).items():
        if not result.needs_ocr:
            assert len(result.text.split()) >= MIN_PDF_WORDS, path
            assert [page.number for page in result.pages] == list(range(1, len(result.pages) + 1)), path
    sizes = sorted(result.chars for result in _pdfs(corpus_results).values() if not result.needs_ocr)
    assert sizes[len(sizes) // 2] > 10_000


def test_running_headers_and_page_numbers_are_gone(corpus_results):
    offenders = []
    for path, result in _pdfs(corpus_results).items():
        later = [page.text.split("\n") for page in result.pages[1:] if page.text]
        if len(later) < 4:
            continue
        top = Counter(re.sub(r"\s+", " ", lines[0]).lower() for lines in later).most_common(1)[0][1]
        if top > len(later) // 2:
            offenders.append(f"{path}: {top} of {len(later)} pages start with the same line")
        bare = [lines[-1] for lines in later if re.fullmatch(r"[-\s]*\d{1,3}[-\s]*", lines[-1])]
        if bare:
            offenders.append(f"{path}: pages end with bare numbers {bare[:3]}")
    assert offenders == []


def test_request_threads_keep_the_request_and_drop_furniture(shared_dir, corpus_results):
    threads = {path: result for path, result in corpus_results.items() if path.startswith("whatdotheyknow/")}
    assert len(threads) == 25
    for path, result in threads.items():
        raw = (shared_dir / "corpus" / path).read_text(encoding="utf-8")
        assert result.format == "html" and result.title_hint, path
        assert "WhatDoTheyKnow" not in result.title_hint and result.text.startswith(result.title_hint), path
        assert re.search(r"\bDear\b", result.text), path
        assert re.search(r"\b\d{1,2} (?:January|February|March|April|May|June|July|August|September|October|"
                         r"November|December) 20\d\d\b", result.text), path
        for phrase in THREAD_FURNITURE:
            assert phrase not in result.text, f"{path}: {phrase!r}"
        for script in re.findall(r"<script[^>]*>(.*?)</script>", raw, flags=re.S):
            for line in (line.strip() for line in script.splitlines()):
                assert len(line) < 20 or line not in result.text, f"{path}: script text {line[:40]!r}"


def test_seed_pages_lose_their_furniture(corpus_results):
    seeds = {path: result for path, result in corpus_results.items() if path.startswith("seeds/")}
    assert len(seeds) == 5
    for path, result in seeds.items():
        assert result.format == "text" and result.chars > 1000, path
        assert not re.search(r"skip to (main )?content|privacy policy|donate", result.text[:300], re.I), path
        assert not re.search(r"donate", result.text[-200:], re.I), path


def _short_non_word_share(text: str) -> float:
    tokens = re.findall(r"[A-Za-z]+", text)
    words = {"a", "i", "an", "as", "at", "be", "by", "do", "he", "if", "in", "is", "it", "me", "my", "no", "of", "on",
             "or", "so", "to", "up", "us", "we", "mr", "ms", "dr", "uk", "qc", "s", "ea"}
    return sum(len(t) <= 2 and t.lower() not in words for t in tokens) / len(tokens)


def test_words_pypdf_splits_in_older_decisions_are_whole_again(shared_dir, corpus_results):
    """EA/2006/0043 (2007): pypdf reads its pages as "Departm ent", "disclos ure", "Appell ant"; the extracted
    text has the words whole, so snippets read and keyword search matches them."""
    from pypdf import PdfReader

    raw = "\n".join(page.extract_text() for page in PdfReader(shared_dir / "corpus/tribunal/2399.pdf").pages)
    text = corpus_results["tribunal/2399.pdf"].text
    assert _short_non_word_share(raw) > 0.03
    assert _short_non_word_share(text) < _short_non_word_share(raw) / 4
    assert "disclos ure" in raw and "Appell ant" in raw
    assert "Department for Communities and Local Government" in text
    assert "disclos ure" not in text and "Appell ant" not in text and "di sclosure" not in text
