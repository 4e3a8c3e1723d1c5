"""Closed-loop HTTP load on loopback: N threads send a bounded list of requests and record each latency."""
from __future__ import annotations

import itertools
import os
import random
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from tests.server import http_request

# (method, path with query string, JSON body or None)
Request = tuple[str, str, bytes | None]
JSON_HEADERS = {"Content-Type": "application/json"}


@dataclass
class Cell:
    """One measured (endpoint, concurrency) combination."""

    name: str
    concurrency: int
    latencies: list[float] = field(default_factory=list)   # seconds, successful requests only
    errors: int = 0
    error_samples: list[str] = field(default_factory=list)
    seconds: float = 0.0
    load: tuple[float, float] = (0.0, 0.0)                  # 1-minute load average before and after

    def summary(self) -> dict:
        p50, p95, p99 = percentiles_ms(self.latencies)
        done = len(self.latencies) + self.errors
        return {"name": self.name, "concurrency": self.concurrency, "requests": done, "errors": self.errors,
                "p50_ms": p50, "p95_ms": p95, "p99_ms": p99,
                "throughput_rps": round(done / self.seconds, 2) if self.seconds else None,
                "load_before": self.load[0], "load_after": self.load[1], "error_samples": self.error_samples}


def percentiles_ms(latencies: list[float]) -> tuple[float | None, float | None, float | None]:
    """p50, p95 and p99 in milliseconds of latencies in seconds (None when there are none)."""
    if not latencies:
        return None, None, None
    ms = np.asarray(latencies) * 1000.0
    p50, p95, p99 = (round(float(np.percentile(ms, p)), 1) for p in (50, 95, 99))
    return p50, p95, p99


def timed_request(base_url: str, request: Request) -> tuple[float, str | None]:
    """(seconds taken, None) for a 200, else (seconds taken, what went wrong)."""
    method, path, body = request
    start = time.perf_counter()
    try:
        reply = http_request(base_url, method, path, body, JSON_HEADERS if body else None, timeout=120.0)
        problem = None if reply.status == 200 else f"{reply.status} {path[:80]}: {reply.body[:200]!r}"
    except OSError as exc:
        problem = f"{type(exc).__name__} {path[:80]}: {exc}"
    return time.perf_counter() - start, problem


def sample_document_ids(base_url: str, count: int, seed: int) -> list[str]:
    """A fixed random sample of up to count document ids from the first page of the listing."""
    ids = [doc["id"] for doc in http_request(base_url, "GET", "/api/documents?per_page=100").json()["documents"]]
    return random.Random(seed).sample(ids, min(count, len(ids)))


def _send(base_url: str, request: Request, cell: Cell, lock: threading.Lock) -> None:
    elapsed, problem = timed_request(base_url, request)
    with lock:
        if problem is None:
            cell.latencies.append(elapsed)
        else:
            cell.errors += 1
            if len(cell.error_samples) < 3:
                cell.error_samples.append(problem)


def run_cell(base_url: str, name: str, requests: list[Request], concurrency: int, max_seconds: float) -> Cell:
    """Send every request (or as many as fit in max_seconds) from `concurrency` threads, each waiting for its reply."""
    cell = Cell(name, concurrency)
    lock = threading.Lock()
    pending = iter(requests)
    deadline = time.monotonic() + max_seconds

    def worker() -> None:
        while time.monotonic() < deadline:
            with lock:
                request = next(pending, None)
            if request is None:
                return
            _send(base_url, request, cell, lock)

    threads = [threading.Thread(target=worker, daemon=True) for _ in range(concurrency)]
    before = os.getloadavg()[0]
    start = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    cell.seconds = time.perf_counter() - start
    cell.load = (round(before, 2), round(os.getloadavg()[0], 2))
    return cell


def cycled(requests: list[Request], count: int) -> list[Request]:
    """count requests, going round the list as often as needed."""
    return list(itertools.islice(itertools.cycle(requests), count))


def memory_mib(pid: int) -> dict[str, float] | None:
    """RSS, PSS and USS (private clean + dirty) of a process in MiB, from /proc/<pid>/smaps_rollup."""
    try:
        lines = Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines()
    except OSError:
        return None
    kib: dict[str, int] = {}
    for line in lines[1:]:
        parts = line.split()
        if len(parts) >= 2 and parts[1].isdigit():
            kib[parts[0].rstrip(":")] = int(parts[1])
    uss = kib.get("Private_Clean", 0) + kib.get("Private_Dirty", 0)
    return {"pid": pid, "rss_mib": round(kib.get("Rss", 0) / 1024, 1), "pss_mib": round(kib.get("Pss", 0) / 1024, 1),
            "uss_mib": round(uss / 1024, 1)}
