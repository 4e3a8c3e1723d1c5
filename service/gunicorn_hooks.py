"""Gunicorn configuration and server hooks: `gunicorn -c python:service.gunicorn_hooks wsgi:app` is `make serve`.

gunicorn reads its settings from this module's globals, computed from config/settings.py and the FOI_* variables;
`python -m service.serve` passes the same settings (gunicorn_settings) on its command line and loads the hooks.
"""
from __future__ import annotations

import gc
import json
import logging
import os
import sys
from typing import Any

from gunicorn import util

from config import PROJECT_ROOT, Settings, load_config


def gunicorn_settings(config: Settings) -> dict[str, Any]:
    """gunicorn's settings, by gunicorn's names, for config."""
    return {
        "bind": [f"{config.host}:{config.port}"],
        "workers": config.workers,
        "threads": 1,
        # gunicorn's default control socket path is shared by every server on the machine.
        "control_socket_disable": True,
        # The master loads app, model and index (and warms them up) once; forked workers share those pages.
        "preload_app": True,
        "timeout": config.worker_timeout,
        "graceful_timeout": config.graceful_timeout,
        "max_requests": config.max_requests,
        "max_requests_jitter": config.max_requests_jitter,
        "keepalive": config.keepalive,
        "limit_request_line": config.limit_request_line,
        "limit_request_field_size": config.limit_request_field_size,
        "chdir": str(PROJECT_ROOT),
        "accesslog": "-",
    }


def _json_protocol_error(sock: Any, status: int, reason: str, message: str) -> None:
    # Imported here, not at the top: this module is read before the app, and numpy (which service.errors brings)
    # must not be imported before wsgi.py has set the single-thread variables.
    from service.errors import error_body

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
    """In the master, after --preload loaded the app, index and model and warmed them up, before any worker is forked.

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


globals().update(gunicorn_settings(load_config()))
