"""Prior-decision retrieval benchmark (COLIEE task 1 method) on the shared tribunal decisions.

For every decision that cites other decisions of the corpus (labels/tribunal-to-tribunal-citations.csv, each
edge kept only when the cited appeal reference really appears in the citing text), the query is the decision's
own text with every sentence holding an appeal reference removed and the cited decisions' party names scrubbed,
cut to its first 400 words (GET /api/search path: the engine) or 1,500 words (POST /api/similar path).
Relevant = the cited decisions. The query document is never a candidate and never counts as a citation for
the authority prior, which only counts citing decisions dated on or before the query decision.

Run: FOI_INDEX_DIR=var/bench-index FOI_CORPUS_DIR=../shared/corpus \
     .venv/bin/python -m bench.prior_decisions [--limit N] [--paths search,similar] [--modes keyword,semantic,hybrid]
"""
from __future__ import annotations

import argparse
import csv
import math
import re
import sys
import time
from dataclasses import dataclass
from pathlib import Path

from bench.paths import SHARED_DIR

LABELS = SHARED_DIR / "labels"
_SENTENCE_END = re.compile(r"(?<=[.!?;:])\s+")
_GENERIC_PARTIES = re.compile(r"information commissioner|^the commissioner$|^commissioner$", re.IGNORECASE)
_PARTY_COLUMNS = ("Appellant", "Respondent.1", "Respondent.2", "Respondent.3", "Additional.Party.1",
                  "Additional.Party.2", "Additional.Party.3", "Public Agency in Question (Where it is not a respondent)")


@dataclass
class Case:
    doc_id: str
    date: str | None
    relevant: set[str]
    text: str


def _read_csv(path: Path) -> list[dict]:
    with open(path, encoding="utf-8-sig", newline="") as handle:
        return list(csv.DictReader(handle))


def party_names(rows: list[dict]) -> dict[str, list[str]]:
    """Tribunal ID -> names of its parties (appellant, respondents, authority), generic Commissioner excluded."""
    out: dict[str, list[str]] = {}
    for row in rows:
        names = {" ".join((row.get(col) or "").split()) for col in _PARTY_COLUMNS}
        out[row["ID"].strip()] = sorted((n for n in names if len(n) > 3 and not _GENERIC_PARTIES.search(n)),
                                        key=len, reverse=True)
    return out


def build_query(text: str, names: list[str], words: int) -> str:
    """Text without sentences naming an appeal reference, cited parties scrubbed, cut to `words` words."""
    from indexer.references import find_references, reference_kind

    sentences = _SENTENCE_END.split(" ".join(text.split()))
    kept = [s for s in sentences if not any(reference_kind(n) == "appeal" for n, _, _ in find_references(s))]
    joined = " ".join(kept)
    for name in names:
        joined = re.sub(re.escape(name), " ", joined, flags=re.IGNORECASE)
    return " ".join(joined.split()[:words])


def load_cases(reader, words: int) -> list[Case]:
    """Query cases with verified, in-corpus relevant decisions."""
    from indexer.references import find_references

    by_tribunal_id = {Path(r["path"]).stem: d for d, r in reader.documents.items() if r["path"].startswith("tribunal/")}
    parties = party_names(_read_csv(LABELS / "tribunal-metadata.csv"))
    edges: dict[str, dict[str, str]] = {}
    for row in _read_csv(LABELS / "tribunal-to-tribunal-citations.csv"):
        citing, cited = by_tribunal_id.get(row["citing_id"]), by_tribunal_id.get(row["cited_id"])
        if citing and cited and citing != cited:
            edges.setdefault(row["citing_id"], {})[cited] = row["cited_appeal_ref"]
    cases = []
    for tid, cited in sorted(edges.items(), key=lambda item: int(item[0]) if item[0].isdigit() else 0):
        doc_id = by_tribunal_id[tid]
        text = "\n\n".join(p["text"] for p in reader.pages(doc_id))
        present = {n for n, _, _ in find_references(text)}
        relevant = {d for d, ref in cited.items() if ref in present}
        if not relevant:
            continue
        cited_tids = {Path(reader.documents[d]["path"]).stem for d in relevant}
        names = sorted({n for t in cited_tids for n in parties.get(t, [])}, key=len, reverse=True)
        cases.append(Case(doc_id, reader.documents[doc_id].get("date"), relevant, build_query(text, names, words)))
    return cases


