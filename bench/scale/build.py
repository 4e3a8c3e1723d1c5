"""One scale build: `python -m indexer build` in a child process, with its stage timings, sizes and peak memory."""
from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

from bench.index_corpus import index_sizes
from config import PROJECT_ROOT

# Exit codes of `python -m indexer build` that still leave a current generation (2: some files failed).
BUILT = (0, 2)


def _run(command: list[str], env: dict[str, str], log_path: Path) -> tuple[int, float, int]:
    """(exit status, wall seconds, peak RSS in KiB of the child and the processes it waited for)."""
    started = time.monotonic()
    with open(log_path, "wb") as log:
        process = subprocess.Popen(command, cwd=PROJECT_ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
        # wait4 rather than wait: the rusage of this one child, where RUSAGE_CHILDREN would mix all builds.
        _, status, usage = os.wait4(process.pid, 0)
    process.returncode = os.waitstatus_to_exitcode(status)
    return process.returncode, time.monotonic() - started, usage.ru_maxrss


def build(corpus: Path, index: Path, cache: Path, log_path: Path) -> dict[str, Any]:
    """A first build of corpus into a fresh index folder, vectors from (and into) the shared cache."""
    if index.exists():
        shutil.rmtree(index)
    env = {**os.environ, "HF_HUB_OFFLINE": "1", "TRANSFORMERS_OFFLINE": "1"}
    command = [sys.executable, "-m", "indexer", "build", "--corpus", str(corpus), "--index", str(index),
               "--cache", str(cache), "--no-progress"]
    status, seconds, peak_kib = _run(command, env, log_path)
    if status not in BUILT:
        raise RuntimeError(f"build of {corpus} exited with {status}; see {log_path}")
    result = built_index(index)
    result.update({"wall_seconds": round(seconds, 1), "peak_rss_mib": round(peak_kib / 1024, 1),
                   "exit_status": status, "log": str(log_path)})
    return result


def built_index(index: Path) -> dict[str, Any]:
    """Counts, stage timings and on-disk sizes of index's current generation, from its build report."""
    report = json.loads((index / "last-report.json").read_text(encoding="utf-8"))
    summary, timings = report["summary"], report["timings"]
    generation = (index / "CURRENT").read_text(encoding="utf-8").strip()
    embedded = summary["embedded"]
    return {
        "index": str(index), "generation": generation, "files": summary["files"], "documents": summary["indexed"],
        "failed": summary["failed"], "failures_by_reason": summary.get("failures_by_reason", {}),
        "passages": summary["passages"], "embedded": embedded, "from_cache": summary["cached_vectors"],
        "build_seconds": summary["seconds"], "stages": timings,
        # Only passages that went through the model count: cache hits would flatter the rate.
        "embedded_per_s": round(embedded / timings["embed"], 1) if embedded and timings.get("embed") else None,
        "size_mib": index_sizes(index / "generations" / generation),
    }
