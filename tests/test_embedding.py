"""The bundled MiniLM model offline (torch and ONNX backends), and the SQLite embedding cache shared by processes."""
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
                      "embed_batch_size": 16, "embedding_backend": "torch"})


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


@pytest.mark.parametrize("backend", ["torch", "onnx", "onnx-int8"])
def test_related_passage_is_nearest_to_a_paraphrased_query(backend, passages):
    embedder = load_embedder(override(CONFIG, embedding_backend=backend))
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
@pytest.mark.parametrize("backend", ["torch", "onnx-int8"])
def test_loads_without_network_even_when_offline_flags_are_unset(backend):
    import os
    import subprocess
    import sys

    env = {k: v for k, v in os.environ.items() if k not in ("HF_HUB_OFFLINE", "TRANSFORMERS_OFFLINE")}
    # Any attempt to reach a hub would go to this closed local port and fail.
    env["HF_ENDPOINT"] = "http://127.0.0.1:9"
    script = (
        "import os, sys; from config import load_config; from indexer.embedder import load_embedder; "
        f"e = load_embedder(load_config({{'torch_threads': 1, 'embedding_backend': {backend!r}}})); "
        "v = e.encode(['Decision notice under section 40(2)']); "
        "print(os.environ['HF_HUB_OFFLINE'], v.shape[1], 'torch' in sys.modules)"
    )
    done = subprocess.run([sys.executable, "-c", script], env=env, capture_output=True, text=True, timeout=300,
                          cwd=Path(__file__).resolve().parent.parent)
    assert done.returncode == 0, done.stderr[-2000:]
    # The ONNX backends are what keeps torch out of the service's workers.
    assert done.stdout.split() == ["1", "384", str(backend == "torch")]


@pytest.fixture(scope="module")
def long_passage(passages) -> str:
    """Longer than the model's 256-token window, so truncation is exercised too."""
    return "\n\n".join(passages[:4])


@pytest.mark.parametrize("backend, mean_bound, min_bound", [("onnx", 0.99999, 0.9999), ("onnx-int8", 0.985, 0.97)])
def test_onnx_vectors_are_unit_and_close_to_torch(embedder, passages, long_passage, backend, mean_bound, min_bound):
    # bench.embedding_backends, 3,000 tribunal passages: onnx cosine 1.00000 to torch; int8 mean 0.992, min 0.980.
    onnx = load_embedder(override(CONFIG, embedding_backend=backend))
    texts = passages + [long_passage, "FOI"]
    vectors = onnx.encode(texts)
    assert vectors.dtype == np.float32 and vectors.shape == (len(texts), 384)
    assert np.allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-5)
    cosines = np.sum(vectors * embedder.encode(texts), axis=1)
    assert cosines.mean() > mean_bound and cosines.min() > min_bound, (cosines.mean(), cosines.min())
    assert onnx.encode([]).shape == (0, 384)
    # float32 vectors do not depend on the batch; int8 ones a little, as activations are quantised per batch.
    alone = onnx.encode(texts[-3:-1])
    assert np.sum(alone * vectors[-3:-1], axis=1).min() > min_bound


def test_onnx_tokenizer_matches_sentence_transformers(embedder, passages, long_passage):
    from tokenizers import Tokenizer

    from indexer.onnx_export import TOKENIZER_FILE

    onnx = load_embedder(override(CONFIG, embedding_backend="onnx"))
    texts = passages[:8] + [long_passage, "  section 40(2)  ", "Café naïve — “quoted”"]
    expected = embedder._model.preprocess(texts)
    got = Tokenizer.from_file(str(onnx.folder / TOKENIZER_FILE)).encode_batch(texts)
    assert expected["input_ids"].shape[1] == 256
    assert np.array_equal(np.array([e.ids for e in got]), expected["input_ids"].numpy())
    assert np.array_equal(np.array([e.attention_mask for e in got]), expected["attention_mask"].numpy())


def test_cache_key_and_embedder_identity_differ_by_backend(tmp_path):
    from indexer.embedder import model_identity

    identities = {b: model_identity(override(CONFIG, embedding_backend=b)) for b in ("torch", "onnx", "onnx-int8")}
    # torch and onnx give the same vectors and share the cache (filled before backends existed); int8 does not.
    assert identities["torch"] == identities["onnx"] == CONFIG.model_name
    assert identities["onnx-int8"] != CONFIG.model_name
    assert load_embedder(override(CONFIG, embedding_backend="onnx-int8")).model_name == identities["onnx-int8"]
    EmbeddingCache(tmp_path, identities["torch"], 4).put_many(["x"], np.ones((1, 4), dtype=np.float32))
    assert EmbeddingCache(tmp_path, identities["onnx-int8"], 4).get_many(["x"]) == {}
    with pytest.raises(ValueError, match="embedding_backend"):
        load_embedder(override(CONFIG, embedding_backend="onnx-fp16"))


def test_export_is_idempotent_and_follows_the_model_files(tmp_path):
    from config import load_config
    from indexer.embedder import model_folder
    from indexer.onnx_export import ensure_exported, export_folder, fingerprint

    config = load_config()
    folder, _ = ensure_exported(model_folder(config), config.onnx_dir)
    stamps = {p.name: p.stat().st_mtime_ns for p in folder.iterdir()}
    again, made = ensure_exported(model_folder(config), config.onnx_dir)
    assert (again, made) == (folder, False)
    assert {p.name: p.stat().st_mtime_ns for p in folder.iterdir()} == stamps
    assert not [p for p in config.onnx_dir.iterdir() if p.name.startswith(".export-")]
    # A changed model file means a new export folder, never a stale export.
    model = tmp_path / "model"
    model.mkdir()
    (model / "config.json").write_text("{}", encoding="utf-8")
    before = fingerprint(model)
    (model / "config.json").write_text('{"hidden_size": 8}', encoding="utf-8")
    assert fingerprint(model) != before
    assert export_folder(model, tmp_path).name.endswith(fingerprint(model)[:16])


def test_index_records_its_backend_and_the_service_embeds_queries_with_it(index_config):
    from indexer.embedder import model_identity
    from service.current_index import CurrentIndex

    built = load_config(index_config)
    other = "torch" if built.embedding_backend == "onnx-int8" else "onnx-int8"
    current = CurrentIndex(load_config({**index_config, "embedding_backend": other}))
    assert current.reader.manifest["embedding_backend"] == current.reader.embedding_backend == built.embedding_backend
    # The setting now names another backend, but queries must meet the passages in the same vector space.
    assert current.embedder().model_name == model_identity(built) != model_identity(override(built, embedding_backend=other))


def test_an_unknown_backend_is_refused_when_the_settings_are_read(tmp_path):
    from config import ConfigError

    with pytest.raises(ConfigError, match="'onnx-fp16' is not one of torch, onnx, onnx-int8"):
        load_config({"embedding_backend": "onnx-fp16"})
