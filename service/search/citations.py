"""Citation graph over the corpus: who cites whom by normalised reference, and leakage-free authority counts."""
from __future__ import annotations

import math
from bisect import bisect_right
from collections.abc import Collection, Iterable, Mapping

from indexer.references import reference_kind


def _date(record: Mapping) -> str | None:
    value = record.get("date")
    return value if isinstance(value, str) and value else None


class CitationGraph:
    """Reference links between documents, resolved once from the index's document records."""

    def __init__(self, documents: Mapping[str, Mapping]):
        self._dates: dict[str, str | None] = {doc_id: _date(rec) for doc_id, rec in documents.items()}
        self._owners = self._index_owners(documents)
        self._cites: dict[str, list[dict]] = {}
        self._cited_by: dict[str, list[dict]] = {}
        for doc_id, record in documents.items():
            self._link(doc_id, record)
        # Sorted citing dates per cited document make authority(as_of) a bisection, not a scan.
        self._citers: dict[str, set[str]] = {d: {link["doc_id"] for link in links} for d, links in self._cited_by.items()}
        self._citing_dates: dict[str, list[str]] = {
            d: sorted(date for date in (self._dates.get(c) for c in citers) if date) for d, citers in self._citers.items()
        }

    @staticmethod
    def _index_owners(documents: Mapping[str, Mapping]) -> dict[str, list[str]]:
        # A reference can belong to several documents (an interim and a final decision on the same appeal), so
        # every owner is kept. But a document whose heading also names a case it cites may list that case among
        # its own references: when a reference is the first of its kind (primary) in some documents, only those
        # own it, and for the others it is a citation.
        owners: dict[str, list[str]] = {}
        primary: dict[str, list[str]] = {}
        for doc_id in sorted(documents):
            kinds: set[str] = set()
            for reference in dict.fromkeys(documents[doc_id].get("references") or []):
                owners.setdefault(reference, []).append(doc_id)
                if reference_kind(reference) not in kinds:
                    kinds.add(reference_kind(reference))
                    primary.setdefault(reference, []).append(doc_id)
        return {reference: primary.get(reference, docs) for reference, docs in owners.items()}

    def _link(self, doc_id: str, record: Mapping) -> None:
        urls = record.get("cite_urls") or {}
        listed = [r for r in record.get("references") or [] if doc_id not in self._owners.get(r, [doc_id])]
        own = set(record.get("references") or []) - set(listed)
        out: list[dict] = []
        for reference in dict.fromkeys([*(record.get("cites") or []), *listed]):
            if reference in own:
                continue
            targets = [t for t in self._owners.get(reference, []) if t != doc_id]
            if not targets:
                out.append({"reference": reference, "doc_id": None, "url": urls.get(reference)})
                continue
            for target in targets:
                out.append({"reference": reference, "doc_id": target, "url": urls.get(reference)})
                self._cited_by.setdefault(target, []).append({"reference": reference, "doc_id": doc_id})
        self._cites[doc_id] = out

    def resolve(self, reference: str) -> str | None:
        """Id of the corpus document carrying this normalised reference, or None when it is not in the corpus."""
        owners = self._owners.get(reference)
        return owners[0] if owners else None

    def owners(self, reference: str) -> list[str]:
        """Every corpus document carrying this normalised reference."""
        return list(self._owners.get(reference, []))

    def cites(self, doc_id: str) -> list[dict]:
        """[{"reference", "doc_id" (None when outside the corpus), "url"}] for the references doc_id makes."""
        return [dict(link) for link in self._cites.get(doc_id, [])]

    def cited_by(self, doc_id: str) -> list[dict]:
        """[{"reference", "doc_id"}] for the documents citing doc_id."""
        return [dict(link) for link in self._cited_by.get(doc_id, [])]

    def authority(self, doc_id: str, as_of: str | None = None, exclude: Collection[str] = ()) -> int:
        """Distinct documents citing doc_id; with as_of, only those dated on or before it (undated ones don't count).

        exclude removes given citing documents (a benchmark's query document must not vote for its own answers).
        """
        citers = self._citers.get(doc_id)
        if not citers:
            return 0
        dropped = [c for c in exclude if c in citers]
        if as_of is None:
            return len(citers) - len(dropped)
        dropped_dates = [self._dates.get(c) for c in dropped]
        return bisect_right(self._citing_dates[doc_id], as_of) - sum(1 for d in dropped_dates if d and d <= as_of)

    def authorities(self, doc_ids: Iterable[str], as_of: str | None = None,
                    exclude: Collection[str] = ()) -> dict[str, int]:
        """authority() for many documents at once."""
        return {doc_id: self.authority(doc_id, as_of, exclude) for doc_id in doc_ids}

    def external(self, doc_id: str) -> list[dict]:
        """[{"reference", "url"}] cited by doc_id but not in the corpus, so a caseworker knows what to fetch."""
        return [{"reference": link["reference"], "url": link["url"]}
                for link in self._cites.get(doc_id, []) if link["doc_id"] is None]

    def votes(self, neighbours: Iterable[tuple[str, float]], as_of: str | None = None,
              exclude: Collection[str] = (), limit: int | None = None) -> dict[str, float]:
        """Citation votes of a query's nearest documents: cited doc -> sum over neighbours citing it of their
        weight / sqrt(number of corpus documents they cite).

        Similar decisions cite the same leading cases, so what the neighbours cite is a query-specific authority
        signal. With as_of, only neighbours dated on or before it vote (undated ones don't); excluded documents
        neither vote nor receive votes. limit caps the number of voting neighbours, taken in the order given.
        """
        out: dict[str, float] = {}
        voters = 0
        for doc_id, weight in neighbours:
            date = self._dates.get(doc_id)
            if doc_id in exclude or (as_of is not None and not (date and date <= as_of)):
                continue
            if limit is not None and voters >= limit:
                break
            voters += 1
            targets = [t for t in dict.fromkeys(link["doc_id"] for link in self._cites.get(doc_id, [])) if t]
            # A decision citing thirty cases says less about each than one citing three (cosine-style damping).
            share = weight / math.sqrt(len(targets)) if targets else 0.0
            for target in targets:
                if target not in exclude:
                    out[target] = out.get(target, 0.0) + share
        return out
