"""SearchEngine: the one façade the HTTP layer calls, owning every search component of one index generation."""
from __future__ import annotations

import math
import time
from collections.abc import Callable, Collection, Iterator, Mapping

from config import Settings
from service.search.citations import CitationGraph
from service.search.evidence import key_term_pattern, passage_pairs
from service.search.facets import FacetTable
from service.search.filters import DocTable, Filters
from service.search.keyword import KeywordRetriever
from service.search.queries import TERMS, Query, QueryBuilder
from service.search.query_limits import QueryLimits
from service.search.ranking import Ranked, Ranker, RankOptions
from service.search.related import RelatedFinder
from service.search.request_groups import Folded, cluster_view, fold_by_request, group_summary
from service.search.results import ResultCards, retriever_score, rounded
from service.search.same_request import SameRequestIndex
from service.search.semantic import SemanticRetriever
from service.search.snippets import term_needles, term_pattern

MODES = ("hybrid", "keyword", "semantic")
# Facets whose filter takes several values: counted without their own filter.
DISJUNCTIVE_FACETS = ("doc_type", "authority", "section", "outcome")


class SearchEngine:
    """Search, browse, search by text and related documents over one reader; everything per generation is built once.

    Components: the document table (filters), facets, the keyword and semantic retrievers, the citation graph, the
    same-request index, the query builder, the ranking pipeline, result cards and the related-documents finder.
    """

    def __init__(self, reader, embedder_factory: Callable[[], object], config: Settings):
        self.reader, self.config = reader, config
        self.table = DocTable(reader.documents)
        self.facets = FacetTable(self.table.records)
        self.keyword = KeywordRetriever(reader.doc_index, self.table, QueryLimits.from_config(config))
        self.semantic = SemanticRetriever(reader, self.table, embedder_factory)
        self.citations = CitationGraph(reader.documents)
        self.same_request = SameRequestIndex(reader, config)
        self.queries = QueryBuilder(reader, self.keyword, config)
        self.ranker = Ranker(self.table, self.keyword, self.semantic, self.citations, config)
        self.cards = ResultCards(reader, self.table, self.citations, config)
        self.finder = RelatedFinder(reader, self.table, self.citations, self.same_request, self.queries, self.ranker,
                                    config)

    # ---- search and browse -----------------------------------------------------------------------------------
    def search(self, params: Mapping) -> dict:
        """Ranked, filtered, paginated results with explain, snippets, facets and warnings.

        Besides the HTTP parameters, `as_of` and `exclude` (evaluation only) keep a query document taken from the
        corpus out of the results and out of the citation counts. With `group_requests`, later answers to a request
        already listed are folded into its best-ranked answer (its `request_group`): total still counts every matching
        document (as the facets do), folded says how many are not listed, and pages are cut from the folded list.
        """
        q, mode = (params.get("q") or "").strip(), params.get("mode") or "hybrid"
        mode = mode if mode in MODES else "hybrid"
        page, per_page = self._paging(params)
        query = self.queries.typed(q, mode) if q else None
        ranked, order, warnings = self._ordered(query, mode, params)
        terms = ranked.terms if ranked else []
        pattern, needles = term_pattern(terms), term_needles(terms)
        scores = dict(ranked.ranking) if ranked else {}
        shown = self._folded(order, bool(params.get("group_requests")))
        window = shown.order[(page - 1) * per_page: page * per_page]
        results = [self._result(p, self.cards.card(p, ranked, scores, pattern, needles), shown) for p in window]
        return {"total": len(order), "folded": len(order) - len(shown.order), "page": page, "per_page": per_page,
                "pages": math.ceil(len(shown.order) / per_page), "query": q, "mode": mode, "results": results, "ranking": ranked.plan if ranked else None,
                "facets": self._facets(query, mode, params, order), "warnings": warnings}

    def _folded(self, order: list[int], group: bool) -> Folded:
        if not group:
            return Folded(order=order)
        return fold_by_request(order, self.table.ids, self.same_request, self.config.same_request_group_depth)

    def _result(self, position: int, card: dict, shown: Folded) -> dict:
        """A result card with its request cluster, and what it folds when it leads one in a grouped search."""
        doc_id = card["id"]
        card["request_cluster"] = self.same_request.cluster_of(doc_id)
        folded = shown.groups.get(position)
        card["request_group"] = group_summary(self.same_request, self.reader.documents, doc_id,
                                              card["request_cluster"], folded) if folded else None
        return card

    def _facets(self, query: Query | None, mode: str, params: Mapping, order: list[int]) -> dict:
        """Facet counts over the results; a facet whose filter is set counts as if its own filter were not, so its
        other values stay visible and can be added (several values of one filter mean any of them)."""
        facets = self.facets.counts(order)
        for name in DISJUNCTIVE_FACETS:
            if params.get(name):
                _ranked, others, _warnings = self._ordered(query, mode, {**params, name: None})
                facets[name] = self.facets.counts(others, names=(name,))[name]
        return facets

    def documents(self, params: Mapping) -> dict:
        """Filtered, paginated document metadata (no query), with total and facets; id order unless sort is given."""
        page, per_page = self._paging(params)
        order = [int(p) for p in self.table.positions(self.table.mask(Filters.from_params(params)))]
        warnings: list[str] = []
        if params.get("sort"):
            order = self.cards.sort(order, params.get("sort"), False, warnings)
        docs = [self.cards.metadata(p) for p in order[(page - 1) * per_page: page * per_page]]
        return {"total": len(order), "page": page, "per_page": per_page, "pages": math.ceil(len(order) / per_page),
                "documents": docs, "facets": self.facets.counts(order), "warnings": warnings}

    def iter_documents(self, params: Mapping) -> Iterator[dict]:
        """Metadata of every matching document, for export: search order when q is given, else as documents()."""
        q = (params.get("q") or "").strip()
        if not q and not params.get("sort"):
            order = [int(p) for p in self.table.positions(self.table.mask(Filters.from_params(params)))]
            ranked = None
        else:
            mode = params.get("mode") or "hybrid"
            ranked, order, _warnings = self._ordered(self.queries.typed(q, mode) if q else None, mode, params)
        scores = dict(ranked.ranking) if ranked else {}
        for position in order:
            record = self.cards.metadata(position)
            if q:
                score = scores.get(record["id"])
                record["score"] = None if score is None else round(score, 6)
            yield record

    def _ordered(self, query: Query | None, mode: str, params: Mapping) -> tuple[Ranked | None, list[int], list[str]]:
        """The ranking (None when browsing), the table positions in the requested order, and the warnings."""
        exclude = frozenset(params.get("exclude") or ())
        mask = self.table.scope(Filters.from_params(params), exclude)
        if query is None:
            warnings: list[str] = []
            order = self.cards.sort([int(p) for p in self.table.positions(mask)], params.get("sort"), False, warnings)
            return None, order, warnings
        options = RankOptions(mode=mode, mask=mask, all_keyword=mode == "keyword" and query.kind == TERMS,
                              as_of=params.get("as_of"), exclude=exclude, fusion=params.get("fusion"))
        ranked = self.ranker.rank(query, options)
        if query.info.get("long_query"):
            ranked.warnings.append(f"long query ({len(query.text.split())} words) searched as a document: key terms and "
                                   "passage similarity" + (", with the citation prior" if mode == "hybrid" else ""))
        order = [self.table.position[d] for d, _ in ranked.ranking]
        return ranked, self.cards.sort(order, params.get("sort"), True, ranked.warnings), ranked.warnings

    def _paging(self, params: Mapping) -> tuple[int, int]:
        per_page = int(params.get("per_page") or self.config.default_per_page)
        per_page = max(1, min(per_page, self.config.max_per_page))
        return max(1, int(params.get("page") or 1)), per_page

    # ---- search by text and related documents --------------------------------------------------------------
    def similar(self, text: str, k: int, filters: Mapping | None = None, mode: str = "hybrid",
                as_of: str | None = None, exclude: Collection[str] = ()) -> dict:
        """Closest precedents to a pasted text (POST /api/similar), with evidence passage pairs; filters as for search.

        exclude names indexed documents the text comes from: they are never returned, never counted as citing, and
        their copy of the text does not make its terms look common. as_of limits the citation counts to documents
        dated on or before it. Together they make evaluation on the corpus's own documents leakage-free.
        """
        started = time.perf_counter()
        query = self.queries.pasted(text, mode, exclude)
        mask = self.table.scope(Filters.from_params(filters or {}), exclude)
        ranked = self.ranker.rank(query, RankOptions(mode=mode, mask=mask, as_of=as_of, exclude=frozenset(exclude)))
        pattern, per_doc = key_term_pattern(query), self.config.snippets_per_result
        keyword, semantic = ranked.ranks.get("keyword", {}), ranked.ranks.get("semantic", {})
        results = [{**self.finder.card(d), "score": round(score, 6), "scores": {
            "keyword": retriever_score(keyword, d), "semantic": retriever_score(semantic, d),
            "prior": rounded(ranked.prior.get(d)) if ranked.prior else None, "votes": rounded(ranked.votes.get(d))},
            "evidence": passage_pairs(self.reader.doc_passages(d), ranked.semantic, query, pattern, per_doc)}
            for d, score in ranked.ranking[:k]]
        return {"results": results, "total": len(results), "mode": mode, "ranking": ranked.plan,
                "query": {**query.info, "key_terms": [{"term": t.term, "tf": t.tf, "df": t.df} for t in query.key_terms]},
                "warnings": ranked.warnings, "took_ms": round((time.perf_counter() - started) * 1000, 1)}

    def related(self, doc_id: str, limit: int) -> dict:
        """Every relation of doc_id, at most `limit` items per group; KeyError for an unknown document."""
        started = time.perf_counter()
        result = self.finder.find(doc_id, limit)
        return {**result, "took_ms": round((time.perf_counter() - started) * 1000, 1)}

    # ---- same request to other authorities -----------------------------------------------------------------
    def request_cluster_of(self, doc_id: str) -> str | None:
        """The id of the cluster of documents answering the same request as doc_id, None when it has none."""
        return self.same_request.cluster_of(doc_id)

    def request_cluster(self, cluster_id: str) -> dict | None:
        """The cluster view: the request, how many authorities got it, a row per answer; None for an unknown id."""
        return cluster_view(self.same_request, self.reader.documents, cluster_id)

    def close(self) -> None:
        """Close the long-lived Whoosh searcher; the engine must not be used afterwards."""
        self.keyword.close()
