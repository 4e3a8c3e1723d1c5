"""Known-item signals: a query that names one document (a case title) or quotes it (a summary, a passage).

A known-item look-up wants that document first, and the authority signals that serve precedent search would
lift much-cited decisions over it. Both signals are exact, so they are tested before any weighting:
- a case-title query ("Kenneth Blake v IC") matches a document whose title holds every name word of it, with
  "IC" read as "Information Commissioner" and honorifics, "The" and "v" ignored;
- a quoted text shares most of its word 5-grams with one document (an ICO summary is lifted from its notice),
  whereas a new case that discusses the same law shares a few per cent with any decision.
"""
from __future__ import annotations

import re

_WORD = re.compile(r"[a-z0-9]+")
# "A v B", "A v. B", "A vs B": a case title, in the way caseworkers type one.
_VERSUS = re.compile(r"\S\s+(?:v|vs)\.?\s+\S", re.IGNORECASE)
_IGNORED = frozenset({"v", "vs", "the", "and", "mr", "mrs", "ms", "miss", "dr", "prof", "professor", "sir", "dame",
                      "lord", "lady", "rt", "hon", "of", "ltd", "limited", "plc"})
_EXPANSIONS = {"ic": ("information", "commissioner"), "ico": ("information", "commissioner")}
_COMMISSIONER = frozenset({"information", "commissioner"})
GRAM = 5


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