def metrics(ranked: list[str], relevant: set[str]) -> dict[str, float]:
    """recall@10, recall@20, nDCG@10 and reciprocal rank of one query."""
    hits = [1 if d in relevant else 0 for d in ranked]
    dcg = sum(h / math.log2(i + 2) for i, h in enumerate(hits[:10]))
    ideal = sum(1 / math.log2(i + 2) for i in range(min(10, len(relevant))))
    first = next((i for i, h in enumerate(hits) if h), None)
    return {"R@10": sum(hits[:10]) / len(relevant), "R@20": sum(hits[:20]) / len(relevant),
            "nDCG@10": dcg / ideal if ideal else 0.0, "MRR": 1 / (first + 1) if first is not None else 0.0}


def run_similar(engine, case: Case, mode: str, filters: dict) -> list[str]:
    """POST /api/similar through the relevance adapter, the query document excluded and the prior dated."""
    from bench.relevance import adapter

    return adapter.similar(engine, case.text, mode, 20, exclude={case.doc_id}, as_of=case.date, filters=filters)


def run_search(engine, case: Case, mode: str, filters: dict) -> list[str]:
    """GET /api/search through the relevance adapter, the query document excluded and the citation counts dated."""
    from bench.relevance import adapter

    return adapter.search(engine, case.text, mode, 20, exclude={case.doc_id}, as_of=case.date, filters=filters)


def evaluate(engine, cases: list[Case], runner, mode: str, before: bool = False) -> dict[str, float]:
    """Mean metrics over the cases, and the median latency; before adds the filter date_to = query date."""
    totals = {"R@10": 0.0, "R@20": 0.0, "nDCG@10": 0.0, "MRR": 0.0}
    seconds = []
    for case in cases:
        started = time.perf_counter()
        ranked = runner(engine, case, mode, {"date_to": case.date} if before and case.date else {})
        seconds.append(time.perf_counter() - started)
        for name, value in metrics(ranked, case.relevant).items():
            totals[name] += value
    out = {name: value / max(1, len(cases)) for name, value in totals.items()}
    seconds.sort()
    out["p50_ms"] = 1000 * seconds[len(seconds) // 2] if seconds else 0.0
    return out


class CachedEmbedder:
    """The real embedder behind the on-disk embedding cache, so modes and reruns embed each query chunk once."""

    def __init__(self, config):
        from indexer.embedder import load_embedder
        from indexer.embedding_cache import EmbeddingCache

        self.inner = load_embedder(config)
        # A file of its own, so a build embedding into the shared cache never waits on the benchmark's writes.
        self.cache = EmbeddingCache(Path(config.cache_dir) / "bench-queries", self.inner.model_name, self.inner.dim)
        self.model_name, self.dim = self.inner.model_name, self.inner.dim

    def encode(self, texts: list[str], progress: bool = False):
        from indexer.embedding_cache import embed_with_cache

        return embed_with_cache(self.inner, self.cache, list(texts))


def open_engine(overrides: dict | None = None):
    """A SearchEngine on the configured index (FOI_* variables, then overrides) with the cached query embedder."""
    from config import load_config
    from indexer.reader import open_index
    from service.search.engine import SearchEngine

    config = load_config(overrides)
    reader = open_index(config)
    embedder = CachedEmbedder(config)
    return SearchEngine(reader, lambda: embedder, config)


PLANS = {
    "search": (400, run_search, "GET /api/search"),
    "similar": (1500, run_similar, "POST /api/similar"),
    "similar400": (400, run_similar, "POST /api/similar"),
}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--limit", type=int, default=0, help="evaluate only the first N query decisions")
    parser.add_argument("--paths", default="search,similar,similar400", help=f"any of {', '.join(PLANS)}")
    parser.add_argument("--modes", default="keyword,semantic,hybrid")
    parser.add_argument("--before", action="store_true", help="also filter candidates to date_to = query date")
    args = parser.parse_args(argv)
    if not (SHARED_DIR / "corpus").is_dir():
        print(f"skipped: {SHARED_DIR} is absent, so the prior-decisions benchmark cannot run")
        return 0
    engine = open_engine()
    print(f"{'path':18} {'words':>5} {'mode':9} {'filter':8} {'queries':>7} {'R@10':>6} {'R@20':>6} {'nDCG@10':>7} "
          f"{'MRR':>6} {'p50 ms':>7}")
    for path in args.paths.split(","):
        words, runner, label = PLANS[path]
        cases = load_cases(engine.reader, words)
        cases = cases[: args.limit] if args.limit else cases
        if not cases:
            print(f"{label:18} {words:>5} no query decisions: the index holds no cited tribunal decisions of the labels")
            continue
        for mode in args.modes.split(","):
            m = evaluate(engine, cases, runner, mode, args.before)
            print(f"{label:18} {words:>5} {mode:9} {'before' if args.before else 'none':8} {len(cases):>7} "
                  f"{m['R@10']:6.3f} {m['R@20']:6.3f} {m['nDCG@10']:7.3f} {m['MRR']:6.3f} {m['p50_ms']:7.0f}",
                  flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
