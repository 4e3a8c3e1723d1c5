"""Limits on keyword queries (nesting, clauses, wildcard expansion) so one request cannot tie up a worker.

Whoosh expands a wildcard, prefix or range into every matching index term before searching: `a*` is ~1,700 terms
and `*a*` ~13,000 on a 616-document index, and the search time grows with them. Expansions are counted against
the lexicon first (stopping one past the limit), so a rejected query costs at most one lexicon scan.
"""
from __future__ import annotations

import itertools
import re
from collections.abc import Iterator
from dataclasses import dataclass

from whoosh import query as wq
from whoosh.reading import IndexReader

from config import Settings

_QUOTED = re.compile(r'"[^"]*"')


class QueryRejected(ValueError):
    """A query over one of the configured limits; the API answers 400 with this message under the field `q`."""


@dataclass(frozen=True)
class QueryLimits:
    """The keyword-query limits of config/settings.py."""

    max_depth: int
    max_clauses: int
    max_wildcard_terms: int

    @classmethod
    def from_config(cls, config: Settings) -> QueryLimits:
        return cls(config.max_query_depth, config.max_query_clauses, config.max_wildcard_terms)


def nesting_depth(text: str) -> int:
    """Deepest parenthesis nesting outside quoted phrases."""
    depth = deepest = 0
    for char in _QUOTED.sub(" ", text):
        if char == "(":
            depth += 1
            deepest = max(deepest, depth)
        elif char == ")":
            depth = max(0, depth - 1)
    return deepest


def check_depth(text: str, limits: QueryLimits) -> None:
    depth = nesting_depth(text)
    if depth > limits.max_depth:
        raise QueryRejected(f"parentheses nested {depth} deep; the limit is {limits.max_depth} "
                            "(setting max_query_depth)")


def leaves(query: wq.Query) -> Iterator[wq.Query]:
    """Leaf queries, walked with an explicit stack (a recursive walk is what deep queries break)."""
    stack = [query]
    while stack:
        node = stack.pop()
        if node.is_leaf():
            yield node
        else:
            stack.extend(node.children())


def _label(node: wq.Query) -> str:
    if isinstance(node, wq.Prefix):
        return f"{node.text}*"
    if isinstance(node, wq.TermRange):
        return f"[{node.start or ''} TO {node.end or ''}]"
    if isinstance(node, wq.Every):
        return "*"
    return str(getattr(node, "text", node))


def _expansion(node: wq.Query, reader: IndexReader, indexed: set[str], budget: int) -> int | None:
    """Index terms node expands to, counting at most budget + 1; None for a node that does not expand."""
    if isinstance(node, wq.MultiTerm):
        field = node.field()
    elif isinstance(node, wq.Every) and node.fieldname:
        # Every(field) unions the postings of every term in the field: the costliest expansion of all.
        field = node.fieldname
    else:
        return None
    if field not in indexed:
        return 0
    terms = node._btexts(reader) if isinstance(node, wq.MultiTerm) else reader.lexicon(field)
    return sum(1 for _ in itertools.islice(terms, budget + 1))


def check_parsed(query: wq.Query, reader: IndexReader, limits: QueryLimits) -> None:
    """Raise QueryRejected when the parsed query has too many clauses or its wildcards expand too far."""
    nodes = list(itertools.islice(leaves(query), limits.max_clauses + 1))
    if len(nodes) > limits.max_clauses:
        raise QueryRejected(f"query has more than {limits.max_clauses} clauses (setting max_query_clauses); "
                            "for a long text use POST /api/similar")
    budget = limits.max_wildcard_terms
    indexed = set(reader.indexed_field_names())
    for node in nodes:
        used = _expansion(node, reader, indexed, budget)
        if used is None:
            continue
        budget -= used
        if budget < 0:
            raise QueryRejected(f"wildcard {_label(node)!r} expands to more than {limits.max_wildcard_terms} "
                                "index terms (setting max_wildcard_terms); use a longer prefix or fewer wildcards")
