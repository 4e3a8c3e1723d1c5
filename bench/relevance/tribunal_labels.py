"""Tribunal labels for query building: subset decisions, their titles, appeal groups and the 2026 records."""
from __future__ import annotations

import csv
import json
import re
from dataclasses import dataclass
from pathlib import Path

from bench.metadata_gold import tribunal_gold

_NCN = re.compile(r"\[(\d{4})\]\s+(UKFTT|UKUT)\s+(\d+)\s*\((\w+)\)")


@dataclass(frozen=True)
class Decision:
    """A labelled decision present in the corpus."""

    path: str                # corpus path, e.g. tribunal/1414.pdf
    title: str               # the labelled case title
    refs: frozenset[str]     # appeal references (EA/2010/0123) and neutral citations
    date: str | None = None


class UnionFind:
    """Disjoint sets of strings; each set is named by its smallest member."""

    def __init__(self) -> None:
        self.parent: dict[str, str] = {}

    def find(self, item: str) -> str:
        self.parent.setdefault(item, item)
        while self.parent[item] != item:
            self.parent[item] = self.parent[self.parent[item]]
            item = self.parent[item]
        return item

    def union(self, first: str, second: str) -> None:
        a, b = self.find(first), self.find(second)
        if a != b:
            self.parent[max(a, b)] = min(a, b)


def subset_decisions(shared: Path) -> list[Decision]:
    """The decisions of labels/pdf-subset-ids.txt with their Case.Title and labelled appeal references."""
    gold = tribunal_gold(shared)
    titles: dict[str, str] = {}
    with open(shared / "labels" / "tribunal-metadata.csv", encoding="utf-8-sig", newline="") as handle:
        for row in csv.DictReader(handle):
            if row["ID"] in gold:
                titles[row["ID"]] = " ".join(row["Case.Title"].split())
    return [Decision(f"tribunal/{tid}.pdf", titles.get(tid, ""), frozenset(g["refs"]), g["date"])
            for tid, g in sorted(gold.items(), key=lambda item: int(item[0]))]


def recent_decisions(shared: Path) -> list[Decision]:
    """The tribunal-2026 records whose file is in the corpus, titled without their trailing citation."""
    folder = shared / "corpus" / "tribunal-2026"
    out = []
    for name in ("tribunal-2026-ftt.json", "tribunal-2026-ut.json"):
        for record in json.loads((shared / "labels" / name).read_text(encoding="utf-8")):
            stems = [record.get("uri"), record.get("url", "").rstrip("/").rsplit("/", 1)[-1]]
            path = next((f"tribunal-2026/{s}.txt" for s in stems if s and (folder / f"{s}.txt").is_file()), None)
            if path is None:
                continue
            found = _NCN.search(record.get("citation") or record["title"])
            citation = f"[{found.group(1)}] {found.group(2)} {found.group(3)} ({found.group(4)})" if found else None
            title = " ".join(record["title"].split(": [")[0].split())
            out.append(Decision(path, title, frozenset({citation} if citation else ()), record.get("date")))
    return out


def appeal_groups(decisions: list[Decision]) -> dict[str, str]:
    """Corpus path -> its appeal group (decisions sharing any appeal reference, transitively), named by the
    group's first path so names stay stable and readable."""
    sets = UnionFind()
    for decision in decisions:
        sets.find(decision.path)
        for ref in decision.refs:
            sets.union(decision.path, "ref:" + ref)
    roots = {d.path: sets.find(d.path) for d in decisions}
    first: dict[str, str] = {}
    for path, root in sorted(roots.items()):
        first.setdefault(root, path)
    return {path: first[root] for path, root in roots.items()}


def members(groups: dict[str, str]) -> dict[str, list[str]]:
    """Appeal group -> its decisions' corpus paths."""
    out: dict[str, list[str]] = {}
    for path, group in sorted(groups.items()):
        out.setdefault(group, []).append(path)
    return out
