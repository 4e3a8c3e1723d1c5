"""Facet counts (doc_type, authority, section, outcome, year) over a whole result set, from precomputed values."""
from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping, Sequence

from service.search.filters import authority_identity

FACETS = ("doc_type", "authority", "section", "outcome", "year")
MAX_VALUES = 50


def facet_values(record: Mapping) -> dict[str, list[str]]:
    """The facet values of one document record (a document can have several sections)."""
    date = record.get("date") or ""
    return {
        "doc_type": [record.get("doc_type") or "other"],
        "authority": [record["authority"]] if record.get("authority") else [],
        "section": list(dict.fromkeys(record.get("sections") or [])),
        "outcome": [record["outcome"]] if record.get("outcome") else [],
        "year": [date[:4]] if date[:4].isdigit() else [],
    }


def _display_forms(values: Iterable[str]) -> dict[str, str]:
    """Each authority key's one facet label: the gazetteer's name for a known body (so "MPS" and "Commissioner of
    Police of the Metropolis" count as one), else the most common mixed-case spelling ("HOME OFFICE" from a
    tribunal heading and "Home Office" from a notice are one entry)."""
    forms = Counter(values)
    best: dict[str, str] = {}
    for form, _count in sorted(forms.items(), key=lambda item: (item[0].isupper(), -item[1], item[0])):
        identity = authority_identity(form)
        best.setdefault(identity.key, identity.name if identity.known else form)
    return best


class FacetTable:
    """Facet values per document position, computed once per engine."""

    def __init__(self, records: Sequence[Mapping]):
        self._values = [facet_values(record) for record in records]
        display = _display_forms(v for values in self._values for v in values["authority"])
        for values in self._values:
            values["authority"] = [display[authority_identity(v).key] for v in values["authority"]]

    def counts(self, positions: Iterable[int], limit: int = MAX_VALUES,
               names: tuple[str, ...] = FACETS) -> dict[str, list[dict]]:
        """{facet: [{"value", "count"}]} over the given documents; years newest first, others by count."""
        counters = {name: Counter() for name in names}
        for position in positions:
            values = self._values[position]
            for name in names:
                counters[name].update(values[name])
        out: dict[str, list[dict]] = {}
        for name, counter in counters.items():
            if name == "year":
                items = sorted(counter.items(), key=lambda item: item[0], reverse=True)
            else:
                items = sorted(counter.items(), key=lambda item: (-item[1], item[0].lower()))
            out[name] = [{"value": value, "count": count} for value, count in items[:limit]]
        return out
