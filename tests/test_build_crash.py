"""Crash safety: a build killed with SIGKILL at any point leaves the previous generation current and readable."""
from __future__ import annotations

import os
import secrets
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from config import PROJECT_ROOT, load_config
from indexer import generations as gens
from indexer.build import build_index
from indexer.reader import open_index

COPIES = 60  # enough files that extraction lasts well past the moment the test kills the build


@pytest.fixture
def crash_setup(tmp_path, sample_corpus, embedding_cache_dir) -> dict:
    """Sample corpus plus many copies of one notice (one text, so one embedding), built once."""
    corpus = tmp_path / "corpus"
    shutil.copytree(sample_corpus, corpus)
    notice = (corpus / "ico-notices" / "ic-240101-k3n7.txt").read_bytes()
    (corpus / "bulk").mkdir()
    for number in range(COPIES):
        (corpus / "bulk" / f"notice-{number:03d}.txt").write_bytes(notice)
    config = load_config({"corpus_dir": str(corpus), "index_dir": str(tmp_path / "index"),
                          "cache_dir": str(embedding_cache_dir), "progress": False})
    build_index(config)
    return config


def _start_build(config: dict, *extra: str) -> subprocess.Popen:
    command = [sys.executable, "-m", "indexer", "build", "--verbose", "--no-progress",
               "--corpus", str(config["corpus_dir"]), "--index", str(config["index_dir"]),
               "--cache", str(config["cache_dir"]), *extra]
    env = {**os.environ, "HF_HUB_OFFLINE": "1", "TRANSFORMERS_OFFLINE": "1"}
    return subprocess.Popen(command, cwd=PROJECT_ROOT, env=env, text=True,
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)


def _kill_when_logged(process: subprocess.Popen, marker: str, occurrence: int = 1) -> list[str]:
    """SIGKILL the build right after its log shows marker for the n-th time; returns the lines read."""
    lines = []
    for line in process.stderr:
        lines.append(line)
        if sum(marker in seen for seen in lines) >= occurrence:
            process.send_signal(signal.SIGKILL)
            break
    process.wait(timeout=60)
    process.stderr.close()
    return lines


def _assert_previous_intact(config: dict, generation: str, documents: dict) -> None:
    index_dir = Path(config["index_dir"])
    assert gens.read_current(index_dir) == generation
    reader = open_index(config)
    assert reader.generation == generation
    assert reader.documents == documents
    assert reader.vectors.shape[0] == len(reader.passages)


def _assert_next_build_recovers(config: dict) -> None:
    index_dir = Path(config["index_dir"])
    result = build_index(config)
    assert result.exit_code == 2  # the sample corpus carries bad inputs
    assert gens.read_current(index_dir) == result.generation
    assert not list((index_dir / "generations").glob("*.tmp-*")), "leftover tmp generation was not cleaned"
    assert open_index(config).generation == result.generation


def test_kill_during_extraction(crash_setup):
    before = open_index(crash_setup)
    process = _start_build(crash_setup, "--full")
    lines = _kill_when_logged(process, "indexer.build: indexed bulk/", occurrence=5)
    assert process.returncode == -signal.SIGKILL, "".join(lines[-5:])
    tmp_dirs = list((Path(crash_setup["index_dir"]) / "generations").glob("*.tmp-*"))
    assert len(tmp_dirs) == 1, "the killed build should have left its unfinished generation"
    _assert_previous_intact(crash_setup, before.generation, before.documents)
    _assert_next_build_recovers(crash_setup)


def test_kill_during_embedding(crash_setup):
    before = open_index(crash_setup)
    # A text never seen before, so the build has to load the model and embed it.
    fresh = f"Decision notice {secrets.token_hex(8)}. The council relied on section 43(2) of FOIA to withhold the bids."
    (Path(crash_setup["corpus_dir"]) / "fresh-notice.txt").write_text(fresh, encoding="utf-8")
    process = _start_build(crash_setup)
    lines = _kill_when_logged(process, "loading embedding model")
    assert process.returncode == -signal.SIGKILL, "".join(lines[-5:])
    assert any("indexed fresh-notice.txt" in line for line in lines)
    _assert_previous_intact(crash_setup, before.generation, before.documents)
    _assert_next_build_recovers(crash_setup)
    assert open_index(crash_setup).document("fresh-notice") is not None


def test_kill_at_any_moment_keeps_a_readable_current(crash_setup):
    """Kill full rebuilds at spread-out moments, incl. writing and publishing; CURRENT is always whole."""
    documents = set(open_index(crash_setup).documents)
    start = time.monotonic()
    finished = _start_build(crash_setup, "--full")
    _kill_when_logged(finished, "never logged")
    duration = time.monotonic() - start
    for fraction in (0.5, 0.85, 0.97):
        process = _start_build(crash_setup, "--full")
        time.sleep(duration * fraction)
        process.send_signal(signal.SIGKILL)
        process.communicate(timeout=60)
        generation = gens.read_current(Path(crash_setup["index_dir"]))
        assert generation in gens.finished_generations(Path(crash_setup["index_dir"]))
        reader = open_index(crash_setup)
        assert set(reader.documents) == documents
        assert reader.vectors.shape[0] == len(reader.passages)
    _assert_next_build_recovers(crash_setup)
