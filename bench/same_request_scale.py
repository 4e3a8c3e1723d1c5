"""Same-request lookups at 25,000 requests: `python -m bench.same_request_scale [--requests 25000]`.

A synthetic corpus made from the real requests in ../shared (disclosure-log pages, request threads, ICO notices,
seeds): every synthetic request is made of new sentences spliced from two real request sentences each (real
vocabulary, but distinct requests do not share whole sentences); some are sent to many authorities
(clusters of 2-45 whose members name their own authority from the gazetteer, renumber, drop a word, or stop early
like an excerpt), others answer one authority only, and some are same-topic variants (half the questions
swapped). The records go through the build's own signature code (indexer.request_index), then SameRequestIndex
opens them; the benchmark prints signing time, index load time and memory, lookup latency (wall clock and CPU time: on a
machine shared with other work the wall clock mostly measures the queue for a core), and pair recall and
precision against the synthetic truth. For comparison it also times datasketch's MinHashLSH on the same signatures.
"""
from __future__ import annotations

import argparse
import json
import random
import re
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path
from types import SimpleNamespace

from bench.paths import SHARED_DIR
from config import load_config
from indexer.extract import extract
from indexer.gazetteer import gazetteer
from indexer.metadata import extract_metadata
from indexer.request_index import TABLE_FILE, write_request_index
from service.search.same_request import SameRequestIndex

FOLDERS = (("same-request", "*.txt"), ("whatdotheyknow", "*.html"), ("seeds", "*.txt"), ("ico-notices", "*.txt"))
KINDS = ("police", "fire", "council", "nhs", "national_park")
# A draw makes a cluster (of 23 on average) this often, which puts about 40% of the records in clusters.
CLUSTERED_SHARE, VARIANT_SHARE = 0.03, 0.1
LOOKUPS = 1000


def real_sentences(shared: Path) -> list[str]:
    """Sentences of the real requests: the material every synthetic request is made of."""
    found: dict[str, None] = {}
    for folder, pattern in FOLDERS:
        for path in sorted((shared / "corpus" / folder).glob(pattern)):
            extracted = extract(path)
            request = extract_metadata(extracted.text, path.name, extracted.format, extracted.title_hint)["request_text"]
            for sentence in re.split(r"(?<=[.?!])\s+|\n+", request or ""):
                sentence = re.sub(r"^\s*(?:Q?\d{1,2}[.)]|[a-z][.)]|[-\u2022])\s*", "", sentence).strip()
                if len(sentence.split()) >= 6:
                    found.setdefault(sentence, None)
    return list(found)


def _member(base: list[str], name: str, rng: random.Random) -> str:
    """One authority's copy of a request: its own name, its own numbering, a dropped word, maybe cut short."""
    sentences = list(base)
    if rng.random() < 0.3:
        sentences = sentences[:max(2, int(len(sentences) * rng.uniform(0.4, 0.8)))]
    victim = rng.randrange(len(sentences))
    words = sentences[victim].split()
    if len(words) > 8:
        del words[rng.randrange(len(words))]
        sentences[victim] = " ".join(words)
    style = rng.choice(["{n}. ", "Q{n}. ", "{n}) ", "- "])
    lines = [style.format(n=n) + sentence for n, sentence in enumerate(sentences, start=1)]
    return f"Dear {name},\n" + "\n".join(lines).replace("your force", name).replace("your council", name)


