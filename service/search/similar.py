"""Search by document: the closest precedents to a long pasted text (or to a corpus document's own passages).

Semantic side: the text is chunked like the corpus, at most `similar_max_chunks` representative chunks are
embedded, and a document scores the mean over query chunks of its best passage similarity (mean of max).
Keyword side: BM25 over ~40 tf-idf key terms of the whole text (see keyterms.py).
The two are min-max fused and blended with the citation-authority prior (log of distinct citing documents).
"""
from __future__ import annotations

import time
import weakref
from collections import Counter
from collections.abc import Collection, Mapping
from dataclasses import dataclass, field

import numpy as np

from config import Settings
from indexer.chunking import chunk_pages
from service.search.citations import CitationGraph
from service.search.filters import Filters
from service.search.fusion import Hits, authority_prior, minmax
from service.search.keyterms import KeyTerm, analyse, key_terms_for, key_terms_query
from service.search.keyword import ParsedQuery
from service.search.snippets import snippet, term_pattern

_BLOCK_ROWS = 8192
_PASSAGE_CHARS = 480
_MARKED_TERMS = 30
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
    _pattern: object = None

    def pattern(self):
        """Highlighting regex of the strongest key terms, compiled once per query (all of them would be slow)."""
        if self._pattern is None:
            self._pattern = term_pattern(k.term for k in self.terms[:_MARKED_TERMS])
        return self._pattern


def representative(texts: list[str], limit: int, bags: list[set[str]] | None = None) -> list[int]:
    """Indexes (in text order) of at most `limit` texts that together cover the most distinct terms.

    Greedy set cover weighted by term rarity inside the text, so boilerplate repeated in every chunk adds little.
    bags, when given, are the analysed term sets of the texts (saves analysing twice).
    """
    if len(texts) <= limit:
        return list(range(len(texts)))
    bags = bags if bags is not None else [set(analyse(t)) for t in texts]
    spread = Counter(term for bag in bags for term in bag)
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


def semantic_scores(state: PrecedentState, sims: np.ndarray, size: int) -> np.ndarray:
    """Per document (engine table positions): mean over query rows of the best passage similarity; -inf if none."""
    out = np.full(size, -np.inf, dtype=np.float32)
    if sims.shape[0] and len(state.starts):
        out[state.positions] = np.maximum.reduceat(sims, state.starts, axis=0).mean(axis=1)
    return out


@dataclass
class RankOptions:
    """How to rank: result count, retrievers, filters and the date/self exclusions of the authority prior."""

    k: int
    mode: str = "hybrid"                 # "hybrid" | "keyword" | "semantic"
    mask: np.ndarray | None = None       # engine table positions passing the filters and exclusions (None: all)
    exclude: Collection[str] = ()        # never counted as citing for the prior (the query document)
    as_of: str | None = None             # the prior counts only citing documents dated on or before this
    authority: bool = True               # hybrid adds the citation prior and the neighbours' citation votes


def scope(engine, filters: Mapping, exclude: Collection[str] = ()) -> np.ndarray | None:
    """The engine's filter mask for these filters, with excluded documents switched off."""
    mask = engine.table.mask(Filters.from_params(filters))
    positions = [engine.table.position[d] for d in exclude if d in engine.table.position]
    if positions:
        mask = np.ones(len(engine.table), dtype=bool) if mask is None else mask.copy()
        mask[positions] = False
    return mask


def _semantic_candidates(engine, sims: np.ndarray, opts: RankOptions, limit: int) -> list[tuple[str, float]]:
    scores = semantic_scores(state_for(engine), sims, len(engine.table))
    if opts.mask is not None:
        scores[~opts.mask] = -np.inf
    best = np.argsort(-scores, kind="stable")[:limit]
    return [(engine.table.ids[p], float(scores[p])) for p in best if np.isfinite(scores[p])]


