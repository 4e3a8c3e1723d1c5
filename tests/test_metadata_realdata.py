"""Regression guard: metadata accuracy on the shared tribunal PDFs and ICO notices stays at the measured level."""
from __future__ import annotations

import re
from pathlib import PurePath

import pytest

from bench.metadata_accuracy import Tally, score_ico, score_tribunal
from indexer.extract import ExtractionError
from indexer.metadata import extract_metadata
from indexer.metadata.authority import is_commissioner

# Floors sit just below what `python -m bench.metadata_accuracy` measured on the 566 PDFs: appeal_refs 89.8%,
# appeal_refs_recall 94.2%, appeal_refs_in_text 95.0%, date 80.6%, date_within_7_days 90.5%, date_in_text 92.4%,
# outcome 91.1%, authority 94.8%; ICO all 16/16. The *_in_text rows leave out labels the text cannot support.
TRIBUNAL_FLOORS = {"appeal_refs": 0.89, "appeal_refs_recall": 0.93, "appeal_refs_in_text": 0.94, "date": 0.80,
                   "date_within_7_days": 0.90, "date_in_text": 0.92, "outcome": 0.90, "authority": 0.94}
ICO_FLOORS = {"authority": 0.93, "sections": 0.93, "outcome": 0.93, "reference": 0.93, "date_within_14_days": 0.93}


def _accuracy(tally: Tally) -> dict[str, float]:
    return {row["field"]: row["accuracy"] for row in tally.rows()}


@pytest.mark.realdata
def test_ico_notice_fields(shared_dir, shared_extractions):
    tally = Tally()
    score_ico(shared_dir, tally, shared_extractions)
    accuracy = _accuracy(tally)
    for field, floor in ICO_FLOORS.items():
        assert accuracy[field] >= floor, (field, accuracy[field], tally.wrong.get(field))


@pytest.mark.realdata
def test_tribunal_fields(shared_dir, shared_extractions):
    tally = Tally()
    score_tribunal(shared_dir, tally, shared_extractions)
    accuracy = _accuracy(tally)
    for field, floor in TRIBUNAL_FLOORS.items():
        assert accuracy[field] >= floor, (field, accuracy[field], tally.wrong.get(field)[:20])


@pytest.mark.realdata
def test_authority_facet_values_are_clean(shared_extractions):
    """Over the whole shared corpus: never the Information Commissioner, no leading "The", no ALL-CAPS names,
    no titled individuals and no bare joiners as the authority facet value."""
    bad = []
    for path, ex in shared_extractions.items():
        if isinstance(ex, ExtractionError):
            continue
        name = extract_metadata(ex.text, PurePath(path).name, ex.format, ex.title_hint)["authority"]
        words = re.findall(r"[A-Za-z]{5,}", name or "")
        if name and (is_commissioner(name) or name.lower().startswith("the ") or name.lower() in {"and", "council"}
                     or re.match(r"(?:Mr|Mrs|Ms|Dr)\b", name, re.IGNORECASE) or (words and all(w.isupper() for w in words))):
            bad.append((path, name))
    assert not bad, bad[:20]
