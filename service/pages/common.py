"""Helpers shared by the HTML pages: safe snippet markup, GET links that change one parameter, display labels."""
from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from flask import url_for
from markupsafe import Markup

_MARK = re.compile(r"(</?mark>)")
_SAFE_URL = re.compile(r"^https?://[^\s<>\"']+$", re.IGNORECASE)

DOC_TYPE_LABELS = {
    "decision_notice": "ICO decision notice",
    "tribunal_decision": "Tribunal decision",
    "foi_response": "FOI response",
    "request_thread": "Request thread",
    "other": "Other document",
}
FACET_LABELS = {"doc_type": "Document type", "authority": "Authority", "section": "Section", "outcome": "Outcome",
                "year": "Year"}
FILTER_LABELS = {**FACET_LABELS, "legislation": "Legislation", "reference": "Reference", "date_from": "From",
                 "date_to": "To", "date": "Date range"}
MODE_LABELS = {"hybrid": "Hybrid: words and meaning", "keyword": "Keyword: exact words and syntax",
               "semantic": "Semantic: meaning only"}
SORT_LABELS = {"relevance": "Best match", "date_desc": "Newest first", "date_asc": "Oldest first",
               "cited_by": "Most cited"}
RELATION_LABELS = {"same_request": "Same request to another authority", "cites": "Cites", "cited_by": "Cited by",
                   "appeal": "Appeal", "similar": "Similar"}


def safe_snippet(text: str | None) -> Markup:
    """Keeps <mark> tags and neutralises any other markup; idempotent on already-escaped snippets."""
    parts = _MARK.split(text or "")
    return Markup("".join(p if _MARK.fullmatch(p) else p.replace("<", "&lt;").replace(">", "&gt;") for p in parts))


def doc_type_label(value: str | None) -> str:
    """"decision_notice" -> "ICO decision notice"; unknown values are shown as they are."""
    return DOC_TYPE_LABELS.get(value or "other", (value or "").replace("_", " "))


def facet_value_label(facet: str, value: str) -> str:
    return doc_type_label(value) if facet == "doc_type" else value


def external_url(url: str | None) -> str | None:
    """The URL if it is a plain http(s) address, else None: URLs come from document text and may be hostile."""
    return url if url and _SAFE_URL.match(url) else None


def as_percent(value: float | None) -> float | None:
    """A confidence or similarity on a 0-100 scale; values above 1 are taken to be percentages already."""
    if value is None:
        return None
    value = float(value)
    return value if value > 1 else value * 100


def percent(value: float | None) -> str:
    """as_percent rounded for display, e.g. "87%"."""
    scaled = as_percent(value)
    return "unknown" if scaled is None else f"{round(scaled)}%"


def clean_args(args: Mapping[str, Any], multi: tuple[str, ...] = ()) -> dict[str, Any]:
    """Request arguments without empty values (a browser submits every form field, so "date_from=" means unset);
    names in `multi` keep every value as a list (authority=A&authority=B)."""
    out: dict[str, Any] = {}
    for name in args:
        if name in multi:
            values = args.getlist(name) if hasattr(args, "getlist") else args[name]
            values = [v for v in ([values] if isinstance(values, str) else values) if v not in (None, "")]
            if values:
                out[name] = list(dict.fromkeys(values))
        elif args[name] not in (None, "", []):
            out[name] = args[name]
    return out


def search_link(args: Mapping[str, Any], **changes: Any) -> str:
    """URL of the search page with args updated by changes (a None or empty change drops the parameter)."""
    return url_for("pages.search_page", **clean_args({**args, **changes}))


def document_link(doc_id: str, q: str | None = None, page: int | None = None) -> str:
    """URL of a document page; q carries the search terms to highlight, page jumps to that page's anchor."""
    anchor = f"page-{page}" if page else None
    return url_for("pages.document_page", doc_id=doc_id, q=q or None, _anchor=anchor)
