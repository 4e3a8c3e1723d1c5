"""Run the relevance benchmark: every task's query set through each product path and mode, tables per half.

Run: .venv/bin/python -m bench.relevance --index /work/main/var/bench-index [--tasks title,summary]
     [--modes hybrid,keyword,semantic] [--paths search,similar,related] [--half tune|report|both] [--limit N]
"""
from __future__ import annotations

import argparse
import sys
import time

from bench.paths import SHARED_DIR, add_index_arguments
from bench.relevance import adapter
from bench.relevance.metrics import query_metrics
from bench.relevance.queries import HALVES, SEED, Query, cap, split_halves
from bench.relevance.report import Row, hybrid_table, metrics_table
from bench.relevance.tasks import DEFAULT_LIMITS, TASKS, Task, resolve

DEPTH = 20       # ranks fetched per query: the API's default page; MRR counts a first hit up to here


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    add_index_arguments(parser)
    parser.add_argument("--tasks", default=",".join(TASKS), help=f"any of {', '.join(TASKS)}")
    parser.add_argument("--modes", default="hybrid,keyword,semantic")
    parser.add_argument("--paths", default="search,similar,related", help="search, similar, related")
    parser.add_argument("--half", choices=("tune", "report", "both"), default="both")
    parser.add_argument("--limit", type=int, default=None,
                        help=f"queries per half per task (0 = all); default per task: {DEFAULT_LIMITS}")
    parser.add_argument("--seed", type=int, default=SEED, help="split, sampling and bootstrap seed")
    return parser


def run_row(engine, queries: list[Query], path: str, mode: str) -> tuple[list[dict[str, float]], list[float]]:
    """Per-query metrics and milliseconds of one path x mode over the queries."""
    metrics, millis = [], []
    for query in queries:
        exclude = {query.source} if query.source else set()
        started = time.perf_counter()
        if path == "search":
            ranked = adapter.search(engine, query.text, mode, DEPTH, exclude, query.as_of)
        elif path == "similar":
            ranked = adapter.similar(engine, query.similar_text, mode, DEPTH, exclude, query.as_of)
        else:
            ranked = adapter.related_same_request(engine, query.source)
        millis.append(1000 * (time.perf_counter() - started))
        metrics.append(query_metrics(ranked, query.relevant, query.need))
    return metrics, millis


def _applicable(task: Task, path: str, queries: list[Query]) -> bool:
    if path not in task.paths:
        return False
    if path == "similar":
        return all(q.similar_text for q in queries)
    return path != "related" or all(q.source for q in queries)


def run_task(engine, key: str, args, doc_ids: dict[str, str]) -> dict[str, list[Row]]:
    """Build, resolve, split and cap the task's queries, then score every applicable row on each half."""
    task = TASKS[key]
    queries, dropped = resolve(task.build(SHARED_DIR, engine.reader), doc_ids)
    halves = split_halves(queries, args.seed)
    limit = DEFAULT_LIMITS[key] if args.limit is None else args.limit
    chosen = {h: cap(halves[h], limit, args.seed) for h in HALVES if args.half in (h, "both")}
    print(f"{task.name}: {len(queries)} queries ({dropped} dropped: no relevant document indexed); "
          + ", ".join(f"{h} {len(chosen[h])} of {len(halves[h])}" for h in chosen), file=sys.stderr, flush=True)
    out: dict[str, list[Row]] = {h: [] for h in chosen}
    for path in args.paths.split(","):
        modes = ["-"] if path == "related" else args.modes.split(",")
        for mode in modes:
            started = time.perf_counter()
            for half, selected in chosen.items():
                if not selected or not _applicable(task, path, selected):
                    continue
                row = Row(task.name, path, mode)
                row.per_query, row.millis = run_row(engine, selected, path, mode)
                out[half].append(row)
            print(f"  {path} {mode}: {time.perf_counter() - started:.0f}s", file=sys.stderr, flush=True)
    return out


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    if not (SHARED_DIR / "labels").is_dir():
        print(f"skipped: {SHARED_DIR} is absent, so the relevance benchmark has no labels to judge by")
        return 0
    if not (args.index / "CURRENT").is_file():
        print(f"skipped: no index at {args.index} (no CURRENT file); build one with bench.index_corpus")
        return 0
    from bench.prior_decisions import open_engine

    started = time.perf_counter()
    engine = open_engine({"index_dir": str(args.index), "corpus_dir": str(args.corpus), "cache_dir": str(args.cache)})
    doc_ids = {record["path"]: doc_id for doc_id, record in engine.reader.documents.items()}
    results = {TASKS[key].name: run_task(engine, key, args, doc_ids) for key in args.tasks.split(",")}
    for half in HALVES:
        rows = [row for halves in results.values() for row in halves.get(half, [])]
        if rows:
            print(metrics_table(half, rows, args.seed) + "\n")
    print(hybrid_table(results, args.seed))
    print(f"\nR@k: capped recall (hits in top k / min(k, documents needed)); a look-up needs one document, so it is "
          f"success@k. MRR counts a first hit within {DEPTH}. ms/q is the median per query; the first row to embed a "
          f"query text pays for it (later modes read the query-embedding cache). Wall time {time.perf_counter() - started:.0f}s.")
    return 0
