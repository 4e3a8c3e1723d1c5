"""The scale benchmark's tables (markdown, for the README) and its plot of cost against documents."""
from __future__ import annotations

from pathlib import Path
from typing import Any

STAGES = ("scan", "extract", "embed", "write")
PARTS = ("keyword", "vectors", "text", "records")


def _cell(size: dict, name: str, key: str) -> float | None:
    return (size.get("serving") or {}).get("cells", {}).get(name, {}).get(key)


def _fmt(value: Any, digits: int = 0) -> str:
    if value is None:
        return "-"
    return f"{value:,.{digits}f}" if isinstance(value, float) else f"{value:,}"


def _table(header: list[str], rows: list[list[str]]) -> str:
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    return "\n".join(lines + ["| " + " | ".join(row) + " |" for row in rows])


def build_table(sizes: list[dict]) -> str:
    rows = []
    for size in sizes:
        b = size["build"]
        stages = " / ".join(_fmt(b["stages"].get(stage), 1) for stage in STAGES)
        rate = f" ({_fmt(b['embedded_per_s'], 1)}/s)" if b["embedded_per_s"] else ""
        parts = " / ".join(_fmt(b["size_mib"].get(part), 1) for part in PARTS)
        rows.append([_fmt(size["documents"]), _fmt(b["documents"]), _fmt(b["passages"]),
                     f"{_fmt(b['embedded'])} new{rate}, {_fmt(b['from_cache'])} cached",
                     _fmt(b["build_seconds"], 1), stages, _fmt(b["peak_rss_mib"]),
                     _fmt(b["size_mib"].get("total"), 1), parts])
    header = ["texts", "indexed", "passages", "embedded", "build s", "scan / extract / embed / write s",
              "peak RSS MiB", "index MiB", "keyword / vectors / text / records MiB"]
    return _table(header, rows)


def serving_table(sizes: list[dict]) -> str:
    rows = []
    for size in sizes:
        serving = size.get("serving") or {}
        mean = serving.get("worker_mean") or {}
        master = next((m for m in serving.get("memory", []) if m["role"] == "master"), {})
        rows.append([
            _fmt(size["build"]["documents"]),
            f"{_fmt(master.get('rss_mib'))} / {_fmt(master.get('pss_mib'))} / {_fmt(master.get('uss_mib'))}",
            f"{_fmt(mean.get('rss_mib'))} / {_fmt(mean.get('pss_mib'))} / {_fmt(mean.get('uss_mib'))}",
            _fmt(serving.get("server_pss_mib")),
            f"{_fmt(_cell(size, 'hybrid_c1', 'p50_ms'), 1)} / {_fmt(_cell(size, 'hybrid_c1', 'p95_ms'), 1)}",
            f"{_fmt(_cell(size, 'hybrid_c16', 'p50_ms'), 1)} / {_fmt(_cell(size, 'hybrid_c16', 'p95_ms'), 1)}",
            _fmt(_cell(size, "hybrid_c16", "errors")),
            _fmt(_cell(size, "related_c1", "p95_ms"), 1), _fmt(_cell(size, "similar_c1", "p50_ms"), 1)])
    header = ["documents", "master RSS / PSS / USS MiB", "worker RSS / PSS / USS MiB (mean)", "server PSS MiB",
              "hybrid c1 p50 / p95 ms", "hybrid c16 p50 / p95 ms", "c16 errors", "related p95 ms",
              "similar 1,500 words p50 ms"]
    return _table(header, rows)


def embedding_note(sizes: list[dict]) -> str:
    """Which build paid for embedding and which reused the shared cache."""
    lines = []
    for number, size in enumerate(sizes):
        b = size["build"]
        what = ("embedded {:,} passages in {:.0f} s ({}/s, model load included)".format(
            b["embedded"], b["stages"].get("embed", 0.0), _fmt(b["embedded_per_s"], 1)) if b["embedded"]
            else "embedded nothing")
        lines.append(f"- {size['documents']:,} texts: {what}; {b['from_cache']:,} of {b['passages']:,} passages "
                     f"came from the shared embedding cache")
        if number == 0 and b["from_cache"] > b["passages"] // 10:
            lines.append("  (the cache was not empty before the first build: its embedding time is not a cold "
                         "start; point --cache at an empty folder for one)")
    return "\n".join(lines)


def plot(sizes: list[dict], out: Path) -> Path:
    """Four panels against indexed documents: build time by stage, index size by part, memory, latency."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    docs = [s["build"]["documents"] for s in sizes]
    fig, axes = plt.subplots(2, 2, figsize=(12, 9))
    series = {
        (0, 0): ("build time by stage (s)", {st: [s["build"]["stages"].get(st, 0.0) for s in sizes] for st in STAGES}),
        (0, 1): ("index size on disk (MiB)", {p: [s["build"]["size_mib"].get(p, 0.0) for s in sizes]
                                              for p in (*PARTS, "total")}),
        (1, 0): ("memory (MiB)", {
            "build peak RSS": [s["build"]["peak_rss_mib"] for s in sizes],
            **{f"worker {k}": [(s.get("serving") or {}).get("worker_mean", {}).get(f"{k}_mib") for s in sizes]
               for k in ("rss", "pss", "uss")},
            "server PSS (all processes)": [(s.get("serving") or {}).get("server_pss_mib") for s in sizes]}),
        (1, 1): ("latency (ms)", {
            "hybrid p50 c1": [_cell(s, "hybrid_c1", "p50_ms") for s in sizes],
            "hybrid p95 c1": [_cell(s, "hybrid_c1", "p95_ms") for s in sizes],
            "hybrid p50 c16": [_cell(s, "hybrid_c16", "p50_ms") for s in sizes],
            "related p95 c1": [_cell(s, "related_c1", "p95_ms") for s in sizes],
            "similar 1,500 words p50": [_cell(s, "similar_c1", "p50_ms") for s in sizes]}),
    }
    for (row, col), (title, lines) in series.items():
        axis = axes[row][col]
        for label, values in lines.items():
            points = [(d, v) for d, v in zip(docs, values, strict=True) if v is not None]
            if points:
                axis.plot(*zip(*points, strict=True), marker="o", label=label)
        axis.set_title(title)
        if title.startswith("latency"):
            # From tens of milliseconds (a search) to seconds (a 1,500-word paste at concurrency 16).
            axis.set_yscale("log")
        axis.set_xlabel("documents indexed")
        axis.grid(True, alpha=0.3)
        if axis.lines:
            axis.legend(fontsize=8)
    fig.suptitle("FOI precedent search: cost against corpus size (tribunal decisions)")
    fig.tight_layout()
    out.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(out, dpi=110)
    plt.close(fig)
    return out
