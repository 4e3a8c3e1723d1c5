"""Same request to other authorities on the labelled real clusters: `python -m bench.same_request [--index DIR]`.

Indexes ../shared/corpus/same-request (16 clusters of one request answered by 2-5 authorities, and 36 pages on the
same topics answering other requests) with the real build into a temporary folder (or reads an index already
built from it with --index), then scores SameRequestIndex against labels/same-request-clusters.json.

The clusters (and the distractors) are split in two halves by name, alternately. The thresholds are chosen on the
tuning half only: among the (threshold, max gap) settings whose direct links reach the recall target (0.9) with the
best precision there, the median threshold and the median gap, which keeps the widest margin on both sides. Both
halves are reported at the chosen values (and at the shipped defaults, if those differ).
"""
from __future__ import annotations

import argparse
import itertools
import json
import sys
import tempfile
import time
from pathlib import Path

from bench.paths import BENCH_CACHE, SHARED_DIR
from config import load_config
from indexer.reader import IndexReader, open_index
from service.search.same_request import SameRequestIndex

THRESHOLDS = tuple(round(0.40 + 0.05 * step, 2) for step in range(11))
GAPS = (0.05, 0.1, 0.2)
RECALL_TARGET = 0.9


def _build(corpus: Path, folder: Path, cache: Path) -> IndexReader:
    from indexer.build import build_index

    config = load_config({"corpus_dir": corpus, "index_dir": folder, "cache_dir": cache, "progress": False})
    started = time.perf_counter()
    build_index(config)
    print(f"indexed {corpus} in {time.perf_counter() - started:.0f} s")
    return open_index(config)


def _labels(shared: Path, reader: IndexReader) -> tuple[dict[str, list[str]], list[str]]:
    """Cluster name -> document ids, and the distractors' ids."""
    labels = json.loads((shared / "labels" / "same-request-clusters.json").read_text(encoding="utf-8"))
    by_name = {Path(record["path"]).name: doc_id for doc_id, record in reader.documents.items()}
    clusters = {name: [by_name[Path(path).name] for path in value["docs"]]
                for name, value in sorted(labels["clusters"].items())}
    return clusters, [by_name[Path(path).name] for path in labels["distractors"]]


def _pairs(groups: list[list[str]]) -> set[frozenset[str]]:
    return {frozenset(pair) for group in groups for pair in itertools.combinations(group, 2)}


def _found(index: SameRequestIndex, docs: set[str], components: bool) -> set[frozenset[str]]:
    """Links among `docs`: direct matches, or every pair in one connected component (restricted to `docs`)."""
    if not components:
        return {frozenset((doc, other)) for doc in docs for other, _s, _e in index.matches(doc) if other in docs}
    groups = []
    for doc in sorted(docs):
        cluster = index.cluster_of(doc)
        if cluster:
            groups.append([member for member in index.cluster(cluster) if member in docs])
    return _pairs(groups)


def _score(found: set, gold: set) -> tuple[int, int, int, float, float]:
    hits = len(found & gold)
    return len(gold), len(found), hits, hits / max(1, len(gold)), hits / max(1, len(found))


def _index(reader: IndexReader, **settings) -> SameRequestIndex:
    return SameRequestIndex(reader, load_config(settings, env={}))


