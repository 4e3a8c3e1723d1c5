"""Long queries (a pasted paragraph or more) are searched as a document: key terms plus chunked passage similarity."""
from __future__ import annotations

import re
from collections.abc import Collection
from dataclasses import dataclass, field

import numpy as np

from config import Settings
from service.search.similar import RankOptions, rank_documents, text_query

# A field:value term means the user wrote Whoosh syntax, which is honoured as written. Quotes and capitalised
# AND/OR/NOT are no sign of it in pasted text: decisions quote requests and have all-capital headings.
_SYNTAX = re.compile(r"\b(?:title|authority|content|references?|sections?|type|doc_type|outcome|legislation|year|date):\S")


@dataclass
class LongQueryRanking:
    """Documents best first, each retriever's (rank, score), evidence rows and the key terms used."""

    ranking: list[tuple[str, float]]
    ranks: dict[str, dict[str, tuple[int, float]]] = field(default_factory=dict)
    semantic_rows: dict[str, dict[int, float]] = field(default_factory=dict)
    terms: list[str] = field(default_factory=list)


def is_long_query(q: str, config: Settings) -> bool:
    """True for free text longer than config long_query_words; a query with Whoosh syntax never is."""
    limit = config.long_query_words
    return limit > 0 and len(q.split()) > limit and not _SYNTAX.search(q)


def _ranks(results: list[dict], name: str) -> dict[str, tuple[int, float]]:
    scored = [(r["id"], r["scores"][name]) for r in results if r["scores"].get(name) is not None]
    scored.sort(key=lambda item: -item[1])
    return {doc_id: (rank, score) for rank, (doc_id, score) in enumerate(scored, start=1)}


def _evidence_rows(engine, doc_ids: list[str], sims: np.ndarray | None, per_doc: int) -> dict[str, dict[int, float]]:
    if sims is None or not sims.size:
        return {}
    best = sims.max(axis=1)
    rows: dict[str, dict[int, float]] = {}
    for doc_id in doc_ids:
        passages = engine.reader.doc_passages(doc_id)
        top = sorted((p["row"] for p in passages), key=lambda row: -best[row])[:per_doc]
        rows[doc_id] = {row: float(best[row]) for row in top}
    return rows


def rank_long_query(engine, q: str, mode: str, mask: np.ndarray | None, as_of: str | None = None,
                    exclude: Collection[str] = ()) -> LongQueryRanking:
    """Rank like POST /api/similar (key terms, mean of max passage similarity, authority prior in hybrid)."""
    query = text_query(engine, q, mode, exclude)
    if exclude:
        mask = np.ones(len(engine.table), dtype=bool) if mask is None else mask.copy()
        mask[[engine.table.position[doc_id] for doc_id in exclude if doc_id in engine.table.position]] = False
    limit = engine.config.candidates
    options = RankOptions(k=limit, mode=mode, mask=mask, exclude=set(exclude), as_of=as_of)
    results, sims = rank_documents(engine, query, options)
    ranking = [(r["id"], float(r["score"])) for r in results]
    per_doc = engine.config.snippets_per_result
    return LongQueryRanking(
        ranking=ranking,
        ranks={"keyword": _ranks(results, "keyword"), "semantic": _ranks(results, "semantic")},
        semantic_rows=_evidence_rows(engine, [doc_id for doc_id, _ in ranking], sims, per_doc),
        terms=[t.term for t in query.terms],
    )
