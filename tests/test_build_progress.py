"""Parallel extraction (same output as one worker, crash safety per file) and build progress for `status`."""
from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from config import PROJECT_ROOT, Settings, load_config, override
from indexer import generations as gens
from indexer import sandbox, store
from indexer.build import build_index
from indexer.cli import main
from indexer.progress import PROGRESS_FILE, read_progress
from tests import formatmaker as fm
from tests import hostile_files as hf


@pytest.fixture
def mixed(tmp_path, sample_corpus, embedding_cache_dir) -> Settings:
    """The sample corpus plus one file of each new format and a small bundle."""
    corpus = tmp_path / "corpus"
    shutil.copytree(sample_corpus, corpus)
    extra = corpus / "new-formats"
    extra.mkdir()
    fm.docx(extra / "reply.docx")
    fm.xlsx(extra / "fleet.xlsx")
    fm.csv_file(extra / "fleet.csv")
    fm.eml(extra / "reply.eml", {"fleet.xlsx": (extra / "fleet.xlsx").read_bytes()})
    fm.zip_file(extra / "bundle.zip", {"a/reply.docx": (extra / "reply.docx").read_bytes()})
    return load_config({"corpus_dir": str(corpus), "index_dir": str(tmp_path / "index"),
                        "cache_dir": str(embedding_cache_dir), "progress": False})


def _generation_files(config: Settings) -> tuple[list, list, list]:
    gen_dir = gens.current_path(Path(config.index_dir))
    report = json.loads((gen_dir / gens.REPORT_FILE).read_text())
    return (store.read_jsonl(gen_dir / store.DOCUMENTS_FILE), store.read_jsonl(gen_dir / store.PASSAGES_FILE),
            report["files"])


def test_two_workers_build_exactly_what_one_worker_builds(mixed, tmp_path):
    one = override(mixed, extract_workers=1, index_dir=str(tmp_path / "one"))
    two = override(mixed, extract_workers=2, index_dir=str(tmp_path / "two"))
    assert build_index(one).exit_code == build_index(two).exit_code == 2
    documents, passages, files = _generation_files(one)
    assert len(documents) > 10 and any(d["path"].endswith("bundle.zip/a/reply.docx") for d in documents)
    assert _generation_files(two) == (documents, passages, files)


def _kill_workers_after(seconds: float) -> threading.Thread:
    def kill() -> None:
        time.sleep(seconds)
        for worker in list(sandbox._workers.values()):
            if worker.process is not None and worker.process.is_alive():
                os.kill(worker.process.pid, signal.SIGKILL)

    thread = threading.Thread(target=kill)
    thread.start()
    return thread


def test_a_worker_killed_mid_file_fails_that_file_only(tmp_path, embedding_cache_dir):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "a-notice.txt").write_text("Decision notice FS50444444 on section 12 costs.")
    hf.slow_pdf(corpus / "m-slow.pdf", 900_000)
    (corpus / "z-notice.txt").write_text("Decision notice FS50555555 on section 14 vexatious requests.")
    config = load_config({"corpus_dir": str(corpus), "index_dir": str(tmp_path / "index"), "progress": False,
                          "cache_dir": str(embedding_cache_dir), "extract_workers": 2, "extract_timeout_s": 120})
    killer = _kill_workers_after(3.0)
    result = build_index(config)
    killer.join()
    entries = {entry["path"]: entry for entry in result.report["files"]}
    assert entries["m-slow.pdf"]["reason"] == "worker_crashed" and "SIGKILL" in entries["m-slow.pdf"]["message"]
    assert entries["a-notice.txt"]["status"] == entries["z-notice.txt"]["status"] == "indexed"
    assert result.exit_code == 2


def test_progress_bars_name_each_stage_with_rate_and_time_left(mixed, capsys):
    build_index(override(mixed, progress=True))
    err = capsys.readouterr().err
    for stage in ("extracting", "writing keyword index"):
        assert f"{stage}: 100%" in err, stage
    assert "embedding: " in err  # every passage of this corpus is in the session's embedding cache: 0 to embed
    assert "file/s]" in err and "<00:00" in err
    assert not (Path(mixed.index_dir) / PROGRESS_FILE).exists(), "a finished build leaves no progress file"


def _status(index: Path, capsys, *extra: str) -> str:
    main(["status", "--index", str(index), *extra])
    return capsys.readouterr().out


def test_status_shows_the_running_build_stage_and_time_left(mixed, tmp_path, capsys):
    for number in range(3):
        hf.slow_pdf(Path(mixed.corpus_dir) / f"slow-{number}.pdf", 200_000)
    command = [sys.executable, "-m", "indexer", "build", "--no-progress", "--corpus", str(mixed.corpus_dir),
               "--index", str(mixed.index_dir), "--cache", str(mixed.cache_dir)]
    env = {**os.environ, "FOI_EXTRACT_WORKERS": "1", "HF_HUB_OFFLINE": "1"}
    process = subprocess.Popen(command, cwd=PROJECT_ROOT, env=env, stdout=subprocess.DEVNULL,
                               stderr=subprocess.DEVNULL)
    try:
        deadline, seen = time.monotonic() + 120, ""
        while time.monotonic() < deadline and "extracting" not in seen or "file/s" not in seen:
            time.sleep(0.3)
            seen = _status(Path(mixed.index_dir), capsys)
        assert f"build running (pid {process.pid}" in seen and "extracting" in seen and "left in this stage" in seen
        state = json.loads(_status(Path(mixed.index_dir), capsys, "--json"))["running_build"]
        assert state["stage"] == "extracting" and state["unit"] == "file" and 0 < state["done"] < state["total"]
        assert state["eta_s"] is not None and state["rate_per_s"] > 0
    finally:
        process.kill()
        process.wait(timeout=60)
    assert (Path(mixed.index_dir) / PROGRESS_FILE).exists() and read_progress(Path(mixed.index_dir)) is None
    assert "build running" not in _status(Path(mixed.index_dir), capsys)
