"""Helpers shared by the API blueprints: parameter loading, the state snapshot, dumping and URLs."""
from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from typing import Any
from urllib.parse import unquote_to_bytes

from flask import current_app, g, jsonify, request, url_for
from flask.wrappers import Response
from marshmallow import Schema, fields
from werkzeug.datastructures import MultiDict

from service.current_index import CurrentIndex, Snapshot
from service.errors import ApiError


def current_index() -> CurrentIndex:
    return current_app.extensions["foi"]


GENERATION_HEADER = "X-Index-Generation"


def current_snapshot() -> Snapshot:
    """This request's snapshot of reader, engine and citation graph (the same one for the whole request)."""
    if "foi_snapshot" not in g:
        g.foi_snapshot = current_index().snapshot()
    return g.foi_snapshot


def generation_header(response: Response) -> Response:
    """Name the index generation that answered, so clients and tests can tell which one they saw."""
    snapshot = g.get("foi_snapshot")
    if snapshot is not None:
        response.headers[GENERATION_HEADER] = snapshot.reader.generation
    return response


LIMIT_SETTINGS = ("max_per_page", "default_per_page", "max_query_chars")


def limits() -> dict[str, int]:
    """The configured limits request schemas take (page size, query length)."""
    config = current_index().config
    return {name: getattr(config, name) for name in LIMIT_SETTINGS}


def load_args(schema_class: type[Schema], **kwargs: Any) -> dict[str, Any]:
    """Validated query-string parameters; a ValidationError becomes a 400 with per-field details."""
    schema = schema_class(**limits(), **kwargs)
    return schema.load(query_params(request.args, schema))


def query_params(args: MultiDict, schema: Schema) -> dict[str, Any]:
    """The query string as a schema loads it: every value of a list field (authority=A&authority=B), else the first."""
    return {name: args.getlist(name) if isinstance(schema.fields.get(name), fields.List) else args[name]
            for name in args}


def document_urls(doc_id: str) -> dict[str, str]:
    return {
        "url": url_for("documents_api.document", doc_id=doc_id),
        "file_url": url_for("documents_api.document_file", doc_id=doc_id),
    }


def with_urls(records: Iterable[Mapping[str, Any]]) -> list[dict[str, Any]]:
    """Records with their API and file URLs added."""
    return [{**record, **document_urls(record["id"])} for record in records]


def dump(schema_class: type[Schema], payload: Mapping[str, Any], status: int = 200) -> Response:
    response = jsonify(schema_class().dump(payload))
    response.status_code = status
    return response


def _raw_params(query: bytes) -> Iterator[tuple[bytes, bytes]]:
    for part in query.split(b"&"):
        if part:
            name, _, value = part.partition(b"=")
            yield unquote_to_bytes(name.replace(b"+", b" ")), unquote_to_bytes(value.replace(b"+", b" "))


def _byte_problem(raw: bytes) -> str | None:
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        return "Not valid UTF-8."
    return "Contains a NUL character." if "\x00" in text else None


def check_raw_input() -> None:
    """Reject NUL and invalid UTF-8 in the path or query string (Werkzeug would silently turn bytes into U+FFFD)."""
    details: dict[str, list[str]] = {}
    # PEP 3333: PATH_INFO carries the raw bytes as latin-1 code points.
    problem = _byte_problem(request.environ.get("PATH_INFO", "").encode("latin-1", "replace"))
    if problem:
        details["path"] = [problem]
    for name, value in _raw_params(request.query_string):
        problem = _byte_problem(name) or _byte_problem(value)
        if problem:
            details.setdefault(name.decode("utf-8", "replace").replace("\x00", "\\x00"), []).append(problem)
    if details:
        raise ApiError(400, "invalid characters in the request URL", details)
