"""Words split by stray spaces ("rece ived", "th e") before and after mending, and false joins on clean text:
`python -m bench.split_words`.

A fragment pair is two adjacent alphabetic tokens (no punctuation between them) whose concatenation is a word
of the reference vocabulary while at least one of the two is not. The reference vocabulary is every word of
three or more letters found in at least three of the decisions promulgated 2016-2020 (IDs up to 600 in the
scale dump, born-digital PDFs that pypdf reads without splits), plus the English one- and two-letter words
below. It is independent of the mending rule, which only sees the document it mends.
"""
from __future__ import annotations

import argparse
import random
import sys
from collections import Counter
from pathlib import Path

import pypdf

from bench.metadata_scale import unpacked_texts
from bench.paths import SHARED_DIR
from indexer.extract import ExtractionError, extract
from indexer.pdf_pages import pdfium_page_texts, with_better_pages
from indexer.textclean import mend_pages

SEED = 11
SAMPLE = 60
RECENT_MAX_ID = 600
MIN_DOCUMENTS = 3
ENGLISH_SHORT = frozenset("a i am an as at be by do go he if in is it me my no of oh on or so to up us we mr ms dr "
                          "st uk".split())
_STRIP = ".,;:()[]\"“”‘’'!?"


def _core(token: str) -> str | None:
    core = token.strip(_STRIP)
    return core.lower() if core.isalpha() and core.isascii() else None


def reference_vocabulary(texts_dir: Path) -> frozenset[str]:
    """Words of 3+ letters in at least MIN_DOCUMENTS recent decisions, plus the English short words."""
    seen: Counter[str] = Counter()
    for path in texts_dir.glob("*.txt"):
        if int(path.stem) <= RECENT_MAX_ID:
            words = {_core(t) for t in path.read_bytes().decode("utf-8", errors="replace").split()}
            seen.update(w for w in words if w and len(w) >= 3)
    return frozenset({w for w, n in seen.items() if n >= MIN_DOCUMENTS} | ENGLISH_SHORT)


def count_fragments(text: str, vocabulary: frozenset[str]) -> tuple[int, int]:
    """(fragment pairs, tokens) of a text; the pair must not have punctuation between its tokens."""
    pairs, tokens = 0, 0
    for line in text.split("\n"):
        raw = line.split()
        tokens += len(raw)
        for left, right in zip(raw, raw[1:], strict=False):
            a, b = _core(left), _core(right)
            if (a and b and left[-1].isalpha() and right[0].isalpha() and a + b in vocabulary
                    and (a not in vocabulary or b not in vocabulary)):
                pairs += 1
    return pairs, tokens


def joins(before: str, after: str) -> list[tuple[str, ...]]:
    """The runs of tokens of `before` that mending joined into one token of `after` (lines correspond)."""
    found = []
    for old_line, new_line in zip(before.split("\n"), after.split("\n"), strict=False):
        if old_line == new_line:
            continue
        old, new, i = old_line.split(" "), new_line.split(" "), 0
        for token in new:
            run = [old[i]] if i < len(old) else []
            while i + len(run) < len(old) and "".join(run) != token:
                run.append(old[i + len(run)])
            if len(run) > 1:
                found.append(tuple(run))
            i += len(run)
    return found


def _pypdf_pages(path: Path) -> list[str]:
    return [page.extract_text() or "" for page in pypdf.PdfReader(path).pages]


def pdf_variants(path: Path) -> dict[str, str]:
    """The text of one PDF by each route, from pypdf alone (today's product) to extract() (the product now)."""
    data, pages = path.read_bytes(), _pypdf_pages(path)
    pdfium = pdfium_page_texts(data, list(range(len(pages))))
    chosen = with_better_pages(data, pages)
    try:
        product = extract(path).text
    except ExtractionError:
        product = ""
    return {
        "pypdf + mending (before)": "\n\n".join(mend_pages(pages, rejoin=False)),
        "pdfium + mending": "\n\n".join(mend_pages([pdfium.get(n, "") for n in range(len(pages))], rejoin=False)),
        "page choice + mending": "\n\n".join(mend_pages(chosen, rejoin=False)),
        "pypdf + mending + rejoin": "\n\n".join(mend_pages(pages)),
        "extract() (after)": product,
    }


def text_variants(path: Path) -> dict[str, str]:
    """A text dump's mending without and with rejoining, and what extract() makes of it."""
    raw = path.read_bytes().decode("utf-8", errors="replace").replace("\x00", "")
    try:
        product = extract(path).text
    except ExtractionError:
        product = ""
    return {"text dump + mending (before)": "\n\n".join(mend_pages([raw], web_text=True, rejoin=False)),
            "text dump: extract() (after)": product}


def _table(title: str, totals: dict[str, list[int]]) -> None:
    print(f"\n{title}")
    print(f"{'text':<32} {'tokens':>8} {'fragments':>10} {'per 1k':>7} {'change':>8}")
    base = None
    for name, (pairs, tokens) in totals.items():
        base = pairs if base is None else base
        change = f"{(pairs - base) / base:+.0%}" if base else "-"
        print(f"{name:<32} {tokens:>8} {pairs:>10} {1000 * pairs / max(tokens, 1):>7.2f} {change:>8}")


