"""Data-parallel embedding: worker processes give one process's vectors, in order, and embed only what is not cached."""
from __future__ import annotations

import os
import re
import signal
import tarfile
from pathlib import Path

import numpy as np
import pytest

from config import load_config, override
from indexer import generations as gens
from indexer import progress
from indexer.build import build_index
from indexer.chunking import chunk_pages
from indexer.cli import format_running
from indexer.embed_pool import BuildEmbedder, EmbedPool, EmbedWorkerFailed
from indexer.embedding_cache import EMBED_BATCH, EmbeddingCache, embed_with_cache
from indexer.vectors import open_vectors

SEED_DIR = Path(__file__).resolve().parent.parent / "corpus"
CONFIG = load_config({"model_path": "", "embedding_backend": "onnx", "embed_batch_size": 8, "progress": False},
                     env={})


class _Page:
    def __init__(self, text: str) -> None:
        self.number, self.text = 1, text


@pytest.fixture(scope="module")
def passages() -> list[str]:
    texts = [p.read_text(encoding="utf-8") for p in sorted(SEED_DIR.glob("*.txt"))]
    unique = list(dict.fromkeys(c.text for t in texts for c in chunk_pages([_Page(t)])))
    assert len(unique) >= 20
    return unique[:20]


class _Recording(BuildEmbedder):
    """A BuildEmbedder that keeps each batch it was asked for, to show which texts reached a model."""

    def __init__(self, config) -> None:
        super().__init__(config)
        self.asked: list[str] = []

    def encode_batches(self, batches):
        self.asked.extend(text for batch in batches for text in batch)
        return super().encode_batches(batches)


def _embed(config, cache_dir: Path, texts: list[str], progress=False) -> tuple[np.ndarray, _Recording]:
    embedder = _Recording(config)
    cache = EmbeddingCache(cache_dir, config.model_name, 384)
    try:
        return embed_with_cache(embedder, cache, texts, progress=progress, batch_size=6), embedder
    finally:
        embedder.close()
        cache.close()


@pytest.mark.parametrize("backend", ["onnx", "torch"])
def test_two_workers_give_the_vectors_of_one_process_in_order(tmp_path, passages, backend):
    config = override(CONFIG, embedding_backend=backend)
    texts = passages + passages[:4]  # repeated texts are embedded once and filled in everywhere
    alone, _ = _embed(override(config, embed_workers=1), tmp_path / "one", texts)
    updates: list[int] = []
    parallel, embedder = _embed(override(config, embed_workers=2), tmp_path / "two", texts,
                                progress=lambda total: _Counter(total, updates))
    assert embedder.embedded == len(set(texts)) == 20
    assert np.allclose(parallel, alone, atol=1e-6, rtol=0)
    assert np.array_equal(parallel[20:], parallel[:4])
    assert updates == [6, 6, 6, 2], "progress advances once per finished batch"
    assert np.allclose(np.linalg.norm(parallel, axis=1), 1.0, atol=1e-5), "every row holds a vector"


class _Counter:
    def __init__(self, total: int, updates: list[int]) -> None:
        self.total, self.updates = total, updates

    def update(self, count: int) -> None:
        self.updates.append(count)

    def close(self) -> None:
        pass


def test_cached_passages_are_not_embedded_again(tmp_path, passages):
    config = override(CONFIG, embed_workers=2)
    first, _ = _embed(config, tmp_path, passages[:8])
    again, embedder = _embed(config, tmp_path, passages[3:20])
    assert embedder.asked == passages[8:20] and embedder.embedded == 12
    assert np.array_equal(again[:5], first[3:8])


def test_a_killed_worker_fails_the_embedding_with_a_clear_error(passages):
    pool = EmbedPool(override(CONFIG, embed_workers=2), 2)
    try:
        results = pool.encode_batches([passages[i : i + 2] for i in range(0, 20, 2)])
        assert next(results).shape == (2, 384)
        os.kill(pool.pids[0], signal.SIGKILL)
        with pytest.raises(EmbedWorkerFailed, match="died \\(killed by SIGKILL"):
            list(results)
    finally:
        pool.close()
    assert not pool.pids


def test_a_worker_that_cannot_load_the_model_fails_the_pool(tmp_path):
    config = override(CONFIG, embedding_backend="torch", model_path=str(tmp_path / "missing-model"))
    with pytest.raises(EmbedWorkerFailed, match="failed: FileNotFoundError: .*missing-model"):
        EmbedPool(config, 2)


def test_status_of_a_build_embedding_in_parallel_shows_done_total_rate_and_time_left(tmp_path, passages,
                                                                                     monkeypatch):
    monkeypatch.setattr(progress, "WRITE_EVERY_S", 0.0)
    tracker = progress.BuildProgress(tmp_path, bars=False)
    lines: list[str] = []

    def stage(total: int) -> progress.Stage:
        watched = tracker.stage("embedding", total, "passage")
        update = watched.update

        def update_and_look(count: int = 1) -> None:
            update(count)
            lines.append(format_running(progress.read_progress(tmp_path)))

        watched.update = update_and_look
        return watched

    _embed(override(CONFIG, embed_workers=2), tmp_path / "cache", passages, progress=stage)
    tracker.close()
    assert len(lines) == 4 and lines[0].startswith(f"build running (pid {os.getpid()}")
    assert re.search(r": embedding 6/20 passages \(30%\), [\d.]+ passage/s, about \dm\d\ds left in this stage$",
                     lines[0]), lines[0]
    assert re.search(r": embedding 20/20 passages \(100%\), [\d.]+ passage/s, about 0m00s left", lines[-1]), lines[-1]


@pytest.mark.realdata
@pytest.mark.slow
def test_a_build_on_two_embedding_workers_writes_the_vectors_of_a_one_process_build(tmp_path, shared_dir):
    archive = shared_dir / "scale" / "tribunal-2524-text.tar.gz"
    if not archive.is_file():
        pytest.skip(f"{archive} is absent")
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    with tarfile.open(archive) as tar:
        members = sorted((m for m in tar if m.isfile() and m.name.endswith(".txt")), key=lambda m: m.name)[:6]
        for member in members:
            (corpus / Path(member.name).name).write_bytes(tar.extractfile(member).read())
    built = {}
    for workers in (1, 2):
        config = load_config({"corpus_dir": str(corpus), "index_dir": str(tmp_path / f"index-{workers}"),
                              "cache_dir": str(tmp_path / f"cache-{workers}"), "embedding_backend": "onnx-int8",
                              "embed_workers": workers, "progress": False}, env={})
        result = build_index(config)
        built[workers] = open_vectors(gens.current_path(Path(config.index_dir)))[0]
        assert result.report["summary"]["embedded"] == len(built[workers]) > EMBED_BATCH, "more than one batch"
    assert np.allclose(built[2], built[1], atol=1e-6, rtol=0)
