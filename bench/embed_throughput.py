"""Build embedding throughput: each backend in one process with 2 threads vs 2 worker processes with 1 thread each.

Passages are the first --passages chunks of tribunal decisions from shared/scale, embedded as a build embeds them
(embed_with_cache into an empty cache, build-sized batches). Each cell runs in a process of its own. Vectors of the
two layouts are compared (data-parallel embedding must not change them), and every backend's vectors and exact
top-10 rankings for a few queries with torch's. The machine is shared: the load average is printed with each cell.
Run: `nice .venv/bin/python -m bench.embed_throughput` (~10 minutes on the shared 2-core machine).
"""
from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

from bench.embedding_backends import ARCHIVE, TOPICS, load_texts
from config import load_config, override
from indexer.embedding_cache import EMBED_BATCH, EmbeddingCache, embed_with_cache

BACKENDS = ("torch", "onnx", "onnx-int8")
LAYOUTS = {"1 process x 2 threads": 1, "2 processes x 1 thread": 2}


def _load_average() -> str:
    return " ".join(f"{value:.2f}" for value in os.getloadavg())


def _cpu_seconds() -> float:
    """CPU time of this process and of its finished (joined) child processes: worker pools included."""
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return time.process_time() + children.ru_utime + children.ru_stime


def cell(backend: str, workers: int, data: Path, out: Path, batch: int) -> None:
    """Run in a process of its own: load (or start the workers), embed every passage, embed the queries."""
    from indexer.embed_pool import EmbedPool
    from indexer.embedder import load_embedder

    texts = json.loads(data.read_text(encoding="utf-8"))
    config = load_config({"embedding_backend": backend, "torch_threads": 2, "embed_workers": workers,
                          "progress": False})
    load_before = _load_average()
    started, cpu = time.perf_counter(), _cpu_seconds()
    embedder = load_embedder(config) if workers == 1 else EmbedPool(config, workers)
    loaded = time.perf_counter()
    with tempfile.TemporaryDirectory() as cache_dir:
        cache = EmbeddingCache(Path(cache_dir), config.model_name, embedder.dim)
        vectors = embed_with_cache(embedder, cache, texts["passages"], batch_size=batch)
        cache.close()
    finished = time.perf_counter()
    if workers > 1:
        embedder.close()
    cpu = _cpu_seconds() - cpu
    queries = load_embedder(override(config, torch_threads=2)).encode(texts["queries"])
    np.savez(out.with_suffix(".npz"), passages=vectors, queries=queries)
    out.with_suffix(".json").write_text(json.dumps({
        "startup_s": loaded - started, "embed_s": finished - loaded, "cpu_s": cpu, "load_before": load_before,
        "load_after": _load_average()}), encoding="utf-8")


def _top10(passages: np.ndarray, query: np.ndarray) -> set[int]:
    return {int(i) for i in np.argsort(-(passages @ query), kind="stable")[:10]}


def compare(reference: dict, other: dict) -> dict:
    """Max abs difference and cosine of passage vectors; top-10 passage overlap over the queries."""
    cosines = np.sum(reference["passages"] * other["passages"], axis=1)
    overlaps = [len(_top10(reference["passages"], rq) & _top10(other["passages"], oq)) / 10
                for rq, oq in zip(reference["queries"], other["queries"], strict=True)]
    return {"max_abs": float(np.abs(reference["passages"] - other["passages"]).max()),
            "cos_min": float(cosines.min()), "cos_mean": float(cosines.mean()),
            "overlap_mean": float(np.mean(overlaps)), "overlap_min": float(np.min(overlaps))}


def print_tables(timings: dict, vectors: dict, passages: int, queries: int, batch: int) -> None:
    print(f"\n{passages} tribunal passages, build batches of {batch}, into an empty embedding cache; "
          f"{os.cpu_count()} CPUs\n")
    print("| backend | layout | startup s | embed s | passages/s | speed-up | CPU s, all processes, startup + embed"
          " | load avg before | load avg after |")
    print("|---|---|---:|---:|---:|---:|---:|---|---|")
    for backend in timings:
        base = None
        for layout, row in timings[backend].items():
            rate = passages / row["embed_s"]
            base = base or rate
            print(f"| {backend} | {layout} | {row['startup_s']:.1f} | {row['embed_s']:.1f} | {rate:.1f} | "
                  f"{rate / base:.2f}x | {row['cpu_s']:.1f} | {row['load_before']} | {row['load_after']} |")
    print(f"\nVectors: 2 processes vs 1 process of the same backend, and each backend vs torch (1 process); "
          f"top-10 passage overlap over {queries} queries (query and passages embedded by the same backend)\n")
    print("| vectors | compared with | max abs diff | cosine min | cosine mean | top-10 overlap mean | min |")
    print("|---|---|---:|---:|---:|---:|---:|")
    one, two = LAYOUTS
    for backend in vectors:
        rows = [(f"{backend}, {two}", f"{backend}, {one}", vectors[backend][one], vectors[backend][two])]
        if backend != "torch" and "torch" in vectors:
            rows.append((f"{backend}, {one}", f"torch, {one}", vectors["torch"][one], vectors[backend][one]))
        for name, against, reference, other in rows:
            got = compare(reference, other)
            print(f"| {name} | {against} | {got['max_abs']:.2e} | {got['cos_min']:.6f} | {got['cos_mean']:.6f} | "
                  f"{got['overlap_mean']:.3f} | {got['overlap_min']:.1f} |")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--passages", type=int, default=512)
    parser.add_argument("--batch", type=int, default=EMBED_BATCH, help="passages per build batch")
    parser.add_argument("--backends", type=lambda s: s.split(","), default=list(BACKENDS))
    parser.add_argument("--cell", help=argparse.SUPPRESS)
    parser.add_argument("--data", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--out", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.cell:
        backend, workers = args.cell.split(":")
        cell(backend, int(workers), args.data, args.out, args.batch)
        return 0
    if not ARCHIVE.is_file():
        print(f"skipped: {ARCHIVE} is absent (the shared data is needed)")
        return 0
    passages, _, excerpts = load_texts(args.passages, 5)
    queries = TOPICS[:10] + excerpts
    timings: dict = {}
    vectors: dict = {}
    with tempfile.TemporaryDirectory() as tmp:
        data = Path(tmp) / "texts.json"
        data.write_text(json.dumps({"passages": passages, "queries": queries}), encoding="utf-8")
        for backend in args.backends:
            for layout, workers in LAYOUTS.items():
                out = Path(tmp) / f"{backend}-{workers}"
                subprocess.run([sys.executable, "-m", "bench.embed_throughput", "--cell", f"{backend}:{workers}",
                                "--data", str(data), "--out", str(out), "--batch", str(args.batch)], check=True)
                timings.setdefault(backend, {})[layout] = json.loads(out.with_suffix(".json").read_text())
                vectors.setdefault(backend, {})[layout] = dict(np.load(out.with_suffix(".npz")))
                print(f"{backend}, {layout}: {timings[backend][layout]['embed_s']:.1f} s", flush=True)
    print_tables(timings, vectors, len(passages), len(queries), args.batch)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
