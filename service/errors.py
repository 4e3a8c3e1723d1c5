"""One JSON error shape for every API failure, and the handlers that produce it."""
from __future__ import annotations

import logging
from http import HTTPStatus
from typing import Any

from flask import Flask, Response, current_app, jsonify, render_template, request
from marshmallow import ValidationError
from werkzeug.exceptions import HTTPException, MethodNotAllowed, RequestEntityTooLarge

from indexer.reader import IndexUnavailable
from service.search.query_limits import QueryRejected

log = logging.getLogger(__name__)


class ApiError(Exception):
    """An error an endpoint raises on purpose, with its HTTP status and per-field details."""

    def __init__(self, code: int, message: str, details: dict[str, list[str]] | None = None,
                 headers: dict[str, str] | None = None) -> None:
        super().__init__(message)
        self.code = code
        self.message = message
        self.details = details or {}
        self.headers = headers or {}


def status_name(code: int) -> str:
    """"BAD_REQUEST"-style name of an HTTP status code."""
    try:
        return HTTPStatus(code).name
    except ValueError:
        return "ERROR"


def flatten_messages(messages: Any, prefix: str = "") -> dict[str, list[str]]:
    """Marshmallow's nested messages as {"field" or "parent.child": [msgs]}; a list item's message is its list's
    ("authority", not "authority.1"), since one parameter repeated is still one field."""
    if isinstance(messages, dict):
        flat: dict[str, list[str]] = {}
        for key, value in messages.items():
            name = prefix if isinstance(key, int) and prefix else f"{prefix}.{key}" if prefix else str(key)
            for field, msgs in flatten_messages(value, name).items():
                flat.setdefault(field, []).extend(msgs)
        return flat
    if isinstance(messages, (list, tuple)):
        if all(isinstance(m, str) for m in messages):
            return {prefix or "_schema": list(messages)}
        flat = {}
        for item in messages:
            for field, msgs in flatten_messages(item, prefix).items():
                flat.setdefault(field, []).extend(msgs)
        return flat
    return {prefix or "_schema": [str(messages)]}


def error_body(code: int, message: str, details: dict[str, list[str]] | None = None) -> dict:
    """The body every JSON error carries."""
    return {"error": {"code": code, "status": status_name(code), "message": message, "details": details or {}}}


def json_error(code: int, message: str, details: dict[str, list[str]] | None = None, **extra: Any) -> Response:
    """A JSON error response; extra top-level keys may add context (e.g. health fields)."""
    response = jsonify({**error_body(code, message, details), **extra})
    response.status_code = code
    return response


def _wants_html() -> bool:
    return not (request.path == "/api" or request.path.startswith("/api/"))


def _html_error(code: int, message: str) -> tuple[str, int]:
    return render_template("error.html", code=code, status=HTTPStatus(code).phrase, message=message), code


def _http_error(exc: HTTPException) -> Response | tuple[str, int]:
    code = exc.code or 500
    message = exc.description or HTTPStatus(code).phrase
    if isinstance(exc, RequestEntityTooLarge):
        # Werkzeug raises this for MAX_CONTENT_LENGTH, with a Content-Length or while reading a chunked body.
        message = f"request body is larger than {current_app.config['MAX_CONTENT_LENGTH']} bytes"
    if _wants_html():
        return _html_error(code, message)
    response = json_error(code, message)
    if isinstance(exc, MethodNotAllowed) and exc.valid_methods:
        response.headers["Allow"] = ", ".join(sorted(exc.valid_methods))
    return response


def _validation_error(exc: ValidationError) -> Response | tuple[str, int]:
    details = flatten_messages(exc.messages)
    if _wants_html():
        return _html_error(400, "; ".join(f"{k}: {' '.join(v)}" for k, v in details.items()))
    return json_error(400, "invalid request parameters", details)


def _api_error(exc: ApiError) -> Response | tuple[str, int]:
    if _wants_html():
        return _html_error(exc.code, exc.message)
    response = json_error(exc.code, exc.message, exc.details)
    response.headers.update(exc.headers)
    return response


def _query_rejected(exc: QueryRejected) -> Response | tuple[str, int]:
    return _api_error(ApiError(400, f"query too expensive: {exc}", {"q": [str(exc)]}))


def _index_unavailable(exc: IndexUnavailable) -> Response | tuple[str, int]:
    message = str(exc) or "the search index is not available; run `make index` or `python -m indexer build`"
    if _wants_html():
        return _html_error(503, message)
    response = json_error(503, message, {"index": ["run `make index` or `python -m indexer build`"]})
    response.headers["Retry-After"] = "30"
    return response


def _unexpected(exc: Exception) -> Response | tuple[str, int]:
    # The traceback goes to the server log only: it can reveal paths and code to a client.
    log.exception("unhandled error on %s %s", request.method, request.path)
    message = "internal server error; the details are in the server log"
    if _wants_html():
        return _html_error(500, message)
    return json_error(500, message)


def register_error_handlers(app: Flask) -> None:
    """Route every failure through one of the handlers above."""
    app.register_error_handler(HTTPException, _http_error)
    app.register_error_handler(ValidationError, _validation_error)
    app.register_error_handler(ApiError, _api_error)
    app.register_error_handler(QueryRejected, _query_rejected)
    app.register_error_handler(IndexUnavailable, _index_unavailable)
    app.register_error_handler(Exception, _unexpected)
