"""Word accuracy of tesseract on rendered text-layer pages, and time per page on the real scans: `python -m bench.ocr_accuracy`.

Pages that have a text layer are rendered like a scan and OCR'd; the OCR words are compared with the pypdf text of
the same page (lowercase, punctuation stripped). Word accuracy = 1 - word error rate (Levenshtein distance over
word sequences / reference words). Reading-order differences count as errors there, so the order-free word recall
(share of reference words found, as a multiset) is printed too.
"""
from __future__ import annotations

import argparse
import json
import random
import re
import shutil
import statistics
import sys
import time
from collections import Counter
from pathlib import Path

from pypdf import PdfReader

from bench.paths import SHARED_DIR
from indexer.ocr.render import render_pgm
from indexer.ocr.tesseract import PageOcr, probe, recognise

SOURCES = ("ico-notices", "tribunal")  # the small source first: the large one fills what it lacks
SCANS = ("652", "758", "893", "1104", "1448", "2096")
MIN_WORDS = 50
_WORD = re.compile(r"\w+")


def words(text: str) -> list[str]:
    return _WORD.findall(text.lower().replace("_", " "))


def edit_distance(ref: list[str], hyp: list[str]) -> int:
    """Levenshtein distance between two word sequences (substitutions, insertions, deletions all cost 1)."""
    previous = list(range(len(hyp) + 1))
    for i, word in enumerate(ref, start=1):
        current = [i]
        for j, other in enumerate(hyp, start=1):
            current.append(min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (word != other)))
        previous = current
    return previous[-1]


