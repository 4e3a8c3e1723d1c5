"""Benchmark: full build of the shared corpus, then a rebuild of the unchanged corpus; prints a table and JSON."""
from __future__ import annotations

import argparse
import json
import logging
import os
import resource
import sys
import time
from pathlib import Path
from typing import Any

from bench.paths import BENCH_INDEX, RESULTS_DIR, SHARED_CORPUS
from config import Settings, load_config

DEFAULT_INDEX = BENCH_INDEX
RESULTS = RESULTS_DIR / "index_corpus.json"


def _parse(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m bench.index_corpus", description=__doc__)
    parser.add_argument("--corpus", metavar="DIR", help=f"corpus to index (default {SHARED_CORPUS})")
    parser.add_argument("--index", metavar="DIR",
                        help=f"index folder (default FOI_INDEX_DIR, else {DEFAULT_INDEX}); its generations are replaced")
    parser.add_argument("--no-progress", action="store_true", help="hide progress bars")
    return parser.parse_args(argv)


def _peak_rss_mb() -> float:
    # ru_maxrss is in KiB on Linux; children covers anything the build forked.
    peak = max(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)
    return peak / 1024


def _size_mb(paths: list[Path]) -> float:
    total = 0
    for path in paths:
        files = [path] if path.is_file() else [p for p in path.rglob("*") if p.is_file()]
        total += sum(p.stat().st_size for p in files)
    return round(total / 2**20, 2)


def index_sizes(gen_dir: Path) -> dict[str, float]:
    """MiB on disk of each part of a generation."""
    parts = {
        "keyword": [gen_dir / "keyword"],
        "vectors": [gen_dir / "vectors.npy", gen_dir / "vectors.json"],
        "text": [gen_dir / "text"],
        "records": [gen_dir / "documents.jsonl", gen_dir / "passages.jsonl"],
    }
    sizes = {name: _size_mb([p for p in paths if p.exists()]) for name, paths in parts.items()}
    sizes["total"] = _size_mb([gen_dir])
    return sizes


def _timed_build(config: Settings, full: bool, progress: bool) -> tuple[Any, float]:
    from indexer.build import build_index

    start = time.monotonic()
    result = build_index(config, progress=progress, full=full)
    return result, time.monotonic() - start


def run(config: Settings, progress: bool) -> dict[str, Any]:
    first, first_seconds = _timed_build(config, True, progress)
    peak = _peak_rss_mb()
    second, second_seconds = _timed_build(config, False, progress)
    summary, timings = first.report["summary"], first.report["timings"]
    return {
        "corpus": str(config.corpus_dir),
        "documents": summary["indexed"],
        "files": summary["files"],
        "failed": summary["failed"],
        "needs_ocr": summary["needs_ocr"],
        "extraction_seconds": timings["extract"],
        "extraction_docs_per_s": round(summary["files"] / max(timings["extract"], 1e-9), 2),
        "passages": summary["passages"],
        "embedded": summary["embedded"],
        "embedding_seconds": timings["embed"],
        # Only passages that went through the model count; cache hits would flatter the rate.
        "embedding_passages_per_s": round(summary["embedded"] / max(timings["embed"], 1e-9), 2),
        "total_seconds": round(first_seconds, 2),
        "peak_rss_mb": round(peak, 1),
        "index_mb": index_sizes(Path(config.index_dir) / "generations" / first.generation),
        "rebuild_seconds": round(second_seconds, 2),
        "rebuild_ratio": round(second_seconds / first_seconds, 4),
        "rebuild_reused": second.report["summary"]["reused"],
        "rebuild_embedded": second.report["summary"]["embedded"],
        "phases": timings,
    }


def format_table(r: dict[str, Any]) -> str:
    sizes = r["index_mb"]
    rows = [
        ("documents", f"{r['documents']} of {r['files']} files ({r['failed']} failed, {r['needs_ocr']} needs_ocr)"),
        ("extraction", f"{r['extraction_docs_per_s']} docs/s ({r['extraction_seconds']:.1f}s)"),
        ("passages", f"{r['passages']} ({r['embedded']} embedded, rest from cache)"),
        ("embedding", f"{r['embedding_passages_per_s']} passages/s embedded ({r['embedding_seconds']:.1f}s incl. model load)"),
        ("total time", f"{r['total_seconds']:.1f}s"),
        ("peak memory", f"{r['peak_rss_mb']:.0f} MiB (max RSS)"),
        ("index size", f"{sizes['total']} MiB: keyword {sizes['keyword']}, vectors {sizes['vectors']}, "
                       f"text {sizes['text']}, records {sizes['records']}"),
        ("rebuild", f"{r['rebuild_seconds']:.2f}s = {r['rebuild_ratio']:.2%} of the first build "
                    f"({r['rebuild_reused']} reused, {r['rebuild_embedded']} embedded)"),
    ]
    width = max(len(name) for name, _ in rows)
    return "\n".join(f"{name:<{width}}  {value}" for name, value in rows)


def main(argv: list[str] | None = None) -> int:
    args = _parse(argv)
    corpus = Path(args.corpus) if args.corpus else SHARED_CORPUS
    if not corpus.is_dir():
        print(f"skipped: corpus {corpus} is absent (the shared data folder is not beside the project)")
        return 0
    logging.basicConfig(level=logging.INFO, stream=sys.stderr, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    index = args.index or os.environ.get("FOI_INDEX_DIR") or DEFAULT_INDEX
    config = load_config({"corpus_dir": str(corpus.resolve()), "index_dir": str(Path(index).resolve())})
    results = run(config, progress=not args.no_progress)
    print(format_table(results))
    print(json.dumps(results, indent=2))
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
