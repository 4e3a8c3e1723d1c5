"""Regression guard: metadata accuracy on the shared tribunal PDFs and ICO notices stays at the measured level."""
from __future__ import annotations

import pytest

from bench.metadata_accuracy import Tally, score_ico, score_tribunal

# Floors sit just below what `python -m bench.metadata_accuracy` measured on the 566 PDFs: appeal_refs 89.2%,
# appeal_refs_recall 93.6%, date 76.1%, date_within_7_days 86.2%, outcome 87.9%, authority 90.0%; ICO all 16/16.
TRIBUNAL_FLOORS = {"appeal_refs": 0.88, "appeal_refs_recall": 0.92, "date": 0.75, "date_within_7_days": 0.85,
                   "outcome": 0.86, "authority": 0.88}
ICO_FLOORS = {"authority": 0.93, "sections": 0.93, "outcome": 0.93, "reference": 0.93, "date_within_14_days": 0.93}


def _accuracy(tally: Tally) -> dict[str, float]:
    return {row["field"]: row["accuracy"] for row in tally.rows()}


@pytest.mark.realdata
def test_ico_notice_fields(shared_dir):
    tally = Tally()
    score_ico(shared_dir, tally)
    accuracy = _accuracy(tally)
    for field, floor in ICO_FLOORS.items():
        assert accuracy[field] >= floor, (field, accuracy[field], tally.wrong.get(field))


@pytest.mark.realdata
def test_tribunal_fields(shared_dir):
    tally = Tally()
    score_tribunal(shared_dir, tally)
    accuracy = _accuracy(tally)
    for field, floor in TRIBUNAL_FLOORS.items():
        assert accuracy[field] >= floor, (field, accuracy[field], tally.wrong.get(field)[:20])
