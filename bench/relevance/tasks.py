"""The benchmark's tasks: which query set, which product paths apply, and how many queries per half by default."""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path

from bench.relevance.lookups import case_title_queries, reference_queries, summary_queries
from bench.relevance.queries import Query
from bench.relevance.same_request import same_request_queries
from bench.relevance.topical import topical_queries

# Per half. The big sets are sampled (seeded) so a full run stays within about half an hour on two cores; the
# small ones (16 summaries, 43 same-request pages, ~96 topical) are used whole. Prior-decision queries are
# 400/1,500-word documents, each costing about a second per row, hence the smaller sample.
DEFAULT_LIMITS = {"title": 200, "reference": 200, "summary": 0, "topical": 200, "prior": 60, "same-request": 0}


@dataclass(frozen=True)
class Task:
    name: str
    build: Callable[[Path, object], list[Query]]     # (shared dir, index reader) -> queries over corpus paths
    paths: tuple[str, ...]                           # "search", "similar", "related"


def prior_queries(shared: Path, reader) -> list[Query]:
    """bench.prior_decisions cases as queries: the 400-word text for search, the 1,500-word one for similar."""
    from bench.prior_decisions import PLANS, load_cases

    search_words, similar_words = PLANS["search"][0], PLANS["similar"][0]
    path = {doc_id: record["path"] for doc_id, record in reader.documents.items()}
    out = []
    # build_query cuts the scrubbed text last, so the first 400 words of the 1,500-word query are the 400-word one.
    for case in load_cases(reader, similar_words):
        own = path[case.doc_id]
        out.append(Query(f"prior:{own}", " ".join(case.text.split()[:search_words]),
                         {path[d]: 1 for d in case.relevant}, own, need=len(case.relevant),
                         similar_text=case.text, source=own, as_of=case.date))
    return out


TASKS = {
    "title": Task("case-title", lambda shared, _reader: case_title_queries(shared), ("search",)),
    "reference": Task("reference", lambda shared, _reader: reference_queries(shared), ("search",)),
    "summary": Task("summary", lambda shared, _reader: summary_queries(shared), ("search", "similar")),
    "topical": Task("topical", lambda shared, _reader: topical_queries(shared), ("search",)),
    "prior": Task("prior-decisions", prior_queries, ("search", "similar")),
    "same-request": Task("same-request", lambda shared, _reader: same_request_queries(shared),
                         ("search", "similar", "related")),
}


def resolve(queries: list[Query], doc_ids: dict[str, str]) -> tuple[list[Query], int]:
    """Queries with corpus paths turned into index document ids; those with no relevant document indexed are
    dropped (returned as a count): a file the build could not read cannot be found by any mode."""
    out, dropped = [], 0
    for query in queries:
        relevant = {doc_ids[p]: g for p, g in query.relevant.items() if p in doc_ids}
        if not relevant:
            dropped += 1
            continue
        need = min(query.need, len(relevant))
        out.append(replace(query, relevant=relevant, need=need, source=doc_ids.get(query.source or "")))
    return out, dropped
