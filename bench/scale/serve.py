"""Serving one scale index: 2 gunicorn workers, their memory, and the latency of search, related and similar."""
from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from bench.loadgen import cycled, run_cell, sample_document_ids
from bench.queries import Query, long_text
from bench.search_latency import process_memory, search_requests
from bench.vector_dtype import QUERIES
from tests.server import running_server

SIMILAR_WORDS = 1500


@dataclass(frozen=True)
class Load:
    """How much to send: requests per cell, and the time budget of one cell."""

    workers: int = 2
    searches: int = 60
    related: int = 24
    similar: int = 6
    max_seconds: float = 120.0


def _requests(base_url: str, pasted: str) -> dict[str, list]:
    searches = search_requests([Query("topical", q) for q in QUERIES], "hybrid")
    related = [("GET", f"/api/documents/{doc_id}/related", None)
               for doc_id in sample_document_ids(base_url, 16, seed=7)]
    similar = [("POST", "/api/similar", json.dumps({"text": pasted, "k": 10}).encode())]
    return {"search": searches, "related": related, "similar": similar}


def measure_serving(paths: dict[str, Path], load: Load) -> dict[str, Any]:
    """Latency cells and per-process memory of a preloaded server over paths' index (workers warm up themselves)."""
    text = long_text(words=SIMILAR_WORDS)
    with running_server(paths, workers=load.workers) as server:
        requests = _requests(server.base_url, text)
        # One pass of every kind first, so the cells measure steady state on every worker.
        run_cell(server.base_url, "warm-up", requests["search"][:4] + requests["related"][:2] + requests["similar"],
                 load.workers * 2, load.max_seconds)
        plan = [("hybrid", "search", 1, load.searches), ("hybrid", "search", 16, max(load.searches, 64)),
                ("related", "related", 1, load.related), ("similar", "similar", 1, load.similar)]
        cells = {}
        for name, kind, concurrency, count in plan:
            cell = run_cell(server.base_url, name, cycled(requests[kind], count), concurrency, load.max_seconds)
            cells[f"{name}_c{concurrency}"] = cell.summary()
        memory = process_memory(server)
        health = server.health
    workers = [m for m in memory if m["role"] == "worker"]
    mean = {key: round(sum(w[key] for w in workers) / len(workers), 1) for key in ("rss_mib", "pss_mib", "uss_mib")}
    return {"cells": cells, "memory": memory, "worker_mean": mean,
            "server_pss_mib": round(sum(m.get("pss_mib", 0.0) for m in memory), 1),
            "served_documents": health.get("documents"), "served_passages": health.get("passages")}
