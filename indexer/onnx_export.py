"""Export a sentence-transformers model folder to ONNX (float32 and int8), once per model and recipe."""
from __future__ import annotations

import hashlib
import json
import logging
import os
import shutil
import tempfile
import time
import warnings
from pathlib import Path
from typing import Any

log = logging.getLogger(__name__)

# Bump when the export steps change, so existing exports are redone.
RECIPE = "st-eager-fused-int8-perchannel-v1"
MODEL_FILES = {"onnx": "model.onnx", "onnx-int8": "model_int8.onnx"}
TOKENIZER_FILE = "tokenizer.json"
INFO_FILE = "export.json"
INPUT_NAMES = ("input_ids", "attention_mask", "token_type_ids")
OUTPUT_NAME = "sentence_embedding"


def fingerprint(model_path: Path) -> str:
    """Hash of the recipe and every file's name, size and mtime: cheap, and changes when the model does."""
    digest = hashlib.sha256(RECIPE.encode())
    for path in sorted(p for p in model_path.rglob("*") if p.is_file()):
        stat = path.stat()
        digest.update(f"{path.relative_to(model_path)}\0{stat.st_size}\0{stat.st_mtime_ns}\n".encode())
    return digest.hexdigest()


def export_folder(model_path: Path, onnx_dir: Path) -> Path:
    """Where the export of model_path lives: one folder per model name and fingerprint."""
    folder = model_path.resolve()
    return onnx_dir / f"{folder.parent.name}-{folder.name}-{fingerprint(folder)[:16]}"


def is_complete(folder: Path) -> bool:
    files = [folder / INFO_FILE, folder / TOKENIZER_FILE, *(folder / name for name in MODEL_FILES.values())]
    return all(path.is_file() for path in files)


def ensure_exported(model_path: Path, onnx_dir: Path) -> tuple[Path, bool]:
    """(export folder, whether it was made now); an existing complete export is reused without loading torch."""
    folder = export_folder(model_path, onnx_dir)
    if is_complete(folder):
        return folder, False
    onnx_dir.mkdir(parents=True, exist_ok=True)
    # Built aside and renamed into place, so a reader never sees half an export and racing exporters are harmless.
    scratch = Path(tempfile.mkdtemp(prefix=".export-", dir=onnx_dir))
    try:
        log.info("exporting %s to ONNX in %s", model_path, folder)
        _export(model_path.resolve(), scratch, folder.name)
        scratch.chmod(0o755)  # mkdtemp makes it private; the service may run as another user
        try:
            os.replace(scratch, folder)
        except OSError:
            if not is_complete(folder):
                raise
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    return folder, True


def _export(model_path: Path, out: Path, name: str) -> None:
    started = time.monotonic()
    from indexer.embedder import stay_offline

    stay_offline()
    from sentence_transformers import SentenceTransformer

    # Eager attention exports as plain MatMul/Softmax, which onnxruntime's optimizer fuses into its Attention op.
    model = SentenceTransformer(str(model_path), device="cpu", local_files_only=True,
                                model_kwargs={"attn_implementation": "eager"})
    model.eval()
    plain = out / "plain.onnx"
    _trace(model, plain)
    fused = _fuse(plain, out / MODEL_FILES["onnx"], model[0].auto_model.config)
    _quantize(fused, out / MODEL_FILES["onnx-int8"])
    plain.unlink(missing_ok=True)
    _save_tokenizer(model, out / TOKENIZER_FILE)
    info = {"name": name, "recipe": RECIPE, "source": str(model_path), "fingerprint": fingerprint(model_path),
            "dim": int(model.get_embedding_dimension()), "max_seq_length": int(model.max_seq_length),
            "files": MODEL_FILES, "versions": _versions(), "seconds": round(time.monotonic() - started, 1)}
    (out / INFO_FILE).write_text(json.dumps(info, indent=1), encoding="utf-8")


def _trace(model: Any, path: Path) -> None:
    """The whole sentence-transformers pipeline (transformer, pooling, normalisation) as one ONNX graph."""
    import torch

    class Pipeline(torch.nn.Module):
        def __init__(self) -> None:
            super().__init__()
            self.model = model

        def forward(self, input_ids: Any, attention_mask: Any, token_type_ids: Any) -> Any:
            features = {"input_ids": input_ids, "attention_mask": attention_mask, "token_type_ids": token_type_ids}
            return self.model(features)[OUTPUT_NAME]

    sample = model.preprocess(["A decision notice under section 40(2).", "Appeal dismissed."])
    axes: dict[str, dict[int, str]] = {n: {0: "batch", 1: "sequence"} for n in INPUT_NAMES}
    axes[OUTPUT_NAME] = {0: "batch"}
    with torch.no_grad(), warnings.catch_warnings():
        # The tracer warns about shape checks it freezes; they are constant for a BERT encoder with right padding.
        warnings.simplefilter("ignore")
        torch.onnx.export(Pipeline().eval(), tuple(sample[n] for n in INPUT_NAMES), str(path), dynamo=False,
                          input_names=list(INPUT_NAMES), output_names=[OUTPUT_NAME], dynamic_axes=axes,
                          opset_version=17)


def _fuse(plain: Path, target: Path, config: Any) -> Path:
    """Fused attention, GELU and layer norms when onnxruntime knows the architecture; else the plain graph."""
    from onnxruntime.transformers.optimizer import MODEL_TYPES, optimize_model

    if config.model_type not in MODEL_TYPES:
        log.warning("onnxruntime cannot fuse model type %s; exporting the unfused graph", config.model_type)
        shutil.copyfile(plain, target)
        return target
    optimized = optimize_model(str(plain), model_type=config.model_type, num_heads=config.num_attention_heads,
                               hidden_size=config.hidden_size, opt_level=1)
    optimized.save_model_to_file(str(target))
    return target


def _quantize(source: Path, target: Path) -> None:
    import onnx
    from onnxruntime.quantization import QuantType, quantize_dynamic

    # Per-channel weights keep cosine to float32 at ~0.99 (per-tensor: ~0.95); 7-bit weights (reduce_range)
    # avoid int16 saturation in the u8s8 kernels of CPUs without VNNI and cost nothing measurable elsewhere.
    # DefaultTensorType: shape inference cannot type the outputs of the fused contrib ops.
    quiet = _DropQuantizerChatter()
    logging.getLogger().addFilter(quiet)
    try:
        quantize_dynamic(str(source), str(target), weight_type=QuantType.QInt8, per_channel=True, reduce_range=True,
                         extra_options={"DefaultTensorType": onnx.TensorProto.FLOAT})
    finally:
        logging.getLogger().removeFilter(quiet)


class _DropQuantizerChatter(logging.Filter):
    """The quantizer logs per-tensor notes and a pre-processing hint to the root logger; none concern us."""

    def filter(self, record: logging.LogRecord) -> bool:
        return "onnxruntime" not in record.pathname


def _save_tokenizer(model: Any, path: Path) -> None:
    """The fast tokenizer with sentence-transformers' truncation (max_seq_length) and padding to the batch."""
    tokenizer = model.tokenizer.backend_tokenizer
    tokenizer.enable_truncation(max_length=int(model.max_seq_length))
    tokenizer.enable_padding(pad_id=int(model.tokenizer.pad_token_id), pad_token=str(model.tokenizer.pad_token))
    tokenizer.save(str(path))


def _versions() -> dict[str, str]:
    from importlib.metadata import version

    packages = ("torch", "transformers", "sentence-transformers", "onnx", "onnxruntime")
    return {package: version(package) for package in packages}
