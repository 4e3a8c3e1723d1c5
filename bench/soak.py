"""Soak benchmark: minutes of mixed real queries at concurrency 16 against gunicorn, with latency and memory over time.

`python -m bench.soak` serves the whole-shared-corpus index with 2 preloaded workers on loopback, keeps 16 client
threads busy (closed loop) with a fixed mix of searches in every mode, filtered listings, documents, related
documents and an occasional search by document, samples each process's RSS/PSS/USS from /proc/<pid>/smaps_rollup,
and prints per-minute and overall tables plus each worker's memory drift after warm-up. Bounded by --minutes.
"""
from __future__ import annotations

import argparse
import json
import os
import random
import sys
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlencode

import numpy as np

from bench.loadgen import Request, memory_mib, percentiles_ms, sample_document_ids, timed_request
from bench.paths import RESULTS_DIR, add_index_arguments
from bench.queries import LABELS, long_text, real_queries
from tests.server import Server, running_server

RESULTS = RESULTS_DIR / "soak.json"


def _parse(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m bench.soak", description=__doc__.splitlines()[0])
    add_index_arguments(parser)
    parser.add_argument("--labels", type=Path, default=LABELS, help="shared labels folder the queries come from")
    parser.add_argument("--minutes", type=float, default=3.0, help="how long the load runs")
    parser.add_argument("--concurrency", type=int, default=16, help="client threads")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--sample-seconds", type=float, default=12.0, help="memory sampling interval")
    parser.add_argument("--warmup-seconds", type=float, default=30.0, help="memory drift is measured from here")
    parser.add_argument("--max-requests", type=int, default=None,
                        help="override the max_requests setting (0 disables worker recycling, to expose leaks)")
    parser.add_argument("--out", type=Path, default=RESULTS)
    return parser.parse_args(argv)


def request_mix(labels: Path, ids: list[str], rng: random.Random) -> list[tuple[str, Request]]:
    """(kind, request) pairs in a realistic proportion: mostly searches, then documents and related, rare pastes."""
    queries = real_queries(labels)
    mix: list[tuple[str, Request]] = []
    for query in queries:
        for mode in ("hybrid", "hybrid", "keyword", "semantic"):
            mix.append((f"search {mode}", ("GET", "/api/search?" + urlencode({"q": query.q, "mode": mode}), None)))
    for doc_id in ids:
        mix.append(("document", ("GET", f"/api/documents/{doc_id}", None)))
        mix.append(("related", ("GET", f"/api/documents/{doc_id}/related", None)))
    for doc_type in ("tribunal_decision", "decision_notice", "request_thread"):
        mix.append(("documents", ("GET", "/api/documents?" + urlencode({"doc_type": doc_type, "per_page": 50}), None)))
    body = json.dumps({"text": long_text(labels, 400), "k": 10}).encode()
    mix += [("similar", ("POST", "/api/similar", body))] * 2
    rng.shuffle(mix)
    return mix


@dataclass
class Record:
    """Every finished request: when it ended (seconds from start), latency, kind and outcome."""

    lock: threading.Lock = field(default_factory=threading.Lock)
    rows: list[tuple[float, float, str, bool]] = field(default_factory=list)
    error_samples: list[str] = field(default_factory=list)

    def add(self, ended: float, latency: float, kind: str, problem: str | None) -> None:
        with self.lock:
            self.rows.append((ended, latency, kind, problem is None))
            if problem and len(self.error_samples) < 5:
                self.error_samples.append(problem)


def _client(base_url: str, mix: list[tuple[str, Request]], offset: int, start: float, deadline: float,
            record: Record) -> None:
    position = offset
    while time.monotonic() < deadline:
        kind, (method, path, body) = mix[position % len(mix)]
        position += 1
        latency, problem = timed_request(base_url, (method, path, body))
        record.add(time.monotonic() - start, latency, kind, problem)


def _sampler(server: Server, start: float, deadline: float, every: float, samples: list[dict]) -> None:
    while True:
        at = time.monotonic() - start
        load = round(os.getloadavg()[0], 2)
        for role, pid in [("master", server.pid)] + [("worker", p) for p in server.worker_pids()]:
            memory = memory_mib(pid)
            if memory:
                samples.append({"t": round(at, 1), "role": role, "load": load, **memory})
        if time.monotonic() + every > deadline:
            return
        time.sleep(every)


def _row(label: str, rows: list[tuple[float, float, str, bool]], seconds: float) -> dict:
    ok = [latency for _, latency, _, good in rows if good]
    p50, p95, p99 = percentiles_ms(ok)
    return {"window": label, "requests": len(rows), "errors": len(rows) - len(ok), "p50_ms": p50, "p95_ms": p95,
            "p99_ms": p99, "req_per_s": round(len(rows) / seconds, 1) if seconds else None}


def latency_tables(rows: list[tuple[float, float, str, bool]], seconds: float) -> tuple[list[dict], list[dict]]:
    """(one row per minute plus overall, one row per request kind); requests in flight at the end count in the last minute."""
    count = max(int(np.ceil(seconds / 60 - 0.05)), 1)
    minute = lambda ended: min(int(ended // 60), count - 1)  # noqa: E731 - a local bucket function keeps this short
    minutes = [_row(f"minute {m + 1}", [r for r in rows if minute(r[0]) == m], min(60.0, seconds - m * 60))
               for m in range(count)]
    kinds = sorted({r[2] for r in rows})
    return minutes + [_row("overall", rows, seconds)], [_row(k, [r for r in rows if r[2] == k], seconds) for k in kinds]


def memory_drift(samples: list[dict], warmup: float) -> list[dict]:
    """Per process: first and last sample after warm-up and their difference (a recycled worker has a new pid)."""
    drift = []
    for pid in dict.fromkeys(s["pid"] for s in samples):
        mine = [s for s in samples if s["pid"] == pid and s["t"] >= warmup]
        if len(mine) < 2:
            continue
        first, last = mine[0], mine[-1]
        drift.append({"role": first["role"], "pid": pid, "from_s": first["t"], "to_s": last["t"],
                      **{f"{k}_drift": round(last[f"{k}_mib"] - first[f"{k}_mib"], 1) for k in ("rss", "pss", "uss")},
                      "rss_first_mib": first["rss_mib"], "rss_last_mib": last["rss_mib"]})
    return drift


def _print_table(title: str, rows: list[dict]) -> None:
    if not rows:
        return
    keys = list(rows[0])
    print(f"\n{title}\n| " + " | ".join(keys) + " |\n|" + "---|" * len(keys))
    for row in rows:
        print("| " + " | ".join("-" if row[k] is None else str(row[k]) for k in keys) + " |")


def soak(server: Server, args: argparse.Namespace) -> dict:
    """Run the load and the sampler until --minutes have passed; return every table."""
    mix = request_mix(args.labels, sample_document_ids(server.base_url, 24, seed=11), random.Random(5))
    record, samples = Record(), []
    start = time.monotonic()
    deadline = start + args.minutes * 60
    load_before = os.getloadavg()
    threads = [threading.Thread(target=_client, args=(server.base_url, mix, i * 7, start, deadline, record))
               for i in range(args.concurrency)]
    threads.append(threading.Thread(target=_sampler, args=(server, start, deadline, args.sample_seconds, samples)))
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    seconds = time.monotonic() - start
    minutes, kinds = latency_tables(record.rows, seconds)
    return {"seconds": round(seconds, 1), "concurrency": args.concurrency, "workers": args.workers,
            "load_before": [round(v, 2) for v in load_before], "load_after": [round(v, 2) for v in os.getloadavg()],
            "generation": server.health.get("generation"), "documents": server.health.get("documents"),
            "latency": minutes, "by_kind": kinds, "memory": samples,
            "drift": memory_drift(samples, args.warmup_seconds), "error_samples": record.error_samples}


def _memory_rows(samples: list[dict]) -> list[dict]:
    rows: dict[float, dict] = {}
    workers = list(dict.fromkeys(s["pid"] for s in samples if s["role"] == "worker"))
    for s in samples:
        row = rows.setdefault(s["t"], {"t_s": s["t"], "load": s["load"]})
        name = "master" if s["role"] == "master" else f"w{workers.index(s['pid']) + 1}:{s['pid']}"
        row[f"{name} rss/pss/uss"] = f"{s['rss_mib']:.0f}/{s['pss_mib']:.0f}/{s['uss_mib']:.0f}"
    columns = sorted({k for r in rows.values() for k in r}, key=lambda k: (k != "t_s", k != "load", k))
    return [{k: r.get(k) for k in columns} for r in rows.values()]


def report(result: dict, out: Path) -> None:
    print(f"\nsoak: {result['seconds']} s, concurrency {result['concurrency']}, {result['workers']} workers, "
          f"{result['documents']} documents; load average before {result['load_before']}, "
          f"after {result['load_after']}")
    _print_table("latency per minute (successful requests)", result["latency"])
    _print_table("latency per request kind", result["by_kind"])
    _print_table("memory per process over time, MiB (rss/pss/uss)", _memory_rows(result["memory"]))
    _print_table("memory drift after warm-up, MiB (last minus first sample)", result["drift"])
    for sample in result["error_samples"]:
        print(f"error: {sample}")
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(result, indent=1) + "\n", encoding="utf-8")
    print(f"\nwrote {out}")


def main(argv: list[str] | None = None) -> int:
    args = _parse(argv)
    if not (args.index / "CURRENT").is_file() or not args.labels.is_dir():
        print(f"skipped: needs an index at {args.index} (python -m bench.index_corpus) and the shared labels at "
              f"{args.labels}", file=sys.stderr)
        return 0
    paths = {"index_dir": args.index, "corpus_dir": args.corpus, "cache_dir": args.cache}
    extra = {} if args.max_requests is None else {"FOI_MAX_REQUESTS": str(args.max_requests)}
    with running_server(paths, workers=args.workers, extra_env=extra) as server:
        print(f"server {server.base_url} (log {server.log_path}), generation {server.health.get('generation')}",
              flush=True)
        result = soak(server, args)
    report(result, args.out)
    return 0


if __name__ == "__main__":
    sys.exit(main())
