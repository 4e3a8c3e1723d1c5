"""Sentence embeddings from an ONNX export, run by onnxruntime with the model's own fast tokenizer (no torch)."""
from __future__ import annotations

import json
from pathlib import Path

import numpy as np

from indexer.onnx_export import INFO_FILE, INPUT_NAMES, MODEL_FILES, TOKENIZER_FILE


class OnnxEmbedder:
    """Same interface as the torch Embedder: encode() returns float32 rows of unit length."""

    def __init__(self, folder: Path, backend: str, model_name: str, batch_size: int = 32, threads: int = 0,
                 device: str = "cpu") -> None:
        import onnxruntime as ort
        from tokenizers import Tokenizer

        info = json.loads((folder / INFO_FILE).read_text(encoding="utf-8"))
        self.folder = folder
        self.backend = backend
        self.model_name = model_name
        self.batch_size = batch_size
        self.dim = int(info["dim"])
        self._tokenizer = Tokenizer.from_file(str(folder / TOKENIZER_FILE))
        options = ort.SessionOptions()
        # 0 lets onnxruntime use one thread per physical core, as torch does by default.
        options.intra_op_num_threads = max(threads, 0)
        options.inter_op_num_threads = 1
        self._session = ort.InferenceSession(str(folder / MODEL_FILES[backend]), options,
                                             providers=_providers(device))
        self._inputs = [i.name for i in self._session.get_inputs()]

    def encode(self, texts: list[str], progress: bool = False) -> np.ndarray:
        out = np.zeros((len(texts), self.dim), dtype=np.float32)
        # Longest first, as sentence-transformers does: batches of similar length waste little on padding.
        order = sorted(range(len(texts)), key=lambda i: -len(texts[i]))
        for start in range(0, len(order), self.batch_size):
            rows = order[start : start + self.batch_size]
            out[rows] = self._run([texts[i] for i in rows])
        return out

    def _run(self, texts: list[str]) -> np.ndarray:
        encodings = self._tokenizer.encode_batch(texts)
        arrays = {
            "input_ids": np.array([e.ids for e in encodings], dtype=np.int64),
            "attention_mask": np.array([e.attention_mask for e in encodings], dtype=np.int64),
            "token_type_ids": np.array([e.type_ids for e in encodings], dtype=np.int64),
        }
        feeds = {name: arrays[name] for name in self._inputs if name in INPUT_NAMES}
        vectors = self._session.run(None, feeds)[0]
        # As normalize_embeddings=True does for torch: a model without a Normalize module still yields unit rows.
        norms = np.linalg.norm(vectors, axis=1, keepdims=True)
        return vectors / np.maximum(norms, 1e-12)


def _providers(device: str) -> list[str]:
    """onnxruntime execution providers for a device name: CUDA first (falling back to CPU) for "cuda[:N]"."""
    return ["CUDAExecutionProvider", "CPUExecutionProvider"] if device.startswith("cuda") else ["CPUExecutionProvider"]