def sample_pages(corpus: Path, count: int, seed: int) -> list[tuple[str, Path, int, str]]:
    """(source, file, 1-based page, pypdf text) for count pages with a text layer, half from each source."""
    rng = random.Random(seed)
    chosen = []
    for index, source in enumerate(SOURCES):
        files = sorted(p for p in (corpus / source).glob("*.pdf") if p.stem not in SCANS)
        rng.shuffle(files)
        chosen += _sample_source(files, (count * (index + 1)) // len(SOURCES) - len(chosen), rng)
    return chosen


def _sample_source(files: list[Path], count: int, rng: random.Random) -> list[tuple[str, Path, int, str]]:
    # A source with few files (the ICO notices) gives several pages per file; a large one, one page per file.
    per_file = 2 * -(-count // max(len(files), 1))
    chosen: list[tuple[str, Path, int, str]] = []
    for path in files:
        try:
            reader = PdfReader(path)
            numbers = rng.sample(range(1, len(reader.pages) + 1), min(per_file, len(reader.pages)))
            texts = [(n, reader.pages[n - 1].extract_text() or "") for n in numbers]
        except Exception:  # damaged files (one ICO notice is truncated) are simply not sampled
            continue
        chosen += [(path.parent.name, path, n, text) for n, text in texts if len(words(text)) >= MIN_WORDS]
        if len(chosen) >= count:
            return chosen[:count]
    return chosen


def ocr_page(path: Path, number: int, dpi: int, timeout: float) -> tuple[PageOcr, float]:
    import pypdfium2

    started = time.perf_counter()
    document = pypdfium2.PdfDocument(str(path))
    try:
        image, used = render_pgm(document, number, dpi)
    finally:
        document.close()
    return recognise("tesseract", "eng", image, used, timeout), time.perf_counter() - started


def measure_page(source: str, path: Path, number: int, text: str, dpi: int, timeout: float) -> dict:
    page, seconds = ocr_page(path, number, dpi, timeout)
    ref, hyp = words(text), words(page.text)
    errors = edit_distance(ref, hyp)
    found = sum((Counter(ref) & Counter(hyp)).values())
    return {"source": source, "file": path.name, "page": number, "words": len(ref), "ocr_words": len(hyp),
            "errors": errors, "wer": errors / len(ref), "recall": found / len(ref),
            "confidence": page.confidence, "seconds": seconds}


def summarise(name: str, rows: list[dict]) -> dict:
    total = sum(r["words"] for r in rows)
    wer = sum(r["errors"] for r in rows) / total
    return {"set": name, "pages": len(rows), "words": total, "wer": wer, "accuracy": 1 - wer,
            "recall": sum(r["recall"] * r["words"] for r in rows) / total,
            "confidence": statistics.fmean(r["confidence"] for r in rows),
            "s_per_page": statistics.fmean(r["seconds"] for r in rows)}


def print_accuracy(rows: list[dict]) -> list[dict]:
    sets = [summarise(s, [r for r in rows if r["source"] == s]) for s in SOURCES if any(r["source"] == s for r in rows)]
    sets.append(summarise("all", rows))
    print(f"{'set':<12} {'pages':>5} {'words':>6} {'WER':>6} {'accuracy':>8} {'recall':>6} {'conf':>5} {'s/page':>6}")
    for s in sets:
        print(f"{s['set']:<12} {s['pages']:>5} {s['words']:>6} {s['wer']:>6.3f} {s['accuracy']:>8.3f} "
              f"{s['recall']:>6.3f} {s['confidence']:>5.1f} {s['s_per_page']:>6.2f}")
    if len(rows) > 2:
        r = statistics.correlation([x["confidence"] for x in rows], [1 - x["wer"] for x in rows])
        print(f"Pearson correlation of page confidence with page word accuracy: {r:.2f} over {len(rows)} pages")
    worst = sorted(rows, key=lambda x: x["wer"], reverse=True)[:5]
    print("worst pages: " + "; ".join(f"{w['source']}/{w['file']} p{w['page']} WER {w['wer']:.2f} "
                                      f"conf {w['confidence']:.0f}" for w in worst))
    return sets


def measure_scans(corpus: Path, dpi: int, timeout: float) -> list[dict]:
    import pypdfium2

    rows = []
    print(f"\n{'scan':<10} {'pages':>5} {'words':>6} {'conf':>5} {'s/page':>6}")
    for name in SCANS:
        path = corpus / "tribunal" / f"{name}.pdf"
        document = pypdfium2.PdfDocument(str(path))
        count = len(document)
        document.close()
        pages = [ocr_page(path, number, dpi, timeout) for number in range(1, count + 1)]
        total = sum(p.words for p, _ in pages)
        row = {"file": path.name, "pages": count, "words": total,
               "confidence": sum(p.confidence * p.words for p, _ in pages) / total if total else 0.0,
               "s_per_page": sum(s for _, s in pages) / count}
        rows.append(row)
        print(f"{row['file']:<10} {count:>5} {total:>6} {row['confidence']:>5.1f} {row['s_per_page']:>6.2f}")
    words_all = sum(r["words"] for r in rows)
    pages_all = sum(r["pages"] for r in rows)
    print(f"{'all':<10} {pages_all:>5} {words_all:>6} "
          f"{sum(r['confidence'] * r['words'] for r in rows) / words_all:>5.1f} "
          f"{sum(r['s_per_page'] * r['pages'] for r in rows) / pages_all:>6.2f}")
    return rows


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--shared", type=Path, default=SHARED_DIR, help="the shared data folder")
    parser.add_argument("--pages", type=int, default=40, help="text-layer pages to sample")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--dpi", type=int, default=300, help="render resolution, as the ocr_dpi setting")
    parser.add_argument("--timeout", type=float, default=120.0, help="seconds per page")
    parser.add_argument("--scans", action="store_true", help="also OCR every page of the six real scans, timed")
    parser.add_argument("--json", type=Path, help="also write every measurement to this file")
    args = parser.parse_args(argv)
    corpus = args.shared / "corpus"
    if not corpus.is_dir() or shutil.which("tesseract") is None:
        print(f"skipped: needs the shared corpus at {corpus} and tesseract on PATH")
        return 0
    engine, _ = probe("tesseract", "eng")
    print(f"{engine}, {args.dpi} dpi, {args.pages} pages sampled from {', '.join(SOURCES)} (seed {args.seed})")
    rows = [measure_page(*page, args.dpi, args.timeout) for page in sample_pages(corpus, args.pages, args.seed)]
    results = {"engine": engine, "dpi": args.dpi, "pages": rows, "sets": print_accuracy(rows)}
    if args.scans:
        results["scans"] = measure_scans(corpus, args.dpi, args.timeout)
    if args.json:
        args.json.write_text(json.dumps(results, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
