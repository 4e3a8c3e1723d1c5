"""Gunicorn server hooks, loaded by `python -m service.serve` with `--config python:service.gunicorn_hooks`."""
from __future__ import annotations

import gc
import json
import logging
import os
import sys
from typing import Any

from gunicorn import util

from service.errors import error_body


def _json_protocol_error(sock: Any, status: int, reason: str, message: str) -> None:
    body = json.dumps(error_body(status, message or reason)).encode()
    head = (f"HTTP/1.1 {status} {reason}\r\nConnection: close\r\nContent-Type: application/json\r\n"
            f"X-Content-Type-Options: nosniff\r\nContent-Length: {len(body)}\r\n\r\n")
    util.write_nonblock(sock, head.encode("latin-1") + body)


def on_starting(server: Any) -> None:
    """In the master, before the app is loaded: gunicorn's own protocol errors get the API's JSON error shape.

    gunicorn answers a request it cannot parse (a request line over limit_request_line is a 414, oversized
    headers a 431, a malformed line a 400) itself, before the app runs, with a small HTML page. API clients
    parse one error shape, so the writer gunicorn calls for these is swapped for one that sends it.
    """
    util.write_error = _json_protocol_error


def when_ready(server: Any) -> None:
    """In the master, after --preload loaded the app and index and before any worker is forked.

    Freezing moves every object made so far out of the garbage collector's reach: a worker's collections
    then never write to the shared pages of the model and index, so copy-on-write does not make each
    worker's private memory creep up towards a full copy.
    """
    gc.freeze()


def _exit_status() -> int:
    exc = sys.exc_info()[1]
    if isinstance(exc, SystemExit):
        code = exc.code
        return code if isinstance(code, int) else (0 if code is None else 1)
    return 0 if exc is None else 1


def worker_exit(server: Any, worker: Any) -> None:
    """Leave the worker process at once, with gunicorn's intended exit status, once it has stopped serving.

    A normal interpreter shutdown tears down torch and every object of the index one by one, touching
    (and so copying) the pages shared with the master: that took 1.4 s per worker on an idle machine and
    over 10 s on a busy one, which is what made stopping the server slow. Nothing is left to clean up
    here: responses are sent, and the index is only ever read.
    """
    status = _exit_status()
    logging.shutdown()
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(status)
