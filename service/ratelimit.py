"""Per-client-IP rate limiting of /api/*: a token bucket per client in a table shared by every gunicorn worker.

gunicorn runs with --preload, so create_app runs once in the master and the workers are forked from it. The table
lives in an anonymous shared mmap and the lock is a multiprocessing lock, both made here before the fork, so
every worker sees (and spends) the same buckets: the limit holds per client, not per client per worker. Without
--preload each worker would build its own table and a client could get the limit once per worker.
"""
from __future__ import annotations

import hashlib
import ipaddress
import math
import mmap
import multiprocessing
import struct
import time
import zlib
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from flask import Flask, g, request
from flask.wrappers import Response

from config import Settings
from service.errors import ApiError

# Client key (a 16-byte digest of the address; all zeros = empty slot), tokens left, time of the last update.
SLOT = struct.Struct("<16sdd")
EMPTY = bytes(16)
# Slots looked at for one client; a full neighbourhood gives up its least recently seen slot.
PROBES = 16
# Waiting longer than this for the lock means something is wrong with another worker: serve rather than hang.
LOCK_TIMEOUT = 0.25
EXEMPT_PATHS = ("/api/health",)
# Set in the WSGI environ of the service's own in-process requests (the start-up warm-up): they spend no client's
# tokens. HTTP clients cannot set environ keys, only HTTP_* ones.
INTERNAL_REQUEST = "foi.internal_request"


@dataclass(frozen=True)
class Decision:
    allowed: bool
    remaining: int
    retry_after: float   # seconds until one request is allowed again (0 when allowed)
    reset: float         # seconds until the bucket is full again


class SharedBuckets:
    """A fixed-size table of token buckets in memory shared with forked processes."""

    def __init__(self, slots: int, per_minute: float, burst: int) -> None:
        self.slots = max(PROBES, slots)
        self.rate = per_minute / 60.0
        self.burst = max(1, burst)
        self._table = mmap.mmap(-1, SLOT.size * self.slots)
        self._lock = multiprocessing.Lock()

    def _slot(self, key: bytes) -> int:
        start = zlib.crc32(key) % self.slots
        oldest, oldest_at = start, math.inf
        for step in range(PROBES):
            index = (start + step) % self.slots
            stored, _tokens, last = SLOT.unpack_from(self._table, index * SLOT.size)
            if stored in (key, EMPTY):
                return index
            if last < oldest_at:
                oldest, oldest_at = index, last
        return oldest

    def take(self, key: bytes, now: float | None = None) -> Decision:
        """Spend one token of key's bucket if it has one."""
        now = time.monotonic() if now is None else now
        if not self._lock.acquire(timeout=LOCK_TIMEOUT):
            return Decision(True, 0, 0.0, 0.0)
        try:
            index = self._slot(key)
            stored, tokens, last = SLOT.unpack_from(self._table, index * SLOT.size)
            if stored != key:
                tokens, last = float(self.burst), now
            tokens = min(float(self.burst), tokens + max(0.0, now - last) * self.rate)
            allowed = tokens >= 1.0
            if allowed:
                tokens -= 1.0
            SLOT.pack_into(self._table, index * SLOT.size, key, tokens, now)
        finally:
            self._lock.release()
        retry = 0.0 if allowed else (1.0 - tokens) / self.rate
        return Decision(allowed, int(tokens), retry, (self.burst - tokens) / self.rate)


def client_address(environ: Mapping[str, Any], trust_forwarded: bool) -> str:
    """The client's IP: the last X-Forwarded-For entry (the one our own proxy appended) if trusted, else the peer."""
    if trust_forwarded:
        forwarded = environ.get("HTTP_X_FORWARDED_FOR", "")
        hops = [hop.strip() for hop in forwarded.split(",") if hop.strip()]
        if hops:
            return hops[-1]
    return str(environ.get("REMOTE_ADDR") or "")


def is_loopback(address: str) -> bool:
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return False
    mapped = getattr(ip, "ipv4_mapped", None)
    return (mapped or ip).is_loopback


def _headers(buckets: SharedBuckets, decision: Decision) -> dict[str, str]:
    return {"RateLimit-Limit": str(buckets.burst), "RateLimit-Remaining": str(decision.remaining),
            "RateLimit-Reset": str(math.ceil(decision.reset))}


def install(app: Flask, config: Settings) -> None:
    """Limit /api/* per client IP as config says; nothing is installed when rate_limit_per_minute is 0."""
    per_minute = config.rate_limit_per_minute
    if per_minute <= 0:
        return
    buckets = SharedBuckets(config.rate_limit_clients, per_minute, config.rate_limit_burst)
    trust_forwarded = config.rate_limit_trust_forwarded
    exempt_loopback = config.rate_limit_exempt_loopback
    app.extensions["foi_ratelimit"] = buckets

    @app.before_request
    def limit() -> None:
        if not request.path.startswith("/api/") or request.path in EXEMPT_PATHS or request.environ.get(INTERNAL_REQUEST):
            return
        address = client_address(request.environ, trust_forwarded)
        if exempt_loopback and is_loopback(address):
            return
        decision = buckets.take(hashlib.blake2b(address.encode(), digest_size=16).digest())
        if not decision.allowed:
            retry = max(1, math.ceil(decision.retry_after))
            raise ApiError(429, f"too many requests from {address}: the limit is {per_minute:g} per minute "
                                f"(bursts of {buckets.burst}); retry in {retry} s",
                           headers={"Retry-After": str(retry), **_headers(buckets, decision)})
        g.foi_ratelimit = decision

    @app.after_request
    def add_headers(response: Response) -> Response:
        decision = g.pop("foi_ratelimit", None)
        if decision is not None:
            response.headers.update(_headers(buckets, decision))
        return response
