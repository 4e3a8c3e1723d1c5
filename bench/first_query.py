"""Benchmark: each fresh gunicorn worker's first requests against its later ones, for every way of starting gunicorn.

`python -m bench.first_query [--index DIR]` starts the server three ways - `python -m service.serve`,
`gunicorn -c python:service.gunicorn_hooks wsgi:app` and a bare `gunicorn wsgi:app` - with 2 workers, and sends
rounds of concurrent requests, one per worker: hybrid searches, then related documents, then search by document.
The time each request took inside gunicorn and the pid of the worker that served it come from gunicorn's access log
(its format is set through GUNICORN_CMD_ARGS), so every worker's first request of each kind is known exactly.
Prints, per start mode and kind, the first request of each worker against the median of its later ones, and each
process's RSS/PSS/USS; writes bench/results/first_query.json.
"""
from __future__ import annotations

import argparse
import json
import os
import re
import statistics
import sys
import threading
import time
from pathlib import Path
from urllib.parse import urlencode

from bench.loadgen import Request, memory_mib, sample_document_ids, timed_request
from bench.paths import RESULTS_DIR, add_index_arguments
from bench.queries import long_text
from bench.vector_dtype import QUERIES
from tests.server import Server, running_server

RESULTS = RESULTS_DIR / "first_query.json"
MARK = "FIRST-QUERY"
# pid, method, path and milliseconds spent in gunicorn, on one line per request.
ACCESS_FORMAT = f"{MARK} %(p)s %(m)s %(s)s %(M)s %(U)s"
MODES: dict[str, list[str] | None] = {
    "python -m service.serve": None,
    "gunicorn -c python:service.gunicorn_hooks wsgi:app": ["-c", "python:service.gunicorn_hooks"],
    # The access log is on so requests can be attributed; the control socket is off so servers do not collide.
    "gunicorn wsgi:app": ["--no-control-socket", "--access-logfile", "-"],
}
KIND_OF_PATH = (("/api/search", "search"), ("/related", "related"), ("/api/similar", "similar"))
_LINE = re.compile(rf"{MARK} <(\d+)> (\w+) (\d+) (\d+) (\S+)")


def _parse(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m bench.first_query", description=__doc__.splitlines()[0])
    add_index_arguments(parser)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--rounds", type=int, default=6, help="rounds of hybrid searches (one per worker each)")
    parser.add_argument("--modes", default=",".join(MODES), help="comma-separated subset of the start modes")
    parser.add_argument("--warm-timeout", type=float, default=300.0,
                        help="longest wait for every warm-up log line (code without warm-up: a settling time)")
    parser.add_argument("--out", type=Path, default=RESULTS)
    return parser.parse_args(argv)


def _round(base_url: str, requests: list[Request]) -> None:
    threads = [threading.Thread(target=timed_request, args=(base_url, r)) for r in requests]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()


def send_rounds(server: Server, workers: int, rounds: int, similar_body: bytes) -> None:
    """Concurrent rounds of one request per worker: searches, then related documents, then search by document."""
    searches = [("GET", "/api/search?" + urlencode({"q": q, "mode": "hybrid"}), None) for q in QUERIES]
    ids = sample_document_ids(server.base_url, workers * 3, seed=3)
    related = [("GET", f"/api/documents/{doc_id}/related", None) for doc_id in ids]
    similar = [("POST", "/api/similar", similar_body)] * workers
    for index in range(rounds):
        _round(server.base_url, [searches[(index * workers + w) % len(searches)] for w in range(workers)])
    for index in range(3):
        _round(server.base_url, related[index * workers:(index + 1) * workers])
    for _ in range(2):
        _round(server.base_url, similar)


def served(log: str) -> dict[int, dict[str, list[int]]]:
    """{pid: {kind: [milliseconds, in the order served]}} from the access-log lines of successful requests."""
    by_pid: dict[int, dict[str, list[int]]] = {}
    for pid, _method, status, ms, path in _LINE.findall(log):
        kind = next((k for fragment, k in KIND_OF_PATH if fragment in path), None)
        if kind and status == "200":
            by_pid.setdefault(int(pid), {}).setdefault(kind, []).append(int(ms))
    return by_pid


def summarise(by_pid: dict[int, dict[str, list[int]]]) -> list[dict]:
    """One row per worker and kind: the first request, the median of the later ones and their ratio."""
    rows = []
    for number, (pid, kinds) in enumerate(sorted(by_pid.items()), start=1):
        for kind, times in kinds.items():
            later = statistics.median(times[1:]) if len(times) > 1 else None
            rows.append({"worker": number, "pid": pid, "kind": kind, "requests": len(times), "first_ms": times[0],
                         "later_median_ms": later, "ratio": round(times[0] / later, 2) if later else None})
    return rows


def measure(mode: str, args: argparse.Namespace, similar_body: bytes) -> dict:
    paths = {"index_dir": args.index, "corpus_dir": args.corpus, "cache_dir": args.cache}
    extra = {"GUNICORN_CMD_ARGS": f"--access-logformat '{ACCESS_FORMAT}'"}
    with running_server(paths, workers=args.workers, extra_env=extra, gunicorn_args=MODES[mode]) as server:
        # A worker that warms itself up on import may still be doing so: wait until each has said it is done.
        pids = set(server.worker_pids()) if MODES[mode] == MODES["gunicorn wsgi:app"] else {server.pid}
        _wait_for_log(server, [f"warm-up done in pid {pid}" for pid in pids], args.warm_timeout)
        send_rounds(server, args.workers, args.rounds, similar_body)
        memory = [{"role": "master", **(memory_mib(server.pid) or {})}]
        memory += [{"role": "worker", **m} for m in map(memory_mib, server.worker_pids()) if m]
        log = server.log_path.read_text(errors="replace")
    return {"mode": mode, "rows": summarise(served(log)), "memory": memory, "load": os.getloadavg()[0]}


def _wait_for_log(server: Server, needles: list[str], timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while not all(n in server.log_tail(4000) for n in needles) and time.monotonic() < deadline:
        time.sleep(0.5)


def report(results: list[dict], out: Path) -> None:
    for result in results:
        print(f"\n{result['mode']} (load average {result['load']:.1f})")
        print(f"  {'worker':>6} {'kind':8} {'n':>3} {'first ms':>9} {'later p50 ms':>13} {'first/later':>11}")
        for row in result["rows"]:
            later = "-" if row["later_median_ms"] is None else f"{row['later_median_ms']:.0f}"
            print(f"  {row['worker']:>6} {row['kind']:8} {row['requests']:>3} {row['first_ms']:>9} {later:>13} "
                  f"{row['ratio'] if row['ratio'] is not None else '-':>11}")
        print("  memory MiB (rss/pss/uss): " + "; ".join(
            f"{m['role']} {m.get('rss_mib')}/{m.get('pss_mib')}/{m.get('uss_mib')}" for m in result["memory"]))
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(results, indent=1) + "\n", encoding="utf-8")
    print(f"\nwrote {out}")


def main(argv: list[str] | None = None) -> int:
    args = _parse(argv)
    if not (args.index / "CURRENT").is_file():
        print(f"skipped: no index at {args.index} (no CURRENT file)", file=sys.stderr)
        return 0
    try:
        similar_body = json.dumps({"text": long_text(), "k": 10}).encode()
    except FileNotFoundError as exc:
        print(f"skipped: the shared labels the pasted text comes from are absent ({exc})", file=sys.stderr)
        return 0
    results = [measure(mode, args, similar_body) for mode in args.modes.split(",")]
    report(results, args.out)
    return 0


if __name__ == "__main__":
    sys.exit(main())
