"""Tune the hybrid ranking on the TUNE half only: every task's hybrid rows under each candidate setting.

Run: .venv/bin/python -m bench.relevance.tune --index var/bench-index [--grid name=v1,v2 ...] [--limit N]

Each candidate is a set of ranking-setting overrides (the cross product of the --grid values); the engine is opened
once and only its query builder and ranker are rebuilt per candidate, so query embeddings are computed once (and
cached on disk). The report half is never read here: it is what bench.relevance reports.
"""
from __future__ import annotations

import argparse
import itertools
import sys
import time
from dataclasses import dataclass

from bench.paths import SHARED_DIR, add_index_arguments
from bench.relevance.queries import SEED, Query, cap, split_halves
from bench.relevance.runner import run_row
from bench.relevance.tasks import DEFAULT_LIMITS, TASKS, resolve

# Per task: the path, and the metric its target is stated in (case titles and references first, summaries in the
# top 3 is read off MRR >= 1/3 per query, prior decisions and same-request recall at 10, topical graded nDCG@10).
TARGETS = {"title": ("search", "R@1"), "reference": ("search", "R@1"), "summary": ("search", "MRR"),
           "topical": ("search", "nDCG@10"), "prior": ("similar", "R@10"), "prior-search": ("search", "R@10"),
           "same-request": ("search", "R@10")}


@dataclass
class Candidate:
    overrides: dict

    def label(self) -> str:
        return " ".join(f"{k}={v}" for k, v in self.overrides.items()) or "(settings as they are)"


def _grid(specs: list[str]) -> list[Candidate]:
    axes = []
    for spec in specs:
        name, _, values = spec.partition("=")
        axes.append([(name, value) for value in values.split(",")])
    return [Candidate(dict(combo)) for combo in itertools.product(*axes)] if axes else [Candidate({})]


def _tune_queries(engine, limit: int | None) -> dict[str, list[Query]]:
    doc_ids = {record["path"]: doc_id for doc_id, record in engine.reader.documents.items()}
    out = {}
    for key, task in TASKS.items():
        queries, _dropped = resolve(task.build(SHARED_DIR, engine.reader), doc_ids)
        chosen = split_halves(queries, SEED)["tune"]
        out[key] = cap(chosen, DEFAULT_LIMITS[key] if limit is None else limit, SEED)
    return out


def _rebuild(engine, overrides: dict) -> None:
    from config import override
    from service.search.queries import QueryBuilder
    from service.search.ranking import Ranker

    config = override(engine.base_config, **overrides)
    engine.config = config
    engine.queries = QueryBuilder(engine.reader, engine.keyword, config)
    engine.ranker = Ranker(engine.table, engine.keyword, engine.semantic, engine.citations, config)
    engine.finder.queries, engine.finder.ranker, engine.finder.config = engine.queries, engine.ranker, config


def _score(engine, queries: dict[str, list[Query]]) -> dict[str, float]:
    scores = {}
    for name, (path, metric) in TARGETS.items():
        key = "prior" if name == "prior-search" else name
        if not queries.get(key):
            continue
        per_query, _millis = run_row(engine, queries[key], path, "hybrid")
        if name == "summary":
            scores[name] = sum(1 for m in per_query if m["MRR"] >= 1 / 3) / len(per_query)
        else:
            scores[name] = sum(m[metric] for m in per_query) / len(per_query)
    return scores


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    add_index_arguments(parser)
    parser.add_argument("--grid", nargs="*", default=[], help="setting=v1,v2 ... (cross product)")
    parser.add_argument("--limit", type=int, default=None, help="queries per task (default: the benchmark's)")
    args = parser.parse_args(argv)
    from bench.prior_decisions import open_engine

    engine = open_engine({"index_dir": str(args.index), "corpus_dir": str(args.corpus), "cache_dir": str(args.cache)})
    engine.base_config = engine.config
    queries = _tune_queries(engine, args.limit)
    print("tune half: " + ", ".join(f"{k} {len(v)}" for k, v in queries.items()), file=sys.stderr, flush=True)
    names = [n for n in TARGETS if queries.get("prior" if n == "prior-search" else n)]
    print(f"{'candidate':60} " + " ".join(f"{n[:12]:>12}" for n in names) + "     s")
    for candidate in _grid(args.grid):
        started = time.perf_counter()
        _rebuild(engine, candidate.overrides)
        scores = _score(engine, queries)
        print(f"{candidate.label()[:60]:60} " + " ".join(f"{scores[n]:12.3f}" for n in names)
              + f" {time.perf_counter() - started:5.0f}", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
