"""How many FOI responses and request pages get a plausible value per metadata field:
`python -m bench.response_metadata [--verbose]`.

Reads ../shared/corpus/same-request (disclosure-log and request pages) and, for the document types, the seeds
and WhatDoTheyKnow threads. The authority is checked against the body named in each file name
(`<cluster>-<authority-slug>.txt`), here only: the product never looks at file names.
"""
from __future__ import annotations

import argparse
import re
import sys
from collections import Counter
from pathlib import Path

from bench.paths import SHARED_CORPUS
from indexer.extract import extract
from indexer.furniture import is_chrome, is_interface_label
from indexer.gazetteer import Authority, canonical, find
from indexer.metadata import extract_metadata

RESPONSE_TYPES = ("foi_response", "request_thread")
OUTCOMES = ("disclosed", "partly disclosed", "refused", "neither confirm nor deny", "not held")
_REQUEST_OPENING = re.compile(r"^(?:i|we|please|under\s+the|as\s+a\s+freedom|this\s+is\s+a\s+request|dear|re:)\b",
                              re.IGNORECASE)
_LABEL = re.compile(r"^(?:date|received|responded|published|reference|request|response|last\s+updated|see\s+notes?|"
                    r"content|\+)\b", re.IGNORECASE)


def expected_authority(stem: str) -> Authority | None:
    """The body a file is named after: the longest run of the name's last words the gazetteer knows."""
    words = stem.split("-")
    for length in range(min(8, len(words) - 1), 1, -1):
        for name in (" ".join(words[-length:]), " ".join([*words[-length:], "service"])):
            body = canonical(name)
            if body is not None:
                return body
    return None


def plausible_title(title: str | None) -> bool:
    """A subject line, not page furniture, a label or the request's opening words."""
    if not title or not 8 <= len(title) <= 170 or "\n" in title:
        return False
    if is_chrome(title) or is_interface_label(title) or _LABEL.match(title) or _REQUEST_OPENING.match(title):
        return False
    return len(re.findall(r"[A-Za-z]{4,}", title)) >= 1


def plausible_reference(reference: str | None, text: str) -> bool:
    squeezed = re.sub(r"\s*/\s*", "/", " ".join(text.split()))
    return bool(reference) and reference in squeezed


def plausible_request(request: str | None) -> bool:
    if not request or len(request) < 80:
        return False
    return not any(is_chrome(line) for line in request.split("\n"))


def _named_in_text(body: Authority | None, text: str) -> bool:
    return body is not None and any(m.authority and m.authority.id == body.id for m in find(text))


def _checks(path: Path) -> dict[str, bool | None]:
    extracted = extract(path)
    meta = extract_metadata(extracted.text, path.name, extracted.format, extracted.title_hint)
    expected = expected_authority(path.stem)
    found = canonical(meta["authority"]) if meta["authority"] else None
    refusal = meta["outcome"] in ("refused", "partly disclosed", "neither confirm nor deny")
    return {
        "doc_type": meta["doc_type"] in RESPONSE_TYPES,
        "title": plausible_title(meta["title"]),
        "authority": bool(expected and found and found.id == expected.id),
        "authority (named in the text)": (bool(expected and found and found.id == expected.id)
                                          if _named_in_text(expected, extracted.text) else None),
        "authority wrong": bool(meta["authority"]) and not (expected and found and found.id == expected.id),
        "reference": plausible_reference(meta["references"][0] if meta["references"] else None, extracted.text),
        "date": bool(meta["date"]) and "2005" <= meta["date"][:4] <= "2027",
        "request_text": plausible_request(meta["request_text"]),
        "outcome": meta["outcome"] in OUTCOMES,
        "sections (refusals)": bool(meta["sections"]) if refusal else None,
        "_meta": meta,
    }


def report(folder: Path, verbose: bool) -> None:
    files = sorted(folder.glob("*.txt"))
    rows = {path.name: _checks(path) for path in files}
    fields = [name for name in next(iter(rows.values())) if not name.startswith("_")]
    print(f"{'field':32} {'n':>4} {'plausible':>9} {'share':>7}")
    for name in fields:
        values = [row[name] for row in rows.values() if row[name] is not None]
        print(f"{name:32} {len(values):>4} {sum(values):>9} {sum(values) / max(1, len(values)):>7.1%}")
    outcomes = Counter(row["_meta"]["outcome"] for row in rows.values())
    print("\noutcomes:", ", ".join(f"{outcome}: {count}" for outcome, count in outcomes.most_common()))
    if verbose:
        for name, row in rows.items():
            meta = row["_meta"]
            print(f"\n{name}\n  {meta['doc_type']} | {meta['title']} | {meta['authority']} | {meta['date']} | "
                  f"{meta['references']} | {meta['outcome']} {meta['sections']}")


def document_types(corpus: Path) -> None:
    print("\ndocument types of the other genre folders:")
    for folder, pattern in (("seeds", "*.txt"), ("whatdotheyknow", "*.html")):
        types = Counter()
        for path in sorted((corpus / folder).glob(pattern)):
            extracted = extract(path)
            types[extract_metadata(extracted.text, path.name, extracted.format, extracted.title_hint)["doc_type"]] += 1
        print(f"  {folder}: {dict(types)}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, default=SHARED_CORPUS)
    parser.add_argument("--verbose", action="store_true", help="print every file's metadata")
    args = parser.parse_args(argv)
    folder = args.corpus / "same-request"
    if not folder.is_dir():
        print(f"skipped: {folder} is absent (the shared data lives in ../shared)")
        return 0
    report(folder, args.verbose)
    document_types(args.corpus)
    return 0


if __name__ == "__main__":
    sys.exit(main())
