"""Embedding backends (torch, onnx, onnx-int8) compared: throughput, memory and ranking agreement with torch.

Passages are the first --passages chunks of tribunal decisions from shared/scale (chunked as builds chunk them);
queries are short FOI topics, real case titles and 400-word excerpts of other decisions. Each backend runs in a
process of its own (so its peak RSS is its own): a throughput grid over threads and batch sizes, then every
passage and query embedded once. Exact top-10 search with each backend's own vectors is compared with torch's.
Run: `nice .venv/bin/python -m bench.embedding_backends` (~25 minutes on the shared 2-core machine).
"""
from __future__ import annotations

import argparse
import csv
import json
import random
import resource
import subprocess
import sys
import tarfile
import tempfile
import time
from pathlib import Path
from types import SimpleNamespace

import numpy as np

from bench.paths import RESULTS_DIR, SHARED_DIR
from bench.vector_dtype import QUERIES as DTYPE_QUERIES
from indexer.chunking import chunk_pages

BACKENDS = ("torch", "onnx", "onnx-int8")
ARCHIVE = SHARED_DIR / "scale" / "tribunal-2524-text.tar.gz"
TITLES = SHARED_DIR / "labels" / "tribunal-metadata.csv"
SEED = 20261130
TOPICS = DTYPE_QUERIES + [
    "vexatious request burden", "section 40 personal data third party", "section 12 cost limit aggregation",
    "section 14 repeated request", "section 43 trade secrets", "section 36 prejudice to effective conduct",
    "section 42 legal advice privilege", "section 21 information reasonably accessible",
    "section 22 intended for future publication", "section 41 actionable breach of confidence",
    "section 38 health and safety", "section 23 security bodies", "section 35 ministerial communications",
    "regulation 12(4)(b) manifestly unreasonable", "regulation 12(5)(e) confidentiality of commercial information",
    "council tax records empty properties", "police stop and search statistics", "NHS trust waiting list data",
    "university admissions data", "emails between special advisers", "request for CCTV footage",
    "salaries of senior council officers", "names of officials in correspondence", "information not held on balance of probabilities",
    "adequacy of searches for requested information",
]


def _members(tar: tarfile.TarFile) -> list[tarfile.TarInfo]:
    return sorted((m for m in tar if m.isfile() and m.name.endswith(".txt")), key=lambda m: m.name)


def _read(tar: tarfile.TarFile, member: tarfile.TarInfo) -> str:
    return tar.extractfile(member).read().decode("utf-8", "replace")


