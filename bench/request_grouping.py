"""Cost of folding search results by request: `python -m bench.request_grouping [--requests 25000] [--folder DIR]`.

The synthetic requests of bench.same_request_scale (real request sentences from ../shared, spliced; 40% of them in
clusters sent to 2-45 authorities) are signed by the build's code; then each trial takes a ranked list of results
(random documents, with the members of a few clusters mixed in, as a query on a clustered request returns them) and
folds its top `same_request_group_depth` with service.search.request_groups.fold_by_request, first with the
per-process caches empty (a new query) and then warm (the same query again). Prints wall clock and CPU time per
fold, how many results were folded, and the CPU time of naming the request clusters of the first page (each
result's request_cluster): read from the table the build stores (indexer/request_clusters.py, whose build time it
also prints), and for comparison walked on demand by the matcher, as generations built before the table do.
"""
from __future__ import annotations

import json
import random
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from types import SimpleNamespace

from bench.same_request_scale import _percentiles, synthetic_arguments, synthetic_corpus
from config import Settings, load_config
from indexer.request_clusters import CLUSTERS_FILE, write_request_clusters
from indexer.request_file import RequestFile
from indexer.request_index import TABLE_FILE, write_request_index
from indexer.same_request import RequestMatcher
from service.search.request_groups import fold_by_request
from service.search.same_request import SameRequestIndex

TRIALS = 10
RESULTS = 2000
PAGE = 20


def _ranked(rng: random.Random, ids: list[str], clusters: dict[int, list[str]]) -> list[str]:
    """A result list: random documents with three clusters' members spread through its top."""
    chosen = rng.sample(sorted(clusters), 3)
    members = [doc_id for number in chosen for doc_id in clusters[number]]
    rest = [doc_id for doc_id in rng.sample(ids, RESULTS) if doc_id not in set(members)]
    for doc_id in members:
        rest.insert(rng.randrange(0, 200), doc_id)
    return rest[:RESULTS]


def _fold(index: RequestMatcher, order: list[str], depth: int) -> tuple[float, float, int, float]:
    """Wall clock and CPU ms of the fold, results folded, and CPU ms of naming the first page's clusters."""
    started, started_cpu = time.perf_counter(), time.process_time()
    folded = fold_by_request(range(len(order)), order, index, depth)
    wall, cpu = time.perf_counter() - started, time.process_time() - started_cpu
    started_cpu = time.process_time()
    for position in folded.order[:PAGE]:
        index.cluster_of(order[position])
    return 1000 * wall, 1000 * cpu, len(order) - len(folded.order), 1000 * (time.process_time() - started_cpu)


def _trials(open_index: Callable[[], RequestMatcher], records: list[dict], clusters: dict[int, list[str]],
            seed: int, config: Settings) -> tuple[list[tuple], list[tuple]]:
    """TRIALS folds of new result lists, each with empty caches (a query this process has not seen), then again."""
    rng = random.Random(seed)
    ids = [record["id"] for record in records]
    cold, warm = [], []
    for _trial in range(TRIALS):
        index = open_index()
        order = _ranked(rng, ids, clusters)
        cold.append(_fold(index, order, config.same_request_group_depth))
        warm.append(_fold(index, order, config.same_request_group_depth))
    return cold, warm


def main(argv: list[str] | None = None) -> int:
    args = synthetic_arguments(__doc__.splitlines()[0]).parse_args(argv)
    corpus = synthetic_corpus(args)
    if corpus is None:
        return 0
    records, truth = corpus
    clusters: dict[int, list[str]] = {}
    for doc_id, number in truth.items():
        clusters.setdefault(number, []).append(doc_id)
    config = load_config(env={})
    with tempfile.TemporaryDirectory(prefix="request-grouping-") as scratch:
        folder = args.folder or Path(scratch)
        folder.mkdir(parents=True, exist_ok=True)
        if not (folder / TABLE_FILE).is_file() or len(json.loads((folder / TABLE_FILE).read_text())["ids"]) != len(records):
            write_request_index(folder, records)
        if not (folder / CLUSTERS_FILE).is_file():
            started, started_cpu = time.perf_counter(), time.process_time()
            write_request_clusters(folder, config)
            print(f"build side, every document's cluster (request_clusters.json): {time.perf_counter() - started:.1f} s"
                  f" wall clock, {time.process_time() - started_cpu:.1f} s CPU")
        reader = SimpleNamespace(path=folder, documents={record["id"]: record for record in records})
        opens = {"stored table": lambda: SameRequestIndex(reader, config),
                 "on demand": lambda: RequestMatcher(RequestFile(folder), reader.documents, config)}
        runs = {name: _trials(open_index, records, clusters, args.seed, config) for name, open_index in opens.items()}
    depth = config.same_request_group_depth
    print(f"{len(records)} requests, {len(truth)} in {len(clusters)} clusters; {TRIALS} result lists of {RESULTS}, "
          f"folded over the top {depth}")
    print(f"| clusters | caches | wall clock per fold | CPU per fold | results folded (mean) | CPU naming the clusters "
          f"of a page of {PAGE} (request_cluster) |")
    print("|---|---|---|---|---|---|")
    for name, (cold, warm) in runs.items():
        for caches, trials in (("cold", cold), ("warm", warm)):
            print(f"| {name} | {caches} | {_percentiles([r[0] for r in trials])} | "
                  f"{_percentiles([r[1] for r in trials])} | {sum(r[2] for r in trials) / len(trials):.1f} | "
                  f"{_percentiles([r[3] for r in trials])} |")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
