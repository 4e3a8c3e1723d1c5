"""Per-field accuracy of extract_metadata on the shared tribunal PDFs and ICO notices: `python -m bench.metadata_accuracy`;
on all 2,524 tribunal decision texts of ../shared/scale: `python -m bench.metadata_accuracy --scale`."""
from __future__ import annotations

import argparse
import json
import sys
import time
from collections.abc import Iterator, Mapping
from datetime import date
from pathlib import Path

from bench.metadata_gold import (
    appeal_ref_in_text,
    authority_matches,
    date_in_text,
    ico_gold,
    section_matches,
    tribunal_gold,
)
from bench.metadata_scale import print_scale, run_scale
from bench.paths import SHARED_DIR
from indexer.extract import Extracted, ExtractionError, extract
from indexer.metadata import extract_metadata
from indexer.references import reference_kind

DEFAULT_SHARED = SHARED_DIR


class Tally:
    """Correct/total counts per field, plus the ids that were wrong (to inspect failures)."""

    def __init__(self) -> None:
        self.counts: dict[str, list[int]] = {}
        self.wrong: dict[str, list[str]] = {}

    def add(self, field: str, ok: bool, doc_id: str) -> None:
        counts = self.counts.setdefault(field, [0, 0])
        counts[0] += int(ok)
        counts[1] += 1
        if not ok:
            self.wrong.setdefault(field, []).append(doc_id)

    def rows(self) -> list[dict]:
        return [{"field": f, "n": n, "correct": c, "accuracy": round(c / n, 4) if n else None}
                for f, (c, n) in self.counts.items()]


Extractions = Mapping[str, "Extracted | ExtractionError"]


def _documents(shared: Path, folder: str, pattern: str,
               extractions: Extractions | None) -> Iterator[tuple[Path, str | None, dict | None]]:
    """(path, text, metadata) per file; extractions (corpus-relative posix path -> result) skips re-extracting."""
    for path in sorted((shared / "corpus" / folder).glob(pattern)):
        key = f"{folder}/{path.name}"
        ex = extractions.get(key) if extractions is not None else None
        if ex is None:
            try:
                ex = extract(path)
            except ExtractionError as error:
                ex = error
        if isinstance(ex, ExtractionError):
            yield path, None, None
            continue
        yield path, ex.text, extract_metadata(ex.text, path.name, ex.format, ex.title_hint)


def score_tribunal(shared: Path, tally: Tally, extractions: Extractions | None = None) -> None:
    """Appeal refs (same set; and recall: every labelled ref found), date (exact; and within 7 days, since the
    labels mix decision and promulgation dates), outcome, authority (matches any labelled non-Commissioner
    party, or an appellant that is a body: the labels name the requester as the other party when the authority
    itself appealed).
    The *_in_text rows score only documents whose gold value can be read in the text in some spelling: they show
    the extractor's own accuracy, while the plain rows include labels that the document cannot support."""
    gold = tribunal_gold(shared)
    for path, text, meta in _documents(shared, "tribunal", "*.pdf", extractions):
        g = gold.get(path.stem)
        if g is None:
            continue
        meta = meta or {"references": [], "date": None, "outcome": None, "authority": None}
        refs = {r for r in meta["references"] if reference_kind(r) == "appeal"}
        if g["refs"]:
            tally.add("appeal_refs", refs == g["refs"], path.stem)
            tally.add("appeal_refs_recall", g["refs"] <= refs, path.stem)
            if text and all(appeal_ref_in_text(text, r) for r in g["refs"]):
                tally.add("appeal_refs_in_text", refs == g["refs"], path.stem)
        if g["date"]:
            tally.add("date", meta["date"] == g["date"], path.stem)
            apart = _days_apart(meta["date"], g["date"])
            tally.add("date_within_7_days", apart is not None and apart <= 7, path.stem)
            if text and date_in_text(text, g["date"]):
                tally.add("date_in_text", meta["date"] == g["date"], path.stem)
        if g["outcome"]:
            tally.add("outcome", meta["outcome"] == g["outcome"], path.stem)
        if g["authorities"]:
            accepted = g["authorities"] + ([g["appellant_body"]] if g["appellant_body"] else [])
            tally.add("authority", any(authority_matches(meta["authority"], a) for a in accepted), path.stem)
            # The same field scored against the label columns alone, which name the requester when a body appealed.
            strict = any(authority_matches(meta["authority"], a) for a in g["authorities"])
            tally.add("authority_labels_only", strict, path.stem)


