"""Session fixture: every file of the shared corpus extracted once, shared by the real-data test modules."""
from __future__ import annotations

import time
from multiprocessing import get_context
from pathlib import Path

import pytest

from indexer.extract import Extracted, ExtractionError, extract

# The machine the tests run on has two cores; more workers only add contention.
WORKERS = 2


def _extract_one(path: Path) -> Extracted | tuple[str, str]:
    # ExtractionError does not survive pickling (its constructor takes two arguments), so errors travel as tuples.
    try:
        return extract(path)
    except ExtractionError as error:
        return (error.reason, error.message)


def extract_all(corpus: Path, workers: int = WORKERS) -> dict[str, Extracted | ExtractionError]:
    """Posix path relative to corpus -> Extracted, or the ExtractionError the file raised."""
    files = sorted(path for path in corpus.rglob("*") if path.is_file())
    with get_context("spawn").Pool(workers) as pool:
        outputs = pool.map(_extract_one, files, chunksize=8)
    return {path.relative_to(corpus).as_posix(): out if isinstance(out, Extracted) else ExtractionError(*out)
            for path, out in zip(files, outputs, strict=True)}


@pytest.fixture(scope="session")
def shared_extractions(shared_dir) -> dict[str, Extracted | ExtractionError]:
    """The whole shared corpus extracted once per session (about a minute on two cores)."""
    started = time.perf_counter()
    results = extract_all(shared_dir / "corpus")
    elapsed = time.perf_counter() - started
    print(f"\nextracted {len(results)} shared files in {elapsed:.1f}s ({len(results) / elapsed:.1f} docs/s)")
    return results
