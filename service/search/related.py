"""Documents related to one corpus document, grouped by relation, each with the evidence for the link.

Relations: same_request (the same request sent to another authority), cites / cited_by (reference links),
appeal (tribunal decision <-> the ICO notice it decides an appeal against), similar (search by the document's
own passages). References to documents outside the corpus are listed with their URLs as external_citations.
"""
from __future__ import annotations

import re
import time
from collections import Counter

import numpy as np

from indexer.references import find_references, reference_kind
from service.search.keyterms import analyse, key_terms_for
from service.search.similar import (
    DocQuery,
    PrecedentState,
    RankOptions,
    describe,
    evidence_pairs,
    merged,
    rank_documents,
    representative,
    scope,
    state_for,
)

_WORD = re.compile(r"[a-z0-9]+")
_SHINGLE = 3
_CONTEXT = 110


def _shingles(text: str) -> frozenset:
    words = _WORD.findall(text.lower())
    if len(words) < _SHINGLE:
        return frozenset(words)
    return frozenset(tuple(words[i:i + _SHINGLE]) for i in range(len(words) - _SHINGLE + 1))


class RequestIndex:
    """Word-shingle sets of every request_text, with an inverted index so a lookup touches only overlaps."""

    def __init__(self, documents: dict[str, dict]):
        self.shingles = {d: _shingles(r["request_text"]) for d, r in documents.items() if r.get("request_text")}
        self.postings: dict[object, list[str]] = {}
        for doc_id, shingles in self.shingles.items():
            for shingle in shingles:
                self.postings.setdefault(shingle, []).append(doc_id)

    def matches(self, doc_id: str, threshold: float, min_shingles: int = 8) -> list[tuple[str, float, float]]:
        """(other id, overlap coefficient, Jaccard) of requests sharing >= threshold of the smaller request."""
        own = self.shingles.get(doc_id)
        if not own or len(own) < min_shingles:
            return []
        shared: dict[str, int] = {}
        for shingle in own:
            for other in self.postings.get(shingle, ()):
                if other != doc_id:
                    shared[other] = shared.get(other, 0) + 1
        out = []
        for other, n in shared.items():
            theirs = self.shingles[other]
            overlap = n / min(len(own), len(theirs))
            if overlap >= threshold and len(theirs) >= min_shingles:
                out.append((other, overlap, n / len(own | theirs)))
        return sorted(out, key=lambda m: (-m[1], m[0]))


def _requests(state: PrecedentState) -> RequestIndex:
    if "requests" not in state.extras:
        state.extras["requests"] = RequestIndex(state.reader.documents)
    return state.extras["requests"]


def _clip(text: str, limit: int = 400) -> str:
    text = " ".join((text or "").split())
    return text if len(text) <= limit else text[: limit - 1].rsplit(" ", 1)[0] + "…"


def _same_authority(a: dict, b: dict) -> bool:
    first, second = (a.get("authority") or "").strip().lower(), (b.get("authority") or "").strip().lower()
    return bool(first) and first == second


def same_request(engine, doc_id: str, limit: int) -> list[dict]:
    """The same (or near-identical) request made to another authority."""
    state = state_for(engine)
    docs = state.reader.documents
    threshold = engine.config.related_request_threshold
    out = []
    for other, overlap, jaccard in _requests(state).matches(doc_id, threshold):
        if _same_authority(docs[doc_id], docs[other]):
            continue
        out.append(_item(state.reader, other, "same_request", overlap, {
            "similarity": round(overlap, 4), "jaccard": round(jaccard, 4),
            "request": _clip(docs[doc_id]["request_text"]), "matching_request": _clip(docs[other]["request_text"]),
        }))
    return out[:limit]


def _item(reader, doc_id: str, relation: str, score: float, evidence: dict) -> dict:
    card = describe(reader, doc_id)
    return {**card, "relation": relation, "score": round(float(score), 4), "evidence": evidence}


def mentions(reader, doc_id: str, reference: str, limit: int = 3) -> list[dict]:
    """Where doc_id's text mentions a normalised reference: [{"raw", "page", "context"}]."""
    out = []
    for page in reader.pages(doc_id):
        text = page.get("text") or ""
        for normalised, raw, offset in find_references(text):
            if normalised == reference:
                start, end = max(0, offset - _CONTEXT), offset + len(raw) + _CONTEXT
                out.append({"raw": raw, "page": page.get("number"), "context": _clip(text[start:end], 2 * _CONTEXT + 60)})
                if len(out) >= limit:
                    return out
    return out


