"""Benchmark: gazetteer table size, load time, find() speed on real texts, and how many real authority labels resolve.

`python -m bench.gazetteer` loads the committed table in a fresh interpreter (load time is measured there), times
find() on the shared same-request pages, ICO notices, seeds and 2026 tribunal texts plus tribunal decision texts
from scale/tribunal-2524-text.tar.gz, and resolves the authority columns of labels/tribunal-metadata.csv
(Respondent.1, Public Agency in Question, Additional.Party.1; the Information Commissioner left out) and the `title`
of labels/ico-notices-2026.json, also counting only labels in the gazetteer's scope (not a person, parish or town
council, school or GP practice). It prints tables and the unresolved labels; the load average is printed too,
since wall-clock numbers taken while other work runs are noisy (CPU time per text is printed beside them).
"""
from __future__ import annotations

import argparse
import csv
import json
import os
import re
import statistics
import subprocess
import sys
import tarfile
import time
from collections import Counter
from pathlib import Path

from indexer.metadata_authority import looks_like_person

from bench.paths import SHARED_DIR
from indexer.gazetteer import canonical, find, gazetteer
from indexer.gazetteer.kinds import EXCLUDED
from indexer.gazetteer.table import TABLE_PATH

TRIBUNAL_COLUMNS = ("Respondent.1", "Public Agency in Question (Where it is not a respondent)", "Additional.Party.1")
TEXT_FOLDERS = ("same-request", "ico-notices", "seeds", "tribunal-2026")
# The Information Commissioner under its names since 1984, left out of the authority labels.
_COMMISSIONER = re.compile(r"information\s+commissioner|^\s*(?:the\s+)?ico\s*$|data\s+protection\s+(?:registrar|"
                           r"commissioner)", re.IGNORECASE)
_LOAD = "import time; t = time.perf_counter(); from indexer.gazetteer import gazetteer; gazetteer(); " \
        "print(time.perf_counter() - t)"


def _texts(shared: Path, tribunal_texts: int) -> list[tuple[str, str]]:
    """(name, text) of the shared .txt pages and of the first tribunal decision texts in the scale archive."""
    texts = [(path.name, path.read_text(encoding="utf-8", errors="replace"))
             for folder in TEXT_FOLDERS for path in sorted((shared / "corpus" / folder).glob("*.txt"))]
    archive = shared / "scale" / "tribunal-2524-text.tar.gz"
    if tribunal_texts and archive.is_file():
        with tarfile.open(archive) as tar:
            members = sorted((member for member in tar if member.isfile()), key=lambda member: member.name)
            for member in members[:tribunal_texts]:
                texts.append((member.name, tar.extractfile(member).read().decode("utf-8", errors="replace")))
    return texts


def _load_seconds(repeats: int) -> list[float]:
    """Table load and index build in fresh interpreters, as a service worker pays it once."""
    runs = []
    for _ in range(repeats):
        output = subprocess.run([sys.executable, "-c", _LOAD], capture_output=True, text=True, check=True)
        runs.append(float(output.stdout.strip()))
    return runs


def _find_timings(texts: list[tuple[str, str]]) -> dict:
    """Wall and CPU time of find() per text; CPU time is the steadier number on a shared machine."""
    gazetteer()
    wall, cpu, mentions, chars = [], [], 0, 0
    for _name, text in texts:
        started, started_cpu = time.perf_counter(), time.process_time()
        mentions += len(find(text))
        cpu.append((time.process_time() - started_cpu) * 1000)
        wall.append((time.perf_counter() - started) * 1000)
        chars += len(text)
    ordered = sorted(wall)
    return {"texts": len(texts), "chars": chars, "mentions": mentions, "wall_p50_ms": statistics.median(ordered),
            "wall_p95_ms": ordered[int(0.95 * (len(ordered) - 1))],
            "wall_ms_per_20k_chars": sum(wall) / chars * 20_000, "cpu_ms_per_20k_chars": sum(cpu) / chars * 20_000}


def _in_scope(label: str) -> bool:
    """A label the gazetteer means to cover: not a person, parish council, school or GP practice."""
    return not EXCLUDED.search(label) and not looks_like_person(label)


