"""Keyword retriever: Whoosh query syntax with protected legal tokens, reference detection, BM25F over documents.

Section numbers like 31(1)(a) and references like EA/2005/0026 or "[2026] UKFTT 433 (GRC)" collide with Whoosh
syntax (parentheses group, brackets are ranges), so they are quoted before parsing. Syntax Whoosh would silently
mangle (unbalanced quotes or brackets, unknown fields, dangling operators) is detected first and the query is
searched as plain words instead, with a warning.
"""
from __future__ import annotations

import re
import threading
from dataclasses import dataclass, field

import numpy as np
from whoosh import query as wq
from whoosh.index import Index
from whoosh.qparser import AndGroup, MultifieldParser, OrGroup

from indexer.analysis import TOKEN_PATTERN
from indexer.references import find_references
from service.search.filters import DocTable
from service.search.query_limits import QueryLimits, QueryRejected, check_depth, check_parsed

DEFAULT_FIELDS = ("title", "content")
FIELD_ALIASES = {"section": "sections", "reference": "references", "ref": "references", "type": "doc_type",
                 "text": "content", "body": "content", "request": "request_text"}
_QUOTED = re.compile(r'"[^"]*"')
_SECTION = re.compile(r"(?<![\w(])\d+[a-z]{0,2}(?:\([0-9a-z]{1,5}\))+", re.IGNORECASE)
_FIELD = re.compile(r"(?<![\w:])([A-Za-z_]+):")
_OPERATOR = re.compile(r"^(AND|OR|NOT|ANDNOT|ANDMAYBE)$")


def query_references(text: str) -> list[str]:
    """Normalised case references written anywhere in a query, spacing variants included ("ea 2005 26")."""
    return list(dict.fromkeys(norm for norm, _raw, _offset in find_references(text)))


def _protect_segment(segment: str) -> str:
    pieces, last = [], 0
    for norm, raw, offset in find_references(segment):
        pieces.append(segment[last:offset])
        pieces.append(f'"{norm}"')
        last = offset + len(raw)
    pieces.append(segment[last:])
    return _SECTION.sub(lambda m: f'"{m.group()}"', "".join(pieces))


def protect(text: str) -> str:
    """Quote reference- and section-looking tokens outside existing phrases; map field aliases."""
    out, last = [], 0
    for match in _QUOTED.finditer(text):
        out.append(_protect_segment(text[last:match.start()]))
        out.append(match.group())
        last = match.end()
    out.append(_protect_segment(text[last:]))
    joined = "".join(out)
    return _FIELD.sub(lambda m: FIELD_ALIASES.get(m.group(1).lower(), m.group(1)) + ":", joined)


def _unbalanced(text: str) -> str | None:
    if text.count('"') % 2:
        return "unbalanced quotation mark"
    bare = _QUOTED.sub(" ", text)
    for opening, closing, name in (("(", ")", "parenthesis"), ("[", "]", "bracket"), ("{", "}", "brace")):
        depth = 0
        for char in bare:
            depth += (char == opening) - (char == closing)
            if depth < 0:
                break
        if depth:
            return f"unbalanced {name}"
    return None


def syntax_problem(text: str, fieldnames: set[str]) -> str | None:
    """Why Whoosh would misread this (already protected) query, or None when it parses as written."""
    problem = _unbalanced(text)
    if problem:
        return problem
    bare = _QUOTED.sub('""', text)
    for match in _FIELD.finditer(bare):
        if match.group(1) not in fieldnames:
            return f"unknown field {match.group(1)!r}"
        if bare[match.end():match.end() + 1] in ("", " ", ")"):
            return f"field {match.group(1)!r} has no value"
    words = bare.replace("(", " ").replace(")", " ").split()
    for index, word in enumerate(words):
        if _OPERATOR.match(word) and _dangling(words, index):
            return f"operator {word} has nothing to join"
    return None


def _dangling(words: list[str], index: int) -> bool:
    following = words[index + 1] if index + 1 < len(words) else None
    if following is None or (_OPERATOR.match(following) and following != "NOT"):
        return True
    return words[index] != "NOT" and index == 0


def plain_words(text: str) -> str:
    """The query's words, each quoted, with Whoosh syntax dropped (the fallback for unparseable queries)."""
    words = [w.lower() for w in TOKEN_PATTERN.findall(text.replace('"', " "))]
    return " ".join(f'"{w}"' for w in words)