def _is_appeal(reader, citing: str, cited: str, reference: str) -> bool:
    # A tribunal decision citing an ICO notice's own reference decides the appeal against it
    # (a notice dated after the decision cannot be the one under appeal).
    a, b = reader.documents[citing], reader.documents[cited]
    if a.get("doc_type") != "tribunal_decision" or b.get("doc_type") != "decision_notice":
        return False
    if reference_kind(reference) != "ico":
        return False
    return not (a.get("date") and b.get("date") and b["date"] > a["date"])


def _by_document(links: list[dict], own: str) -> dict[str, list[str]]:
    """Other document -> the references linking it (joined appeals give one document several)."""
    grouped: dict[str, list[str]] = {}
    for link in links:
        if link["doc_id"] not in (None, own):
            grouped.setdefault(link["doc_id"], []).append(link["reference"])
    return grouped


def _link_item(reader, other: str, citing: str, references: list[str], relation: str, direction: str) -> dict:
    found = [m for ref in references for m in mentions(reader, citing, ref)][:3]
    return _item(reader, other, relation, len(found), {
        "reference": references[0], "references": references, "direction": direction, "mentions": found})


def _link_items(engine, doc_id: str, limit: int) -> dict[str, list[dict]]:
    """cites, cited_by and appeal groups from the citation graph; evidence is read from the citing text."""
    reader, graph = engine.reader, state_for(engine).graph
    groups: dict[str, list[dict]] = {"cites": [], "cited_by": [], "appeal": []}
    urls = {link["reference"]: link["url"] for link in graph.cites(doc_id)}
    for target, refs in _by_document(graph.cites(doc_id), doc_id).items():
        relation = "appeal" if _is_appeal(reader, doc_id, target, refs[0]) else "cites"
        if len(groups[relation]) < limit:
            item = _link_item(reader, target, doc_id, refs, relation, "cites")
            item["evidence"]["url"] = urls.get(refs[0])
            groups[relation].append(item)
    citing = _by_document(graph.cited_by(doc_id), doc_id)
    # Newest citing documents first: they show how the decision is applied today.
    for other in sorted(citing, key=lambda d: (reader.documents[d].get("date") or "", d), reverse=True):
        relation = "appeal" if _is_appeal(reader, other, doc_id, citing[other][0]) else "cited_by"
        if len(groups[relation]) < limit:
            groups[relation].append(_link_item(reader, other, other, citing[other], relation, "cited_by"))
    return groups


def document_query(engine, doc_id: str) -> DocQuery:
    """A corpus document as a query: representative passages (vectors already in the index) and key terms."""
    reader = engine.reader
    passages = reader.doc_passages(doc_id)
    texts = [p["text"] for p in passages]
    counts = [Counter(analyse(t)) for t in texts]
    picked = representative(texts, engine.config.similar_max_chunks, [set(c) for c in counts])
    rows = np.array([passages[i]["row"] for i in picked], dtype=np.int64)
    vectors = np.asarray(reader.vectors[rows], dtype=np.float32)
    total = merged(counts)
    terms = key_terms_for(engine.keyword.searcher, total, engine.config.related_key_terms,
                          engine.config.similar_max_df, discount=[set(total)])
    return DocQuery([texts[i] for i in picked], vectors, terms, {"passages": len(texts), "chunks_used": len(picked)})


def similar_documents(engine, doc_id: str, limit: int) -> list[dict]:
    """Hybrid content neighbours of doc_id, each with its closest passage pairs."""
    query = document_query(engine, doc_id)
    if not query.texts:
        return []
    # Content neighbours only: the authority signals belong to the cites/cited_by groups.
    opts = RankOptions(k=limit, mask=scope(engine, {}, {doc_id}), exclude={doc_id}, authority=False)
    ranked, sims = rank_documents(engine, query, opts)
    per_doc = engine.config.snippets_per_result
    return [
        _item(engine.reader, r["id"], "similar", r["score"], {
            "scores": r["scores"], "passages": evidence_pairs(engine.reader, r["id"], sims, query, per_doc)})
        for r in ranked
    ]


def find_related(engine, doc_id: str, limit: int) -> dict:
    """Every relation of doc_id, at most `limit` items per group; KeyError for an unknown document."""
    started = time.perf_counter()
    if engine.reader.document(doc_id) is None:
        raise KeyError(doc_id)
    relations = {"same_request": same_request(engine, doc_id, limit), **_link_items(engine, doc_id, limit),
                 "similar": similar_documents(engine, doc_id, limit)}
    order = ("same_request", "cites", "cited_by", "appeal", "similar")
    return {
        "id": doc_id,
        "relations": {name: relations[name] for name in order},
        "external_citations": state_for(engine).graph.external(doc_id),
        "took_ms": round((time.perf_counter() - started) * 1000, 1),
    }
