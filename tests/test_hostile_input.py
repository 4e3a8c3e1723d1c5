"""Hostile and broken corpus files: each gets a precise report entry, the build goes on, per-file caps hold."""
from __future__ import annotations

import json
import multiprocessing
import os
import signal
import threading
from pathlib import Path

import pytest

from config import Settings, load_config
from indexer import build as build_module
from indexer import generations as gens
from indexer import sandbox
from indexer.cli import main
from indexer.extract import Caps, ExtractionError, extract
from indexer.sources import scan_corpus
from tests import formatmaker as fm
from tests import hostile_files as hf

# Small caps so that every limit is reached in well under a second of work.
CAPS = {"FOI_MAX_FILE_MB": "60", "FOI_MAX_EXTRACTED_CHARS": "5000", "FOI_MAX_PDF_PAGES": "50",
        "FOI_EXTRACT_TIMEOUT_S": "6", "FOI_EXTRACT_MEMORY_MB": "400", "FOI_SHEET_MAX_ROWS": "1000"}
ROOT = os.geteuid() == 0

# path -> (status, reason, a fragment of the message or of a warning)
EXPECTED = {
    "hostile/empty.pdf": ("failed", "empty_file", "0 bytes"),
    "hostile/truncated.pdf": ("failed", "corrupt_pdf", "truncated"),
    "hostile/rc4-no-password.pdf": ("indexed", None, None),
    "hostile/rc4-password.pdf": ("failed", "encrypted_pdf", "password"),
    "hostile/aes.pdf": ("failed", "encrypted_pdf", "password"),
    "hostile/aes-no-password.pdf": ("indexed", None, None),
    "hostile/bomb-page-count.pdf": ("indexed", None, None),
    "hostile/bomb-many-pages.pdf": ("indexed", None, "only the first 50 of 3000 pages"),
    "hostile/bomb-nested.pdf": ("failed", "corrupt_pdf", "damaged"),
    "hostile/bomb-flate.pdf": ("failed", "pdf_bomb", "decompression"),
    "hostile/bomb-slow.pdf": ("failed", "timeout", "longer than 6s"),
    "hostile/random.pdf": ("failed", "corrupt_pdf", "no %PDF- header"),
    "hostile/random.txt": ("failed", "binary_content", "NUL byte"),
    "hostile/scripts-and-attributes.html": ("indexed", None, None),
    "hostile/latin1.txt": ("indexed", None, "decoded as cp1252"),
    "hostile/utf16-bom.txt": ("indexed", None, "byte-order mark"),
    "hostile/utf16-no-bom.txt": ("indexed", None, "without a byte-order mark"),
    "hostile/50mb.txt": ("indexed", None, "only the first 5,000 characters"),
    "hostile/too-large.pdf": ("failed", "too_large", "over the 60 MB limit"),
    "hostile/vanished.txt": ("failed", "vanished", "deleted during the build"),
    "hostile/unreadable.txt": ("indexed", None, None) if ROOT else ("failed", "read_error", "ermission"),
    "hostile/stray-nuls.txt": ("indexed", None, "stray NUL byte(s) replaced by spaces"),
    "hostile/truncated.docx": ("failed", "corrupt_office", "damaged or truncated"),
    "hostile/pdf-named.docx": ("indexed", None, "the content is a PDF"),
    "hostile/random.docx": ("failed", "corrupt_office", "no zip header"),
    "hostile/locked.docx": ("failed", "encrypted_office", "password"),
    "hostile/bomb-document-xml.docx": ("failed", "archive_bomb", "word/document.xml inflates"),
    "hostile/huge-sheet.xlsx": ("indexed", None, "text truncated at about 5,000 characters"),
    "hostile/truncated.xlsx": ("failed", "corrupt_office", "damaged or truncated"),
    "hostile/random.msg": ("failed", "corrupt_email", "no OLE compound file header"),
    "hostile/binary.eml": ("failed", "corrupt_email", "binary content"),
    "hostile/bomb.zip": ("failed", "archive_bomb", "zip bomb"),
    "hostile/nested-6.zip": ("indexed", None, None),
    "hostile/nested-6.zip/level-1.zip/level-2.zip/level-3.zip": ("failed", "archive_too_deep", "3 levels deep"),
    "hostile/locked-member.zip/secret/response.txt": ("failed", "encrypted_archive", "password"),
    "hostile/truncated.zip": ("failed", "corrupt_archive", "damaged or truncated"),
}


def _good(corpus: Path) -> None:
    hf.good_pdf(corpus / "good" / "decision.pdf")
    (corpus / "good" / "notice.txt").write_text("Decision notice FS50111111. The ministry of fisheries withheld "
                                                "the quota register under section 43 (commercial interests).\n")


