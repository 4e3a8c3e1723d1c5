"""Same-request endpoint: every authority's answer to one FOI request sent to many."""
from __future__ import annotations

from flask import Blueprint, Response, url_for
from werkzeug.exceptions import NotFound

from service.api.common import current_snapshot, document_urls, dump
from service.schemas.responses import RequestCluster

bp = Blueprint("requests_api", __name__, url_prefix="/api")


def cluster_or_404(cluster_id: str) -> dict:
    """The engine's view of a request cluster; NotFound for an id naming no cluster of this generation."""
    view = current_snapshot().engine.request_cluster(cluster_id)
    if view is None:
        raise NotFound(f"no request cluster with id {cluster_id!r} in the index; a document's JSON names its "
                       "cluster as request_cluster")
    return view


@bp.get("/requests/<cluster_id>")
def request_cluster(cluster_id: str) -> Response:
    view = cluster_or_404(cluster_id)
    rows = [{**row, **document_urls(row["id"]), "page_url": url_for("pages.document_page", doc_id=row["id"])}
            for row in view["documents"]]
    return dump(RequestCluster, {**view, "documents": rows, "url": url_for("requests_api.request_cluster",
                                                                           cluster_id=cluster_id),
                                 "page_url": url_for("pages.request_page", cluster_id=cluster_id)})
