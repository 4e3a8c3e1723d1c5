"""Search endpoints: /api/search, /api/similar, /api/health and the OpenAPI document."""
from __future__ import annotations

import json
from typing import Any

from flask import Blueprint, current_app, jsonify, request
from flask.wrappers import Response
from marshmallow import ValidationError
from werkzeug.exceptions import RequestEntityTooLarge

from indexer.reader import IndexUnavailable
from service.api.common import current_index, current_snapshot, dump, limits, load_args, with_urls
from service.api.openapi import openapi_document
from service.current_index import Snapshot
from service.errors import ApiError, flatten_messages, json_error
from service.schemas.requests import SearchQuery, SimilarBody, filters_of
from service.schemas.responses import Health, SearchResponse, SimilarResponse

bp = Blueprint("search_api", __name__, url_prefix="/api")


@bp.get("/search")
def search() -> Response:
    params = load_args(SearchQuery)
    result = current_snapshot().engine.search(params)
    return dump(SearchResponse, {**result, "results": with_urls(result.get("results", []))})


def _read_body() -> bytes:
    """The body, at most MAX_CONTENT_LENGTH bytes; 413 when it is longer, declared (Content-Length) or not (chunked)."""
    limit = current_app.config["MAX_CONTENT_LENGTH"]
    raw = request.stream.read()
    # Werkzeug refuses a declared length over the limit, but stops a chunked body quietly at the limit: a byte
    # past it means the body was cut, and parsing the cut text would give a misleading "invalid JSON".
    if len(raw) >= limit and request.environ["wsgi.input"].read(1):
        raise RequestEntityTooLarge()
    return raw


def _json_body() -> Any:
    raw = _read_body()
    try:
        return json.loads(raw.decode("utf-8"))
    except UnicodeDecodeError as exc:
        raise ApiError(400, f"the body is not valid UTF-8 ({exc.reason} at byte {exc.start})") from exc
    except RecursionError as exc:
        raise ApiError(400, "the JSON body is nested too deeply") from exc
    except ValueError as exc:
        raise ApiError(400, f"the body is not valid JSON ({exc})") from exc


def _similar_body() -> dict:
    body = _json_body()
    if not isinstance(body, dict):
        raise ApiError(422, "the body must be a JSON object", {"_schema": ["Expected a JSON object."]})
    try:
        return SimilarBody(**limits()).load(body)
    except ValidationError as exc:
        raise ApiError(422, "invalid request body", flatten_messages(exc.messages)) from exc


@bp.post("/similar")
def similar() -> Response:
    params = _similar_body()
    result = current_snapshot().engine.similar(params["text"], params["k"], filters_of(params), mode=params["mode"])
    return dump(SimilarResponse, {**result, "results": with_urls(result.get("results", []))})


def _health_fields(snapshot: Snapshot) -> dict:
    manifest = snapshot.reader.manifest
    return {
        "ready": True,
        "generation": snapshot.reader.generation,
        "built_at": manifest.get("built_at"),
        "documents": len(snapshot.reader.documents),
        "passages": len(snapshot.reader.passages),
        "model": manifest.get("model"),
    }


@bp.get("/health")
def health() -> Response:
    try:
        snapshot = current_snapshot()
    except IndexUnavailable as exc:
        # Still a health report, so monitors see why, but also the one error shape.
        empty = {"ready": False, "generation": None, "built_at": None, "documents": 0, "passages": 0,
                 "model": current_index().config.model_name}
        return json_error(503, str(exc), {"index": ["run `make index` or `python -m indexer build`"]}, **empty)
    return dump(Health, _health_fields(snapshot))


@bp.get("/openapi.json")
def openapi() -> Response:
    return jsonify(openapi_document(current_app))
