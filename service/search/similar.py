"""Search by document: the closest precedents to a long pasted text (or to a corpus document's own passages).

Semantic side: the text is chunked like the corpus, at most `similar_max_chunks` representative chunks are
embedded, and a document scores the mean over query chunks of its best passage similarity (mean of max).
Keyword side: BM25 over ~40 tf-idf key terms of the whole text (see keyterms.py).
The two are min-max fused and blended with the citation-authority prior (log of distinct citing documents).
"""
from __future__ import annotations

import math
import time
import weakref
from collections.abc import Collection, Mapping
from dataclasses import dataclass, field

import numpy as np

from indexer.chunking import chunk_pages
from service.search.citations import CitationGraph
from service.search.keyterms import KeyTerm, analyse, key_terms_for, keyword_scores

_BLOCK_ROWS = 8192
_STATES: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()


@dataclass
class _Page:
    number: int
    text: str


class PrecedentState:
    """What search by document needs beyond the engine, computed once per engine (one index generation)."""

    def __init__(self, engine):
        self.reader = engine.reader
        self.graph: CitationGraph = engine.citations
        table = engine.table
        layout = sorted((int(rec["first_passage"]), table.position[doc_id]) for doc_id, rec in
                        self.reader.documents.items() if rec.get("passage_count"))
        # Passages of a document are contiguous, so per-document maxima are one reduceat over these starts.
        self.starts = np.array([first for first, _ in layout], dtype=np.int64)
        self.positions = np.array([position for _, position in layout], dtype=np.int64)
        self.extras: dict = {}


def state_for(engine) -> PrecedentState:
    """The PrecedentState of an engine, built on first use."""
    state = _STATES.get(engine)
    if state is None:
        state = PrecedentState(engine)
        _STATES[engine] = state
    return state


@dataclass
class DocQuery:
    """A query made of many passages: their texts and vectors, and the key terms of the whole text."""

    texts: list[str]
    vectors: np.ndarray
    terms: list[KeyTerm]
    info: dict = field(default_factory=dict)


def representative(texts: list[str], limit: int) -> list[int]:
    """Indexes (in text order) of at most `limit` texts that together cover the most distinct terms.

    Greedy set cover weighted by term rarity inside the text, so boilerplate repeated in every chunk adds little.
    """
    if len(texts) <= limit:
        return list(range(len(texts)))
    bags = [set(analyse(t)) for t in texts]
    spread: dict[str, int] = {}
    for bag in bags:
        for term in bag:
            spread[term] = spread.get(term, 0) + 1
    weight = {term: 1.0 / n for term, n in spread.items()}
    chosen: list[int] = []
    covered: set[str] = set()
    while len(chosen) < limit:
        gains = [(sum(weight[t] for t in bag - covered), -i) for i, bag in enumerate(bags) if i not in chosen]
        _, best = max(gains)
        chosen.append(-best)
        covered |= bags[-best]
    return sorted(chosen)


def passage_similarities(reader, vectors: np.ndarray) -> np.ndarray:
    """(passages x query rows) cosine similarities, in blocks so float16 indexes are converted piecewise."""
    stored = reader.vectors
    out = np.empty((stored.shape[0], vectors.shape[0]), dtype=np.float32)
    query = np.ascontiguousarray(vectors.T, dtype=np.float32)
    for start in range(0, stored.shape[0], _BLOCK_ROWS):
        block = np.asarray(stored[start:start + _BLOCK_ROWS], dtype=np.float32)
        out[start:start + block.shape[0]] = block @ query
    return out


def semantic_scores(state: PrecedentState, sims: np.ndarray) -> np.ndarray:
    """Per document (state.doc_ids order): mean over query rows of the best passage similarity."""
    if sims.shape[0] == 0 or not state.doc_ids:
        return np.zeros(len(state.doc_ids), dtype=np.float32)
    return np.maximum.reduceat(sims, state.starts, axis=0).mean(axis=1)


