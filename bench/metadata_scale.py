"""Metadata accuracy on all 2,524 tribunal decision texts of ../shared/scale, by half (even and odd IDs)."""
from __future__ import annotations

import hashlib
import tarfile
from collections import Counter
from collections.abc import Iterator
from multiprocessing import get_context
from pathlib import Path

from bench.metadata_gold import (
    OUTCOMES,
    accepted_authorities,
    appeal_ref_in_text,
    authority_in_text,
    date_in_text,
    outcome_in_text,
    promulgation_pair,
    regime_in_text,
    same_authority,
    tribunal_gold,
)
from config import PROJECT_ROOT
from indexer.extract import ExtractionError, extract
from indexer.metadata import extract_metadata
from indexer.references import reference_kind

TARBALL = Path("scale") / "tribunal-2524-text.tar.gz"
UNPACK_DIR = PROJECT_ROOT / "var"
TEXT_FOLDER = "tribtxt"
HALVES = ("all", "even", "odd")
FIELDS = ("date", "date_exact", "appeal_refs", "appeal_refs_row", "appeal_refs_recall", "outcome", "legislation", "legislation_listed",
          "legislation_website", "authority")
# Shorter texts are the shared withdrawal-notice templates, which are not one decision.
MIN_SHARED_TEXT = 1000
EXTRACTION_REASONS = {"empty_file": "text empty (a scan without OCR in the dump)",
                      "binary_content": "extraction rejected the file (NUL bytes)"}


def unpacked_texts(shared: Path, target: Path = UNPACK_DIR) -> Path:
    """The folder of <ID>.txt files, unpacked from the shared tarball under var/ on first use (never committed)."""
    folder = target / TEXT_FOLDER
    if not folder.is_dir():
        target.mkdir(parents=True, exist_ok=True)
        with tarfile.open(shared / TARBALL) as archive:
            archive.extractall(target, filter="data")
    return folder


class HalfTally:
    """Correct/total per field for all IDs, even IDs and odd IDs; exclusion reasons per field; failing IDs."""

    def __init__(self) -> None:
        self.counts: dict[tuple[str, str], list[int]] = {}
        self.excluded: dict[str, Counter[str]] = {field: Counter() for field in FIELDS}
        self.wrong: dict[str, list[str]] = {}

    def add(self, field: str, ok: bool, doc_id: str) -> None:
        for half in ("all", "odd" if int(doc_id) % 2 else "even"):
            counts = self.counts.setdefault((field, half), [0, 0])
            counts[0] += int(ok)
            counts[1] += 1
        if not ok:
            self.wrong.setdefault(field, []).append(doc_id)

    def exclude(self, field: str, reason: str) -> None:
        self.excluded[field][reason] += 1

    def accuracy(self, field: str, half: str = "all") -> float | None:
        correct, total = self.counts.get((field, half), (0, 0))
        return correct / total if total else None

    def rows(self) -> list[dict]:
        return [{"field": field, **{f"{half}_{key}": value for half in HALVES
                                    for key, value in zip(("correct", "n"), self.counts.get((field, half), (0, 0)),
                                                          strict=True)}}
                for field in FIELDS if (field, "all") in self.counts]


def _extract_one(path: Path) -> tuple[str, dict | str]:
    """(ID, the metadata fields scored) or (ID, the extraction failure reason); runs in a worker process."""
    try:
        ex = extract(path)
    except ExtractionError as error:
        return path.stem, error.reason
    meta = extract_metadata(ex.text, path.name, ex.format, ex.title_hint)
    keep = ("date", "references", "outcome", "legislation", "authority")
    return path.stem, {key: meta[key] for key in keep}


def extracted(folder: Path, ids: list[str], jobs: int) -> Iterator[tuple[str, dict | str]]:
    """Metadata of each text through the product's own path: indexer.extract, then extract_metadata."""
    paths = [folder / f"{doc_id}.txt" for doc_id in ids]
    if jobs <= 1:
        yield from map(_extract_one, paths)
        return
    with get_context("spawn").Pool(jobs) as pool:
        yield from pool.imap(_extract_one, paths, chunksize=16)


def _raw_text(path: Path) -> str:
    # The exclusion checks read the dump itself, so they do not move when the mending rules change.
    return path.read_bytes().decode("utf-8", errors="replace").replace("\x00", "")


def score(tally: HalfTally, doc_id: str, raw: str, meta: dict | str, gold: dict) -> None:
    """Score one decision: each labelled field is counted, or excluded with the reason."""
    if isinstance(meta, str):
        for field in FIELDS:
            tally.exclude(field, EXTRACTION_REASONS.get(meta, f"extraction failed ({meta})"))
        return
    _score_date(tally, doc_id, raw, meta, gold)
    _score_refs(tally, doc_id, raw, meta, gold)
    _score_outcome(tally, doc_id, raw, meta, gold)
    _score_legislation(tally, doc_id, raw, meta, gold)
    _score_authority(tally, doc_id, raw, meta, gold)


def _score_date(tally: HalfTally, doc_id: str, raw: str, meta: dict, gold: dict) -> None:
    """date_exact: the label's date; date: also the promulgation date written beside a labelled signing date."""
    for field in ("date", "date_exact"):
        if not gold["date"]:
            tally.exclude(field, "no date labelled")
        elif not date_in_text(raw, gold["date"]):
            tally.exclude(field, "labelled date not written in the text")
        else:
            ok = meta["date"] == gold["date"]
            tally.add(field, ok or (field == "date" and promulgation_pair(raw, gold["date"], meta["date"])), doc_id)


