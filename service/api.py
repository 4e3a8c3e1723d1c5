"""Helpers shared by the API blueprints: parameter loading, the state snapshot, dumping and URLs."""
from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from flask import current_app, g, jsonify, request, url_for
from flask.wrappers import Response
from marshmallow import Schema

from service.state import Loaded, State


def state() -> State:
    return current_app.extensions["foi"]


GENERATION_HEADER = "X-Index-Generation"


def loaded() -> Loaded:
    """This request's snapshot of reader, engine and citation graph (the same one for the whole request)."""
    if "foi_snapshot" not in g:
        g.foi_snapshot = state().loaded()
    return g.foi_snapshot


def generation_header(response: Response) -> Response:
    """Name the index generation that answered, so clients and tests can tell which one they saw."""
    snapshot = g.get("foi_snapshot")
    if snapshot is not None:
        response.headers[GENERATION_HEADER] = snapshot.reader.generation
    return response


def limits() -> dict[str, int]:
    config = state().config
    return {"max_per_page": int(config["max_per_page"]), "default_per_page": int(config["default_per_page"])}


def load_args(schema_class: type[Schema], **kwargs: Any) -> dict[str, Any]:
    """Validated query-string parameters; a ValidationError becomes a 400 with per-field details."""
    schema = schema_class(**limits(), **kwargs)
    return schema.load(request.args.to_dict(flat=True))


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