def _tally(totals: dict[str, list[int]], variants: dict[str, str], vocabulary: frozenset[str]) -> None:
    for name, text in variants.items():
        pairs, tokens = count_fragments(text, vocabulary)
        row = totals.setdefault(name, [0, 0])
        row[0] += pairs
        row[1] += tokens


def _false_joins(title: str, docs: list[tuple[str, str]], vocabulary: frozenset[str]) -> None:
    """Joins made on text (before, after) pairs; where the text has no splits, every join is a false one."""
    made: Counter[tuple[str, ...]] = Counter()
    tokens = 0
    for before, after in docs:
        tokens += len(before.split())
        made.update(j for j in joins(before, after) if not any(ch.isdigit() for ch in "".join(j)))
    both = Counter({j: n for j, n in made.items() if all(_core(t) in vocabulary for t in j)})
    total = sum(made.values())
    print(f"{title:<44} {len(docs):>5} {tokens:>8} {total:>6} {10_000 * total / max(tokens, 1):>8.2f} "
          f"{sum(both.values()):>10}")
    for label, joined in (("most frequent", made), ("of two words", both)):
        shown = ", ".join(f"{' '.join(j)} ({n})" for j, n in joined.most_common(8))
        print(f"    {label}: {shown or '-'}")


def run(shared: Path, sample_size: int) -> None:
    texts_dir = unpacked_texts(shared)
    vocabulary = reference_vocabulary(texts_dir)
    files = sorted((shared / "corpus" / "tribunal").glob("*.pdf"))
    sample = random.Random(SEED).sample(files, min(sample_size, len(files)))
    pdf_totals: dict[str, list[int]] = {}
    dump_totals: dict[str, list[int]] = {}
    split_docs = []
    for path in sample:
        variants = pdf_variants(path)
        _tally(pdf_totals, variants, vocabulary)
        split_docs.append((variants["pypdf + mending (before)"], variants["pypdf + mending + rejoin"]))
        dump = texts_dir / f"{path.stem}.txt"
        if dump.is_file():
            _tally(dump_totals, text_variants(dump), vocabulary)
    print(f"reference vocabulary: {len(vocabulary):,} words; sample: {len(sample)} tribunal PDFs (seed {SEED})")
    _table("fragment pairs in the sample's PDFs", pdf_totals)
    _table("fragment pairs in the same decisions' text dump", dump_totals)
    print(f"\n{'false joins (joins on text without splits)':<44} {'docs':>5} {'tokens':>8} {'joins':>6} "
          f"{'per 10k':>8} {'both words':>10}")
    _false_joins("recent decisions (text dump, IDs <= 600)", _clean_dump(texts_dir, sample_size), vocabulary)
    _false_joins("ICO notices and 2026 tribunal decisions", _clean_corpus(shared), vocabulary)
    _false_joins("the sample's PDFs (joins of two real words)", split_docs, vocabulary)


def _clean_dump(texts_dir: Path, size: int) -> list[tuple[str, str]]:
    recent = sorted(p for p in texts_dir.glob("*.txt") if int(p.stem) <= RECENT_MAX_ID)
    docs = []
    for path in random.Random(SEED).sample(recent, min(size, len(recent))):
        raw = path.read_bytes().decode("utf-8", errors="replace").replace("\x00", "")
        before = mend_pages([raw], web_text=True, rejoin=False)
        docs.append(("\n\n".join(before), "\n\n".join(mend_pages([raw], web_text=True))))
    return docs


def _clean_corpus(shared: Path) -> list[tuple[str, str]]:
    docs = []
    for folder in ("ico-notices", "tribunal-2026"):
        for path in sorted((shared / "corpus" / folder).iterdir()):
            if path.suffix == ".pdf":
                try:
                    pages = _pypdf_pages(path)
                except Exception:  # the truncated notice in the shared corpus; it has no text to judge
                    continue
                docs.append(("\n\n".join(mend_pages(pages, rejoin=False)), "\n\n".join(mend_pages(pages))))
            elif path.suffix == ".txt":
                raw = path.read_text(encoding="utf-8", errors="replace")
                docs.append(("\n\n".join(mend_pages([raw], web_text=True, rejoin=False)),
                             "\n\n".join(mend_pages([raw], web_text=True))))
    return docs


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--shared", type=Path, default=SHARED_DIR, help="the shared data folder")
    parser.add_argument("--sample", type=int, default=SAMPLE, help="tribunal PDFs in the seeded sample")
    args = parser.parse_args(argv)
    if not (args.shared / "corpus" / "tribunal").is_dir() or not (args.shared / "scale").is_dir():
        print(f"skipped: {args.shared} lacks corpus/tribunal or scale/ (the reference vocabulary comes from it)")
        return 0
    run(args.shared, args.sample)
    return 0


if __name__ == "__main__":
    sys.exit(main())