def _days_apart(a: str | None, b: str | None) -> int | None:
    if not a or not b:
        return None
    return abs((date.fromisoformat(a) - date.fromisoformat(b)).days)


def score_ico(shared: Path, tally: Tally, extractions: Extractions | None = None) -> None:
    """Authority, sections (every labelled section found), outcome; date within 14 days of the publication date."""
    gold = ico_gold(shared)
    for path, _text, meta in _documents(shared, "ico-notices", "*", extractions):
        g = gold.get(path.stem.lower())
        if g is None or meta is None:
            continue
        tally.add("authority", authority_matches(meta["authority"], g["authority"]), path.stem)
        apart = _days_apart(meta["date"], g["date"])
        tally.add("date_within_14_days", apart is not None and apart <= 14, path.stem)
        tally.add("sections", all(section_matches(meta["sections"], s) for s in g["sections"]), path.stem)
        tally.add("outcome", meta["outcome"] == g["outcome"], path.stem)
        tally.add("reference", path.stem.upper() in meta["references"], path.stem)


def run(shared: Path) -> dict:
    """Both benchmark sets; returns {"tribunal": rows, "ico": rows, "wrong": ..., "seconds": ...}."""
    started = time.perf_counter()
    tribunal, ico = Tally(), Tally()
    score_tribunal(shared, tribunal)
    score_ico(shared, ico)
    return {"tribunal": tribunal.rows(), "ico": ico.rows(),
            "wrong": {"tribunal": tribunal.wrong, "ico": ico.wrong},
            "seconds": round(time.perf_counter() - started, 1)}


def print_table(results: dict) -> None:
    print(f"{'set':<9} {'field':<22} {'n':>5} {'correct':>8} {'accuracy':>9}")
    for name in ("tribunal", "ico"):
        for row in results[name]:
            acc = f"{row['accuracy']:.1%}" if row["accuracy"] is not None else "-"
            print(f"{name:<9} {row['field']:<22} {row['n']:>5} {row['correct']:>8} {acc:>9}")
    print(f"({results['seconds']} s including PDF extraction)")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--shared", type=Path, default=DEFAULT_SHARED, help="the shared data folder")
    parser.add_argument("--json", type=Path, help="also write the results (with failing ids) to this file")
    parser.add_argument("--scale", action="store_true",
                        help="score the 2,524 decision texts of ../shared/scale (unpacked under var/) instead")
    parser.add_argument("--half", choices=("all", "even", "odd"), default="all",
                        help="with --scale: only even or odd IDs (develop on even, check odd last)")
    parser.add_argument("--jobs", type=int, default=2, help="with --scale: extraction worker processes")
    args = parser.parse_args(argv)
    if not (args.shared / "corpus").is_dir() or not (args.shared / "labels").is_dir():
        print(f"skipped: shared data not found at {args.shared} (needs corpus/ and labels/)")
        return 0
    if args.scale:
        return _main_scale(args)
    results = run(args.shared)
    print_table(results)
    if args.json:
        args.json.write_text(json.dumps(results, indent=2))
    return 0


def _main_scale(args: argparse.Namespace) -> int:
    if not (args.shared / "scale").is_dir():
        print(f"skipped: {args.shared / 'scale'} not found (needs tribunal-2524-text.tar.gz)")
        return 0
    started = time.perf_counter()
    tally = run_scale(args.shared, args.half, args.jobs)
    print_scale(tally, time.perf_counter() - started)
    if args.json:
        args.json.write_text(json.dumps({"rows": tally.rows(), "excluded": tally.excluded, "wrong": tally.wrong},
                                        indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
