"""Benchmark: search, related and similar latency, throughput and worker memory against a real gunicorn server.

`python -m bench.search_latency` serves the whole-shared-corpus index (built by `python -m bench.index_corpus`)
with 2 preloaded single-thread workers on loopback, sends a bounded mix of real queries (bench/queries.py) at
each concurrency, prints tables and writes bench/results/search_latency.json. The machine's load average is
recorded with every cell: numbers taken while other work runs are noisy.
"""
from __future__ import annotations

import argparse
import json
import os
import platform
import sys
import time
from pathlib import Path
from urllib.parse import urlencode

from bench.loadgen import Cell, Request, cycled, memory_mib, run_cell, sample_document_ids
from bench.paths import RESULTS_DIR, add_index_arguments
from bench.queries import Query, long_text, real_queries
from tests.server import Server, running_server

RESULTS = RESULTS_DIR / "search_latency.json"
MODES = ("hybrid", "keyword", "semantic")
TARGETS = {"hybrid_c1_p50_ms": 60, "hybrid_c1_p95_ms": 200, "c16_errors": 0, "related_p95_ms": 300,
           "similar_1500_words_p50_ms": 1000}


def _parse(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m bench.search_latency", description=__doc__.splitlines()[0])
    add_index_arguments(parser)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--concurrency", default="1,4,16", help="comma-separated client thread counts")
    parser.add_argument("--requests", type=int, default=64, help="search requests per (mode, concurrency)")
    parser.add_argument("--related", type=int, default=32, help="related requests per concurrency")
    parser.add_argument("--similar", type=int, default=8, help="similar requests per concurrency")
    parser.add_argument("--max-seconds", type=float, default=90.0, help="time budget of one cell")
    parser.add_argument("--wait-minutes", type=float, default=0.0, help="wait this long for index_dir/CURRENT")
    parser.add_argument("--out", type=Path, default=RESULTS)
    return parser.parse_args(argv)


def _wait_for_index(index: Path, minutes: float) -> bool:
    deadline = time.monotonic() + minutes * 60
    while not (index / "CURRENT").is_file():
        if time.monotonic() >= deadline:
            return False
        time.sleep(15)
    return True


def search_requests(queries: list[Query], mode: str) -> list[Request]:
    # Default page size, as the HTML page and a plain API call use.
    return [("GET", "/api/search?" + urlencode({"q": query.q, "mode": mode}), None) for query in queries]


def _warm(base_url: str, requests: list[Request], workers: int) -> None:
    # Each worker's first semantic query pays for torch's lazy initialisation; that is not steady-state latency.
    run_cell(base_url, "warm-up", requests, max(2, workers * 2), 120.0)


def measure(server: Server, args: argparse.Namespace, queries: list[Query]) -> list[Cell]:
    """Every (endpoint, concurrency) cell, in a fixed order."""
    levels = [int(c) for c in args.concurrency.split(",")]
    ids = sample_document_ids(server.base_url, 16, seed=7)
    related = [("GET", f"/api/documents/{doc_id}/related", None) for doc_id in ids]
    similar = [("POST", "/api/similar", json.dumps({"text": long_text(), "k": 10}).encode())]
    _warm(server.base_url, [r for mode in MODES for r in search_requests(queries[:4], mode)] + related[:2]
          + similar, args.workers)
    cells = []
    for mode in MODES:
        for level in levels:
            requests = cycled(search_requests(queries, mode), max(args.requests, level * 4))
            cells.append(run_cell(server.base_url, mode, requests, level, args.max_seconds))
            print(_row(cells[-1].summary()), flush=True)
    for name, requests, count in (("related", related, args.related), ("similar", similar, args.similar)):
        for level in levels[:2]:
            cells.append(run_cell(server.base_url, name, cycled(requests, count), level, args.max_seconds))
            print(_row(cells[-1].summary()), flush=True)
    return cells


HEADER = f"{'endpoint':10} {'conc':>4} {'n':>5} {'err':>4} {'p50 ms':>8} {'p95 ms':>8} {'p99 ms':>8} {'req/s':>7}  load"


def _row(s: dict) -> str:
    fmt = lambda v: "-" if v is None else f"{v:.1f}"  # noqa: E731 - a local formatter keeps the row readable
    return (f"{s['name']:10} {s['concurrency']:>4} {s['requests']:>5} {s['errors']:>4} {fmt(s['p50_ms']):>8} "
            f"{fmt(s['p95_ms']):>8} {fmt(s['p99_ms']):>8} {fmt(s['throughput_rps']):>7}  "
            f"{s['load_before']:.2f}->{s['load_after']:.2f}")


def _find(summaries: list[dict], name: str, concurrency: int) -> dict:
    return next((s for s in summaries if s["name"] == name and s["concurrency"] == concurrency), {})


def check_targets(summaries: list[dict]) -> dict[str, dict]:
    """Each target with its measured value and whether it was met (None when not measured)."""
    hybrid, related, similar = (_find(summaries, n, 1) for n in ("hybrid", "related", "similar"))
    c16 = [s for s in summaries if s["concurrency"] == 16]
    measured = {
        "hybrid_c1_p50_ms": hybrid.get("p50_ms"), "hybrid_c1_p95_ms": hybrid.get("p95_ms"),
        "c16_errors": sum(s["errors"] for s in c16) if c16 else None,
        "related_p95_ms": related.get("p95_ms"), "similar_1500_words_p50_ms": similar.get("p50_ms"),
    }
    return {name: {"target": TARGETS[name], "measured": value, "met": None if value is None else value <= TARGETS[name]}
            for name, value in measured.items()}


def _environment(server: Server, args: argparse.Namespace) -> dict:
    return {"index_dir": str(args.index), "corpus_dir": str(args.corpus), "generation": server.health.get("generation"),
            "documents": server.health.get("documents"), "passages": server.health.get("passages"),
            "workers": args.workers, "cpus": os.cpu_count(), "python": platform.python_version(),
            "started_at": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())}


