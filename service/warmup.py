"""Warm-up: load the index and model and send one request of each kind through the app before it takes traffic.

Opening the index and loading the model are not all of a first request's cost: torch initialises its kernels on
the first encode, Whoosh reads field lengths and term dictionaries on the first scored search, search by document
builds its per-generation tables, the vectors' pages are faulted in and Jinja compiles each template on first
render. Done here - in gunicorn's master before it forks (--preload), else in each worker as it imports wsgi.py,
before it accepts a connection - so no client request pays for any of it.
"""
from __future__ import annotations

import logging
import os
import re
import time
from urllib.parse import urlencode

from flask import Flask

from indexer.reader import IndexReader
from service.ratelimit import INTERNAL_REQUEST

log = logging.getLogger(__name__)

_WORD = re.compile(r"[A-Za-z]{3,}")
QUERY_WORDS = 8
# Enough passages that search by document embeds several chunks, as a real paste does.
SIMILAR_PASSAGES = 3


def _sample(reader: IndexReader) -> tuple[str, str, str] | None:
    """(document id, short query, longer text) taken from a document in the middle of the index."""
    with_text = [doc_id for doc_id, record in reader.documents.items() if record.get("passage_count")]
    if not with_text:
        return None
    doc_id = with_text[len(with_text) // 2]
    passages = [p.get("text", "") for p in reader.doc_passages(doc_id)[:SIMILAR_PASSAGES]]
    words = _WORD.findall(" ".join(passages))
    return doc_id, " ".join(words[:QUERY_WORDS]) or doc_id, "\n\n".join(passages)


def _requests(doc_id: str, query: str, text: str) -> list[tuple[str, str, str, dict | None]]:
    """(name, method, path, JSON body) of one request per kind of work the service does."""
    search = urlencode({"q": query, "mode": "hybrid"})
    return [
        ("search", "GET", f"/api/search?{search}", None),
        ("related", "GET", f"/api/documents/{doc_id}/related", None),
        ("similar", "POST", "/api/similar", {"text": text, "k": 10}),
        ("search page", "GET", f"/?{search}", None),
        ("document page", "GET", f"/documents/{doc_id}?{urlencode({'q': query})}", None),
    ]


def warm_up(app: Flask) -> dict[str, float] | None:
    """Load index and model, then run each kind of request once; milliseconds per request, None without an index.

    A request that fails is logged and skipped: a warm-up problem must never keep the server from starting.
    """
    started = time.perf_counter()
    current = app.extensions["foi"]
    if not current.warm():
        return None
    sample = _sample(current.reader)
    timings = {"load": round((time.perf_counter() - started) * 1000, 1)}
    client = app.test_client()
    for name, method, path, body in _requests(*sample) if sample else []:
        began = time.perf_counter()
        try:
            status = client.open(path, method=method, json=body, environ_base={INTERNAL_REQUEST: True}).status_code
        except Exception:  # noqa: BLE001 - see the docstring: log and go on
            log.exception("warm-up %s failed", name)
            continue
        if status != 200:
            log.warning("warm-up %s answered %d", name, status)
        timings[name] = round((time.perf_counter() - began) * 1000, 1)
    log.info("warm-up done in pid %d (generation %s): %s", os.getpid(), current.reader.generation,
             ", ".join(f"{name} {ms:.0f} ms" for name, ms in timings.items()))
    return timings