def load_texts(passage_count: int, excerpt_count: int, excerpt_words: int = 400) -> tuple[list[str], list[int], list[str]]:
    """(passages of the first decisions, each passage's decision ID, excerpts of later decisions)."""
    passages: list[str] = []
    docs: list[int] = []
    excerpts: list[str] = []
    with tarfile.open(ARCHIVE) as tar:
        members = _members(tar)
        for member in members:
            if len(passages) >= passage_count:
                break
            chunks = chunk_pages([SimpleNamespace(number=1, text=_read(tar, member))])
            passages.extend(c.text for c in chunks)
            docs.extend([int(Path(member.name).stem)] * len(chunks))
        for member in members[len(members) // 2:]:
            words = _read(tar, member).split()
            if len(words) >= 3 * excerpt_words:
                start = len(words) // 3
                excerpts.append(" ".join(words[start : start + excerpt_words]))
            if len(excerpts) >= excerpt_count:
                break
    return passages[:passage_count], docs[:passage_count], excerpts


def load_queries(excerpts: list[str], docs: list[int], titles: int) -> list[tuple[str, str, int]]:
    """(kind, text, decision ID it should find or -1): topics, titles of decisions among the passages, excerpts."""
    present = set(docs)
    with open(TITLES, encoding="utf-8-sig", newline="") as handle:
        named = sorted((int(row["ID"]), row["Case.Title"].strip()) for row in csv.DictReader(handle)
                       if row["Case.Title"].strip() and int(row["ID"]) in present)
    picked = random.Random(SEED).sample(named, min(titles, len(named)))
    return ([("topic", q, -1) for q in TOPICS] + [("title", q, doc) for doc, q in picked]
            + [("excerpt", q, -1) for q in excerpts])


def _encode_timed(config: dict, texts: list[str]) -> tuple[np.ndarray, float, float]:
    from indexer.embedder import load_embedder

    embedder = load_embedder(config)
    embedder.encode(texts[:8])  # first call sets up kernels and arenas
    wall, cpu = time.perf_counter(), time.process_time()
    vectors = embedder.encode(texts)
    return vectors, time.perf_counter() - wall, time.process_time() - cpu


def worker(backend: str, data: Path, out: Path, threads: list[int], batches: list[int], grid: int) -> None:
    """Run in a process of its own: the grid, then all passages and queries; results to out (npz + json)."""
    texts = json.loads(data.read_text(encoding="utf-8"))
    passages, queries = texts["passages"], [q for _, q, _ in texts["queries"]]
    rows = []
    for thread_count in threads:
        for batch in batches:
            config = {"embedding_backend": backend, "torch_threads": thread_count, "embed_batch_size": batch}
            _, wall, cpu = _encode_timed(config, passages[:grid])
            rows.append({"threads": thread_count, "batch": batch, "per_s": grid / wall, "cpu_ms": 1000 * cpu / grid})
    config = {"embedding_backend": backend, "torch_threads": max(threads), "embed_batch_size": 32}
    vectors, wall, cpu = _encode_timed(config, passages)
    full = {"threads": max(threads), "batch": 32, "per_s": len(passages) / wall, "cpu_ms": 1000 * cpu / len(passages)}
    query_vectors, _, _ = _encode_timed(config, queries)
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    np.savez(out.with_suffix(".npz"), passages=vectors, queries=query_vectors)
    out.with_suffix(".json").write_text(json.dumps({"grid": rows, "full": full, "peak_mb": peak_mb}), encoding="utf-8")


SERVICE_PROBE = """
import sys, time
from indexer.embedder import load_embedder
start = time.perf_counter()
vector = load_embedder({"embedding_backend": sys.argv[1], "torch_threads": 1}).encode(["vexatious request burden"])
seconds = time.perf_counter() - start
rss = next(int(l.split()[1]) for l in open("/proc/self/status") if l.startswith("VmRSS"))
print(rss / 1024, seconds, "torch" in sys.modules)
"""


def service_memory(backend: str) -> dict:
    """RSS of a process that loads the embedder and embeds one query, as a service worker does."""
    done = subprocess.run([sys.executable, "-c", SERVICE_PROBE, backend], capture_output=True, text=True, check=True)
    rss, seconds, torch_loaded = done.stdout.split()[-3:]
    return {"rss_mb": float(rss), "load_s": float(seconds), "torch": torch_loaded == "True"}


def _top_documents(passages: np.ndarray, query: np.ndarray, docs: np.ndarray, k: int) -> list[int]:
    """The k decisions whose best passage scores highest, as the service ranks documents."""
    scores = passages @ query
    best = np.full(docs.max() + 1, -np.inf)
    np.maximum.at(best, docs, scores)
    return [int(d) for d in np.argsort(-best, kind="stable")[:k]]


def agreement(reference: dict, other: dict, kinds: list[str], docs: list[int], k: int = 10) -> dict:
    """Cosine of each passage's two vectors; per query kind, top-k overlap of exact passage and document search."""
    from indexer.vectors import top_k

    cosines = np.sum(reference["passages"] * other["passages"], axis=1)
    result = {"cos_mean": float(cosines.mean()), "cos_min": float(cosines.min()),
              "cos_p1": float(np.percentile(cosines, 1)), "kinds": {}}
    doc_of = np.asarray(docs)
    for kind in dict.fromkeys(kinds):
        overlaps, top1, doc_overlaps = [], [], []
        for i in (i for i, q in enumerate(kinds) if q == kind):
            ref = [row for row, _ in top_k(reference["passages"], reference["queries"][i], k)]
            got = [row for row, _ in top_k(other["passages"], other["queries"][i], k)]
            overlaps.append(len(set(ref) & set(got)) / k)
            top1.append(ref[0] == got[0])
            ref_docs = _top_documents(reference["passages"], reference["queries"][i], doc_of, k)
            doc_overlaps.append(len(set(ref_docs) & set(_top_documents(other["passages"], other["queries"][i],
                                                                       doc_of, k))) / k)
        result["kinds"][kind] = {"queries": len(overlaps), "overlap_mean": float(np.mean(overlaps)),
                                 "overlap_min": float(np.min(overlaps)), "top1": float(np.mean(top1)),
                                 "doc_overlap_mean": float(np.mean(doc_overlaps)),
                                 "doc_overlap_min": float(np.min(doc_overlaps))}
    return result


def known_item(vectors: dict, queries: list[tuple[str, str, int]], docs: list[int], k: int = 10) -> dict:
    """For queries naming one decision (case titles): how often it ranks in the top k decisions, and MRR."""
    doc_of = np.asarray(docs)
    ranks = []
    for i, (_, _, target) in enumerate(queries):
        if target >= 0:
            ranking = _top_documents(vectors["passages"], vectors["queries"][i], doc_of, len(set(docs)))
            ranks.append(ranking.index(target) + 1)
    return {"queries": len(ranks), "recall": float(np.mean([r <= k for r in ranks])),
            "mrr": float(np.mean([1 / r for r in ranks]))}


def _print_tables(results: dict, args: argparse.Namespace) -> None:
    print(f"\nThroughput: {args.grid} passages per cell; passages/s (wall) and CPU ms per passage (all threads)")
    cells = [(t, b) for t in args.threads for b in args.batches]
    print(f"{'backend':10} " + " ".join(f"{f't{t} b{b}':>15}" for t, b in cells) + f" {'all, t2 b32':>15}")
    for backend, res in results["backends"].items():
        grid = {(r["threads"], r["batch"]): r for r in res["grid"]}
        line = " ".join(f"{grid[c]['per_s']:6.1f} /{grid[c]['cpu_ms']:5.0f}ms" for c in cells)
        full = res["full"]
        print(f"{backend:10} {line} {full['per_s']:6.1f} /{full['cpu_ms']:5.0f}ms")
    print("\nMemory: peak RSS of the benchmark process; service worker = load + embed one query, 1 thread")
    print(f"{'backend':10} {'peak MB':>8} {'worker MB':>10} {'load s':>7} {'torch':>6}")
    for backend, res in results["backends"].items():
        svc = res["service"]
        print(f"{backend:10} {res['peak_mb']:8.0f} {svc['rss_mb']:10.0f} {svc['load_s']:7.1f} {str(svc['torch']):>6}")
    print(f"\nAgreement with torch: {results['passages']} passages of {results['decisions']} decisions; exact top-10,"
          " query and passages embedded by the same backend")
    for backend, res in results["backends"].items():
        item = res["known_item"]
        print(f"{backend:10} case titles find their own decision: top-10 {item['recall']:.0%} of {item['queries']},"
              f" MRR {item['mrr']:.3f}")
    for backend, agree in results["agreement"].items():
        print(f"{backend:10} cosine mean {agree['cos_mean']:.5f}  p1 {agree['cos_p1']:.5f}  min {agree['cos_min']:.5f}")
        for kind, row in agree["kinds"].items():
            print(f"{'':10} {kind:8} {row['queries']:3d} queries: top-10 passages overlap mean {row['overlap_mean']:.3f}"
                  f" min {row['overlap_min']:.1f}, same top-1 {row['top1']:.0%}; top-10 decisions overlap mean"
                  f" {row['doc_overlap_mean']:.3f} min {row['doc_overlap_min']:.1f}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--passages", type=int, default=3000)
    parser.add_argument("--grid", type=int, default=256, help="passages per throughput cell")
    parser.add_argument("--threads", type=lambda s: [int(x) for x in s.split(",")], default=[1, 2])
    parser.add_argument("--batches", type=lambda s: [int(x) for x in s.split(",")], default=[16, 32, 64])
    parser.add_argument("--backends", type=lambda s: s.split(","), default=list(BACKENDS))
    parser.add_argument("--worker", help=argparse.SUPPRESS)
    parser.add_argument("--data", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--out", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.worker:
        worker(args.worker, args.data, args.out, args.threads, args.batches, args.grid)
        return 0
    if not ARCHIVE.is_file():
        print(f"skipped: {ARCHIVE} is absent (the shared data is needed)")
        return 0
    passages, docs, excerpts = load_texts(args.passages, 30)
    queries = load_queries(excerpts, docs, 30)
    results: dict = {"backends": {}, "agreement": {}, "passages": len(passages), "decisions": len(set(docs)),
                     "queries": len(queries)}
    vectors = {}
    with tempfile.TemporaryDirectory() as tmp:
        data = Path(tmp) / "texts.json"
        data.write_text(json.dumps({"passages": passages, "queries": queries}), encoding="utf-8")
        for backend in args.backends:
            out = Path(tmp) / backend
            subprocess.run([sys.executable, "-m", "bench.embedding_backends", "--worker", backend, "--data", str(data),
                            "--out", str(out), "--grid", str(args.grid), "--threads", ",".join(map(str, args.threads)),
                            "--batches", ",".join(map(str, args.batches))], check=True)
            results["backends"][backend] = json.loads(out.with_suffix(".json").read_text(encoding="utf-8"))
            results["backends"][backend]["service"] = service_memory(backend)
            vectors[backend] = dict(np.load(out.with_suffix(".npz")))
            print(f"{backend}: done", flush=True)
    kinds = [kind for kind, _, _ in queries]
    for backend in (b for b in args.backends if b != "torch" and "torch" in vectors):
        results["agreement"][backend] = agreement(vectors["torch"], vectors[backend], kinds, docs)
    for backend, found in vectors.items():
        results["backends"][backend]["known_item"] = known_item(found, queries, docs)
    _print_tables(results, args)
    RESULTS_DIR.mkdir(parents=True, exist_ok=True)
    (RESULTS_DIR / "embedding_backends.json").write_text(json.dumps(results, indent=1), encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
