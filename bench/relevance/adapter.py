"""The benchmark's only door into the product: re-point these three functions when service/search is refactored."""
from __future__ import annotations

from collections.abc import Collection, Mapping

RELATED_LIMIT = 20


def search(engine, q: str, mode: str, per_page: int, exclude: Collection[str] = (), as_of: str | None = None,
           filters: Mapping | None = None) -> list[str]:
    """GET /api/search ranking (first page of per_page ids). exclude/as_of make it leakage-free for a query taken
    from the corpus: the engine's static citation prior is swapped for one counting only citing documents dated
    on or before as_of, other than the excluded ones, and the excluded documents are never returned."""
    from service.search.fusion import authority_prior
    from service.search.query_limits import QueryRejected

    params = {"q": q, "mode": mode, "sort": "relevance", "page": 1, "per_page": per_page + len(exclude),
              "as_of": as_of, "exclude": set(exclude), **(filters or {})}
    static = engine.priors
    if exclude or as_of:
        engine.priors = authority_prior(engine.citations.authorities(engine.table.ids, as_of, set(exclude)))
    try:
        result = engine.search(params)
    except QueryRejected:
        return []       # the API answers 400: the searcher sees no results
    finally:
        engine.priors = static
    return [r["id"] for r in result["results"] if r["id"] not in exclude][:per_page]


def similar(engine, text: str, mode: str, k: int, exclude: Collection[str] = (), as_of: str | None = None,
            filters: Mapping | None = None) -> list[str]:
    """POST /api/similar ranking of k ids; exclude/as_of as for search (similar_to_text handles both itself)."""
    from service.search.similar import similar_to_text

    result = similar_to_text(engine, text, k, filters or {}, mode=mode, as_of=as_of, exclude=set(exclude))
    return [r["id"] for r in result["results"]]


def related_same_request(engine, doc_id: str) -> list[str]:
    """GET /api/documents/<id>/related: the ids of its same_request group, best first."""
    from service.search.related import find_related

    return [item["id"] for item in find_related(engine, doc_id, RELATED_LIMIT)["relations"]["same_request"]]
