"""Where benchmarks find the shared data and keep their whole-corpus index (override with FOI_* variables)."""
from __future__ import annotations

from config import PROJECT_ROOT

SHARED_DIR = PROJECT_ROOT.parent / "shared"
SHARED_CORPUS = SHARED_DIR / "corpus"
# One whole-corpus index serves every benchmark; bench.index_corpus builds it.
BENCH_INDEX = PROJECT_ROOT / "var" / "bench-index"
BENCH_CACHE = PROJECT_ROOT / "var" / "cache"
RESULTS_DIR = PROJECT_ROOT / "bench" / "results"
