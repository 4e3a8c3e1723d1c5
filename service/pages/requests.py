"""Same-request views on the pages: the cluster page, the document page's section, the search page's groups."""
from __future__ import annotations

from typing import Any

from flask import url_for
from werkzeug.exceptions import NotFound

from service.current_index import Snapshot
from service.pages.common import document_link


def _rows(view: dict, current: str | None = None) -> list[dict]:
    return [{**row, "href": document_link(row["id"]), "current": row["id"] == current} for row in view["documents"]]


def cluster_section(snapshot: Snapshot, doc_id: str) -> dict | None:
    """The document page's "This request went to N authorities" table; None when no other authority has it."""
    cluster_id = snapshot.engine.request_cluster_of(doc_id)
    view = snapshot.engine.request_cluster(cluster_id) if cluster_id else None
    if view is None:
        return None
    return {**view, "rows": _rows(view, doc_id), "href": url_for("pages.request_page", cluster_id=cluster_id),
            "api_url": url_for("requests_api.request_cluster", cluster_id=cluster_id)}


def request_context(snapshot: Snapshot, cluster_id: str) -> dict[str, Any]:
    """Template context of /requests/<cluster_id>; NotFound (the HTML 404 page) for an unknown id."""
    view = snapshot.engine.request_cluster(cluster_id)
    if view is None:
        raise NotFound(f"There is no request “{cluster_id}” in the index. The documents answering it may have been "
                       "removed or re-matched in a newer build; open a document to see where its request went.")
    return {"cluster": {**view, "rows": _rows(view),
                        "api_url": url_for("requests_api.request_cluster", cluster_id=cluster_id)}}


def group_line(result: dict) -> dict | None:
    """For a search result leading a request cluster: {"others", "href", "folded"} for its "and N other
    authorities answered this request" line; None otherwise."""
    group = result.get("request_group")
    if not group or not group["other_authorities"]:
        return None
    href = url_for("pages.request_page", cluster_id=group["cluster"]) if group["cluster"] else None
    return {"others": group["other_authorities"], "folded": len(group["folded"]), "href": href}