def _report(cells: list[Cell], memory: list[dict], env: dict, out: Path) -> dict:
    summaries = [cell.summary() for cell in cells]
    targets = check_targets(summaries)
    print(memory_table(memory))
    print("\ntargets")
    for name, t in targets.items():
        verdict = {True: "met", False: "MISSED", None: "not measured"}[t["met"]]
        print(f"  {name:28} target {t['target']:>6}  measured {t['measured']!s:>8}  {verdict}")
    result = {"environment": env, "cells": summaries, "memory": memory, "targets": targets}
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    print(f"\nwrote {out}")
    return result


def process_memory(server: Server) -> list[dict]:
    """RSS, PSS and USS of the master and of each worker, in MiB."""
    entries = [{"role": "master", **(memory_mib(server.pid) or {"pid": server.pid})}]
    entries += [{"role": "worker", **m} for m in map(memory_mib, server.worker_pids()) if m]
    return entries


def memory_table(memory: list[dict]) -> str:
    """Per process, then the server's total: summed PSS is the memory it really uses, shared pages counted once."""
    lines = [f"\nmemory per process (MiB) {'rss':>8} {'pss':>8} {'uss':>8}"]
    for entry in memory:
        lines.append(f"  {entry['role']:8} {entry['pid']:>8} {entry.get('rss_mib', '-'):>8} "
                     f"{entry.get('pss_mib', '-'):>8} {entry.get('uss_mib', '-'):>8}")
    totals = {key: round(sum(e.get(key, 0.0) for e in memory), 1) for key in ("rss_mib", "pss_mib", "uss_mib")}
    lines.append(f"  {'total':8} {'':>8} {totals['rss_mib']:>8} {totals['pss_mib']:>8} {totals['uss_mib']:>8}"
                 "   (summed RSS counts shared pages once per process; summed PSS once in all)")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    args = _parse(argv)
    if not _wait_for_index(args.index, args.wait_minutes):
        print(f"skipped: no index at {args.index} (no CURRENT file). Build it first with "
              f"`FOI_INDEX_DIR={args.index} python -m bench.index_corpus`, or pass --wait-minutes.", file=sys.stderr)
        return 0
    try:
        queries = real_queries()
    except FileNotFoundError as exc:
        print(f"skipped: the shared labels the queries come from are absent ({exc})", file=sys.stderr)
        return 0
    paths = {"index_dir": args.index, "corpus_dir": args.corpus, "cache_dir": args.cache}
    with running_server(paths, workers=args.workers) as server:
        print(f"server {server.base_url} (log {server.log_path}): {server.health.get('documents')} documents, "
              f"{server.health.get('passages')} passages; {len(queries)} queries\n{HEADER}", flush=True)
        cells = measure(server, args, queries)
        memory = process_memory(server)
        env = _environment(server, args)
    _report(cells, memory, env, args.out)
    return 0


if __name__ == "__main__":
    sys.exit(main())
