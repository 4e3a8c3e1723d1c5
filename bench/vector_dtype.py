"""Compare float32 and float16 passage vectors: disk size, exact-search latency and ranking agreement.

Uses the shared benchmark index when /work/bench-index/index/CURRENT exists, else passages of a few dozen
tribunal decisions from shared/scale, embedded with the real model through the embedding cache
(FOI_CACHE_DIR, e.g. /work/cache). Run: `FOI_CACHE_DIR=/work/cache python -m bench.vector_dtype`.
"""
from __future__ import annotations

import argparse
import statistics
import tarfile
import tempfile
import time
from pathlib import Path
from types import SimpleNamespace

import numpy as np

from bench.paths import BENCH_INDEX, SHARED_DIR
from config import Settings, load_config
from indexer import vectors as vec
from indexer.chunking import chunk_pages
from indexer.embedder import load_embedder
from indexer.embedding_cache import EmbeddingCache, embed_with_cache

QUERIES = [
    "public interest in maintaining the exemption for formulation of government policy",
    "legal professional privilege advice withheld by the council",
    "personal data of junior civil servants names disclosure",
    "vexatious request burden on the public authority",
    "cost of compliance exceeds the appropriate limit section 12",
    "commercial interests prejudice contract prices tender",
    "neither confirm nor deny national security bodies",
    "environmental information regulations planning application",
    "information held on private email accounts of ministers",
    "prejudice to law enforcement police operational tactics",
    "late response and breach of section 10 time limits",
    "Tribunal allowed the appeal and substituted a decision notice",
    "health and safety endangering individuals mental health",
    "confidential information obtained from a third party breach of confidence",
    "minutes of board meetings safe space for deliberation",
]


