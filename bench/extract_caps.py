"""Cost of the per-file extraction caps: extract() in-process (no caps) against the capped worker.

Run: `python -m bench.extract_caps [--tribunal DIR] [--limit 200]`. Prints one table row per file set with
the total extraction time of each mode (best of two runs, in ABBA order so that load drift on a shared machine
hits both modes alike) and the overhead per file, then the worker start and restart times. The seed corpus is
extracted 40 times over: its files are tiny, so its row shows the fixed cost of the round trip to the worker.
"""
from __future__ import annotations

import argparse
import hashlib
import os
import time
from pathlib import Path

from bench.paths import SHARED_CORPUS
from config import PROJECT_ROOT, load_config
from indexer import sandbox
from indexer.extract import ExtractionError

NO_CAPS = {"extract_timeout_s": 0, "extract_memory_mb": 0}


def _worker_cpu() -> float:
    """CPU seconds used so far by the live extraction worker(s); 0 when extraction runs in-process."""
    ticks = 0
    for worker in sandbox._workers.values():
        if worker.process is not None:
            fields = Path(f"/proc/{worker.process.pid}/stat").read_text().rsplit(")", 1)[1].split()
            ticks += int(fields[11]) + int(fields[12])  # utime + stime
    return ticks / os.sysconf("SC_CLK_TCK")


def _run(files: list[Path], overrides: dict) -> tuple[float, float, float]:
    """(CPU seconds of this process and the worker, wall seconds, slowest file) to extract every file."""
    config = load_config(overrides)
    sandbox.shutdown()
    total, cpu, slowest = time.perf_counter(), time.process_time(), 0.0
    for file in files:
        start = time.perf_counter()
        try:
            sandbox.extract_capped(file, config)
        except ExtractionError:
            pass
        slowest = max(slowest, time.perf_counter() - start)
    cpu = time.process_time() - cpu + _worker_cpu()
    return cpu, time.perf_counter() - total, slowest


def _start_times() -> tuple[float, float]:
    """Seconds to start the worker the first time (forkserver included) and to restart it after a kill."""
    worker = sandbox.Worker(sandbox.Limits.from_config(load_config({})))
    start = time.perf_counter()
    worker._start()
    first = time.perf_counter() - start
    worker.stop()
    start = time.perf_counter()
    worker._start()
    again = time.perf_counter() - start
    worker.stop()
    return first, again


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tribunal", type=Path, default=SHARED_CORPUS / "tribunal")
    parser.add_argument("--limit", type=int, default=200)
    args = parser.parse_args()
    seeds = sorted(p for p in (PROJECT_ROOT / "corpus").rglob("*") if p.is_file())
    sets = {"seed corpus x40": seeds * 40,
            f"tribunal PDFs (first {args.limit})": sorted(args.tribunal.glob("*.pdf"))[: args.limit]}
    first, again = _start_times()
    print("| files | count | CPU no caps / capped (s) | wall no caps / capped (s) | CPU overhead per file (ms) |"
          " slowest file no caps / capped (s) |")
    print("|---|---|---|---|---|---|")
    for name, files in sets.items():
        for file in files:  # warm the page cache so neither mode pays for the first read
            hashlib.sha256(file.read_bytes())
        runs: dict[str, list[tuple[float, float, float]]] = {"capped": [], "plain": []}
        for mode in ("capped", "plain", "plain", "capped"):
            runs[mode].append(_run(files, {} if mode == "capped" else NO_CAPS))
        sandbox.shutdown()
        capped, plain = min(runs["capped"]), min(runs["plain"])
        overhead = (capped[0] - plain[0]) / max(len(files), 1) * 1000
        print(f"| {name} | {len(files)} | {plain[0]:.2f} / {capped[0]:.2f} | {plain[1]:.2f} / {capped[1]:.2f} | "
              f"{overhead:+.1f} | {plain[2]:.2f} / {capped[2]:.2f} |")
    print(f"\nworker start (forkserver + worker): {first:.3f} s; restart after a kill: {again:.3f} s")


if __name__ == "__main__":
    main()