def _choose(reader: IndexReader, docs: set[str], gold: set) -> tuple[float, float]:
    print("\ntuning half, direct links: threshold x max gap -> recall / precision")
    results = {}
    for threshold, gap in itertools.product(THRESHOLDS, GAPS):
        found = _found(_index(reader, same_request_threshold=threshold, same_request_max_gap=gap), docs, False)
        results[threshold, gap] = _score(found, gold)[3:]
        print(f"  {threshold:.2f} x {gap:.2f} -> {results[threshold, gap][0]:.3f} / {results[threshold, gap][1]:.3f}")
    reaching = {key: value for key, value in results.items() if value[0] >= RECALL_TARGET} or results
    best = max(precision for _recall, precision in reaching.values())
    accepted = sorted(key for key, value in reaching.items() if value[1] == best)
    thresholds = sorted({threshold for threshold, _gap in accepted})
    gaps = sorted({gap for _threshold, gap in accepted})
    chosen = (thresholds[(len(thresholds) - 1) // 2], gaps[(len(gaps) - 1) // 2])
    print(f"chosen on the tuning half: threshold {chosen[0]}, max gap {chosen[1]} (median of thresholds "
          f"{thresholds[0]}-{thresholds[-1]} and gaps {gaps[0]}-{gaps[-1]} reaching recall {RECALL_TARGET} "
          f"at precision {best:.3f})")
    return chosen


def _per_cluster(index: SameRequestIndex, clusters: dict[str, list[str]], everything: set[str]) -> None:
    print(f"\n{'cluster':40} {'docs':>4} {'pairs':>5} {'found':>5} {'component':>9} {'false links':>11}")
    for name, members in clusters.items():
        gold = _pairs([members])
        direct = {frozenset((doc, other)) for doc in members for other, _s, _e in index.matches(doc)}
        cluster = index.cluster_of(members[0])
        component = set(index.cluster(cluster)) if cluster else {members[0]}
        wrong = len({pair for pair in direct if not pair <= set(members)})
        print(f"{name:40} {len(members):>4} {len(gold):>5} {len(direct & gold):>5} "
              f"{len(component & set(members))}/{len(members):<7} {wrong:>11}")


def _report(reader: IndexReader, clusters: dict, distractors: list[str], threshold: float, gap: float) -> None:
    names = list(clusters)
    halves = {"tuning": names[0::2], "held-out": names[1::2]}
    print(f"\nthreshold {threshold}, max gap {gap}")
    print(f"{'half':9} {'links':10} {'gold':>5} {'found':>5} {'right':>5} {'recall':>7} {'precision':>9}")
    index = _index(reader, same_request_threshold=threshold, same_request_max_gap=gap)
    for half, picked in [*halves.items(), ("all", names)]:
        half_distractors = distractors[0::2] if half == "tuning" else distractors[1::2] if half == "held-out" else distractors
        docs = {doc for name in picked for doc in clusters[name]} | set(half_distractors)
        gold = _pairs([clusters[name] for name in picked])
        for kind, components in (("direct", False), ("clusters", True)):
            n, found, hits, recall, precision = _score(_found(index, docs, components), gold)
            print(f"{half:9} {kind:10} {n:>5} {found:>5} {hits:>5} {recall:>7.3f} {precision:>9.3f}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--shared", type=Path, default=SHARED_DIR)
    parser.add_argument("--index", type=Path, help="an index already built from the same-request folder")
    parser.add_argument("--cache", type=Path, default=BENCH_CACHE, help="embedding cache for the build")
    args = parser.parse_args(argv)
    corpus = args.shared / "corpus" / "same-request"
    if not corpus.is_dir():
        print(f"skipped: {corpus} is absent (the shared data lives in ../shared)")
        return 0
    with tempfile.TemporaryDirectory(prefix="same-request-") as scratch:
        reader = (open_index(load_config({"index_dir": args.index, "corpus_dir": corpus}, env={})) if args.index
                  else _build(corpus, Path(scratch) / "index", args.cache))
        clusters, distractors = _labels(args.shared, reader)
        started = time.perf_counter()
        default_index = _index(reader)
        print(f"{len(default_index.position)} requests; index opened in {1000 * (time.perf_counter() - started):.1f} ms")
        _per_cluster(default_index, clusters, set(reader.documents))
        tuning = set(itertools.chain(*(clusters[name] for name in list(clusters)[0::2]), distractors[0::2]))
        threshold, gap = _choose(reader, tuning, _pairs([clusters[name] for name in list(clusters)[0::2]]))
        _report(reader, clusters, distractors, threshold, gap)
        defaults = load_config(env={})
        if (threshold, gap) != (defaults.same_request_threshold, defaults.same_request_max_gap):
            _report(reader, clusters, distractors, defaults.same_request_threshold, defaults.same_request_max_gap)
    return 0


if __name__ == "__main__":
    sys.exit(main())