def _splice(pool: list[str], rng: random.Random, year: int) -> str:
    """A new request sentence from two real ones (the start of one, the end of another), its years moved to the
    request's own: the vocabulary of real requests without sharing whole sentences between different requests."""
    first, second = rng.sample(pool, 2)
    head, tail = first.split(), second.split()
    sentence = " ".join(head[: max(3, len(head) // 2)] + tail[len(tail) // 2:])
    return re.sub(r"\b20[0-2]\d\b", lambda m: str(year - rng.randint(0, 3)), sentence)


def synthetic(count: int, pool: list[str], names: list[str], seed: int) -> tuple[list[dict], dict[str, int]]:
    """Records and each clustered record's cluster number."""
    rng = random.Random(seed)
    records, truth = [], {}
    while len(records) < count:
        year = rng.randint(2012, 2025)
        base = [_splice(pool, rng, year) for _ in range(rng.randint(3, 8))]
        roll = rng.random()
        size = rng.randint(2, 45) if roll < CLUSTERED_SHARE else 1
        if roll > 1 - VARIANT_SHARE and records:
            # Same topic, another request: the first questions of an earlier request, then questions of its own.
            earlier = records[-1]["_base"]
            base = earlier[: len(earlier) // 2] + base[len(earlier) // 2:]
        cluster = len(records)
        for name in rng.sample(names, min(size, count - len(records))):
            doc_id = f"doc-{len(records):06d}"
            records.append({"id": doc_id, "authority": name, "date": None, "request_text": _member(base, name, rng),
                            "_base": base})
            if size > 1:
                truth[doc_id] = cluster
    return records, truth


def _memory_mib() -> tuple[float, float]:
    """(resident, private) memory of this process: private leaves out file pages shared with the page cache
    (the memory-mapped signatures and requests) and with other processes."""
    fields = {}
    for line in Path("/proc/self/smaps_rollup").read_text().splitlines()[1:]:
        name, value = line.split(":", 1)
        fields[name] = int(value.split()[0]) / 1024
    return fields["Rss"], fields["Private_Clean"] + fields["Private_Dirty"]


def _percentiles(values: list[float]) -> str:
    ordered = sorted(values)
    pick = lambda share: ordered[min(len(ordered) - 1, int(share * len(ordered)))]  # noqa: E731
    return f"p50 {pick(0.5):.2f} ms, p95 {pick(0.95):.2f} ms, p99 {pick(0.99):.2f} ms, max {ordered[-1]:.2f} ms"


def _open(folder: Path, records: list[dict]) -> tuple[SameRequestIndex, tuple[float, float], tuple[float, float],
                                                      float]:
    """The index, its opening time (wall clock, CPU), the memory it added (resident, private) and its traced
    Python peak."""
    reader = SimpleNamespace(path=folder, documents={record["id"]: record for record in records})
    before = _memory_mib()
    started = time.perf_counter()
    started_cpu = time.process_time()
    index = SameRequestIndex(reader, load_config(env={}))
    elapsed, cpu = time.perf_counter() - started, time.process_time() - started_cpu
    after = _memory_mib()
    tracemalloc.start()
    SameRequestIndex(reader, load_config(env={}))
    peak = tracemalloc.get_traced_memory()[1] / 2**20
    tracemalloc.stop()
    return index, (elapsed, cpu), (after[0] - before[0], after[1] - before[1]), peak


def _quality(index: SameRequestIndex, truth: dict[str, int], ids: list[str]) -> tuple[float, float]:
    members: dict[int, set[str]] = {}
    for doc_id, cluster in truth.items():
        members.setdefault(cluster, set()).add(doc_id)
    right = found = expected = 0
    for doc_id in ids:
        linked = {other for other, _score, _evidence in index.matches(doc_id)}
        gold = members.get(truth.get(doc_id, -1), set()) - {doc_id}
        right, found, expected = right + len(linked & gold), found + len(linked), expected + len(gold)
    return right / max(1, expected), right / max(1, found)


def _datasketch(signatures) -> tuple[float, float]:
    from datasketch import LeanMinHash, MinHashLSH

    tracemalloc.start()
    started = time.perf_counter()
    lsh = MinHashLSH(threshold=0.5, num_perm=signatures.shape[1])
    for row, values in enumerate(signatures):
        lsh.insert(row, LeanMinHash(seed=1, hashvalues=values, scheme="affine32"), check_duplication=False)
    elapsed, peak = time.perf_counter() - started, tracemalloc.get_traced_memory()[1] / 2**20
    tracemalloc.stop()
    return elapsed, peak


def synthetic_arguments(description: str) -> argparse.ArgumentParser:
    """The command line of a benchmark over the synthetic request corpus."""
    parser = argparse.ArgumentParser(description=description)
    parser.add_argument("--shared", type=Path, default=SHARED_DIR)
    parser.add_argument("--requests", type=int, default=25_000)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--folder", type=Path, help="keep the signed requests here, and reuse them when present")
    return parser


def synthetic_corpus(args: argparse.Namespace) -> tuple[list[dict], dict[str, int]] | None:
    """(records, doc id -> true cluster) of args.requests synthetic requests; None (and a message) without
    ../shared."""
    if not (args.shared / "corpus" / "same-request").is_dir():
        print(f"skipped: {args.shared / 'corpus'} is absent (the shared data lives in ../shared)")
        return None
    pool = real_sentences(args.shared)
    names = sorted({body.name for body in gazetteer().authorities if body.kind in KINDS})
    records, truth = synthetic(args.requests, pool, names, args.seed)
    print(f"{len(records)} synthetic requests from {len(pool)} real request sentences and {len(names)} authority "
          f"names; {len(truth)} in clusters")
    return records, truth


def main(argv: list[str] | None = None) -> int:
    args = synthetic_arguments(__doc__.splitlines()[0]).parse_args(argv)
    corpus = synthetic_corpus(args)
    if corpus is None:
        return 0
    records, truth = corpus
    with tempfile.TemporaryDirectory(prefix="same-request-scale-") as scratch:
        folder = args.folder or Path(scratch)
        folder.mkdir(parents=True, exist_ok=True)
        if (folder / TABLE_FILE).is_file():
            written = len(json.loads((folder / TABLE_FILE).read_text(encoding="utf-8"))["ids"])
            print(f"reusing {written} signed requests in {folder}")
        else:
            started = time.perf_counter()
            written, _signed = write_request_index(folder, records)
            signing = time.perf_counter() - started
            print(f"signing (build side): {written} requests in {signing:.1f} s ({1000 * signing / written:.1f} ms "
                  f"each); on disk {sum(p.stat().st_size for p in folder.iterdir()) / 2**20:.1f} MiB")
        index, (load, load_cpu), (resident, private), peak = _open(folder, records)
        print(f"open SameRequestIndex: {1000 * load:.0f} ms ({1000 * load_cpu:.0f} ms CPU); memory added: resident "
              f"{resident:.1f} MiB, private "
              f"{private:.1f} MiB (traced Python peak while opening {peak:.1f} MiB)")
        rng = random.Random(args.seed)
        ids = rng.sample([record["id"] for record in records], LOOKUPS)
        timings, cpu = [], []
        for doc_id in ids:
            started, started_cpu = time.perf_counter(), time.process_time()
            index.matches(doc_id)
            timings.append(1000 * (time.perf_counter() - started))
            cpu.append(1000 * (time.process_time() - started_cpu))
        print(f"matches(), {LOOKUPS} documents, cold, wall clock: {_percentiles(timings)}")
        print(f"matches(), {LOOKUPS} documents, cold, CPU time: {_percentiles(cpu)}")
        warm = []
        for doc_id in ids[:200]:
            started = time.perf_counter()
            index.matches(doc_id)
            warm.append(1000 * (time.perf_counter() - started))
        print(f"matches(), the first 200 again (cached): {_percentiles(warm)}")
        cluster_timings, cluster_cpu = [], []
        for doc_id in rng.sample(list(truth), 200):
            started, started_cpu = time.perf_counter(), time.process_time()
            index.cluster(index.cluster_of(doc_id) or "")
            cluster_timings.append(1000 * (time.perf_counter() - started))
            cluster_cpu.append(1000 * (time.process_time() - started_cpu))
        print(f"cluster_of() + cluster(), 200 clustered documents, wall clock: {_percentiles(cluster_timings)}")
        print(f"cluster_of() + cluster(), 200 clustered documents, CPU time: {_percentiles(cluster_cpu)}")
        recall, precision = _quality(index, truth, ids)
        print(f"synthetic truth over the {LOOKUPS} looked-up documents: pair recall {recall:.3f}, precision {precision:.3f}")
        elapsed, memory = _datasketch(index.file.signatures[:, 0, :])
        print(f"for comparison, datasketch MinHashLSH(threshold 0.5) over the same {written} signatures: insert "
              f"{elapsed:.1f} s, traced peak {memory:.1f} MiB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