def _rate(part: int, whole: int) -> str:
    return f"{part / whole:.1%}" if whole else "-"


def _resolution(labels: list[tuple[str, str, str | None]]) -> tuple[list[dict], dict[str, Counter]]:
    """Per source: labels, how many resolve to a body (all, and those in the gazetteer's scope), the misses."""
    rows, unresolved = [], {}
    for source in dict.fromkeys(source for source, _label, _day in labels):
        chosen = [(label, day, canonical(label, on=day) is not None) for name, label, day in labels
                  if name == source]
        scoped = [found for label, _day, found in chosen if _in_scope(label)]
        resolved = sum(found for _label, _day, found in chosen)
        rows.append({"labels": source, "n": len(chosen), "resolved": resolved, "rate": _rate(resolved, len(chosen)),
                     "n_in_scope": len(scoped), "resolved_in_scope": sum(scoped),
                     "rate_in_scope": _rate(sum(scoped), len(scoped))})
        unresolved[source] = Counter(label for label, _day, found in chosen if not found)
    return rows, unresolved


def _labels(shared: Path) -> list[tuple[str, str, str | None]]:
    """(column, label, document date) for every non-empty authority label but the Information Commissioner."""
    labels = []
    with open(shared / "labels" / "tribunal-metadata.csv", encoding="utf-8-sig") as handle:
        for row in csv.DictReader(handle):
            day = row.get("Date of Promulgation/ Decision. Check") or None
            day = day if day and re.match(r"\d{4}-\d\d-\d\d", day) else None
            for column in TRIBUNAL_COLUMNS:
                value = (row.get(column) or "").strip()
                if value and not _COMMISSIONER.search(value) and value != "Manual Review":
                    labels.append((column, value, day))
    notices = json.loads((shared / "labels" / "ico-notices-2026.json").read_text(encoding="utf-8"))
    labels += [("ico-notices-2026 title", notice["title"], notice.get("date")) for notice in notices]
    return labels


def _print_table(title: str, rows: list[dict]) -> None:
    print(f"\n{title}")
    columns = list(rows[0])
    widths = [max(len(str(column)), *(len(str(row[column])) for row in rows)) for column in columns]
    print("  ".join(str(column).ljust(width) for column, width in zip(columns, widths, strict=True)))
    for row in rows:
        print("  ".join(str(row[column]).ljust(width) for column, width in zip(columns, widths, strict=True)))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.gazetteer", description=__doc__.splitlines()[0])
    parser.add_argument("--shared", type=Path, default=SHARED_DIR, help="the shared data folder (../shared)")
    parser.add_argument("--tribunal-texts", type=int, default=200, help="tribunal decision texts to scan")
    parser.add_argument("--load-repeats", type=int, default=3, help="fresh interpreters timing the table load")
    parser.add_argument("--show-unresolved", type=int, default=25, help="unresolved labels listed per source")
    args = parser.parse_args(argv)
    if not (args.shared / "labels" / "tribunal-metadata.csv").is_file():
        print(f"bench.gazetteer: {args.shared} is absent; this benchmark reads the shared data", file=sys.stderr)
        return 2
    table = gazetteer()
    loads = _load_seconds(args.load_repeats)
    _print_table("Table", [{"rows": len(table.authorities), "aliases": sum(len(a.aliases) for a in table.authorities),
                            "index_keys": len(table.index), "bytes": TABLE_PATH.stat().st_size,
                            "load_s_min": f"{min(loads):.2f}", "load_s_max": f"{max(loads):.2f}",
                            "loadavg": " ".join(f"{value:.2f}" for value in os.getloadavg())}])
    timings = _find_timings(_texts(args.shared, args.tribunal_texts))
    _print_table("find()", [{key: f"{value:.2f}" if isinstance(value, float) else value
                             for key, value in timings.items()}])
    rows, unresolved = _resolution(_labels(args.shared))
    _print_table("Authority labels resolving to a body", rows)
    for source, missed in unresolved.items():
        if missed and args.show_unresolved:
            shown = "; ".join(f"{label!r}x{count}" if count > 1 else repr(label)
                              for label, count in missed.most_common(args.show_unresolved))
            print(f"\nunresolved {source} ({sum(missed.values())}): {shown}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