def minmax(scores: Mapping[str, float]) -> dict[str, float]:
    """Scores rescaled to [0, 1]; all equal -> all 1 (or 0 when they are all zero)."""
    if not scores:
        return {}
    low, high = min(scores.values()), max(scores.values())
    if high <= low:
        return {doc_id: (1.0 if high > 0 else 0.0) for doc_id in scores}
    return {doc_id: (s - low) / (high - low) for doc_id, s in scores.items()}


@dataclass
class RankOptions:
    """How to rank: result count, retrievers, filters and the date/self exclusions of the authority prior."""

    k: int
    mode: str = "hybrid"                 # "hybrid" | "keyword" | "semantic"
    allowed: set[str] | None = None      # documents passing the filters (None: all)
    filter_query: object = None          # the same filters as a Whoosh query, for the keyword side
    exclude: Collection[str] = ()        # never returned, and never counted as citing (the query document)
    as_of: str | None = None             # authority counts only citing documents dated on or before this


def _semantic_candidates(state: PrecedentState, sims: np.ndarray, opts: RankOptions, limit: int) -> dict[str, float]:
    scores = semantic_scores(state, sims)
    order = np.argsort(-scores, kind="stable")
    out: dict[str, float] = {}
    for i in order:
        doc_id = state.doc_ids[i]
        if doc_id in opts.exclude or (opts.allowed is not None and doc_id not in opts.allowed):
            continue
        out[doc_id] = float(scores[i])
        if len(out) >= limit:
            break
    return out


def _keyword_candidates(engine, query: DocQuery, opts: RankOptions, limit: int) -> dict[str, float]:
    with engine.reader.doc_index.searcher() as searcher:
        hits = keyword_scores(searcher, query.terms, limit * 2 if opts.allowed else limit, opts.filter_query,
                              opts.exclude)
    return {d: s for d, s in hits if opts.allowed is None or d in opts.allowed}


def _prior(state: PrecedentState, doc_ids: Collection[str], opts: RankOptions) -> dict[str, float]:
    counts = state.graph.authorities(doc_ids, opts.as_of, opts.exclude)
    return {doc_id: math.log1p(n) for doc_id, n in counts.items()}


def fuse(config: Mapping, keyword: Mapping[str, float], semantic: Mapping[str, float],
         prior: Mapping[str, float], mode: str) -> dict[str, float]:
    """(1 - p) * (w * kw + (1 - w) * sem) + p * prior, each side min-max scaled over the candidates."""
    w = {"keyword": 1.0, "semantic": 0.0}.get(mode, float(config.get("similar_weight_keyword", 0.6)))
    p = float(config.get("citation_prior", 0.3)) if mode == "hybrid" else 0.0
    kw, sem, pri = minmax(keyword), minmax(semantic), minmax(prior)
    return {
        doc_id: (1 - p) * (w * kw.get(doc_id, 0.0) + (1 - w) * sem.get(doc_id, 0.0)) + p * pri.get(doc_id, 0.0)
        for doc_id in dict.fromkeys([*keyword, *semantic])
    }


def rank_documents(engine, query: DocQuery, opts: RankOptions) -> tuple[list[dict], np.ndarray | None]:
    """The k best documents as [{"id", "score", "scores": {...}}], plus the passage similarities for evidence."""
    state = state_for(engine)
    limit = int(engine.config.get("candidates", 200))
    sims = None
    semantic: dict[str, float] = {}
    keyword: dict[str, float] = {}
    if opts.mode != "keyword" and len(query.vectors):
        sims = passage_similarities(engine.reader, query.vectors)
        semantic = _semantic_candidates(state, sims, opts, limit)
    if opts.mode != "semantic":
        keyword = _keyword_candidates(engine, query, opts, limit)
    candidates = list(dict.fromkeys([*keyword, *semantic]))
    prior = _prior(state, candidates, opts) if opts.mode == "hybrid" else {}
    fused = fuse(engine.config, keyword, semantic, prior, opts.mode)
    best = sorted(fused, key=lambda d: (-fused[d], d))[: opts.k]
    return [
        {"id": d, "score": round(fused[d], 6), "scores": {
            "keyword": _round(keyword.get(d)), "semantic": _round(semantic.get(d)), "prior": _round(prior.get(d))}}
        for d in best
    ], sims


