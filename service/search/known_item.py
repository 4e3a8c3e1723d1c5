"""Known-item signals: a query that names one document (a case title) or quotes it (a summary, a passage).

A known-item look-up wants that document first, and the authority signals that serve precedent search would
lift much-cited decisions over it. Both signals are exact, so they are tested before any weighting:
- a case-title query ("Kenneth Blake v IC") matches a document whose title holds every name word of it, with
  "IC" read as "Information Commissioner" and honorifics, "The" and "v" ignored;
- a quoted text shares most of its word 5-grams with one document (an ICO summary is lifted from its notice),
  whereas a new case that discusses the same law shares a few per cent with any decision;
- otherwise, the document that the keyword and the semantic retriever both rank first (their agreement).
"""
from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence

from config import Settings
from service.search.queries import TERMS, Query

_WORD = re.compile(r"[a-z0-9]+")
# "A v B", "A v. B", "A vs B": a case title, in the way caseworkers type one.
_VERSUS = re.compile(r"\S\s+(?:v|vs)\.?\s+\S", re.IGNORECASE)
_IGNORED = frozenset({"v", "vs", "the", "and", "mr", "mrs", "ms", "miss", "dr", "prof", "professor", "sir", "dame",
                      "lord", "lady", "rt", "hon", "of", "ltd", "limited", "plc"})
_EXPANSIONS = {"ic": ("information", "commissioner"), "ico": ("information", "commissioner")}
_COMMISSIONER = frozenset({"information", "commissioner"})
GRAM = 5
# A pasted text is checked for quoting a document when it has this many word 5-grams (about two sentences),
# against the best QUOTE_CANDIDATES content matches.
QUOTE_MIN_GRAMS, QUOTE_CANDIDATES = 12, 3


def name_words(text: str) -> frozenset[str]:
    """Lower-cased words of a name or title, honorifics and joining words dropped, IC spelt out."""
    words: list[str] = []
    for word in _WORD.findall(text.lower()):
        if word not in _IGNORED:
            words.extend(_EXPANSIONS.get(word, (word,)))
    return frozenset(words)


def case_title_words(q: str) -> frozenset[str] | None:
    """The name words of a case-title query, or None when q is not one (no "v", or only the Commissioner)."""
    if not _VERSUS.search(q) or len(q.split()) > 20:
        return None
    words = name_words(q)
    return words if words - _COMMISSIONER else None


def grams(text: str, n: int = GRAM) -> set[tuple[str, ...]]:
    """The text's distinct word n-grams (lower-cased letters and digits)."""
    words = _WORD.findall(text.lower())
    return {tuple(words[i:i + n]) for i in range(len(words) - n + 1)}


def quoted_share(query_grams: set[tuple[str, ...]], document_text: str) -> float:
    """Share of the query's word 5-grams found in the document: 1 for a passage copied from it."""
    if not query_grams:
        return 0.0
    return len(query_grams & grams(document_text)) / len(query_grams)


class KnownItemFinder:
    """The documents a query asks for, over one generation's titles and stored passages."""

    def __init__(self, ids: Sequence[str], records: Sequence[Mapping], reader, config: Settings):
        self.title_words = [(d, name_words(r.get("title") or "")) for d, r in zip(ids, records, strict=True)]
        self.reader, self.config = reader, config

    def find(self, query: Query, scores: Mapping[str, float], fused: Mapping[str, float],
             ranks: Mapping[str, Mapping[str, tuple[int, float]]],
             allowed: Callable[[list[str]], list[str]]) -> tuple[list[str], str, dict]:
        """(documents to put first, best first; their label for `explain`; the `ranking.known_item` entry)."""
        plan: dict = {}
        words = case_title_words(query.text) if query.kind == TERMS else None
        if words:
            titled = allowed([d for d, title in self.title_words if title and words <= title])
            plan = {"signal": "case title", "documents": len(titled)}
            return sorted(titled, key=lambda d: (-scores.get(d, 0.0), d)), "title", plan
        pinned = self._quoted(query, fused, plan) or self._agreed(query, ranks, plan)
        return pinned, plan.get("signal", "").split(" ")[0], plan

    def _quoted(self, query: Query, fused: Mapping[str, float], plan: dict) -> list[str]:
        """The best content match when it holds known_item_overlap of the query's word 5-grams (a pasted
        summary or passage of it); a corpus document as the query never quotes another."""
        threshold = self.config.known_item_overlap
        if threshold <= 0 or query.from_corpus or not fused:
            return []
        query_grams = grams(query.text)
        if len(query_grams) < QUOTE_MIN_GRAMS:
            return []
        best = sorted(fused, key=lambda d: (-fused[d], d))[:QUOTE_CANDIDATES]
        shares = {d: quoted_share(query_grams, self._text(d)) for d in best}
        doc_id = max(best, key=lambda d: (shares[d], -best.index(d)))
        plan.update({"signal": "quoted text", "overlap": round(shares[doc_id], 4), "threshold": threshold})
        return [doc_id] if shares[doc_id] >= threshold else []

    def _agreed(self, query: Query, ranks: Mapping[str, Mapping[str, tuple[int, float]]], plan: dict) -> list[str]:
        """The document both retrievers rank first, when known_item_agreement is on: words and meaning agree on
        one best match, so citation authority must not lift another document over it."""
        if not self.config.known_item_agreement or query.from_corpus:
            return []
        firsts = {name: min(table, key=lambda d: table[d][0]) for name, table in ranks.items() if table}
        if len(firsts) < 2 or len(set(firsts.values())) != 1:
            return []
        plan["signal"] = "agreed best match"
        return [next(iter(firsts.values()))]

    def _text(self, doc_id: str) -> str:
        return " ".join(p["text"] for p in self.reader.doc_passages(doc_id))
