"""What a query is, before anything is retrieved: its keyword query, the texts or vectors to compare, its terms.

Three sources give one shape: a typed search (Whoosh syntax, embedded whole), a long pasted text (chunked like the
corpus, its most representative chunks embedded, BM25 over its tf-idf key terms) and a corpus document (its own
stored passage vectors and key terms). Length decides only how a text is represented, never how it is ranked.
"""
from __future__ import annotations

import re
from collections import Counter
from collections.abc import Collection
from dataclasses import dataclass, field
from types import SimpleNamespace

import numpy as np

from config import Settings
from indexer.chunking import chunk_pages
from indexer.references import normalise_reference
from service.search.keyterms import KeyTerm, analyse, key_terms_for, key_terms_query
from service.search.keyword import KeywordRetriever, ParsedQuery

TERMS, DOCUMENT = "terms", "document"
# Whoosh syntax removed before a typed query is embedded: the model should read words, not operators.
_SYNTAX = re.compile(r'\b[A-Za-z_]+:|\b(?:AND|OR|NOT|ANDNOT|ANDMAYBE)\b|["^~*]')
# A field:value term means the user wrote Whoosh syntax, which is honoured as written. Quotes and capitalised
# AND/OR/NOT are no sign of it in pasted text: decisions quote requests and have all-capital headings.
_FIELD_SYNTAX = re.compile(
    r"\b(?:title|authority|content|references?|sections?|type|doc_type|outcome|legislation|year|date):\S")


@dataclass
class Query:
    """A query ready for the retrievers.

    kind is TERMS (a typed query: parsed Whoosh syntax, reference pins apply) or DOCUMENT (a text or a corpus
    document: an OR of boosted key terms). texts are the chunks whose vectors stand for the query; vectors is
    set when they are already known (a corpus document's stored passages) or once they have been embedded.
    """

    text: str
    kind: str
    keyword: ParsedQuery | None
    texts: list[str]
    vectors: np.ndarray | None = None
    key_terms: list[KeyTerm] = field(default_factory=list)
    highlight: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    info: dict = field(default_factory=dict)
    from_corpus: bool = False    # a corpus document as the query (never the user's own words)


def semantic_text(q: str) -> str:
    """The query without Whoosh syntax, as the text to embed."""
    return " ".join(_SYNTAX.sub(" ", q).split()) or q


def is_long_query(q: str, config: Settings) -> bool:
    """True for free text longer than long_query_words; a query with field syntax never is."""
    limit = config.long_query_words
    return limit > 0 and len(q.split()) > limit and not _FIELD_SYNTAX.search(q)


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


def _merged(counts: list[Counter]) -> Counter:
    # sum() over Counters copies at every step.
    total: Counter = Counter()
    for count in counts:
        total.update(count)
    return total


class QueryBuilder:
    """Turns a typed query, a pasted text or a corpus document into a Query."""

    def __init__(self, reader, keyword: KeywordRetriever, config: Settings):
        self.reader, self.keyword, self.config = reader, keyword, config

    def typed(self, q: str, mode: str) -> Query:
        """A search box query; a long free text is represented as a document. Raises QueryRejected over the limits."""
        if is_long_query(q, self.config):
            query = self.pasted(q, mode)
            query.info["long_query"] = True
            return query
        # Parsed first: a query over the limits is refused before any embedding work.
        parsed = self.keyword.parse(q, conjunctive=mode != "hybrid")
        # A query that is just a case reference has no meaning to embed: hybrid answers it from the keyword side.
        embed = mode == "semantic" or (mode == "hybrid" and normalise_reference(q) is None)
        return Query(q, TERMS, parsed, [semantic_text(q)] if embed else [], highlight=parsed.terms(),
                     warnings=list(parsed.warnings))

    def pasted(self, text: str, mode: str, source: Collection[str] = ()) -> Query:
        """A long text chunked like the corpus: representative chunks to embed, key terms for BM25.

        source: indexed documents the text was taken from, discounted when judging how rare a term is.
        """
        cfg = self.config
        chunks = chunk_pages([SimpleNamespace(number=1, text=text)], cfg.chunk_words, cfg.chunk_max_words)
        texts = [c.text for c in chunks]
        counts = [Counter(analyse(t)) for t in texts]
        picked = [texts[i] for i in representative(texts, cfg.similar_max_chunks, [set(c) for c in counts])]
        discount = [{t for p in self.reader.doc_passages(d) for t in analyse(p["text"])} for d in source]
        terms = key_terms_for(self.keyword.searcher, _merged(counts), cfg.similar_key_terms, cfg.similar_max_df,
                              discount=discount)
        info = {"chars": len(text), "words": len(text.split()), "chunks": len(texts), "chunks_used": len(picked)}
        return self._document_query(text, terms, picked if mode != "keyword" else [], None, info)

    def document(self, doc_id: str) -> Query:
        """A corpus document as a query: its representative passages (vectors from the index) and key terms."""
        passages = self.reader.doc_passages(doc_id)
        texts = [p["text"] for p in passages]
        counts = [Counter(analyse(t)) for t in texts]
        picked = representative(texts, self.config.similar_max_chunks, [set(c) for c in counts])
        rows = np.array([passages[i]["row"] for i in picked], dtype=np.int64)
        vectors = np.asarray(self.reader.vectors[rows], dtype=np.float32)
        total = _merged(counts)
        terms = key_terms_for(self.keyword.searcher, total, self.config.related_key_terms, self.config.similar_max_df,
                              discount=[set(total)])
        info = {"passages": len(texts), "chunks_used": len(picked)}
        query = self._document_query(doc_id, terms, [texts[i] for i in picked], vectors, info)
        query.from_corpus = True
        return query

    @staticmethod
    def _document_query(text: str, terms: list[KeyTerm], texts: list[str], vectors: np.ndarray | None,
                        info: dict) -> Query:
        keyword = ParsedQuery(key_terms_query(terms)) if terms else None
        return Query(text, DOCUMENT, keyword, texts, vectors, terms, [t.term for t in terms], info=info)

