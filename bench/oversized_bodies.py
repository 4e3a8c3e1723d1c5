"""Does every client sending a body over max_body_bytes get its 413? N tries of each way of sending, one server.

Run: .venv/bin/python -m bench.oversized_bodies [--index var/index] [--tries 100]

Clients: http.client with Content-Length, urllib.request, http.client chunked, and a slow sender (small writes
through an 8 KiB send buffer) with either framing, the case where a server that closes without reading the
rest of the body turns its 413 into a broken pipe or a connection reset. Prints one row per client: how many
tries got a 413 in the JSON error shape, and what the others got instead.
"""
from __future__ import annotations

import argparse
import json
import sys
import urllib.error
import urllib.request
from collections import Counter
from collections.abc import Callable

from bench.paths import add_index_arguments
from tests.server import chunked_post, http_request, running_server, slow_post

BODY = b'{"text": "' + b"x" * 2_100_000 + b'"}'
PATH = "/api/similar"


def _http_client(base_url: str) -> int:
    return http_request(base_url, "POST", PATH, BODY, {"Content-Type": "application/json"}).status


def _urllib(base_url: str) -> int:
    request = urllib.request.Request(base_url + PATH, data=BODY, headers={"Content-Type": "application/json"})
    try:
        with urllib.request.urlopen(request, timeout=60) as reply:
            return reply.status
    except urllib.error.HTTPError as exc:
        json.loads(exc.read())
        return exc.code


def _chunked(base_url: str) -> int:
    return chunked_post(base_url, PATH, BODY)[0]


def _slow(chunked: bool) -> Callable[[str], int]:
    def send(base_url: str) -> int:
        head = slow_post(base_url, BODY, chunked).partition(b"\r\n\r\n")[0]
        return int(head.split()[1]) if head.startswith(b"HTTP/1.1 ") else 0
    return send


CLIENTS: dict[str, Callable[[str], int]] = {
    "http.client, Content-Length": _http_client, "urllib.request": _urllib, "http.client, chunked": _chunked,
    "slow sender, Content-Length": _slow(False), "slow sender, chunked": _slow(True)}


def _outcome(send: Callable[[str], int], base_url: str) -> str:
    try:
        return str(send(base_url))
    except (OSError, urllib.error.URLError) as exc:
        return type(getattr(exc, "reason", exc)).__name__


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    add_index_arguments(parser)
    parser.add_argument("--tries", type=int, default=100)
    args = parser.parse_args(argv)
    if not (args.index / "CURRENT").is_file():
        print(f"skipped: no index at {args.index} (build one with `python -m indexer build`)")
        return 0
    settings = {"index_dir": str(args.index), "corpus_dir": str(args.corpus), "cache_dir": str(args.cache)}
    rows = []
    with running_server(settings, workers=2) as server:
        for name, send in CLIENTS.items():
            outcomes = Counter(_outcome(send, server.base_url) for _ in range(args.tries))
            rows.append((name, outcomes))
            print(f"{name}: {dict(outcomes)}", file=sys.stderr, flush=True)
    print(f"| client ({args.tries} tries each, {len(BODY):,}-byte body) | 413 | anything else |")
    print("|---|---|---|")
    for name, outcomes in rows:
        others = ", ".join(f"{k} x{v}" for k, v in outcomes.items() if k != "413") or "none"
        print(f"| {name} | {outcomes.get('413', 0)} | {others} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
