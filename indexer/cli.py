"""Command line: `python -m indexer build|status|show`, with the exit codes of the build contract."""
from __future__ import annotations

import argparse
import json
import logging
import sys
from pathlib import Path
from typing import Any

from config import Settings, load_config
from indexer import generations as gens
from indexer.progress import read_progress

EXIT_OK, EXIT_FATAL, EXIT_FAILED_FILES, EXIT_LOCKED = 0, 1, 2, 75
log = logging.getLogger("indexer.cli")

DESCRIPTION = """Build and inspect the FOI precedent search index.

Settings come from config/settings.py defaults, FOI_* environment variables (e.g. FOI_INDEX_DIR),
then the options given here."""

BUILD_EPILOG = """exit status: 0 built, 2 built but some files failed (see the report), 75 another build holds
the lock, 1 fatal error (the current generation is left untouched)."""


def _common() -> argparse.ArgumentParser:
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--corpus", metavar="DIR", help="corpus folder (setting corpus_dir, env FOI_CORPUS_DIR)")
    common.add_argument("--index", metavar="DIR", help="index folder (setting index_dir, env FOI_INDEX_DIR)")
    common.add_argument("-v", "--verbose", action="store_true", help="log every file as it is processed")
    return common


def make_parser() -> argparse.ArgumentParser:
    common = _common()
    parser = argparse.ArgumentParser(prog="python -m indexer", description=DESCRIPTION,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = parser.add_subparsers(dest="command", required=True, metavar="{build,status,show}")
    build = sub.add_parser("build", parents=[common], epilog=BUILD_EPILOG,
                           help="index the corpus into a new generation and make it current",
                           description="Index the corpus incrementally (unchanged files are reused) into a new "
                                       "generation, then switch index_dir/CURRENT to it atomically.")
    build.add_argument("--cache", metavar="DIR", help="embedding cache folder (setting cache_dir, env FOI_CACHE_DIR)")
    build.add_argument("--full", action="store_true", help="re-extract every file instead of reusing unchanged ones")
    bars = build.add_mutually_exclusive_group()
    bars.add_argument("--progress", dest="progress", action="store_true", default=None, help="show progress bars")
    bars.add_argument("--no-progress", dest="progress", action="store_false", help="hide progress bars")
    status = sub.add_parser("status", parents=[common], help="show the current generation and its last build",
                            description="Print the current generation, its counts, model, dtype, build time and "
                                        "the files that failed; while a build runs, its stage, progress and "
                                        "estimated time left.")
    status.add_argument("--json", action="store_true", help="print machine-readable JSON")
    show = sub.add_parser("show", parents=[common], help="print one document's metadata as JSON",
                          description="Print the metadata record of one document of the current generation.")
    show.add_argument("document", metavar="ID-OR-PATH", help="document id, or its file path (relative to the corpus)")
    show.add_argument("--json", action="store_true", help="compact single-line JSON instead of indented")
    return parser


def _config(args: argparse.Namespace) -> Settings:
    overrides: dict[str, Any] = {}
    for option, setting in (("corpus", "corpus_dir"), ("index", "index_dir"), ("cache", "cache_dir")):
        value = getattr(args, option, None)
        if value:
            overrides[setting] = str(Path(value).resolve())
    if getattr(args, "progress", None) is not None:
        overrides["progress"] = args.progress
    return load_config(overrides)


def cmd_build(args: argparse.Namespace, config: Settings) -> int:
    from indexer.build import BuildLocked, build_index
    from indexer.report import format_summary

    try:
        result = build_index(config, full=args.full)
    except BuildLocked as exc:
        print(f"error: {exc}", file=sys.stderr)
        return EXIT_LOCKED
    except (OSError, ValueError) as exc:
        print(f"build failed: {exc}", file=sys.stderr)
        return EXIT_FATAL
    print(format_summary(result.report))
    if result.exit_code == EXIT_FAILED_FILES:
        print(f"some files failed; details in {config.index_dir / gens.LAST_REPORT}")
    return result.exit_code


def _read_json(path: Path) -> dict[str, Any] | None:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None


def status_data(config: Settings) -> dict[str, Any]:
    """Current generation, its manifest and failures, and the last build if that one failed."""
    index_dir = Path(config.index_dir)
    gen_dir = gens.current_path(index_dir)
    manifest = _read_json(gen_dir / gens.MANIFEST_FILE) if gen_dir else None
    report = (_read_json(gen_dir / gens.REPORT_FILE) if gen_dir else None) or {"files": []}
    last = _read_json(index_dir / gens.LAST_REPORT)
    return {
        "index_dir": str(index_dir),
        "generation": gen_dir.name if gen_dir else None,
        "manifest": manifest,
        "generations": gens.finished_generations(index_dir),
        "failures": [{k: f[k] for k in ("path", "reason", "message")} for f in report["files"]
                     if f["status"] == "failed"],
        "last_build_error": last.get("error") if last else None,
        "running_build": read_progress(index_dir),
    }


def _print_status(data: dict[str, Any]) -> None:
    m = data["manifest"]
    print(f"index:       {data['index_dir']}")
    print(f"generation:  {data['generation']} (built {m['built_at']} in {m['build_seconds']:.1f}s)")
    print(f"documents:   {m['documents']}  passages: {m['passages']}  needs_ocr: {m['needs_ocr']}")
    print(f"model:       {m['model']} (dim {m['dim']}, {m['dtype']})")
    print(f"corpus:      {m['corpus_dir']}")
    print(f"kept:        {', '.join(data['generations'])}")
    print(f"failures:    {m['failed']}")
    for failure in data["failures"]:
        print(f"  {failure['path']}: {failure['reason']}: {failure['message']}")
    if data["last_build_error"]:
        print(f"last build failed: {data['last_build_error']}")


def _duration(seconds: float | None) -> str:
    if seconds is None:
        return "unknown"
    minutes, secs = divmod(round(seconds), 60)
    return f"{minutes // 60}h{minutes % 60:02d}m" if minutes >= 60 else f"{minutes}m{secs:02d}s"


def format_running(state: dict[str, Any]) -> str:
    """One line on the build in progress: stage, count, rate and estimated time left in that stage."""
    line = f"build running (pid {state['pid']}, started {state['started_at']}): {state['stage']}"
    if "total" in state:
        share = f" ({state['done'] / state['total']:.0%})" if state["total"] else ""
        rate = f", {state['rate_per_s']:g} {state['unit']}/s" if state.get("rate_per_s") else ""
        line += (f" {state['done']:,}/{state['total']:,} {state['unit']}s{share}{rate}, "
                 f"about {_duration(state.get('eta_s'))} left in this stage")
    return line


def cmd_status(args: argparse.Namespace, config: Settings) -> int:
    data = status_data(config)
    running = data["running_build"]
    if args.json:
        print(json.dumps(data, indent=2))
    elif data["manifest"] is None:
        print(f"no index in {data['index_dir']}; run `make index` or `python -m indexer build`", file=sys.stderr)
    else:
        _print_status(data)
    if running is not None and not args.json:
        print(format_running(running))
    return EXIT_OK if data["manifest"] is not None or running is not None else EXIT_FATAL


def find_document(reader: Any, key: str, corpus_dir: Path) -> dict | None:
    """By id, by corpus-relative path, or by a file path inside the corpus."""
    if reader.document(key) is not None:
        return reader.document(key)
    wanted = {key.replace("\\", "/").removeprefix("./")}
    resolved = Path(key).resolve()
    if resolved.is_relative_to(corpus_dir.resolve()):
        wanted.add(resolved.relative_to(corpus_dir.resolve()).as_posix())
    return next((d for d in reader.documents.values() if d["path"] in wanted), None)


def cmd_show(args: argparse.Namespace, config: Settings) -> int:
    from indexer.reader import IndexUnavailable, open_index

    try:
        reader = open_index(config)
    except IndexUnavailable as exc:
        print(f"error: {exc}", file=sys.stderr)
        return EXIT_FATAL
    document = find_document(reader, args.document, Path(config.corpus_dir))
    if document is None:
        print(f"error: no document with id or path {args.document!r} in generation {reader.generation}",
              file=sys.stderr)
        return EXIT_FATAL
    print(json.dumps(document, ensure_ascii=False, indent=None if args.json else 2))
    return EXIT_OK


def main(argv: list[str] | None = None) -> int:
    args = make_parser().parse_args(argv)
    logging.basicConfig(level=logging.INFO, stream=sys.stderr, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    # Verbose is about our own per-file lines, not the debug chatter of torch or whoosh.
    logging.getLogger("indexer").setLevel(logging.DEBUG if args.verbose else logging.INFO)
    try:
        config = _config(args)
    except ValueError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return EXIT_FATAL
    commands = {"build": cmd_build, "status": cmd_status, "show": cmd_show}
    return commands[args.command](args, config)
