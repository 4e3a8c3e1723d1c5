"""Profile search, related and similar in-process (cProfile over create_app + test_client) to find hotspots.

`python -m bench.profile_search [--index DIR]` runs the bench query mix once per mode (after a warm-up) and the
related/similar endpoints, then prints the functions with the most own and cumulative time for each.
"""
from __future__ import annotations

import argparse
import cProfile
import io
import pstats
import sys
import time
from urllib.parse import urlencode

from bench.paths import add_index_arguments
from bench.queries import long_text, real_queries


def _parse(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m bench.profile_search", description=__doc__.splitlines()[0])
    add_index_arguments(parser)
    parser.add_argument("--top", type=int, default=25, help="rows per table")
    parser.add_argument("--only", help="comma-separated subset of hybrid,keyword,semantic,related,similar")
    return parser.parse_args(argv)


def _calls(client) -> dict[str, list[tuple[str, str, dict | None]]]:
    queries = real_queries()
    ids = [d["id"] for d in client.get("/api/documents?per_page=100").get_json()["documents"]][:12]
    calls: dict[str, list] = {mode: [("GET", "/api/search?" + urlencode({"q": q.q, "mode": mode}), None)
                                     for q in queries] for mode in ("hybrid", "keyword", "semantic")}
    calls["related"] = [("GET", f"/api/documents/{doc_id}/related", None) for doc_id in ids]
    calls["similar"] = [("POST", "/api/similar", {"text": long_text(), "k": 10})] * 3
    return calls


def _run(client, calls: list[tuple[str, str, dict | None]]) -> None:
    for method, path, body in calls:
        response = client.open(path, method=method, json=body)
        if response.status_code != 200:
            raise SystemExit(f"{method} {path} -> {response.status_code}: {response.get_data(as_text=True)[:300]}")


def profile(client, name: str, calls: list, top: int) -> float:
    """Run calls once to warm, then under cProfile; print the hottest functions; return ms per call."""
    _run(client, calls[:2])
    profiler = cProfile.Profile()
    start = time.perf_counter()
    profiler.runcall(_run, client, calls)
    per_call = (time.perf_counter() - start) * 1000 / len(calls)
    for order in ("tottime", "cumulative"):
        out = io.StringIO()
        pstats.Stats(profiler, stream=out).strip_dirs().sort_stats(order).print_stats(top)
        body = out.getvalue()
        print(f"\n===== {name}: {len(calls)} calls, {per_call:.1f} ms/call (profiled), by {order} =====")
        print(body[body.find("   ncalls"):])
    return per_call


def main(argv: list[str] | None = None) -> int:
    args = _parse(argv)
    if not (args.index / "CURRENT").is_file():
        print(f"skipped: no index at {args.index} (no CURRENT file)", file=sys.stderr)
        return 0
    from service import create_app

    app = create_app({"index_dir": str(args.index), "corpus_dir": str(args.corpus), "cache_dir": str(args.cache),
                      "torch_threads": 1})
    client = app.test_client()
    calls = _calls(client)
    wanted = args.only.split(",") if args.only else list(calls)
    timings = {name: round(profile(client, name, calls[name], args.top), 1) for name in wanted}
    print("\nms per call under cProfile:", timings)
    return 0


if __name__ == "__main__":
    sys.exit(main())
