"""Lingering close: after answering a request whose body was left unread, read and discard the rest, within bounds.

A request refused before its body is read (413 for a body over max_body_bytes, a 429, a 405 on a POST) is
answered at once, and gunicorn's sync worker then closes the connection. A client that sends the whole body
before it reads anything (Python's http.client and urllib) is still writing: the close resets the connection
and the client sees a broken pipe instead of the answer. gunicorn itself only drains 64 KiB on close. So, as
nginx does with lingering_close, once the answer is written the rest of the body is read and thrown away -
at most linger_max_bytes of it and for at most linger_seconds - and only then is the connection closed.
"""
from __future__ import annotations

import logging
import time
from collections.abc import Callable, Iterable, Mapping
from typing import Any

from flask import Flask
from werkzeug.wsgi import ClosingIterator

from config import Settings

log = logging.getLogger(__name__)

READ_BYTES = 65536
WsgiApp = Callable[[dict, Callable], Iterable[bytes]]


def declared_body(environ: Mapping[str, Any]) -> int | None:
    """Bytes the request says its body has: the Content-Length, -1 for a chunked body, None for no body."""
    if "chunked" in environ.get("HTTP_TRANSFER_ENCODING", "").lower():
        return -1
    length = environ.get("CONTENT_LENGTH", "")
    return int(length) if length.isdigit() and int(length) > 0 else None


def discard_unread_body(environ: Mapping[str, Any], max_bytes: int, seconds: float) -> int:
    """Read and drop what is left of the request body, up to max_bytes or seconds; the number of bytes read."""
    stream = environ["wsgi.input"]
    # gunicorn exposes the client socket: its timeout keeps a stalled client from holding the worker.
    sock = environ.get("gunicorn.socket")
    previous = sock.gettimeout() if sock is not None else None
    deadline = time.monotonic() + seconds
    discarded = 0
    try:
        while discarded < max_bytes and (remaining := deadline - time.monotonic()) > 0:
            if sock is not None:
                sock.settimeout(remaining)
            chunk = stream.read(min(READ_BYTES, max_bytes - discarded))
            if not chunk:
                break
            discarded += len(chunk)
    except Exception as exc:  # noqa: BLE001 - a reset, timeout or malformed chunk in a body being thrown away
        log.info("stopped discarding an unread request body after %d bytes: %s", discarded, exc)
    finally:
        if sock is not None:
            sock.settimeout(previous)
    return discarded


class LingeringClose:
    """WSGI middleware: once the response is sent, drain the request body the application left unread."""

    def __init__(self, app: WsgiApp, max_bytes: int, seconds: float) -> None:
        self.app = app
        self.max_bytes = max_bytes
        self.seconds = seconds

    def __call__(self, environ: dict, start_response: Callable) -> Iterable[bytes]:
        response = self.app(environ, start_response)
        declared = declared_body(environ)
        # A declared length beyond the bound cannot be drained anyway, so the worker does not try.
        if declared is None or self.max_bytes <= 0 or declared > self.max_bytes:
            return response
        # The server calls close() after writing the response, so the client has its answer before the drain.
        return ClosingIterator(response, lambda: self._drain(environ))

    def _drain(self, environ: dict) -> None:
        discarded = discard_unread_body(environ, self.max_bytes, self.seconds)
        if discarded:
            log.info("discarded %d unread body bytes of %s %s", discarded, environ.get("REQUEST_METHOD"),
                     environ.get("PATH_INFO"))


def install(app: Flask, config: Settings) -> None:
    """Wrap app's WSGI callable so unread request bodies are drained after each answer (off when linger_max_bytes is 0)."""
    if config.linger_max_bytes > 0:
        app.wsgi_app = LingeringClose(app.wsgi_app, config.linger_max_bytes, config.linger_seconds)