def _hostile(folder: Path, good: Path) -> None:
    folder.mkdir()
    (folder / "empty.pdf").write_bytes(b"")
    hf.truncated_pdf(folder / "truncated.pdf", good)
    hf.encrypted_pdf(folder / "rc4-no-password.pdf", good, "", "RC4-128")
    hf.encrypted_pdf(folder / "rc4-password.pdf", good, "secret", "RC4-128")
    hf.aes_encrypted_pdf(folder / "aes.pdf")
    hf.page_count_bomb(folder / "bomb-page-count.pdf")
    hf.many_pages_pdf(folder / "bomb-many-pages.pdf", 3000)
    hf.nested_pdf(folder / "bomb-nested.pdf")
    hf.flate_bomb_pdf(folder / "bomb-flate.pdf", 100)
    hf.slow_pdf(folder / "bomb-slow.pdf", 900_000)
    hf.random_bytes(folder / "random.pdf")
    hf.random_bytes(folder / "random.txt")
    hf.hostile_html(folder / "scripts-and-attributes.html")
    hf.latin1_text(folder / "latin1.txt")
    hf.utf16_text(folder / "utf16-bom.txt", bom=True)
    hf.utf16_text(folder / "utf16-no-bom.txt", bom=False)
    hf.big_text(folder / "50mb.txt", 50)
    hf.sparse_file(folder / "too-large.pdf", 61)
    (folder / "vanished.txt").write_text("This file is deleted after the scan.")
    (folder / "unreadable.txt").write_text("Readable only by its owner (and by root).")
    (folder / "unreadable.txt").chmod(0)
    fm.hostile_formats(folder, good)


def _scan_then_delete(monkeypatch) -> None:
    def scan(corpus_dir: Path):
        sources = scan_corpus(corpus_dir)
        (Path(corpus_dir) / "hostile" / "vanished.txt").unlink()
        return sources

    monkeypatch.setattr(build_module, "scan_corpus", scan)


def _search_ids(config: Settings, query: str) -> list[str]:
    from service import create_app

    app = create_app(config)
    body = app.test_client().get("/api/search", query_string={"q": query, "mode": "keyword"}).get_json()
    return [result["id"] for result in body["results"]]


@pytest.mark.slow
def test_build_over_every_hostile_file(tmp_path, embedding_cache_dir, monkeypatch, capsys):
    corpus, index = tmp_path / "corpus", tmp_path / "index"
    _good(corpus)
    args = ["build", "--corpus", str(corpus), "--index", str(index), "--cache", str(embedding_cache_dir),
            "--no-progress"]
    for name, value in CAPS.items():
        monkeypatch.setenv(name, value)
    assert main(args) == 0
    first = gens.read_current(index)

    _hostile(corpus / "hostile", corpus / "good" / "decision.pdf")
    _scan_then_delete(monkeypatch)
    assert main(args) == 2
    out = capsys.readouterr().out
    report = json.loads((index / "last-report.json").read_text())
    entries = {entry["path"]: entry for entry in report["files"]}
    for path, (status, reason, fragment) in EXPECTED.items():
        entry = entries[path]
        assert (entry["status"], entry["reason"]) == (status, reason), entry
        if fragment:
            assert fragment in " ".join([entry["message"] or "", *entry["warnings"]]), entry
    assert entries["good/decision.pdf"]["status"] == entries["good/notice.txt"]["status"] == "reused"
    failures = report["summary"]["failures_by_reason"]
    assert failures["timeout"] == failures["too_large"] == failures["vanished"] == 1
    assert "timeout=1" in out and "vanished=1" in out
    assert gens.read_current(index) != first

    config = load_config({"corpus_dir": str(corpus), "index_dir": str(index), "cache_dir": str(embedding_cache_dir)})
    assert _search_ids(config, "fisheries quota") == ["good-notice"]
    assert "good-decision" in _search_ids(config, "cost limit")
    assert "hostile-utf16-no-bom" in _search_ids(config, "confidentiality")
    assert not _search_ids(config, "analytics OR document.write OR script")
    html = entries["hostile/scripts-and-attributes.html"]
    assert html["chars"] < 200, "the 20 MB attribute must not become text"
    assert entries["hostile/50mb.txt"]["chars"] <= 5000


@pytest.mark.slow
def test_interrupted_build_keeps_the_previous_generation_and_stops_the_worker(tmp_path, embedding_cache_dir,
                                                                              monkeypatch):
    corpus, index = tmp_path / "corpus", tmp_path / "index"
    _good(corpus)
    config = load_config({"corpus_dir": str(corpus), "index_dir": str(index), "cache_dir": str(embedding_cache_dir),
                          "progress": False, "extract_timeout_s": 60})
    first = build_module.build_index(config).generation
    hf.slow_pdf(corpus / "slow.pdf")
    # Python's own Ctrl-C handler, whatever an earlier test in the session left installed: this test is about
    # what the build does with a KeyboardInterrupt.
    previous = signal.signal(signal.SIGINT, signal.default_int_handler)
    timer = threading.Timer(1.5, os.kill, (os.getpid(), signal.SIGINT))
    timer.start()
    try:
        with pytest.raises(KeyboardInterrupt):
            build_module.build_index(config)
    finally:
        timer.join()
        signal.signal(signal.SIGINT, previous)
    assert gens.read_current(index) == first
    assert not [p for p in multiprocessing.active_children() if p.name == "foi-extract"]
    assert json.loads((index / "last-report.json").read_text())["error"].startswith("KeyboardInterrupt")


