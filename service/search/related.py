"""Documents related to one corpus document, grouped by relation, each with the evidence for the link.

Relations: same_request (the same request sent to another authority), cites / cited_by (reference links),
appeal (tribunal decision <-> the ICO notice it decides an appeal against), similar (the document's own passages
and key terms ranked by the one ranking pipeline, without authority signals). References to documents outside
the corpus are listed with their URLs as external_citations.
"""
from __future__ import annotations

from config import Settings
from indexer.references import find_references, reference_kind
from service.search.citations import CitationGraph
from service.search.evidence import key_term_pattern, passage_pairs
from service.search.filters import DocTable, Filters
from service.search.queries import QueryBuilder
from service.search.ranking import Ranker, RankOptions
from service.search.results import retriever_score
from service.search.same_request import SameRequestIndex

_CONTEXT = 110
RELATIONS = ("same_request", "cites", "cited_by", "appeal", "similar")
CARD_KEYS = ("id", "path", "title", "doc_type", "authority", "date", "references")


def clip(text: str, limit: int = 400) -> str:
    """Whitespace collapsed and cut at a word boundary with an ellipsis."""
    text = " ".join((text or "").split())
    return text if len(text) <= limit else text[: limit - 1].rsplit(" ", 1)[0] + "…"


def _by_document(links: list[dict], own: str) -> dict[str, list[str]]:
    """Other document -> the references linking it (joined appeals give one document several)."""
    grouped: dict[str, list[str]] = {}
    for link in links:
        if link["doc_id"] not in (None, own):
            grouped.setdefault(link["doc_id"], []).append(link["reference"])
    return grouped


class RelatedFinder:
    """Every relation of a corpus document; built once per index generation."""

    def __init__(self, reader, table: DocTable, citations: CitationGraph, requests: SameRequestIndex,
                 queries: QueryBuilder, ranker: Ranker, config: Settings):
        self.reader, self.table, self.citations, self.requests = reader, table, citations, requests
        self.queries, self.ranker, self.config = queries, ranker, config

    def find(self, doc_id: str, limit: int) -> dict:
        """{"id", "relations": {name: [item]}, "external_citations"}; KeyError for an unknown document."""
        if self.reader.document(doc_id) is None:
            raise KeyError(doc_id)
        relations = {"same_request": self.same_request(doc_id, limit), **self.links(doc_id, limit),
                     "similar": self.similar(doc_id, limit)}
        return {"id": doc_id, "relations": {name: relations[name] for name in RELATIONS},
                "external_citations": self.citations.external(doc_id)}

    def card(self, doc_id: str) -> dict:
        """The metadata a related item or a search-by-text result shows."""
        doc = self.reader.document(doc_id) or {}
        return {name: doc.get(name) for name in CARD_KEYS}

    def _item(self, doc_id: str, relation: str, score: float, evidence: dict) -> dict:
        return {**self.card(doc_id), "relation": relation, "score": round(float(score), 4), "evidence": evidence}

    def same_request(self, doc_id: str, limit: int) -> list[dict]:
        """The same request made to another authority (the engine's SameRequestIndex), best match first, with the
        shared request sentences as written here and both requests clipped."""
        docs = self.reader.documents
        return [self._item(other, "same_request", score, {
            "similarity": score, "shared_sentences": [clip(sentence) for sentence in shared],
            "request": clip(docs[doc_id].get("request_text") or ""),
            "matching_request": clip(docs[other].get("request_text") or ""),
        }) for other, score, shared in self.requests.matches(doc_id)[:limit]]

    def mentions(self, doc_id: str, reference: str, limit: int = 3) -> list[dict]:
        """Where doc_id's text mentions a normalised reference: [{"raw", "page", "context"}]."""
        out = []
        for page in self.reader.pages(doc_id):
            text = page.get("text") or ""
            for normalised, raw, offset in find_references(text):
                if normalised == reference:
                    start, end = max(0, offset - _CONTEXT), offset + len(raw) + _CONTEXT
                    out.append({"raw": raw, "page": page.get("number"),
                                "context": clip(text[start:end], 2 * _CONTEXT + 60)})
                    if len(out) >= limit:
                        return out
        return out

    def _is_appeal(self, citing: str, cited: str, reference: str) -> bool:
        # A tribunal decision citing an ICO notice's own reference decides the appeal against it
        # (a notice dated after the decision cannot be the one under appeal).
        a, b = self.reader.documents[citing], self.reader.documents[cited]
        if a.get("doc_type") != "tribunal_decision" or b.get("doc_type") != "decision_notice":
            return False
        if reference_kind(reference) != "ico":
            return False
        return not (a.get("date") and b.get("date") and b["date"] > a["date"])

    def _link_item(self, other: str, citing: str, references: list[str], relation: str, direction: str) -> dict:
        found = [m for ref in references for m in self.mentions(citing, ref)][:3]
        return self._item(other, relation, len(found), {
            "reference": references[0], "references": references, "direction": direction, "mentions": found})

    def links(self, doc_id: str, limit: int) -> dict[str, list[dict]]:
        """cites, cited_by and appeal groups from the citation graph; evidence is read from the citing text."""
        groups: dict[str, list[dict]] = {"cites": [], "cited_by": [], "appeal": []}
        urls = {link["reference"]: link["url"] for link in self.citations.cites(doc_id)}
        for target, refs in _by_document(self.citations.cites(doc_id), doc_id).items():
            relation = "appeal" if self._is_appeal(doc_id, target, refs[0]) else "cites"
            if len(groups[relation]) < limit:
                item = self._link_item(target, doc_id, refs, relation, "cites")
                item["evidence"]["url"] = urls.get(refs[0])
                groups[relation].append(item)
        citing = _by_document(self.citations.cited_by(doc_id), doc_id)
        # Newest citing documents first: they show how the decision is applied today.
        documents = self.reader.documents
        for other in sorted(citing, key=lambda d: (documents[d].get("date") or "", d), reverse=True):
            relation = "appeal" if self._is_appeal(other, doc_id, citing[other][0]) else "cited_by"
            if len(groups[relation]) < limit:
                groups[relation].append(self._link_item(other, other, citing[other], relation, "cited_by"))
        return groups

    def similar(self, doc_id: str, limit: int) -> list[dict]:
        """Content neighbours of doc_id, each with its closest passage pairs."""
        query = self.queries.document(doc_id)
        if not query.texts:
            return []
        # Content neighbours only: the authority signals belong to the cites/cited_by groups.
        mask = self.table.scope(Filters(), {doc_id})
        ranked = self.ranker.rank(query, RankOptions(mask=mask, authority=False, exclude=frozenset({doc_id})))
        pattern, per_doc = key_term_pattern(query), self.config.snippets_per_result
        keyword, semantic = ranked.ranks.get("keyword", {}), ranked.ranks.get("semantic", {})
        return [
            self._item(d, "similar", score, {
                "scores": {"keyword": retriever_score(keyword, d), "semantic": retriever_score(semantic, d),
                           "prior": None, "votes": None},
                "passages": passage_pairs(self.reader.doc_passages(d), ranked.semantic, query, pattern, per_doc)})
            for d, score in ranked.ranking[:limit]
        ]
