"""The HTML pages: search at /, a document at /documents/<id>, a request sent to several authorities at
/requests/<id>, search by document at /similar.

Server-rendered from the same engine code and parameter schemas as the JSON API; no script, one stylesheet.
"""
from __future__ import annotations

from flask import Blueprint, render_template, request

from service.api.common import current_snapshot
from service.pages.common import (
    MODE_LABELS,
    SORT_LABELS,
    doc_type_label,
    percent,
    safe_snippet,
)
from service.pages.document import MAX_Q_CHARS, document_context
from service.pages.requests import request_context
from service.pages.search import search_context
from service.pages.similar import similar_context

__all__ = ["bp", "safe_snippet"]

bp = Blueprint("pages", __name__)
bp.add_app_template_filter(safe_snippet, "snippet")
bp.add_app_template_filter(doc_type_label, "doc_type_label")
bp.add_app_template_filter(percent, "percent")
bp.add_app_template_global(MODE_LABELS, "MODE_LABELS")
bp.add_app_template_global(SORT_LABELS, "SORT_LABELS")


@bp.get("/")
def search_page() -> tuple[str, int]:
    context, status = search_context(request.args)
    return render_template("search.html", **context), status


@bp.get("/documents/<doc_id>")
def document_page(doc_id: str) -> str:
    return render_template("document.html", **document_context(doc_id, request.args.get("q", "")[:MAX_Q_CHARS]))


@bp.get("/requests/<cluster_id>")
def request_page(cluster_id: str) -> str:
    return render_template("request.html", **request_context(current_snapshot(), cluster_id))


@bp.route("/similar", methods=["GET", "POST"])
def similar_page() -> tuple[str, int]:
    posted = request.method == "POST"
    context, status = similar_context(request.form if posted else request.args, posted or "text" in request.args)
    return render_template("similar.html", **context), status
