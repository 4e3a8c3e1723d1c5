"""Extraction throughput with 1 and 2 capped workers, and extraction time per format of the test files.

Run: `python -m bench.extract_throughput [--tribunal DIR] [--limit 200] [--repeat 5]`. The first table runs the
build's extraction step (indexer.pool.extract_in_order: capped extraction, metadata, chunking; OCR off, since
the scans would measure tesseract) over the first PDFs of the tribunal folder, best of two runs per worker
count in ABBA order, with the CPU seconds used (this process and the workers) and the load average before and
after each run: the machine's cores are shared, and with autogroup scheduling one session's share of a busy
machine does not grow with its number of processes.
The second table extracts one file of each format, made by tests/formatmaker.py, in-process and through the
capped worker (median of --repeat runs).
"""
from __future__ import annotations

import argparse
import os
import statistics
import tempfile
import time
from pathlib import Path

from bench.paths import SHARED_CORPUS
from config import load_config
from indexer import sandbox
from indexer.extract import extract
from indexer.ocr.tesseract import begin_build
from indexer.pool import extract_in_order
from indexer.sandbox import Limits
from indexer.sources import scan_corpus
from tests import formatmaker as fm
from tests import hostile_files as hf


def _load() -> str:
    return " ".join(f"{value:.2f}" for value in os.getloadavg())


def _workers_cpu() -> float:
    """CPU seconds used so far by the live extraction workers (children of the forkserver, not of this process)."""
    ticks = 0
    for worker in list(sandbox._workers.values()):
        if worker.process is not None:
            fields = Path(f"/proc/{worker.process.pid}/stat").read_text().rsplit(")", 1)[1].split()
            ticks += int(fields[11]) + int(fields[12])  # utime + stime
    return ticks / os.sysconf("SC_CLK_TCK")


def _pool_run(corpus: Path, workers: int) -> tuple[float, int, float, str, str]:
    """(wall seconds, documents, CPU seconds of this process and the workers, load before, load after)."""
    config = load_config({"corpus_dir": str(corpus), "extract_workers": workers, "ocr_enabled": False})
    begin_build(config)
    sources = scan_corpus(corpus)
    before, start, cpu = _load(), time.perf_counter(), time.process_time()
    documents = sum(len(items) for _src, items in extract_in_order(sources, config))
    seconds = time.perf_counter() - start
    cpu = time.process_time() - cpu + _workers_cpu()
    sandbox.shutdown()
    return seconds, documents, cpu, before, _load()


def throughput(tribunal: Path, limit: int) -> None:
    files = sorted(tribunal.glob("*.pdf"))[:limit]
    with tempfile.TemporaryDirectory() as folder:
        corpus = Path(folder) / "corpus"
        corpus.mkdir()
        for file in files:
            (corpus / file.name).symlink_to(file)
        runs: dict[int, list[tuple[float, int, float, str, str]]] = {1: [], 2: []}
        for workers in (1, 2, 2, 1):
            runs[workers].append(_pool_run(corpus, workers))
    print("| workers | files | best wall (s) | files/s | CPU s (CPU/wall) | load average before -> after (1, 5, 15 min) |")
    print("|---|---|---|---|---|---|")
    for workers, results in runs.items():
        seconds, documents, cpu, before, after = min(results)
        print(f"| {workers} | {documents} | {seconds:.1f} | {documents / seconds:.2f} | {cpu:.1f} ({cpu / seconds:.2f}) "
              f"| {before} -> {after} |")
    print(f"\nspeed-up 2 vs 1 workers: {min(runs[1])[0] / min(runs[2])[0]:.2f}x (machine: {os.cpu_count()} cores)")


def _samples(folder: Path) -> dict[str, Path]:
    docx = fm.docx(folder / "response.docx")
    return {"pdf (AES-256)": hf.encrypted_pdf(folder / "aes.pdf", hf.good_pdf(folder / "g.pdf"), "", "AES-256"),
            "docx": docx, "odt": fm.odt(folder / "response.odt"), "rtf": fm.rtf(folder / "response.rtf"),
            "xlsx (2 sheets)": fm.xlsx(folder / "fleet.xlsx"),
            "xlsx (10,000 rows)": fm.big_xlsx(folder / "payments.xlsx", 10_000),
            "csv": fm.csv_file(folder / "fleet.csv"),
            "eml (+ .docx attachment)": fm.eml(folder / "reply.eml", {"response.docx": docx.read_bytes()}),
            "msg (+ .docx attachment)": fm.msg(folder / "reply.msg", {"response.docx": docx.read_bytes()}),
            "zip (docx + eml)": fm.zip_file(folder / "bundle.zip", {"a/response.docx": docx.read_bytes(),
                                                                      "b/reply.eml": (folder / "reply.eml").read_bytes()})}


def _median_ms(action, repeat: int) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        action()
        times.append(time.perf_counter() - start)
    return statistics.median(times) * 1000


def per_format(repeat: int) -> None:
    config = load_config({})
    caps = Limits.from_config(config).caps
    print("\n| format (test file) | bytes | in-process extract (ms) | capped worker (ms) | members |")
    print("|---|---|---|---|---|")
    with tempfile.TemporaryDirectory() as folder:
        for name, path in _samples(Path(folder)).items():
            members = len(extract(path, caps).members)
            plain = _median_ms(lambda p=path: extract(p, caps, Path(tempfile.mkdtemp(dir=folder))), repeat)
            capped = _median_ms(lambda p=path: sandbox.extract_capped(p, config, caps, Path(tempfile.mkdtemp(dir=folder))),
                                repeat)
            print(f"| {name} | {path.stat().st_size:,} | {plain:.1f} | {capped:.1f} | {members} |")
    sandbox.shutdown()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tribunal", type=Path, default=SHARED_CORPUS / "tribunal")
    parser.add_argument("--limit", type=int, default=200)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--skip-throughput", action="store_true", help="only the per-format table")
    args = parser.parse_args()
    if not args.skip_throughput:
        if not args.tribunal.is_dir():
            print(f"{args.tribunal} is absent: throughput table skipped")
        else:
            throughput(args.tribunal, args.limit)
    per_format(args.repeat)


if __name__ == "__main__":
    main()
