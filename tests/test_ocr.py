"""OCR of scanned PDFs: TSV parsing, merging, a build over a synthetic scan, the cache, caps and missing tesseract."""
from __future__ import annotations

import logging
import re
import shutil
import stat
from pathlib import Path

import pytest

from config import load_config
from indexer import sandbox
from indexer.build import build_index
from indexer.extract import Extracted, Page, extract
from indexer.ocr.cache import PageOcr
from indexer.ocr.render import render_pgm_file
from indexer.ocr.tesseract import OcrRunner, merge_ocr, parse_tsv
from indexer.reader import open_index
from indexer.sandbox import render_capped
from tests.pdfmaker import write_pdf
from tests.scanmaker import write_scan

pytestmark = pytest.mark.slow

TESSERACT = shutil.which("tesseract")
needs_tesseract = pytest.mark.skipif(TESSERACT is None, reason="tesseract is not installed (Debian: tesseract-ocr)")
# 150 dpi reads the synthetic 11 pt text as well as 300 dpi (same words and confidence) in half the time.
TEST_DPI = 150
SCAN = "tribunal/EA-2031-0042.pdf"
SCAN_ID = "tribunal-ea-2031-0042"
SCAN_LINES = [
    "IN THE FIRST-TIER TRIBUNAL (INFORMATION RIGHTS)", "Appeal No. EA/2031/0042", "",
    "1. The appellant asked the Wombleton Harbour Board for the minutes",
    "of its meetings about the dredging contract in 2029.",
    "2. The Board withheld them under section 43(2) of the Act.",
]
TEXT_LINES = [
    "IN THE FIRST-TIER TRIBUNAL (INFORMATION RIGHTS)", "Appeal No. EA/2031/0007", "",
    "1. The appellant asked the county council for its gritting schedules for the winter of 2030.",
    "2. The council relied on section 12 (cost of compliance). The appeal is dismissed.",
]
TSV = "\n".join([
    "level\tpage_num\tblock_num\tpar_num\tline_num\tword_num\tleft\ttop\twidth\theight\tconf\ttext",
    "1\t1\t0\t0\t0\t0\t0\t0\t100\t100\t-1\t",
    "5\t1\t1\t1\t1\t1\t0\t0\t1\t1\t90.0\tDecision",
    "5\t1\t1\t1\t1\t2\t0\t0\t1\t1\t80.0\tnotice",
    "5\t1\t1\t1\t2\t1\t0\t0\t1\t1\t70.0\tsection",
    "5\t1\t1\t1\t2\t2\t0\t0\t1\t1\t95.0\t \t",
    "5\t1\t2\t1\t1\t1\t0\t0\t1\t1\t60.0\tdismissed",
])


def _counting_tesseract(folder: Path) -> tuple[Path, Path]:
    """A tesseract wrapper that logs every page it is asked to read (not the version and language probes)."""
    log, script = folder / "tesseract-calls.log", folder / "tesseract-counting"
    script.write_text(f'#!/bin/sh\ncase "$1" in -*) ;; *) echo page >> "{log}" ;; esac\nexec "{TESSERACT}" "$@"\n')
    script.chmod(script.stat().st_mode | stat.S_IXUSR)
    return script, log


def _calls(log: Path) -> int:
    return len(log.read_text().splitlines()) if log.exists() else 0


def _corpus(folder: Path, second_scan: str = "") -> Path:
    """The scan and a text decision, and if asked a second scan whose last line makes its content unique."""
    write_scan(folder / SCAN, [SCAN_LINES], dpi=TEST_DPI)
    if second_scan:
        lines = [line.replace("0042", "0043").replace("Wombleton", "Quimby") for line in SCAN_LINES]
        lines.append(f"3. Case note: {second_scan}.")
        write_scan(folder / "tribunal" / "EA-2031-0043.pdf", [lines], dpi=TEST_DPI)
    write_pdf(folder / "tribunal" / "EA-2031-0007.pdf", [TEXT_LINES])
    return folder


def test_parse_tsv_keeps_lines_paragraphs_and_word_confidence():
    page = parse_tsv(TSV)
    assert page.text == "Decision notice\nsection\n\ndismissed"
    assert page.words == 4 and page.confidence == pytest.approx(75.0)
    assert parse_tsv(TSV.split("\n")[0]) == PageOcr("", 0.0, 0)


