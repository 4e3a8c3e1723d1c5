"""Lingering close: the unread rest of a request body is drained after the answer, within its byte bound."""
from __future__ import annotations

import io

import pytest

from service.lingering import LingeringClose, declared_body, discard_unread_body


def _refusing_app(environ, start_response):
    # Answers without reading the body, as a 413 or 429 does.
    start_response("413 Request Entity Too Large", [("Content-Type", "application/json")])
    return [b'{"error": {}}']


def _reading_app(environ, start_response):
    environ["wsgi.input"].read()
    start_response("200 OK", [("Content-Type", "application/json")])
    return [b"{}"]


def _environ(body: bytes, chunked: bool = False, length: int | None = None) -> dict:
    environ = {"REQUEST_METHOD": "POST", "PATH_INFO": "/api/similar", "wsgi.input": io.BytesIO(body)}
    if chunked:
        environ["HTTP_TRANSFER_ENCODING"] = "chunked"
    else:
        environ["CONTENT_LENGTH"] = str(len(body) if length is None else length)
    return environ


def _serve(app, environ: dict) -> bytes:
    response = app(environ, lambda status, headers: None)
    body = b"".join(response)
    if hasattr(response, "close"):
        response.close()  # the server's last step, after writing the answer
    return body


@pytest.mark.parametrize("chunked", [False, True])
def test_an_unread_body_is_drained_after_the_answer(chunked):
    environ = _environ(b"x" * 300_000, chunked=chunked)
    assert _serve(LingeringClose(_refusing_app, 1_000_000, 5.0), environ) == b'{"error": {}}'
    assert environ["wsgi.input"].tell() == 300_000


def test_draining_stops_at_the_byte_bound():
    environ = _environ(b"x" * 300_000, chunked=True)
    _serve(LingeringClose(_refusing_app, 100_000, 5.0), environ)
    assert environ["wsgi.input"].tell() == 100_000


def test_a_declared_length_over_the_bound_is_not_read_at_all():
    environ = _environ(b"x" * 300_000)
    _serve(LingeringClose(_refusing_app, 100_000, 5.0), environ)
    assert environ["wsgi.input"].tell() == 0


def test_a_read_body_and_a_bodiless_request_are_left_alone():
    environ = _environ(b'{"text": "appeal"}')
    assert _serve(LingeringClose(_reading_app, 1_000_000, 5.0), environ) == b"{}"
    get = {"REQUEST_METHOD": "GET", "PATH_INFO": "/api/search", "wsgi.input": io.BytesIO(b"stray")}
    assert declared_body(get) is None
    _serve(LingeringClose(_refusing_app, 1_000_000, 5.0), get)
    assert get["wsgi.input"].tell() == 0


def test_a_failing_stream_ends_the_drain_quietly():
    class Reset(io.RawIOBase):
        def read(self, size: int = -1) -> bytes:
            raise ConnectionResetError("peer reset")

    assert discard_unread_body({"wsgi.input": Reset()}, 1_000_000, 5.0) == 0


def test_declared_body():
    assert declared_body({"CONTENT_LENGTH": "12"}) == 12
    assert declared_body({"CONTENT_LENGTH": "0"}) is None
    assert declared_body({"CONTENT_LENGTH": "x"}) is None
    assert declared_body({"HTTP_TRANSFER_ENCODING": "gzip, Chunked"}) == -1