def _content(config: Settings, keyword: Hits, semantic: Hits, mode: str) -> dict[str, float]:
    """w * kw + (1 - w) * sem, each side min-max scaled over its candidates (a missing side counts 0)."""
    w = {"keyword": 1.0, "semantic": 0.0}.get(mode, config.similar_weight_keyword)
    kw, sem = minmax(keyword), minmax(semantic)
    return {d: w * kw.get(d, 0.0) + (1 - w) * sem.get(d, 0.0) for d in dict.fromkeys([*kw, *sem])}


def authority_blend(engine, content: Mapping[str, float], opts: RankOptions) -> tuple[dict[str, float], dict]:
    """(1 - p) * content + p * prior + v * votes: the global citation prior plus what the query's nearest
    documents cite (see CitationGraph.votes). Returns the scores and, per document, the two signals."""
    cfg, graph = engine.config, engine.citations
    p, v = cfg.similar_citation_prior, cfg.similar_neighbour_votes
    prior = authority_prior(graph.authorities(content, opts.as_of, opts.exclude))
    base = {d: (1 - p) * c + p * prior[d] for d, c in content.items()}
    near = sorted(base, key=lambda d: (-base[d], d))
    votes = graph.votes(((d, content[d]) for d in near), opts.as_of, opts.exclude, cfg.similar_neighbours)
    if opts.mask is not None:
        votes = {d: n for d, n in votes.items() if opts.mask[engine.table.position[d]]}
    top = max(votes.values(), default=0.0) or 1.0
    extra = authority_prior(graph.authorities([d for d in votes if d not in base], opts.as_of, opts.exclude))
    scores = {d: base.get(d, p * extra.get(d, 0.0)) + v * votes.get(d, 0.0) / top for d in [*base, *votes]}
    return scores, {"prior": {**prior, **extra}, "votes": {d: n / top for d, n in votes.items()}}


def rank_documents(engine, query: DocQuery, opts: RankOptions) -> tuple[list[dict], np.ndarray | None]:
    """The k best documents as [{"id", "score", "scores": {...}}], plus the passage similarities for evidence."""
    limit = engine.config.candidates
    sims = None
    semantic: list[tuple[str, float]] = []
    keyword: list[tuple[str, float]] = []
    if opts.mode != "keyword" and len(query.vectors):
        sims = passage_similarities(engine.reader, query.vectors)
        semantic = _semantic_candidates(engine, sims, opts, limit)
    if opts.mode != "semantic" and query.terms:
        keyword = engine.keyword.search(ParsedQuery(key_terms_query(query.terms)), opts.mask, limit)
    fused = _content(engine.config, keyword, semantic, opts.mode)
    signals: dict = {"prior": {}, "votes": {}}
    if opts.mode == "hybrid" and opts.authority:
        fused, signals = authority_blend(engine, fused, opts)
    kw, sem = dict(keyword), dict(semantic)
    best = sorted(fused, key=lambda d: (-fused[d], d))[: opts.k]
    return [
        {"id": d, "score": round(fused[d], 6), "scores": {
            "keyword": _round(kw.get(d)), "semantic": _round(sem.get(d)),
            "prior": _round(signals["prior"].get(d)), "votes": _round(signals["votes"].get(d))}}
        for d in best
    ], sims


def _round(value: float | None) -> float | None:
    return None if value is None else round(value, 6)


def evidence_pairs(reader, doc_id: str, sims: np.ndarray | None, query: DocQuery, per_doc: int) -> list[dict]:
    """The doc's passages closest to the query, each with its closest query chunk; texts are escaped HTML with
    the key terms marked, as search snippets are."""
    passages = reader.doc_passages(doc_id)
    if not passages:
        return []
    pattern = query.pattern()
    if sims is None:
        # Keyword only: no vectors, so passages are ranked by how many strong key-term matches they hold.
        local = np.array([[len(pattern.findall(p["text"])) if pattern else 0] for p in passages], dtype=np.float32)
    else:
        first = passages[0]["row"]
        local = sims[first:first + len(passages)]
    best_chunk, best = local.argmax(axis=1), local.max(axis=1)
    out = []
    for i in np.argsort(-best, kind="stable")[:per_doc]:
        passage = passages[int(i)]
        chunk = int(best_chunk[i]) if sims is not None else None
        out.append({
            "similarity": round(float(best[i]), 4) if sims is not None else None,
            "query_chunk": chunk,
            "query_text": snippet({"text": query.texts[chunk]}, pattern)["text"] if chunk is not None else None,
            "passage": {"row": passage["row"], "ordinal": passage["ordinal"],
                        **snippet(passage, pattern, _PASSAGE_CHARS)},
        })
    return out


