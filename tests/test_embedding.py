"""The bundled MiniLM model offline, and the SQLite embedding cache shared by processes."""
from __future__ import annotations

import multiprocessing
from pathlib import Path

import numpy as np
import pytest

from config import load_config, override
from indexer.chunking import chunk_pages
from indexer.embedder import bundled_model_path, load_embedder
from indexer.embedding_cache import EmbeddingCache, embed_with_cache

SEED_DIR = Path(__file__).resolve().parent.parent / "corpus"
CONFIG = load_config({"model_path": "", "model_name": "sentence-transformers/all-MiniLM-L6-v2", "torch_threads": 1,
                      "embed_batch_size": 16})


class _Page:
    def __init__(self, text: str) -> None:
        self.number, self.text = 1, text


@pytest.fixture(scope="module")
def passages() -> list[str]:
    texts = [p.read_text(encoding="utf-8") for p in sorted(SEED_DIR.glob("*.txt"))]
    chunks = [c.text for t in texts for c in chunk_pages([_Page(t)])]
    assert 10 < len(chunks) < 100
    return chunks


@pytest.fixture(scope="module")
def embedder():
    return load_embedder(CONFIG)


class _Counting:
    """Embedder wrapper that records how many texts reached the model."""

    def __init__(self, inner) -> None:
        self.inner, self.count = inner, 0

    def encode(self, texts, progress=False):
        self.count += len(texts)
        return self.inner.encode(texts)


def test_embedder_is_offline_normalised_float32_and_cached_per_process(embedder, passages):
    import os

    import torch

    assert os.environ["HF_HUB_OFFLINE"] == "1"
    assert load_embedder(CONFIG) is embedder
    assert torch.get_num_threads() == 1
    vectors = embedder.encode(passages[:8])
    assert vectors.dtype == np.float32 and vectors.shape == (8, embedder.dim)
    assert np.allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-5)
    assert embedder.encode([]).shape == (0, embedder.dim)


def test_related_passage_is_nearest_to_a_paraphrased_query(embedder, passages):
    vectors = embedder.encode(passages)
    query = embedder.encode(["register of fake online identities used by undercover police officers"])[0]
    best = passages[int(np.argmax(vectors @ query))]
    assert "persona" in best.lower()


def test_model_path_setting_overrides_the_bundled_model(tmp_path):
    explicit = load_embedder(override(CONFIG, model_path=str(bundled_model_path())))
    assert explicit.dim == 384
    with pytest.raises(FileNotFoundError):
        load_embedder(override(CONFIG, model_path=str(tmp_path / "missing-model")))


def test_cache_embeds_only_missing_texts_and_returns_the_same_vectors(tmp_path, embedder, passages):
    counting = _Counting(embedder)
    cache = EmbeddingCache(tmp_path, embedder.model_name, embedder.dim)
    first = embed_with_cache(counting, cache, passages[:20] + passages[:3], batch_size=7)
    assert counting.count == len(set(passages[:20]))
    assert np.allclose(first[:20], embedder.encode(passages[:20]), atol=1e-5)
    assert np.array_equal(first[20:], first[:3])
    again = embed_with_cache(counting, EmbeddingCache(tmp_path, embedder.model_name, embedder.dim), passages[:25])
    assert counting.count == len(set(passages[:20])) + len(set(passages[20:25]) - set(passages[:20]))
    assert np.array_equal(again[:20], first[:20])


def test_cache_keys_include_the_model_name(tmp_path):
    vectors = np.eye(3, 4, dtype=np.float32)
    EmbeddingCache(tmp_path, "model-a", 4).put_many(["x", "y", "z"], vectors)
    assert sorted(EmbeddingCache(tmp_path, "model-a", 4).get_many(["z", "q", "x"])) == [0, 2]
    assert EmbeddingCache(tmp_path, "model-b", 4).get_many(["x"]) == {}


def _writer(cache_dir: str, worker: int) -> None:
    cache = EmbeddingCache(Path(cache_dir), "m", 8)
    rng = np.random.default_rng(worker)
    for batch in range(20):
        texts = [f"passage {worker}-{batch}-{i}" for i in range(25)] + ["shared passage"]
        cache.put_many(texts, rng.random((26, 8), dtype=np.float32))


def test_concurrent_processes_share_one_cache(tmp_path):
    context = multiprocessing.get_context("spawn")
    workers = [context.Process(target=_writer, args=(str(tmp_path), w)) for w in range(3)]
    for process in workers:
        process.start()
    for process in workers:
        process.join(120)
    assert [p.exitcode for p in workers] == [0, 0, 0]
    texts = [f"passage {w}-{b}-{i}" for w in range(3) for b in range(20) for i in range(25)]
    assert len(EmbeddingCache(tmp_path, "m", 8).get_many(texts + ["shared passage"])) == len(texts) + 1


@pytest.mark.process
def test_loads_without_network_even_when_offline_flags_are_unset():
    import os
    import subprocess
    import sys

    env = {k: v for k, v in os.environ.items() if k not in ("HF_HUB_OFFLINE", "TRANSFORMERS_OFFLINE")}
    # Any attempt to reach a hub would go to this closed local port and fail.
    env["HF_ENDPOINT"] = "http://127.0.0.1:9"
    script = (
        "import os; from config import load_config; from indexer.embedder import load_embedder; "
        "e = load_embedder(load_config({'torch_threads': 1})); v = e.encode(['Decision notice under section 40(2)']); "
        "print(os.environ['HF_HUB_OFFLINE'], v.shape[1])"
    )
    done = subprocess.run([sys.executable, "-c", script], env=env, capture_output=True, text=True, timeout=300,
                          cwd=Path(__file__).resolve().parent.parent)
    assert done.returncode == 0, done.stderr[-2000:]
    assert done.stdout.split() == ["1", "384"]
