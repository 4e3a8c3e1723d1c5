"""Why a document matched a long query: its passages closest to the query, each paired with the query chunk."""
from __future__ import annotations

import re

import numpy as np

from service.search.queries import Query
from service.search.semantic import SemanticHits
from service.search.snippets import snippet, term_pattern

PASSAGE_CHARS = 480
# Highlighting every key term of a long text would make the regex slow; the strongest ones say enough.
MARKED_TERMS = 30


def key_term_pattern(query: Query) -> re.Pattern | None:
    """Highlighting regex of the query's strongest key terms."""
    return term_pattern(k.term for k in query.key_terms[:MARKED_TERMS])


def passage_pairs(passages: list[dict], semantic: SemanticHits | None, query: Query, pattern: re.Pattern | None,
                  per_doc: int) -> list[dict]:
    """A document's passages closest to the query, each with its closest query chunk; texts are escaped HTML
    with the key terms marked, as search snippets are."""
    if not passages:
        return []
    sims = semantic.sims if semantic is not None else None
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
        chunk = int(best_chunk[i]) if sims is not None and query.texts else None
        out.append({
            "similarity": round(float(best[i]), 4) if sims is not None else None,
            "query_chunk": chunk,
            "query_text": snippet({"text": query.texts[chunk]}, pattern)["text"] if chunk is not None else None,
            "passage": {"row": passage["row"], "ordinal": passage["ordinal"],
                        **snippet(passage, pattern, PASSAGE_CHARS)},
        })
    return out
