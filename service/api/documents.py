"""Document endpoints: listing and JSONL export, one document, its original file and related documents."""
from __future__ import annotations

import json
import mimetypes
from collections.abc import Iterator

from flask import Blueprint, Response, send_file, stream_with_context, url_for
from werkzeug.exceptions import NotFound

from service.api.common import current_snapshot, document_urls, dump, load_args, with_urls
from service.current_index import Snapshot
from service.schemas.requests import DocumentsQuery, RelatedQuery
from service.schemas.responses import DocumentDetail, DocumentsResponse, DocumentSummary, RelatedResponse

bp = Blueprint("documents_api", __name__, url_prefix="/api")


def _known(snapshot: Snapshot, doc_id: str) -> dict:
    record = snapshot.reader.document(doc_id)
    if record is None:
        raise NotFound(f"no document with id {doc_id!r} in the index")
    return record


@bp.get("/documents")
def documents() -> Response:
    params = load_args(DocumentsQuery)
    engine = current_snapshot().engine
    if params["format"] == "jsonl":
        return _jsonl(engine.iter_documents(params))
    result = engine.documents(params)
    return dump(DocumentsResponse, {**result, "documents": with_urls(result.get("documents", []))})


def _jsonl(records: Iterator[dict]) -> Response:
    schema = DocumentSummary()
    # URLs are built while the request context is alive: stream_with_context keeps it for the generator.
    def lines() -> Iterator[str]:
        for record in records:
            yield json.dumps(schema.dump({**record, **document_urls(record["id"])}), ensure_ascii=False) + "\n"

    response = Response(stream_with_context(lines()), mimetype="application/x-ndjson")
    response.headers["Content-Disposition"] = 'inline; filename="documents.jsonl"'
    return response


def _page_text(pages: list[dict]) -> str:
    return "\n\n".join(f"[page {page['number']}]\n{page['text']}" for page in pages)


def _link(entry: dict) -> dict:
    target = entry.get("doc_id")
    href = url_for("documents_api.document", doc_id=target) if target else None
    return {**entry, "href": href}


@bp.get("/documents/<doc_id>")
def document(doc_id: str) -> Response:
    snapshot = current_snapshot()
    record = _known(snapshot, doc_id)
    links = {
        "self": url_for("documents_api.document", doc_id=doc_id),
        "file": url_for("documents_api.document_file", doc_id=doc_id),
        "related": url_for("documents_api.related", doc_id=doc_id),
        "cites": [_link(e) for e in snapshot.citations.cites(doc_id)],
        "cited_by": [_link(e) for e in snapshot.citations.cited_by(doc_id)],
    }
    body = {**record, **document_urls(doc_id), "text": _page_text(snapshot.reader.pages(doc_id)), "links": links,
            "request_cluster": snapshot.engine.request_cluster_of(doc_id)}
    return dump(DocumentDetail, body)


@bp.get("/documents/<doc_id>/file")
def document_file(doc_id: str) -> Response:
    snapshot = current_snapshot()
    _known(snapshot, doc_id)
    # Only the index's own id -> path mapping names a file, so no client string ever reaches the filesystem.
    path = snapshot.reader.file_path(doc_id)
    if path is None or not path.is_file():
        raise NotFound(f"the original file of {doc_id!r} is no longer in the corpus folder")
    mimetype = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
    response = send_file(path, mimetype=mimetype, download_name=path.name, conditional=True)
    # Corpus HTML comes from third-party sites; sandboxing stops its scripts running on this origin.
    response.headers["Content-Security-Policy"] = "sandbox"
    response.headers["X-Content-Type-Options"] = "nosniff"
    return response


@bp.get("/documents/<doc_id>/related")
def related(doc_id: str) -> Response:
    params = load_args(RelatedQuery)
    snapshot = current_snapshot()
    _known(snapshot, doc_id)
    result = snapshot.engine.related(doc_id, params["limit"])
    relations = {name: with_urls(items) for name, items in (result.get("relations") or {}).items()}
    return dump(RelatedResponse, {**result, "relations": relations})