def test_merge_clears_needs_ocr_only_when_every_page_was_read():
    scan = Extracted("pdf", [Page(1, ""), Page(2, "")], ["no text layer on 2 page(s): scanned document needs OCR"],
                     needs_ocr=True)
    read = {1: PageOcr("The appeal is allowed.", 91.0, 4), 2: PageOcr("Signed, Judge.", 81.0, 2)}
    done = merge_ocr(scan, read, [], "tesseract 5.3.0", complete=True)
    assert not done.needs_ocr and done.text == "The appeal is allowed.\n\nSigned, Judge."
    assert done.ocr == {"engine": "tesseract 5.3.0", "mean_confidence": pytest.approx(87.7, abs=0.05),
                        "pages": [{"page": 1, "confidence": 91.0, "words": 4}, {"page": 2, "confidence": 81.0, "words": 2}]}
    assert not any("needs OCR" in w for w in done.warnings) and "OCR (tesseract 5.3.0) read 2 page(s)" in done.warnings[-1]
    partial = merge_ocr(scan, {1: read[1]}, ["page 2: OCR failed"], "tesseract 5.3.0", complete=False)
    assert partial.needs_ocr and partial.pages[1].text == "" and partial.warnings[-1] == "page 2: OCR failed"
    blank = merge_ocr(scan, {1: PageOcr("", 0.0, 0), 2: PageOcr("", 0.0, 0)}, [], "tesseract 5.3.0", complete=True)
    assert blank.needs_ocr and blank.ocr["mean_confidence"] == 0.0


@pytest.fixture(scope="module")
def ocr_build(tmp_path_factory) -> dict:
    """A two-document index (one synthetic scan), built through a tesseract wrapper that counts page calls."""
    if TESSERACT is None:
        pytest.skip("tesseract is not installed (Debian: tesseract-ocr)")
    root = tmp_path_factory.mktemp("ocr-build")
    command, log = _counting_tesseract(root)
    config = load_config({"corpus_dir": str(_corpus(root / "corpus")), "index_dir": str(root / "index"),
                          "cache_dir": str(root / "cache"), "progress": False, "ocr_command": str(command),
                          "ocr_dpi": TEST_DPI})
    report = build_index(config).report
    return {"config": config, "log": log, "first_calls": _calls(log), "report": report}


def test_scan_is_read_and_indexed_like_any_document(ocr_build):
    assert ocr_build["first_calls"] == 1
    entry = next(e for e in ocr_build["report"]["files"] if e["path"] == SCAN)
    assert entry["status"] == "indexed" and ocr_build["report"]["summary"]["needs_ocr"] == 0
    reader = open_index(ocr_build["config"])
    record = reader.document(SCAN_ID)
    assert record["needs_ocr"] is False and record["passage_count"] >= 1
    assert record["ocr"]["engine"].startswith("tesseract ") and record["ocr"]["pages"][0]["page"] == 1
    assert record["ocr"]["pages"][0]["words"] >= 30 and record["ocr"]["mean_confidence"] > 80
    assert "Wombleton Harbour Board" in reader.pages(SCAN_ID)[0]["text"]
    assert reader.document("tribunal-ea-2031-0007")["ocr"] is None


def test_api_shows_ocr_confidence_and_finds_the_scan(ocr_build):
    from service import create_app

    client = create_app(ocr_build["config"]).test_client()
    detail = client.get(f"/api/documents/{SCAN_ID}").get_json()
    assert detail["needs_ocr"] is False and "Wombleton" in detail["text"]
    assert detail["ocr"]["pages"] == open_index(ocr_build["config"]).document(SCAN_ID)["ocr"]["pages"]
    results = client.get("/api/search?q=wombleton+dredging&mode=keyword").get_json()["results"]
    assert [r["id"] for r in results] == [SCAN_ID]
    assert set(results[0]["ocr"]) == {"engine", "mean_confidence"}
    other = client.get("/api/search?q=gritting&mode=keyword").get_json()["results"]
    assert [(r["id"], r["ocr"]) for r in other] == [("tribunal-ea-2031-0007", None)]


def test_pages_show_ocr_confidence_per_page_and_in_results(ocr_build):
    from service import create_app

    client = create_app(ocr_build["config"]).test_client()
    confidence = round(open_index(ocr_build["config"]).document(SCAN_ID)["ocr"]["pages"][0]["confidence"])
    page = client.get(f"/documents/{SCAN_ID}").get_data(as_text=True)
    assert "read from a scan by OCR" in page
    assert re.search(rf'id="page-1-heading">Page 1.*OCR confidence {confidence}%</span></h3>', page)
    results = client.get("/?q=wombleton+dredging&mode=keyword").get_data(as_text=True)
    assert re.search(r'<li class="badge">OCR, \d+% confidence</li>', results)
    assert "OCR," not in client.get("/?q=gritting&mode=keyword").get_data(as_text=True)


