"""The search page's context: results, facet links with counts, active filters, pages and what to loosen."""
from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from marshmallow import ValidationError

from service.api.common import current_snapshot, document_urls, limits
from service.errors import flatten_messages
from service.pages.common import (
    FILTER_LABELS,
    clean_args,
    document_link,
    facet_value_label,
    search_link,
)
from service.pages.ranking import ranking_notes, why_first
from service.pages.requests import group_line
from service.schemas.requests import FILTER_FIELDS, MULTI_VALUE_FILTERS, PageQuery

FACET_PARAMS = ("doc_type", "authority", "section", "outcome")  # facets that are filters of the same name
FACETS_SHOWN = 8  # further values of a facet sit behind a native <details> toggle
MAX_LOOSENINGS = 8


def _year_range(value: str) -> tuple[str, str]:
    return f"{value}-01-01", f"{value}-12-31"


def _facet_entry(name: str, value: str, count: int, args: dict) -> dict:
    if name not in FACET_PARAMS:  # the year facet is a date range
        start, end = _year_range(value)
        active = args.get("date_from") == start and args.get("date_to") == end
        change = {"date_from": None, "date_to": None} if active else {"date_from": start, "date_to": end}
    else:
        # A facet value is added to the values already chosen (any of them matches), or removed when chosen.
        chosen = args.get(name, [])
        active = value in chosen
        change = {name: [v for v in chosen if v != value] if active else [*chosen, value]}
    return {"value": value, "label": facet_value_label(name, value), "count": count, "active": active,
            "href": search_link(args, page=None, **change)}


def facet_groups(facets: Mapping[str, list], args: dict) -> list[dict]:
    """[{"name", "label", "shown", "more"}] with a link per value that sets (or, when active, clears) it."""
    groups = []
    for name, values in facets.items():
        entries = [_facet_entry(name, str(v["value"]), v["count"], args) for v in values or []]
        if entries:
            groups.append({"name": name, "label": FILTER_LABELS[name], "shown": entries[:FACETS_SHOWN],
                           "more": entries[FACETS_SHOWN:]})
    return groups


def _chosen(args: dict) -> list[tuple[str, str, dict]]:
    """(filter, value, the change that drops that one value) for every filter value in force."""
    out = []
    for name in FILTER_FIELDS:
        values = args.get(name)
        if name in MULTI_VALUE_FILTERS:
            out += [(name, v, {name: [other for other in values if other != v]}) for v in values or []]
        elif values:
            out.append((name, values, {name: None}))
    return out


def active_filters(args: dict) -> list[dict]:
    """The filter values in force, each with a link that removes it."""
    return [{"label": FILTER_LABELS[name], "value": facet_value_label(name, value),
             "href": search_link(args, page=None, **change)} for name, value, change in _chosen(args)]


def hidden_fields(args: dict) -> list[tuple[str, str]]:
    """(name, value) of the filters the search form carries along as hidden inputs, one per value."""
    out = []
    for name in (*MULTI_VALUE_FILTERS, "per_page", "group_requests"):
        values = args.get(name)
        out += [(name, v) for v in (values if isinstance(values, list) else [values] if values else [])]
    return out


def page_links(args: dict, page: int, pages: int, window: int = 2) -> list[dict]:
    """Numbered page links around the current page, with the first and last page and gaps as None."""
    numbers = sorted({1, pages, *range(max(1, page - window), min(pages, page + window) + 1)})
    out: list[dict] = []
    for number in numbers:
        if out and out[-1] and number - out[-1]["number"] > 1:
            out.append(None)
        out.append({"number": number, "href": search_link(args, page=number), "current": number == page})
    return out


def _with_links(results: list[dict], q: str) -> list[dict]:
    out = []
    for result in results:
        doc_id = result["id"]
        snippets = [{**s, "href": document_link(doc_id, q, s.get("page_start"))} for s in result.get("snippets", [])]
        out.append({**result, **document_urls(doc_id), "snippets": snippets, "href": document_link(doc_id, q),
                    "why": why_first(result.get("explain")), "same_request": group_line(result)})
    return out


def _loosening_options(params: Mapping, args: dict) -> list[tuple[str, dict]]:
    options = [(f"Remove {FILTER_LABELS[name].lower()}: {facet_value_label(name, value)}", change)
               for name, value, change in _chosen(args)]
    if len(options) > 1:
        options.append(("Remove every filter", {name: None for name in FILTER_FIELDS}))
    if params["q"].strip() and params["mode"] != "hybrid":
        options.append(("Search words and meaning together (hybrid mode)", {"mode": "hybrid"}))
    if params["q"].strip() and params["mode"] == "keyword":
        options.append(("Search by meaning (semantic mode)", {"mode": "semantic"}))
    return options[:MAX_LOOSENINGS]


def loosenings(params: Mapping, args: dict) -> list[dict]:
    """Changes that would give results, each with its link and result count, most results first."""
    engine = current_snapshot().engine
    out = []
    for text, change in _loosening_options(params, args):
        trial = {k: v for k, v in {**params, **change}.items() if v is not None}
        total = engine.search({**trial, "page": 1, "per_page": 1})["total"]
        if total:
            out.append({"text": text, "total": total, "href": search_link(args, page=None, **change)})
    return sorted(out, key=lambda item: -item["total"])


def _results_context(params: dict, args: dict, result: dict) -> dict[str, Any]:
    page, pages = result["page"], result["pages"]
    context: dict[str, Any] = {
        "facet_groups": facet_groups(result.get("facets") or {}, args),
        "results": _with_links(result.get("results", []), params["q"]),
        "prev_href": search_link(args, page=page - 1) if 1 < page <= pages else None,
        "next_href": search_link(args, page=page + 1) if page < pages else None,
        "page_links": page_links(args, page, pages) if pages > 1 else [],
        "first_page_href": search_link(args, page=None),
        "ranking_notes": ranking_notes(result.get("ranking")),
    }
    if not result.get("results") and result["total"] == 0:
        context["loosen"] = loosenings(params, args)
    return context


def search_context(raw_args: Mapping[str, str]) -> tuple[dict[str, Any], int]:
    """Template context and status for the search page; 400 with per-field errors for bad parameters."""
    args = clean_args(raw_args, MULTI_VALUE_FILTERS)
    context: dict[str, Any] = {"args": args, "errors": {}, "result": None, "chips": active_filters(args),
                               "hidden": hidden_fields(args),
                               "clear_href": search_link({k: v for k, v in args.items() if k not in FILTER_FIELDS},
                                                         page=None)}
    try:
        params = PageQuery(**limits()).load(args)
    except ValidationError as exc:
        context["errors"] = flatten_messages(exc.messages)
        return context, 400
    # A submitted form (even with an empty box) or any filter browses; the bare page shows only the form.
    if "q" not in raw_args and not any(params.get(name) for name in FILTER_FIELDS):
        return context, 200
    result = current_snapshot().engine.search(params)
    context.update(result=result, mode=params["mode"], sort=params["sort"], **_results_context(params, args, result))
    return context, 200
