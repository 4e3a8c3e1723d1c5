"""The benchmark's only door into the product: the engine façade's search, similar and related, as ranked ids."""
from __future__ import annotations

from collections.abc import Collection, Mapping

RELATED_LIMIT = 20


def search(engine, q: str, mode: str, per_page: int, exclude: Collection[str] = (), as_of: str | None = None,
           filters: Mapping | None = None) -> list[str]:
    """GET /api/search ranking (first page of per_page ids). exclude/as_of make it leakage-free for a query taken
    from the corpus: the excluded documents are never returned nor counted as citing, and citations count only
    from documents dated on or before as_of."""
    from service.search.query_limits import QueryRejected

    params = {"q": q, "mode": mode, "sort": "relevance", "page": 1, "per_page": per_page,
              "as_of": as_of, "exclude": set(exclude), **(filters or {})}
    try:
        result = engine.search(params)
    except QueryRejected:
        return []       # the API answers 400: the searcher sees no results
    return [r["id"] for r in result["results"]]


def similar(engine, text: str, mode: str, k: int, exclude: Collection[str] = (), as_of: str | None = None,
            filters: Mapping | None = None) -> list[str]:
    """POST /api/similar ranking of k ids; exclude/as_of as for search."""
    result = engine.similar(text, k, filters or {}, mode=mode, as_of=as_of, exclude=set(exclude))
    return [r["id"] for r in result["results"]]


def related_same_request(engine, doc_id: str) -> list[str]:
    """GET /api/documents/<id>/related: the ids of its same_request group, best first."""
    return [item["id"] for item in engine.related(doc_id, RELATED_LIMIT)["relations"]["same_request"]]