def _tribunal_passages(limit: int, docs: int) -> list[str]:
    texts: list[str] = []
    with tarfile.open(SHARED_DIR / "scale" / "tribunal-2524-text.tar.gz") as tar:
        members = sorted((m for m in tar if m.isfile() and m.name.endswith(".txt")), key=lambda m: m.name)
        step = max(1, len(members) // docs)
        for member in members[::step][:docs]:
            text = tar.extractfile(member).read().decode("utf-8", "replace")
            texts.extend(c.text for c in chunk_pages([SimpleNamespace(number=1, text=text)]))
    return texts[:limit]


def _load_vectors(config: Settings, limit: int, docs: int) -> tuple[np.ndarray, str]:
    embedder = load_embedder(config)
    if (BENCH_INDEX / "CURRENT").exists():
        gen = BENCH_INDEX / "generations" / (BENCH_INDEX / "CURRENT").read_text().strip()
        matrix, meta = vec.open_vectors(gen)
        return np.asarray(matrix, dtype=np.float32), f"bench index {gen.name} ({meta['dtype']} on disk)"
    passages = _tribunal_passages(limit, docs)
    cache = EmbeddingCache(config.cache_dir, embedder.model_name, embedder.dim)
    return embed_with_cache(embedder, cache, passages, progress=True), f"{len(passages)} tribunal passages"


def _latency_ms(matrix: np.ndarray, queries: list | np.ndarray, repeats: int = 3) -> float:
    times = []
    for _ in range(repeats):
        for query in queries:
            start = time.perf_counter()
            vec.top_k(matrix, query, 10)
            times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


def _agreement(full: np.ndarray, half: np.ndarray, queries: np.ndarray) -> dict[str, float]:
    overlaps, same_order, top1, score_diffs = [], [], [], []
    for query in queries:
        a, b = vec.top_k(full, query, 10), vec.top_k(half, query, 10)
        rows_a, rows_b = [r for r, _ in a], [r for r, _ in b]
        overlaps.append(len(set(rows_a) & set(rows_b)) / 10)
        same_order.append(rows_a == rows_b)
        top1.append(rows_a[0] == rows_b[0])
        score_diffs.extend(abs(x - y) for (_, x), (_, y) in zip(a, b, strict=True))
    return {"overlap@10 mean": statistics.mean(overlaps), "overlap@10 min": min(overlaps),
            "identical top-10 order": statistics.mean(same_order), "same top-1": statistics.mean(top1),
            "max |score diff|": max(score_diffs)}


def _scaled(matrix: np.ndarray, rows: int) -> np.ndarray:
    # Latency only: real vectors repeated with a little noise, to see the cost at corpus scale.
    rng = np.random.default_rng(0)
    tiled = np.resize(matrix, (rows, matrix.shape[1])) + rng.normal(0, 0.02, (rows, matrix.shape[1]))
    return (tiled / np.linalg.norm(tiled, axis=1, keepdims=True)).astype(np.float32)


def _row(name: str, *cells: object) -> str:
    return f"{name:<44}" + "".join(f"{c:>12}" if isinstance(c, str) else f"{c:>12.4g}" for c in cells)


def run(limit: int, docs: int, scale_rows: int) -> None:
    config = load_config({"torch_threads": 1})
    matrix, source = _load_vectors(config, limit, docs)
    embedder = load_embedder(config)
    queries = np.vstack([embedder.encode(QUERIES), matrix[:: max(1, len(matrix) // 25)][:25]])
    with tempfile.TemporaryDirectory() as tmp:
        opened = {}
        for dtype in vec.DTYPES:
            vec.write_vectors(Path(tmp) / dtype, matrix, embedder.model_name, dtype)
            opened[dtype] = (vec.open_vectors(Path(tmp) / dtype)[0], (Path(tmp) / dtype / vec.VECTORS_FILE).stat().st_size)
        big = _scaled(matrix, scale_rows)
        for dtype in vec.DTYPES:
            vec.write_vectors(Path(tmp) / f"big-{dtype}", big, embedder.model_name, dtype)
        big_opened = {d: vec.open_vectors(Path(tmp) / f"big-{d}")[0] for d in vec.DTYPES}
        print(f"source: {source}; {len(queries)} queries ({len(QUERIES)} written, the rest passages)")
        print(_row("", *vec.DTYPES))
        print(_row("vectors.npy size (KiB)", *(opened[d][1] / 1024 for d in vec.DTYPES)))
        print(_row(f"top-10 latency, {len(matrix)} rows (ms)", *(_latency_ms(opened[d][0], queries) for d in vec.DTYPES)))
        print(_row(f"top-10 latency, {scale_rows} rows (ms)", *(_latency_ms(big_opened[d], queries[:10]) for d in vec.DTYPES)))
        multi = queries[:16]
        print(_row(f"16-row query latency, {scale_rows} rows (ms)",
                   *(_latency_ms(big_opened[d], [multi], 2) for d in vec.DTYPES)))
        print(_row("naive float16 matmul, 1 query row (ms)", "", _naive_half_ms(big_opened["float16"], queries[:1])))
        print(_row("naive float16 matmul, 16 query rows (ms)", "", _naive_half_ms(big_opened["float16"], multi)))
        for name, value in _agreement(opened["float32"][0], opened["float16"][0], queries).items():
            print(_row(f"float16 vs float32: {name}", "", value))


def _naive_half_ms(half: np.ndarray, queries: np.ndarray) -> float:
    # What skipping the float32 conversion would cost: numpy has no fast float16 matmul kernel.
    start = time.perf_counter()
    (np.asarray(half) @ queries.T.astype(np.float16)).max(axis=1)
    return (time.perf_counter() - start) * 1000


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--passages", type=int, default=1500, help="most passages to embed (default 1500)")
    parser.add_argument("--docs", type=int, default=60, help="tribunal decisions to take them from (default 60)")
    parser.add_argument("--scale-rows", type=int, default=100_000, help="rows of the latency-only scaled matrix")
    args = parser.parse_args()
    run(args.passages, args.docs, args.scale_rows)
