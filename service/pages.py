"""The HTML search page at /: server-rendered results from the same engine and parameters as /api/search."""
from __future__ import annotations

import re
from typing import Any

from flask import Blueprint, render_template, request, url_for
from markupsafe import Markup
from marshmallow import ValidationError

from service.api import limits, loaded, with_urls
from service.errors import flatten_messages
from service.schemas import FILTER_FIELDS, PageQuery

bp = Blueprint("pages", __name__)

FACET_PARAMS = {"doc_type": "doc_type", "authority": "authority", "section": "section", "outcome": "outcome"}
_MARK = re.compile(r"(</?mark>)")


def safe_snippet(text: str) -> Markup:
    """Keeps <mark> tags and neutralises any other markup; idempotent on already-escaped snippets."""
    parts = _MARK.split(text)
    return Markup("".join(p if _MARK.fullmatch(p) else p.replace("<", "&lt;").replace(">", "&gt;") for p in parts))


def _link(args: dict[str, Any], **changes: Any) -> str:
    merged = {k: v for k, v in {**args, **changes}.items() if v not in (None, "")}
    return url_for("pages.search_page", **merged)


def _facet_links(facets: dict, args: dict) -> dict[str, list[dict]]:
    links: dict[str, list[dict]] = {}
    for name, values in facets.items():
        param = FACET_PARAMS.get(name)
        entries = []
        for item in values or []:
            value = str(item["value"])
            if param is None:  # year facet: a year becomes a date range
                href = _link(args, page=1, date_from=f"{value}-01-01", date_to=f"{value}-12-31")
                active = args.get("date_from") == f"{value}-01-01" and args.get("date_to") == f"{value}-12-31"
            else:
                active = args.get(param) == value
                href = _link(args, page=1, **{param: None if active else value})
            entries.append({"value": value, "count": item["count"], "href": href, "active": active})
        links[name] = entries
    return links


def _render(args: dict, params: dict | None, result: dict | None, errors: dict) -> tuple[str, int]:
    context: dict[str, Any] = {"args": args, "errors": errors, "result": result, "filters": FILTER_FIELDS}
    context["active_filters"] = [(name, args[name]) for name in FILTER_FIELDS if args.get(name)]
    context["clear_href"] = _link({k: v for k, v in args.items() if k not in FILTER_FIELDS}, page=1)
    if result is not None and params is not None:
        page = params["page"]
        context["facets"] = _facet_links(result.get("facets") or {}, args)
        context["prev_href"] = _link(args, page=page - 1) if page > 1 else None
        context["next_href"] = _link(args, page=page + 1) if page < result.get("pages", 0) else None
        context["results"] = with_urls(result.get("results", []))
        context["snippet"] = safe_snippet
    return render_template("search.html", **context), 400 if errors else 200


@bp.get("/")
def search_page() -> tuple[str, int]:
    # A browser submits every form field, so an empty date box arrives as "date_from=": that means "not set".
    args = {name: value for name, value in request.args.items() if value != ""}
    try:
        params = PageQuery(**limits()).load(args)
    except ValidationError as exc:
        return _render(args, None, None, flatten_messages(exc.messages))
    has_query = params["q"].strip() or any(params.get(name) for name in FILTER_FIELDS)
    result = loaded().engine.search(params) if has_query else None
    return _render(args, params, result, {})