def _score_refs(tally: HalfTally, doc_id: str, raw: str, meta: dict, gold: dict) -> None:
    """appeal_refs: the same set as the labels give the document (joined appeals are labelled one per row, each
    row holding the same decision); appeal_refs_row: the same set as this row alone; recall: every labelled ref
    of this row found."""
    refs = {r for r in meta["references"] if reference_kind(r) == "appeal"}
    for field, labelled in (("appeal_refs", gold["document_refs"]), ("appeal_refs_row", gold["refs"]),
                            ("appeal_refs_recall", gold["refs"])):
        if not gold["refs"]:
            tally.exclude(field, "no appeal reference labelled")
        elif not all(appeal_ref_in_text(raw, r) for r in labelled):
            tally.exclude(field, "a labelled reference is not written in the text")
        else:
            tally.add(field, labelled <= refs if field == "appeal_refs_recall" else refs == labelled, doc_id)


def document_refs(gold: dict[str, dict], folder: Path) -> dict[str, set[str]]:
    """ID -> the appeal refs of every label row that holds the same decision (the same text, or the same link)."""
    owner: dict[str, str] = {}

    def root(key: str) -> str:
        while owner.get(key, key) != key:
            key = owner[key]
        return key

    for doc_id, g in gold.items():
        data = (folder / f"{doc_id}.txt").read_bytes() if (folder / f"{doc_id}.txt").is_file() else b""
        keys = [f"link:{g['link']}"] if g["link"] else []
        if len(data.strip()) >= MIN_SHARED_TEXT:
            keys.append("text:" + hashlib.sha1(data).hexdigest())
        for key in keys:
            owner[root(key)] = root(doc_id)
    refs: dict[str, set[str]] = {}
    for doc_id, g in gold.items():
        refs.setdefault(root(doc_id), set()).update(g["refs"])
    return {doc_id: refs[root(doc_id)] for doc_id in gold}


def _score_outcome(tally: HalfTally, doc_id: str, raw: str, meta: dict, gold: dict) -> None:
    if not gold["outcome"]:
        tally.exclude("outcome", "label is not one of the five outcomes (consent order, NA, ??? ...)")
    elif not outcome_in_text(raw, gold["outcome"]):
        tally.exclude("outcome", "no word of the labelled outcome in the text")
    else:
        tally.add("outcome", meta["outcome"] == gold["outcome"], doc_id)


def _score_legislation(tally: HalfTally, doc_id: str, raw: str, meta: dict, gold: dict) -> None:
    """legislation: the main regime (listed first) against the checked column; legislation_listed: the checked
    regime anywhere in the list; legislation_website: the main regime against the checked column, else the
    website's own column (unchecked, and not kept up after April 2019)."""
    regime, found = gold["legislation"], meta["legislation"]
    for field in ("legislation", "legislation_listed", "legislation_website"):
        if not regime or (field != "legislation_website" and not gold["legislation_checked"]):
            tally.exclude(field, "no FOIA/EIR/DPA area labelled" + ("" if field == "legislation_website"
                                                                    else " in the checked column"))
        elif not regime_in_text(raw, regime):
            tally.exclude(field, "labelled regime not named in the text")
        else:
            tally.add(field, regime in found if field == "legislation_listed" else found[:1] == [regime], doc_id)


def _score_authority(tally: HalfTally, doc_id: str, raw: str, meta: dict, gold: dict) -> None:
    accepted = accepted_authorities(gold)
    if not accepted:
        tally.exclude("authority", "no authority labelled (requester v Commissioner only, or a company appellant)")
    elif not authority_in_text(raw, accepted, gold["date"]):
        tally.exclude("authority", "no accepted name (or gazetteer alias) written in the text")
    else:
        tally.add("authority", any(same_authority(meta["authority"], a, gold["date"]) for a in accepted), doc_id)


def run_scale(shared: Path, half: str = "all", jobs: int = 1, folder: Path | None = None) -> HalfTally:
    """Score every labelled decision text (or one half of them) and return the tally."""
    folder = folder or unpacked_texts(shared)
    gold = tribunal_gold(shared, pdf_subset=False)
    for doc_id, refs in document_refs(gold, folder).items():
        gold[doc_id]["document_refs"] = refs
    ids = sorted((doc_id for doc_id in gold if (folder / f"{doc_id}.txt").is_file()), key=int)
    if half != "all":
        ids = [doc_id for doc_id in ids if int(doc_id) % 2 == (half == "odd")]
    tally = HalfTally()
    for doc_id, meta in extracted(folder, ids, jobs):
        score(tally, doc_id, _raw_text(folder / f"{doc_id}.txt"), meta, gold[doc_id])
    missing = len(gold) - len(ids) if half == "all" else 0
    for field in FIELDS:
        if missing:
            tally.exclude(field, "no text in the dump")
    return tally


def print_scale(tally: HalfTally, seconds: float) -> None:
    """The accuracy table (all, even and odd IDs) and the exclusion counts."""
    print(f"{'field':<20} {'all n':>6} {'correct':>8} {'acc':>7} {'even n':>7} {'acc':>7} {'odd n':>6} {'acc':>7}")
    for row in tally.rows():
        cells = []
        for half in HALVES:
            n, correct = row[f"{half}_n"], row[f"{half}_correct"]
            acc = f"{correct / n:.1%}" if n else "-"
            cells.append(f"{n:>6} {correct:>8} {acc:>7}" if half == "all" else f"{n:>6} {acc:>7}")
        print(f"{row['field']:<20} " + " ".join(cells))
    print("\nexcluded (label not scored), by reason:")
    for field in FIELDS:
        for reason, count in tally.excluded[field].most_common():
            print(f"  {field:<20} {count:>5}  {reason}")
    print(f"({seconds:.0f} s including text extraction; outcomes scored: {', '.join(sorted(set(OUTCOMES.values())))})")
