"""Crash safety: a build killed with SIGKILL at any moment leaves the previous generation current and served."""
from __future__ import annotations

import random
import secrets
import shutil
import signal
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote

import pytest

from config import Settings, load_config
from indexer import generations as gens
from indexer.build import build_index
from indexer.reader import open_index
from tests.cli import start_build
from tests.server import Server, fetch_health, http_request, running_server

pytestmark = pytest.mark.process

COPIES = 60  # enough files that extraction lasts well past the moment the test kills the build
REFERENCE = "EA/2019/0154"  # a sample tribunal decision: a reference search must put it first
REFERENCE_DOC = "tribunal-ea-2019-0154"


@pytest.fixture
def crash_setup(tmp_path, sample_corpus, embedding_cache_dir) -> Settings:
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


def _kill_after(process: subprocess.Popen, seconds: float) -> list[str]:
    time.sleep(seconds)
    process.send_signal(signal.SIGKILL)
    _out, err = process.communicate(timeout=60)
    return err.splitlines(keepends=True)


@dataclass(frozen=True)
class KillPoint:
    """Where a build dies: after the n-th log line holding marker, or after a fraction of a full build's time."""

    name: str
    marker: str = ""
    occurrence: int = 1
    fraction: float = 0.0
    full: bool = True
    fresh_text: bool = False  # add a never-seen file, so the build has to load the model and embed
    may_finish: bool = False  # the last steps are quick: the build may be done before the signal lands


def kill_points(seed: int = 20261127) -> list[KillPoint]:
    rng = random.Random(seed)
    return [
        KillPoint("extraction, early", "indexed bulk/", 3),
        KillPoint("extraction, late", "indexed bulk/", COPIES - 5),
        KillPoint("embedding", "loading embedding model", full=False, fresh_text=True),
        KillPoint("writing keyword index", "writing keyword index", may_finish=True),
        KillPoint("publishing", "publishing generation", may_finish=True),
        *(KillPoint(f"random moment {n}", fraction=round(rng.uniform(0.3, 0.95), 2), may_finish=True)
          for n in (1, 2)),
    ]


def _full_build_seconds(config: Settings) -> float:
    start = time.monotonic()
    process = start_build(config, "--verbose", "--full")
    process.communicate(timeout=300)
    assert process.returncode == 2, "the sample corpus carries bad inputs, so a finished build exits 2"
    return time.monotonic() - start


def _kill_build(config: Settings, point: KillPoint, full_seconds: float) -> tuple[subprocess.Popen, list[str]]:
    if point.fresh_text:
        text = f"Decision notice {secrets.token_hex(8)}. The council relied on section 43(2) of FOIA to withhold bids."
        (Path(config.corpus_dir) / f"fresh-{secrets.token_hex(4)}.txt").write_text(text, encoding="utf-8")
    process = start_build(config, "--verbose", *(["--full"] if point.full else []))
    if point.marker:
        return process, _kill_when_logged(process, point.marker, point.occurrence)
    return process, _kill_after(process, full_seconds * point.fraction)


def _assert_lock_free(index_dir: Path) -> None:
    with gens.build_lock(index_dir):
        pass


def _assert_served(server: Server, config: Settings, generation: str) -> None:
    """The server answers from `generation` (once its worker noticed CURRENT) with correct results."""
    deadline = time.monotonic() + 30
    while fetch_health(server.base_url)[1].get("generation") != generation and time.monotonic() < deadline:
        time.sleep(0.2)
    assert fetch_health(server.base_url)[1].get("generation") == generation
    documents = len(open_index(config).documents)
    listing = http_request(server.base_url, "GET", "/api/documents?per_page=1")
    assert listing.status == 200 and listing.headers["x-index-generation"] == generation
    assert listing.json()["total"] == documents
    search = http_request(server.base_url, "GET", f"/api/search?mode=keyword&q={quote(REFERENCE)}")
    assert search.status == 200
    assert search.json()["results"][0]["id"] == REFERENCE_DOC


def _assert_next_build_recovers(config: Settings) -> str:
    index_dir = Path(config.index_dir)
    result = build_index(config)
    assert result.exit_code == 2  # the sample corpus carries bad inputs
    assert gens.read_current(index_dir) == result.generation
    assert not list((index_dir / "generations").glob("*.tmp-*")), "leftover tmp generation was not cleaned"
    assert open_index(config).generation == result.generation
    return result.generation


def _check_after_kill(config: Settings, point: KillPoint, process: subprocess.Popen, lines: list[str],
                      before: str) -> None:
    index_dir = Path(config.index_dir)
    if not point.may_finish:
        assert process.returncode == -signal.SIGKILL, f"{point.name}: {''.join(lines[-5:])}"
    current = gens.read_current(index_dir)
    finished = gens.finished_generations(index_dir)
    assert current in finished, f"{point.name}: CURRENT names {current}, not a finished generation"
    if process.returncode == -signal.SIGKILL and not point.may_finish:
        assert current == before, f"{point.name}: a killed build changed CURRENT"
    reader = open_index(config)
    assert reader.vectors.shape[0] == len(reader.passages)
    if point.marker == "indexed bulk/":
        assert len(list((index_dir / "generations").glob("*.tmp-*"))) == 1, "the killed build left no tmp generation"
    if point.fresh_text:
        assert any("indexed fresh-" in line for line in lines), "the build was killed before extracting the new file"
    _assert_lock_free(index_dir)


def test_kill_points_keep_serving_previous_generation(crash_setup, tmp_path):
    """Kill builds at seven moments from extraction to publishing, with a server running throughout."""
    full_seconds = _full_build_seconds(crash_setup)
    with running_server(crash_setup, workers=1, log_path=tmp_path / "server.log") as server:
        for point in kill_points():
            before = gens.read_current(Path(crash_setup.index_dir))
            process, lines = _kill_build(crash_setup, point, full_seconds)
            _check_after_kill(crash_setup, point, process, lines, before)
            _assert_served(server, crash_setup, gens.read_current(Path(crash_setup.index_dir)))
            recovered = _assert_next_build_recovers(crash_setup)
            if point.fresh_text:
                assert any(doc_id.startswith("fresh-") for doc_id in open_index(crash_setup).documents)
            _assert_served(server, crash_setup, recovered)
        assert server.process.poll() is None, "the server must survive every kill"
