"""Where benchmarks find the shared data and keep their whole-corpus index (override with FOI_* variables)."""
from __future__ import annotations

import argparse
import os
from pathlib import Path

from config import PROJECT_ROOT

SHARED_DIR = PROJECT_ROOT.parent / "shared"
SHARED_CORPUS = SHARED_DIR / "corpus"
# One whole-corpus index serves every benchmark; bench.index_corpus builds it.
BENCH_INDEX = PROJECT_ROOT / "var" / "bench-index"
BENCH_CACHE = PROJECT_ROOT / "var" / "cache"
RESULTS_DIR = PROJECT_ROOT / "bench" / "results"


def add_index_arguments(parser: argparse.ArgumentParser) -> None:
    """--index, --corpus and --cache, defaulting to FOI_* variables, else the benchmark index and shared corpus."""
    env = os.environ.get
    parser.add_argument("--index", type=Path, default=Path(env("FOI_INDEX_DIR", BENCH_INDEX)), help="index_dir")
    parser.add_argument("--corpus", type=Path, default=Path(env("FOI_CORPUS_DIR", SHARED_CORPUS)), help="corpus_dir")
    parser.add_argument("--cache", type=Path, default=Path(env("FOI_CACHE_DIR", BENCH_CACHE)), help="cache_dir")