@dataclass
class ParsedQuery:
    query: wq.Query
    warnings: list[str] = field(default_factory=list)

    def terms(self) -> list[str]:
        """Analysed terms of the positive (non-NOT) clauses in text fields, for highlighting."""
        return list(dict.fromkeys(_positive_terms(self.query)))


def _positive_terms(node: wq.Query):
    if isinstance(node, wq.Not):
        return
    if isinstance(node, wq.Phrase):
        yield from (w for w in node.words if isinstance(w, str))
    elif isinstance(node, wq.Term):
        if isinstance(node.text, str) and node.fieldname not in ("doc_type", "outcome", "date", "year"):
            yield node.text
    elif isinstance(node, wq.Prefix):
        yield node.text
    elif isinstance(node, wq.AndNot):
        yield from _positive_terms(node.a)
    elif isinstance(node, wq.compound.CompoundQuery | wq.WrappingQuery | wq.BinaryQuery):
        for child in node.children():
            yield from _positive_terms(child)


class KeywordRetriever:
    """BM25F over the documents index, one long-lived searcher, filters applied as a docnum set."""

    def __init__(self, doc_index: Index, table: DocTable, limits: QueryLimits,
                 fields: tuple[str, ...] = DEFAULT_FIELDS):
        self.searcher = doc_index.searcher()
        self.limits = limits
        # One searcher serves every request; Whoosh searchers are not documented as thread-safe.
        self._lock = threading.Lock()
        self.schema = doc_index.schema
        self.fieldnames = set(self.schema.names())
        self.fields = fields
        self.table = table
        self.docnum_of = np.full(len(table), -1, dtype=np.int64)
        self.position_of: dict[int, int] = {}
        for docnum, stored in self.searcher.iter_docs():
            position = table.position.get(stored.get("id"))
            if position is not None:
                self.docnum_of[position] = docnum
                self.position_of[docnum] = position

    def parse(self, text: str, conjunctive: bool = True) -> ParsedQuery:
        """Parse with Whoosh syntax; unparseable syntax falls back to plain words with a warning.

        Raises QueryRejected when the query is nested too deeply, has too many clauses or its wildcards expand
        to too many index terms.
        """
        group = AndGroup if conjunctive else OrGroup.factory(0.9)
        parser = MultifieldParser(list(self.fields), self.schema, group=group)
        protected = protect(text)
        warnings = []
        problem = syntax_problem(protected, self.fieldnames)
        if problem:
            warnings.append(f"query syntax not understood ({problem}); searched for the words instead")
            protected = plain_words(text)
        check_depth(protected, self.limits)
        query = self._whoosh_parse(parser, protected, text, warnings)
        with self._lock:
            check_parsed(query, self.searcher.reader(), self.limits)
        return ParsedQuery(query, warnings)

    @staticmethod
    def _whoosh_parse(parser: MultifieldParser, protected: str, text: str, warnings: list[str]) -> wq.Query:
        try:
            return parser.parse(protected)
        except RecursionError as exc:
            raise QueryRejected("query is nested too deeply to parse (setting max_query_depth)") from exc
        except Exception:  # noqa: BLE001 - Whoosh's parser fails on some operator runs ("NOT NOT a": IndexError)
            warnings.append("query syntax not understood; searched for the words instead")
            return parser.parse(plain_words(text))

    def close(self) -> None:
        """Release the searcher's files (an engine is dropped when a new index generation is opened)."""
        self.searcher.close()

    def search(self, parsed: ParsedQuery, mask: np.ndarray | None, limit: int | None) -> list[tuple[str, float]]:
        """Top documents as (doc_id, BM25F score), best first.

        Whoosh scores every match and the list is cut afterwards: on a few thousand documents that is faster
        than a limited search (no block-quality bookkeeping) and gives the exact total at the same time.
        """
        allowed = None if mask is None else {int(d) for d in self.docnum_of[mask] if d >= 0}
        if allowed is not None and not allowed:
            # Whoosh reads an empty filter set as "no filter": filters matching nothing would return everything.
            return []
        with self._lock:
            top = self.searcher.search(parsed.query, filter=allowed, limit=None).top_n
        ranked = [(self.table.ids[self.position_of[docnum]], float(score))
                  for score, docnum in top if docnum in self.position_of]
        return ranked if limit is None else ranked[:limit]
