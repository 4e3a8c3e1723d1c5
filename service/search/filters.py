"""One filter model for every retriever: parsed once from request params, evaluated as a mask over documents.

Both retrievers receive the same boolean mask (the keyword one as a Whoosh docnum filter, the semantic one
as allowed vector rows), so keyword, semantic and hybrid results always obey identical filters.
"""
from __future__ import annotations

import datetime as dt
import functools
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, fields
from typing import NamedTuple

import numpy as np

from indexer.gazetteer import canonical
from indexer.keyword import section_terms
from indexer.references import normalise_reference, reference_keys

LIST_FILTERS = ("doc_type", "authority", "section", "outcome", "legislation", "reference")


def _values(raw: object) -> tuple[str, ...]:
    if raw is None:
        return ()
    items = [raw] if isinstance(raw, str) else list(raw)  # type: ignore[arg-type]
    return tuple(s for s in (str(item).strip() for item in items if item is not None) if s)


def _day(raw: object) -> str | None:
    if raw is None or raw == "":
        return None
    if isinstance(raw, dt.date):
        return raw.isoformat()
    return str(raw).strip() or None


def fold(text: str) -> str:
    """Case- and whitespace-insensitive form used for matching names and labels."""
    return " ".join(text.lower().split())


class AuthorityIdentity(NamedTuple):
    key: str      # what filters and facets group by
    name: str     # how the body is shown
    known: bool   # found in the gazetteer


@functools.lru_cache(maxsize=65536)
def authority_identity(name: str) -> AuthorityIdentity:
    """A public body's identity: the gazetteer's id and name when the name is one of its names or aliases ("MPS",
    "Commissioner of Police of the Metropolis"), else the folded name and the name itself."""
    body = canonical(name)
    if body is None:
        return AuthorityIdentity(fold(name), " ".join(name.split()), False)
    return AuthorityIdentity(f"gazetteer:{body.id}", body.name, True)


def reference_key(text: str) -> str:
    """Normalised reference when text is one, else its upper-cased form (authorities' own request numbers)."""
    return normalise_reference(text) or " ".join(text.upper().split())


def section_keys(section: str) -> list[str]:
    """Every key a section filter may use for one document section: with and without the act, each prefix."""
    keys = section_terms(section)
    bare = [key.split(" ", 1)[1] for key in keys if " " in key]
    return list(dict.fromkeys(keys + bare))


@dataclass(frozen=True)
class Filters:
    doc_type: tuple[str, ...] = ()
    authority: tuple[str, ...] = ()
    section: tuple[str, ...] = ()
    outcome: tuple[str, ...] = ()
    legislation: tuple[str, ...] = ()
    reference: tuple[str, ...] = ()
    date_from: str | None = None
    date_to: str | None = None

    @classmethod
    def from_params(cls, params: Mapping) -> Filters:
        """Filters from validated params; each list filter accepts one string or a list (values are OR-ed)."""
        values = {name: _values(params.get(name)) for name in LIST_FILTERS}
        return cls(**values, date_from=_day(params.get("date_from")), date_to=_day(params.get("date_to")))

    @property
    def active(self) -> bool:
        return any(getattr(self, f.name) for f in fields(self))



def _inverted(per_doc: Iterable[Iterable[str]]) -> dict[str, np.ndarray]:
    postings: dict[str, list[int]] = {}
    for index, keys in enumerate(per_doc):
        for key in dict.fromkeys(keys):
            postings.setdefault(key, []).append(index)
    return {key: np.asarray(rows, dtype=np.int64) for key, rows in postings.items()}


def _section_key(value: str) -> str:
    # People write "section 40(2)", "s.40(2)", "FOIA 40(2)" or "reg 12(5)(e)" for what metadata calls FOI/EIR.
    words = re.sub(r"^(s|reg|r)\.\s*", r"\1 ", fold(value)).split()
    if len(words) == 2 and words[0] in ("section", "s", "regulation", "reg", "r"):
        return words[1]
    if len(words) == 2 and words[0] == "foia":
        return "foi " + words[1]
    return (section_terms(" ".join(words)) or [" ".join(words)])[-1]


_KEYS = {
    "doc_type": fold,
    "authority": lambda v: authority_identity(v).key,
    "outcome": fold,
    "legislation": lambda v: v.strip().upper(),
    "reference": reference_key,
    "section": _section_key,
}



class DocTable:
    """Per-document metadata as arrays and inverted maps, built once per engine so filters cost microseconds."""

    def __init__(self, documents: Mapping[str, Mapping]):
        self.ids: list[str] = list(documents)
        self.records: list[Mapping] = [documents[doc_id] for doc_id in self.ids]
        self.position: dict[str, int] = {doc_id: i for i, doc_id in enumerate(self.ids)}
        self.dates = np.array([r.get("date") or "" for r in self.records], dtype="U10")
        recs = self.records
        self.postings: dict[str, dict[str, np.ndarray]] = {
            "doc_type": _inverted([fold(r.get("doc_type") or "other")] for r in recs),
            "authority": _inverted([authority_identity(r["authority"]).key] if r.get("authority") else [] for r in recs),
            "outcome": _inverted([fold(r["outcome"])] if r.get("outcome") else [] for r in recs),
            "legislation": _inverted([v.upper() for v in r.get("legislation") or []] for r in recs),
            "reference": _inverted([k for ref in r.get("references") or [] for k in reference_keys(ref)] for r in recs),
            "cites": _inverted([k for ref in r.get("cites") or [] for k in reference_keys(ref)] for r in recs),
            "section": _inverted([k for s in r.get("sections") or [] for k in section_keys(s)] for r in recs),
        }

    def __len__(self) -> int:
        return len(self.ids)

    def with_reference(self, reference: str) -> np.ndarray:
        """Positions of the documents that carry this normalised reference as their own."""
        return self.postings["reference"].get(reference, np.empty(0, dtype=np.int64))

    def citing(self, reference: str) -> np.ndarray:
        """Positions of the documents that cite this normalised reference."""
        return self.postings["cites"].get(reference, np.empty(0, dtype=np.int64))

    def mask(self, filters: Filters) -> np.ndarray | None:
        """Boolean mask of the documents passing every filter, or None when no filter is set."""
        if not filters.active:
            return None
        mask = np.ones(len(self.ids), dtype=bool)
        for name in LIST_FILTERS:
            wanted = getattr(filters, name)
            if wanted:
                mask &= self._any_of(name, wanted)
        if filters.date_from:
            mask &= (self.dates != "") & (self.dates >= filters.date_from)
        if filters.date_to:
            mask &= (self.dates != "") & (self.dates <= filters.date_to)
        return mask

    def _any_of(self, name: str, wanted: tuple[str, ...]) -> np.ndarray:
        hit = np.zeros(len(self.ids), dtype=bool)
        postings = self.postings[name]
        for value in wanted:
            rows = postings.get(_KEYS[name](value))
            if rows is not None:
                hit[rows] = True
        return hit

    def scope(self, filters: Filters, exclude: Iterable[str] = ()) -> np.ndarray | None:
        """The mask of these filters with the excluded documents switched off (None: every document)."""
        mask = self.mask(filters)
        positions = [self.position[d] for d in exclude if d in self.position]
        if positions:
            mask = np.ones(len(self.ids), dtype=bool) if mask is None else mask.copy()
            mask[positions] = False
        return mask

    def positions(self, mask: np.ndarray | None) -> np.ndarray:
        """Document positions allowed by a mask (all when None)."""
        return np.arange(len(self.ids)) if mask is None else np.flatnonzero(mask)
