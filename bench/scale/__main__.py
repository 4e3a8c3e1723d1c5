"""Scale benchmark: build, serve and measure indexes of 616, 1,262 and 2,524 tribunal decisions.

`python -m bench.scale [--sizes 616,1262,2524]` unpacks ../shared/scale/tribunal-2524-text.tar.gz under var/scale/
(never into the project's tracked files), takes seeded nested subsets of the texts (each size holds the smaller
ones), and for each size, smallest first: builds a fresh index with the real `python -m indexer build` (all
builds share one embedding cache, so a larger subset embeds only its new passages), then serves it with 2
preloaded gunicorn workers and measures hybrid search at concurrency 1 and 16, related documents and search by
document (1,500 words). Prints the build and serving tables, writes bench/results/scale.json after every size
and bench/results/scale.png at the end. The full run embeds ~70,000 passages: try it first with --sizes 40,80,160.
"""
from __future__ import annotations

import argparse
import json
import os
import platform
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

from bench.paths import RESULTS_DIR
from bench.scale.build import build, built_index
from bench.scale.corpus import ARCHIVE, SEED, WORK_DIR, materialise, nested_subsets, unpack
from bench.scale.report import build_table, embedding_note, plot, serving_table
from bench.scale.serve import Load, measure_serving
from config import PROJECT_ROOT, load_config


def _parse(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m bench.scale", description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="616,1262,2524", help="comma-separated numbers of texts, nested subsets")
    parser.add_argument("--seed", type=int, default=SEED, help="seed of the shuffle the subsets are cut from")
    parser.add_argument("--archive", type=Path, default=ARCHIVE, help="tar.gz of the tribunal texts")
    parser.add_argument("--work", type=Path, default=WORK_DIR, help="where texts, corpora, indexes and logs go")
    parser.add_argument("--cache", type=Path, default=Path(os.environ.get("FOI_CACHE_DIR", WORK_DIR / "cache")),
                        help="embedding cache shared by every build (default FOI_CACHE_DIR, else WORK/cache)")
    parser.add_argument("--skip-build", action="store_true", help="measure the indexes a previous run left in WORK")
    parser.add_argument("--no-serve", action="store_true", help="builds only")
    parser.add_argument("--workers", type=int, default=Load.workers)
    parser.add_argument("--searches", type=int, default=Load.searches, help="hybrid searches per concurrency")
    parser.add_argument("--related", type=int, default=Load.related, help="related requests")
    parser.add_argument("--similar", type=int, default=Load.similar, help="search-by-document requests")
    parser.add_argument("--out", type=Path, default=RESULTS_DIR / "scale.json", help="JSON results; the PNG is beside it")
    return parser.parse_args(argv)


def _environment(args: argparse.Namespace) -> dict[str, Any]:
    config = load_config()
    commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=PROJECT_ROOT, capture_output=True, text=True)
    return {"archive": str(args.archive), "seed": args.seed, "cache": str(args.cache), "cpus": os.cpu_count(),
            "python": platform.python_version(), "commit": commit.stdout.strip() or None,
            "model": config.model_name, "vector_dtype": config.vector_dtype, "embed_batch_size": config.embed_batch_size,
            "started_at": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())}


def _load() -> float:
    return round(os.getloadavg()[0], 2)


def run_size(size: int, texts: list[Path], args: argparse.Namespace) -> dict[str, Any]:
    """Build (or reuse) and serve the index of one subset; the measurements of both."""
    corpus = args.work / f"corpus-{size}"
    index = args.work / f"index-{size}"
    result: dict[str, Any] = {"documents": size, "load_before_build": _load()}
    if args.skip_build:
        result["build"] = {**built_index(index), "wall_seconds": None, "peak_rss_mib": None}
    else:
        materialise(texts, corpus)
        print(f"\n== {size:,} texts: building {index} (log {args.work / f'build-{size}.log'})", flush=True)
        result["build"] = build(corpus, index, args.cache, args.work / f"build-{size}.log")
    b = result["build"]
    print(f"   {b['documents']:,} documents, {b['passages']:,} passages ({b['embedded']:,} embedded, "
          f"{b['from_cache']:,} from the cache) in {b['build_seconds']:.1f} s; stages {b['stages']}", flush=True)
    if not args.no_serve:
        result["load_before_serving"] = _load()
        print(f"   serving with {args.workers} workers ...", flush=True)
        load = Load(args.workers, args.searches, args.related, args.similar)
        result["serving"] = measure_serving({"index_dir": index, "corpus_dir": corpus, "cache_dir": args.cache}, load)
        result["load_after_serving"] = _load()
        cells = result["serving"]["cells"]
        print("   " + ", ".join(f"{name} p50 {c['p50_ms']} p95 {c['p95_ms']} ms ({c['errors']} errors)"
                                 for name, c in cells.items()), flush=True)
    return result


def _write(out: Path, payload: dict[str, Any]) -> None:
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(payload, indent=1) + "\n", encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    args = _parse(argv)
    if not args.archive.is_file():
        print(f"skipped: {args.archive} is absent (the shared data folder is not beside the project)", file=sys.stderr)
        return 0
    args.work, args.cache = args.work.resolve(), args.cache.resolve()
    sizes = sorted({int(s) for s in args.sizes.split(",")})
    subsets = nested_subsets(unpack(args.archive, args.work / "tribtxt"), sizes, args.seed)
    payload: dict[str, Any] = {"environment": _environment(args), "sizes": []}
    for size in sizes:
        payload["sizes"].append(run_size(size, subsets[size], args))
        _write(args.out, payload)
    sizes_done = payload["sizes"]
    print("\nbuilds\n" + build_table(sizes_done) + "\n\nembedding cache\n" + embedding_note(sizes_done))
    if not args.no_serve:
        print("\nserving (2 preloaded workers, 15 topical queries)\n" + serving_table(sizes_done))
    print("\nload average per size (build, serving): " + ", ".join(
        f"{s['documents']}: {s['load_before_build']}, {s.get('load_before_serving', '-')}" for s in sizes_done))
    picture = plot(sizes_done, args.out.with_suffix(".png"))
    print(f"wrote {args.out} and {picture}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