def _round(value: float | None) -> float | None:
    return None if value is None else round(value, 6)


def _clip(text: str, limit: int = 320) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1].rsplit(" ", 1)[0] + "…"


def evidence_pairs(reader, doc_id: str, sims: np.ndarray | None, query: DocQuery, per_doc: int) -> list[dict]:
    """The doc's passages closest to the query: [{"similarity", "query_chunk", "query_text", "passage"}]."""
    passages = reader.doc_passages(doc_id)
    if not passages:
        return []
    if sims is None:
        terms = {k.term: k.boost for k in query.terms}
        local = np.array([[sum(terms.get(t, 0.0) for t in set(analyse(p["text"])))] for p in passages])
    else:
        first = passages[0]["row"]
        local = sims[first:first + len(passages)]
    best_chunk = local.argmax(axis=1)
    best = local.max(axis=1)
    out = []
    for i in np.argsort(-best, kind="stable")[:per_doc]:
        passage = passages[int(i)]
        chunk = int(best_chunk[i]) if sims is not None else None
        out.append({
            "similarity": round(float(best[i]), 4) if sims is not None else None,
            "query_chunk": chunk,
            "query_text": _clip(query.texts[chunk]) if chunk is not None else None,
            "passage": {"row": passage["row"], "ordinal": passage["ordinal"], "page_start": passage["page_start"],
                        "page_end": passage["page_end"], "text": _clip(passage["text"], 480)},
        })
    return out


def describe(reader, doc_id: str) -> dict:
    """The metadata a result card shows."""
    doc = reader.document(doc_id) or {}
    return {name: doc.get(name) for name in ("id", "title", "doc_type", "authority", "date", "references", "path")}


def _embedder(engine):
    embedder = getattr(engine, "embedder", None)
    return embedder if embedder is not None else engine.embedder_factory()


def text_query(engine, text: str, mode: str = "hybrid") -> DocQuery:
    """Chunk the text like the corpus, keep representative chunks, embed them, pick its key terms."""
    cfg = engine.config
    chunks = chunk_pages([_Page(1, text)], int(cfg.get("chunk_words", 180)), int(cfg.get("chunk_max_words", 230)))
    texts = [c.text for c in chunks]
    picked = [texts[i] for i in representative(texts, int(cfg.get("similar_max_chunks", 16)))]
    with engine.reader.doc_index.searcher() as searcher:
        terms = key_terms_for(searcher, text, int(cfg.get("similar_key_terms", 40)),
                              float(cfg.get("similar_max_df", 0.5)))
    if mode == "keyword" or not picked:
        vectors = np.zeros((0, engine.reader.vectors.shape[1]), dtype=np.float32)
    else:
        vectors = _embedder(engine).encode(picked)
    info = {"chars": len(text), "words": len(text.split()), "chunks": len(texts), "chunks_used": len(picked)}
    return DocQuery(picked, vectors, terms, info)


def similar_to_text(engine, text: str, k: int, filters: Mapping | None = None, mode: str = "hybrid",
                    as_of: str | None = None, exclude: Collection[str] = ()) -> dict:
    """Closest precedents to a pasted text, with evidence passage pairs; filters as for search.

    as_of and exclude make the authority prior leakage-free for evaluation (see bench/prior_decisions.py).
    """
    started = time.perf_counter()
    query = text_query(engine, text, mode)
    allowed, filter_query = filter_scope(engine, filters or {})
    opts = RankOptions(k=k, mode=mode, allowed=allowed, filter_query=filter_query, exclude=set(exclude), as_of=as_of)
    ranked, sims = rank_documents(engine, query, opts)
    per_doc = int(engine.config.get("snippets_per_result", 3))
    results = [{**describe(engine.reader, r["id"]), "score": r["score"], "scores": r["scores"],
                "evidence": evidence_pairs(engine.reader, r["id"], sims, query, per_doc)} for r in ranked]
    return {
        "results": results,
        "total": len(results),
        "mode": mode,
        "query": {**query.info, "key_terms": [{"term": t.term, "tf": t.tf, "df": t.df} for t in query.terms]},
        "took_ms": round((time.perf_counter() - started) * 1000, 1),
    }