def test_a_worker_that_cannot_start_fails_the_build_and_keeps_the_previous_generation(own_index, monkeypatch):
    first = gens.read_current(Path(own_index.index_dir))

    def cannot_start(self):
        raise sandbox.SandboxError("extraction worker exited while starting (exit code 1)")

    monkeypatch.setattr(sandbox.Worker, "_start", cannot_start)
    with pytest.raises(sandbox.SandboxError):
        build_module.build_index(own_index, full=True)
    assert gens.read_current(Path(own_index.index_dir)) == first


@pytest.fixture
def worker():
    yield sandbox
    sandbox.shutdown()


def _failure(path: Path, config: Settings) -> ExtractionError:
    with pytest.raises(ExtractionError) as info:
        sandbox.extract_capped(path, config)
    return info.value


def test_memory_cap_kills_the_extraction_and_the_next_file_works(tmp_path, worker):
    config = load_config({"extract_memory_mb": 40, "extract_timeout_s": 30})
    good = hf.good_pdf(tmp_path / "good.pdf")
    error = _failure(hf.flate_bomb_pdf(tmp_path / "bomb.pdf", 70), config)
    assert error.reason == "memory_limit" and "more than 40 MB" in error.message
    assert "cost limit" in sandbox.extract_capped(good, config).text


def test_time_cap_kills_the_extraction_and_the_next_file_works(tmp_path, worker):
    config = load_config({"extract_memory_mb": 0, "extract_timeout_s": 1})
    good = hf.good_pdf(tmp_path / "good.pdf")
    assert "cost limit" in sandbox.extract_capped(good, config).text
    first = sandbox.worker_for(sandbox.Limits.from_config(config))
    error = _failure(hf.slow_pdf(tmp_path / "slow.pdf", 150_000), config)
    assert error.reason == "timeout" and "longer than 1s" in error.message
    assert first.process is None and first.starts == 1
    assert "cost limit" in sandbox.extract_capped(good, config).text
    assert first.starts == 2


def test_worker_killed_from_outside_is_replaced(tmp_path, worker):
    config = load_config({"extract_timeout_s": 30})
    good = hf.good_pdf(tmp_path / "good.pdf")
    sandbox.extract_capped(good, config)
    current = sandbox.worker_for(sandbox.Limits.from_config(config))
    os.kill(current.process.pid, signal.SIGKILL)
    current.process.join(5)
    assert "cost limit" in sandbox.extract_capped(good, config).text and current.starts == 2


def test_size_cap_is_checked_before_reading(tmp_path, worker):
    error = _failure(hf.sparse_file(tmp_path / "huge.txt", 3), load_config({"max_file_mb": 2}))
    assert error.reason == "too_large" and "3.0 MB is over the 2 MB limit" in error.message
    assert not sandbox._workers, "a file over the size cap must not even start a worker"


def test_no_caps_extracts_in_process(tmp_path, worker):
    text = sandbox.extract_capped(hf.good_pdf(tmp_path / "good.pdf"),
                                  load_config({"extract_memory_mb": 0, "extract_timeout_s": 0})).text
    assert "cost limit" in text and not sandbox._workers


def test_text_cap_truncates_with_a_warning(tmp_path):
    result = extract(hf.big_text(tmp_path / "big.txt", 1), Caps(max_chars=1000))
    assert result.chars <= 1000
    assert any("only the first 1,000 characters" in w for w in result.warnings)
    pdf = extract(hf.many_pages_pdf(tmp_path / "many.pdf", 30), Caps(max_chars=500))
    # The cap counts page text; the blank lines joining pages come on top.
    assert pdf.chars <= 500 + 2 * len(pdf.pages) and any("pages are indexed" in w for w in pdf.warnings)


def test_file_deleted_during_the_scan_is_left_out(tmp_path, monkeypatch):
    from indexer import sources

    (tmp_path / "a.txt").write_text("kept")
    (tmp_path / "b.txt").write_text("deleted while the scan runs")
    real = sources._digest

    def digest(file: Path):
        if file.name == "b.txt":
            file.unlink()
        return real(file)

    monkeypatch.setattr(sources, "_digest", digest)
    assert [s.path for s in scan_corpus(tmp_path)] == ["a.txt"]


@pytest.mark.parametrize(("make", "expected"), [
    (lambda p: hf.utf16_text(p, bom=False, big_endian=True), hf.UTF16_TEXT),
    (lambda p: hf.utf16_text(p, bom=True, big_endian=True), hf.UTF16_TEXT),
    (hf.latin1_text, hf.LATIN1_TEXT.replace("’", "'").replace("—", "-")),
])
def test_legacy_text_encodings_decode_exactly(tmp_path, make, expected):
    result = extract(make(tmp_path / "text.txt"))
    assert result.text == expected and len(result.warnings) == 1


def test_deeply_nested_html_keeps_its_text(tmp_path):
    result = extract(hf.hostile_html(tmp_path / "page.html", attribute_mb=1, depth=5000))
    assert "Readable paragraph about section 40" in result.text and "deep text" in result.text
    assert "script" not in result.text and result.title_hint == "Hostile page"
