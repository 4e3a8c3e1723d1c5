"""Readable tables: one row per task x path x mode with bootstrap intervals, and hybrid against the best mode."""
from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from bench.relevance.metrics import METRICS, bootstrap, paired_bootstrap, verdict

SINGLE_MODES = ("keyword", "semantic")
PRIMARY = "nDCG@10"


@dataclass
class Row:
    """One task x path x mode over one half: per-query metrics in query order, and per-query milliseconds."""

    task: str
    path: str
    mode: str
    per_query: list[dict[str, float]] = field(default_factory=list)
    millis: list[float] = field(default_factory=list)

    def values(self, metric: str) -> list[float]:
        return [m[metric] for m in self.per_query]


def _cell(values: Sequence[float], seed: int) -> str:
    interval = bootstrap(values, seed=seed)
    return f"{interval.mean:5.3f} [{interval.low:5.3f},{interval.high:5.3f}]"


def metrics_table(half: str, rows: list[Row], seed: int) -> str:
    """The half's table: mean and 95% bootstrap interval of every metric, median ms per query."""
    head = f"{'task':16} {'path':8} {'mode':9} {'n':>4}  " + "  ".join(f"{m:19}" for m in METRICS) + f"  {'ms/q':>6}"
    lines = [f"== {half.upper()} half: mean [95% bootstrap CI] ==", head, "-" * len(head)]
    for row in rows:
        cells = "  ".join(f"{_cell(row.values(m), seed):19}" for m in METRICS)
        millis = sorted(row.millis)
        median = millis[len(millis) // 2] if millis else 0.0
        lines.append(f"{row.task:16} {row.path:8} {row.mode:9} {len(row.per_query):>4}  {cells}  {median:6.0f}")
    return "\n".join(lines)


def best_single(rows: Sequence[Row], path: str) -> str | None:
    """The single mode with the highest mean nDCG@10 on this path, then MRR; keyword on a tie (None if neither
    was run)."""
    def mean(row: Row, metric: str) -> float:
        return sum(row.values(metric)) / max(1, len(row.per_query))

    scored = [(mean(r, PRIMARY), mean(r, "MRR"), r.mode == "keyword", r.mode) for r in rows
              if r.path == path and r.mode in SINGLE_MODES and r.per_query]
    return max(scored)[-1] if scored else None


def hybrid_table(results: Mapping[str, Mapping[str, list[Row]]], seed: int) -> str:
    """Per task and path: hybrid minus the best single mode (chosen on the tune half when it ran), paired
    bootstrap over the same queries, for nDCG@10 and MRR, on each half."""
    head = (f"{'task':16} {'path':8} {'best':9} {'half':6} {'n':>4}  {'d nDCG@10 [95% CI]':26} {'verdict':13} "
            f"{'d MRR [95% CI]':26} verdict")
    lines = ["== hybrid minus best single mode (paired bootstrap; best chosen on the tune half) ==", head,
             "-" * len(head)]
    for task, halves in results.items():
        choose_on = halves.get("tune") or next(iter(halves.values()))
        for path in dict.fromkeys(r.path for r in choose_on):
            best = best_single(choose_on, path)
            for half, rows in halves.items():
                by_mode = {r.mode: r for r in rows if r.path == path}
                if best is None or "hybrid" not in by_mode or best not in by_mode:
                    continue
                cells = []
                for metric in (PRIMARY, "MRR"):
                    diff = paired_bootstrap(by_mode["hybrid"].values(metric), by_mode[best].values(metric), seed=seed)
                    cells.append(f"{diff.mean:+6.3f} [{diff.low:+6.3f},{diff.high:+6.3f}]    {verdict(diff):13}")
                lines.append(f"{task:16} {path:8} {best:9} {half:6} {len(by_mode[best].per_query):>4}  "
                             + " ".join(cells).rstrip())
    return "\n".join(lines)