def test_rebuilds_never_repeat_ocr(ocr_build):
    before = _calls(ocr_build["log"])
    incremental = build_index(ocr_build["config"]).report["summary"]
    full = build_index(ocr_build["config"], full=True).report["summary"]
    assert incremental["reused"] == 2 and full["extracted"] == 2
    assert _calls(ocr_build["log"]) == before
    assert open_index(ocr_build["config"]).document(SCAN_ID)["needs_ocr"] is False


@pytest.mark.parametrize("unusable", ["missing-command", "disabled"])
def test_without_tesseract_the_build_warns_once_and_scans_stay_needs_ocr(ocr_build, tmp_path, caplog, unusable):
    corpus = _corpus(tmp_path / "corpus", second_scan=unusable)
    off = {"ocr_command": str(tmp_path / "no-such-tesseract")} if unusable == "missing-command" else {"ocr_enabled": False}
    base = {"corpus_dir": str(corpus), "index_dir": str(tmp_path / "index"),
            "cache_dir": ocr_build["config"].cache_dir, "progress": False, "ocr_dpi": TEST_DPI}
    with caplog.at_level(logging.WARNING, logger="indexer.ocr"):
        report = build_index(load_config({**base, **off})).report
    warnings = [r.getMessage() for r in caplog.records if r.name == "indexer.ocr"]
    assert len(warnings) == 1 and warnings[0].startswith("OCR unavailable"), warnings
    assert report["summary"]["needs_ocr"] == 2
    documents = open_index(load_config(base)).documents
    assert [(d["needs_ocr"], d["ocr"]) for d in documents.values() if "0042" in d["id"] or "0043" in d["id"]] \
        == [(True, None), (True, None)]
    # Once tesseract is usable, an incremental build reads the scans it could not read before.
    command, log = _counting_tesseract(tmp_path)
    build_index(load_config({**base, "ocr_command": str(command)}))
    assert not any(d["needs_ocr"] for d in open_index(load_config(base)).documents.values())
    assert _calls(log) == 1  # EA-2031-0043 is a new file; EA-2031-0042 comes from the cache


@needs_tesseract
def test_page_cap_and_page_failures_are_warnings(tmp_path):
    scan = write_scan(tmp_path / "two-pages.pdf", [SCAN_LINES, TEXT_LINES], dpi=TEST_DPI)
    extracted = extract(scan)
    base = {"cache_dir": str(tmp_path / "cache"), "ocr_dpi": TEST_DPI}
    capped = OcrRunner(load_config({**base, "ocr_max_pages": 1})).apply(scan, extracted)
    assert capped.needs_ocr and [p["page"] for p in capped.ocr["pages"]] == [1]
    assert "Wombleton" in capped.pages[0].text and capped.pages[1].text == ""
    assert any("capped at 1 of 2 pages" in w for w in capped.warnings)
    slow = OcrRunner(load_config({**base, "ocr_page_timeout": 0.001}))
    timed_out = slow.apply(scan, extracted)
    assert timed_out.needs_ocr and timed_out.ocr is not None and slow.failures == 1  # page 1 is cached already
    assert any(w.startswith("page 2: OCR failed") and "timed out" in w for w in timed_out.warnings)


def test_pages_render_in_the_capped_worker_not_the_build_process(tmp_path):
    scan = write_scan(tmp_path / "scan.pdf", [SCAN_LINES], dpi=TEST_DPI)
    config = load_config({"cache_dir": str(tmp_path / "cache"), "ocr_dpi": TEST_DPI})
    sandbox.shutdown()
    try:
        assert render_capped(scan, 1, TEST_DPI, config) == render_pgm_file(scan, 1, TEST_DPI)
        assert sandbox._workers, "the page was rendered in-process, outside the extraction caps"
    finally:
        sandbox.shutdown()


def test_a_page_that_renders_past_the_time_cap_is_a_page_warning(tmp_path):
    scan = write_scan(tmp_path / "scan.pdf", [SCAN_LINES], dpi=TEST_DPI)
    extracted = extract(scan)
    # A millisecond: the worker answers extraction requests, but no page renders that fast.
    config = load_config({"cache_dir": str(tmp_path / "cache"), "ocr_dpi": TEST_DPI, "extract_timeout_s": 0.001})
    try:
        result = OcrRunner(config).apply(scan, extracted)
    finally:
        sandbox.shutdown()
    assert result.needs_ocr and result.pages[0].text == ""
    assert any(w.startswith("page 1: OCR failed") and "rendering page 1 for OCR took longer" in w
               for w in result.warnings), result.warnings
