"""The document page's context: metadata, page-anchored text with the search terms marked, linked decisions."""
from __future__ import annotations

import re
from typing import Any

from flask import url_for
from markupsafe import Markup
from werkzeug.exceptions import NotFound

from service.api.common import current_snapshot, document_urls
from service.current_index import Snapshot
from service.pages.common import RELATION_LABELS, as_percent, document_link, external_url, percent
from service.pages.requests import cluster_section
from service.search.snippets import highlight, term_pattern

RELATED_PER_GROUP = 5
LOW_OCR_CONFIDENCE = 60  # percent: pages below it are named in the notice so a caseworker checks the scan
MAX_Q_CHARS = 2000


def _pattern(snapshot: Snapshot, q: str) -> re.Pattern | None:
    # The same analysed terms search highlights with, so "disclosure" also marks "disclosed".
    if not q.strip():
        return None
    return term_pattern(snapshot.engine.keyword.parse(q[:MAX_Q_CHARS], conjunctive=False).terms())


def _ocr_confidence(record: dict) -> dict[int, str]:
    ocr = record.get("ocr")
    pages = ocr.get("pages") or [] if isinstance(ocr, dict) else []
    return {p["page"]: percent(p.get("confidence")) for p in pages if p.get("page") is not None}


def text_pages(pages: list[dict], pattern: re.Pattern | None, ocr_confidence: dict[int, str] | None = None) -> list[dict]:
    """[{"number", "html", "matches", "ocr_confidence"}]: each page's text escaped, matches in <mark>."""
    out = []
    for page in pages:
        text = page.get("text") or ""
        matches = sum(1 for _ in pattern.finditer(text)) if pattern else 0
        out.append({"number": page.get("number"), "html": Markup(highlight(text, pattern)), "matches": matches,
                    "ocr_confidence": (ocr_confidence or {}).get(page.get("number"))})
    return out


def ocr_notice(record: dict) -> dict | None:
    """What to tell the reader about OCR: text read from a scan (with its confidence) or a scan not yet read."""
    ocr = record.get("ocr")
    # A scan OCR could not read (no words found, pages failed) still needs OCR, whatever the attempt recorded.
    if record.get("needs_ocr"):
        return {"kind": "needs_ocr"}
    if isinstance(ocr, dict):
        pages = ocr.get("pages") or []
        scores = [(p.get("page"), as_percent(p.get("confidence"))) for p in pages]
        low = [page for page, score in scores if score is not None and score < LOW_OCR_CONFIDENCE]
        return {"kind": "ocr", "confidence": percent(ocr.get("mean_confidence")), "low_pages": low}
    return None


def _evidence(item: dict, doc_id: str) -> dict:
    evidence = dict(item.get("evidence") or {})
    if "url" in evidence:
        evidence["url"] = external_url(evidence["url"])
    # A mention sits in the citing document: this one for "cites", the other one for "cited_by".
    citing = item["id"] if evidence.get("direction") == "cited_by" else doc_id
    evidence["mentions"] = [{**m, "href": document_link(citing, None, m.get("page")) if m.get("page") else None}
                            for m in evidence.get("mentions") or []]
    return evidence


def _related_item(item: dict, snapshot: Snapshot, doc_id: str) -> dict:
    record = snapshot.reader.document(item["id"]) or {}
    return {**item, "href": document_link(item["id"]), "sections": record.get("sections") or [],
            "outcome": record.get("outcome"), "evidence": _evidence(item, doc_id)}


def related_groups(snapshot: Snapshot, doc_id: str) -> tuple[list[dict], list[dict]]:
    """([{"name", "label", "items"}] for every relation, [{"reference", "url"}] cited but not in the corpus)."""
    related = snapshot.engine.related(doc_id, RELATED_PER_GROUP)
    groups = [{"name": name, "label": RELATION_LABELS[name],
               "items": [_related_item(item, snapshot, doc_id) for item in items]}
              for name, items in related["relations"].items()]
    external = [{"reference": e["reference"], "url": external_url(e.get("url"))}
                for e in related.get("external_citations") or []]
    return groups, external


def document_context(doc_id: str, q: str) -> dict[str, Any]:
    """Template context of /documents/<doc_id>; NotFound (the HTML 404 page) for an unknown id."""
    snapshot = current_snapshot()
    record = snapshot.reader.document(doc_id)
    if record is None:
        raise NotFound(f"There is no document with the id “{doc_id}” in the index. It may have been removed "
                       "from the collection; search for it by title or reference instead.")
    pages = text_pages(snapshot.reader.pages(doc_id), _pattern(snapshot, q), _ocr_confidence(record))
    groups, external = related_groups(snapshot, doc_id)
    return {
        "doc": record,
        "q": q.strip(),
        "pages": pages,
        "match_pages": [p for p in pages if p["matches"]],
        "total_matches": sum(p["matches"] for p in pages),
        "ocr": ocr_notice(record),
        "groups": groups,
        "external": external,
        "same_request": cluster_section(snapshot, doc_id),
        **document_urls(doc_id),
        "back_href": url_for("pages.search_page", q=q.strip()) if q.strip() else None,
    }
