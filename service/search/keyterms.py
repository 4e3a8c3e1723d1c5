"""Key terms of a long text (a pasted letter, a whole decision): which words to send to BM25, and how hard.

A 1,500-word text has ~600 distinct terms; sending them all as one OR query is slow in Whoosh (0.3-0.5 s for
200 terms) and ranks worse, because common legal vocabulary drowns the distinctive words. So terms are scored
by tf-idf against the index, the best `similar_key_terms` (or `related_key_terms` for a corpus document) kept,
and each is boosted by how often the text repeats it.
"""
from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from whoosh import query as wq

from indexer.analysis import legal_analyzer

_ANALYZER = legal_analyzer()
_DIGITS = re.compile(r"^[\d.,()/-]+$")


@dataclass(frozen=True)
class KeyTerm:
    term: str      # analysed form, as stored in the index (lowercased, stemmed)
    tf: int        # occurrences in the text
    df: int        # documents of the index containing it
    weight: float  # selection score: tf-idf
    boost: float   # query-time boost: grows with tf, sublinearly


def analyse(text: str) -> list[str]:
    """Terms of text in query mode (whole tokens, no reference parts), as the content field indexes them."""
    return [token.text for token in _ANALYZER(text, mode="query")]


def _usable(term: str) -> bool:
    # Bare numbers (paragraph numbers, page numbers, amounts) match everywhere by accident.
    return len(term) > 2 and not _DIGITS.match(term)


def select_key_terms(
    text_or_counts: str | Mapping[str, int],
    doc_frequency,
    doc_count: int,
    limit: int = 40,
    max_df_ratio: float = 0.5,
) -> list[KeyTerm]:
    """The `limit` most distinctive terms: tf-idf ranked, dropping terms absent from or common in the index.

    doc_frequency(term) -> int gives the number of indexed documents containing term.
    """
    counts = Counter(analyse(text_or_counts)) if isinstance(text_or_counts, str) else Counter(text_or_counts)
    scored = []
    for term, tf in counts.items():
        if not _usable(term):
            continue
        df = doc_frequency(term)
        if df == 0 or df > max_df_ratio * doc_count:
            continue
        idf = math.log(1.0 + (doc_count - df + 0.5) / (df + 0.5))
        scored.append(KeyTerm(term, tf, df, (1.0 + math.log(tf)) * idf, 1.0 + math.log(tf)))
    scored.sort(key=lambda k: (-k.weight, k.term))
    return scored[:limit]


def key_terms_for(searcher, text_or_counts: str | Mapping[str, int], limit: int = 40, max_df: float = 0.5,
                  field: str = "content", discount: Iterable[set[str]] = ()) -> list[KeyTerm]:
    """select_key_terms with document frequencies read from a Whoosh searcher.

    discount: term sets of indexed documents the text comes from; they do not count towards rarity, or a
    document's own names and numbers (df 1: itself) would crowd out the terms that can find other documents.
    """
    bags = list(discount)

    def frequency(term: str) -> int:
        return searcher.doc_frequency(field, term) - sum(1 for bag in bags if term in bag)

    return select_key_terms(text_or_counts, frequency, searcher.doc_count() - len(bags), limit, max_df)


def key_terms_query(terms: Iterable[KeyTerm], field: str = "content") -> wq.Query:
    """OR of the terms, each boosted by its query frequency (BM25 supplies the idf)."""
    return wq.Or([wq.Term(field, k.term, boost=k.boost) for k in terms])