def describe(reader, doc_id: str) -> dict:
    """The metadata a result card shows."""
    doc = reader.document(doc_id) or {}
    return {name: doc.get(name) for name in ("id", "path", "title", "doc_type", "authority", "date", "references")}


def merged(counts: list[Counter]) -> Counter:
    """One Counter of many (sum() over Counters copies at every step)."""
    total: Counter = Counter()
    for count in counts:
        total.update(count)
    return total


def _encode(engine, texts: list[str], info: dict) -> np.ndarray:
    try:
        return np.asarray(engine.embedder_factory().encode(texts), dtype=np.float32)
    except Exception as exc:  # noqa: BLE001 - a missing or broken model must degrade to keyword search
        info.setdefault("warnings", []).append(f"semantic search unavailable ({exc}); keyword results only")
        return np.zeros((0, engine.reader.vectors.shape[1]), dtype=np.float32)


def _own_terms(engine, doc_ids: Collection[str]) -> list[set[str]]:
    return [{t for p in engine.reader.doc_passages(d) for t in analyse(p["text"])} for d in doc_ids]


def text_query(engine, text: str, mode: str = "hybrid", source: Collection[str] = ()) -> DocQuery:
    """Chunk the text like the corpus, keep representative chunks, embed them, pick its key terms.

    source: indexed documents the text was taken from, discounted when judging how rare a term is.
    """
    cfg = engine.config
    chunks = chunk_pages([_Page(1, text)], cfg.chunk_words, cfg.chunk_max_words)
    texts = [c.text for c in chunks]
    counts = [Counter(analyse(t)) for t in texts]
    picked = [texts[i] for i in representative(texts, cfg.similar_max_chunks, [set(c) for c in counts])]
    terms = key_terms_for(engine.keyword.searcher, merged(counts), cfg.similar_key_terms,
                          cfg.similar_max_df, discount=_own_terms(engine, source))
    info: dict = {"chars": len(text), "words": len(text.split()), "chunks": len(texts), "chunks_used": len(picked)}
    if mode == "keyword" or not picked:
        vectors = np.zeros((0, engine.reader.vectors.shape[1]), dtype=np.float32)
    else:
        vectors = _encode(engine, picked, info)
    return DocQuery(picked, vectors, terms, info)


def similar_to_text(engine, text: str, k: int, filters: Mapping | None = None, mode: str = "hybrid",
                    as_of: str | None = None, exclude: Collection[str] = ()) -> dict:
    """Closest precedents to a pasted text, with evidence passage pairs; filters as for search.

    exclude names indexed documents the text comes from: they are never returned, never counted as citing for
    the prior, and their copy of the text does not make its terms look common. as_of limits the prior to citing
    documents dated on or before it. Together they make evaluation on the corpus's own documents leakage-free.
    """
    started = time.perf_counter()
    query = text_query(engine, text, mode, exclude)
    opts = RankOptions(k=k, mode=mode, mask=scope(engine, filters or {}, exclude), exclude=set(exclude), as_of=as_of)
    ranked, sims = rank_documents(engine, query, opts)
    per_doc = engine.config.snippets_per_result
    warnings = query.info.pop("warnings", [])
    results = [{**describe(engine.reader, r["id"]), "score": r["score"], "scores": r["scores"],
                "evidence": evidence_pairs(engine.reader, r["id"], sims, query, per_doc)} for r in ranked]
    return {
        "results": results,
        "total": len(results),
        "mode": mode,
        "query": {**query.info, "key_terms": [{"term": t.term, "tf": t.tf, "df": t.df} for t in query.terms]},
        "warnings": warnings,
        "took_ms": round((time.perf_counter() - started) * 1000, 1),
    }
