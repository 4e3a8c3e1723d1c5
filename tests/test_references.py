"""Unit tests for reference recognition and normalisation."""
from __future__ import annotations

import pytest

from indexer.references import find_references, normalise_reference, reference_kind


@pytest.mark.parametrize(("raw", "expected", "kind"), [
    ("ic 231130 l9k4", "IC-231130-L9K4", "ico"),
    ("IC-231130-L9K4", "IC-231130-L9K4", "ico"),
    ("fs 50123456", "FS50123456", "ico"),
    ("FER0123456", "FER0123456", "ico"),
    ("EA/2005/26", "EA/2005/0026", "appeal"),
    ("EA 2005 0026", "EA/2005/0026", "appeal"),
    ("EA.2019.0369", "EA/2019/0369", "appeal"),
    ("UA-2024-001615-GIA", "UA-2024-001615-GIA", "appeal"),
    ("[2026] UKFTT 433 (GRC)", "[2026] UKFTT 433 (GRC)", "ncn"),
    ("[2024] ukftt 01118 (grc)", "[2024] UKFTT 1118 (GRC)", "ncn"),
    ("[2026] UKUT 24 (AAC)", "[2026] UKUT 24 (AAC)", "ncn"),
    ("[2011] EWCA Civ 1606", "[2011] EWCA Civ 1606", "ncn"),
    ("FOI/23124", "FOI/23124", "authority_ref"),
])
def test_normalise_every_form(raw, expected, kind):
    assert normalise_reference(raw) == expected
    assert reference_kind(expected) == kind


@pytest.mark.parametrize("raw", ["nonsense", "section 31(1)(a)", "2005/0026", "IC-12-L9K4", ""])
def test_non_references_are_rejected(raw):
    assert normalise_reference(raw) is None


def test_find_references_in_text_order_with_offsets():
    text = ("Appeal No: EA/2019/0369. The notice FS50788438 followed "
            "<https://ico.org.uk/media/decision-notices/2023/4025846/ic-231130-l9k4.pdf>; see [2026] UKUT 24 (AAC).")
    found = find_references(text)
    assert [n for n, _raw, _off in found] == ["EA/2019/0369", "FS50788438", "IC-231130-L9K4", "[2026] UKUT 24 (AAC)"]
    for norm, raw, offset in found:
        assert text[offset: offset + len(raw)] == raw
        assert normalise_reference(raw) == norm


def test_appeal_range_and_suffix_keep_the_first_number():
    assert [n for n, _r, _o in find_references("EA/2019/0179/A and EA/2023/0098-0101")] == [
        "EA/2019/0179", "EA/2023/0098"]


def test_a_neutral_citation_typed_without_brackets_or_chamber_is_the_same_reference():
    from indexer.references import normalise_reference, reference_keys

    assert normalise_reference("2026 UKUT 91") == "[2026] UKUT 91"
    assert normalise_reference("[2026] UKUT 91 (AAC)") == "[2026] UKUT 91 (AAC)"
    assert reference_keys("[2026] UKUT 91 (AAC)") == ["[2026] UKUT 91 (AAC)", "[2026] UKUT 91"]
    assert reference_keys("EA/2010/0001") == ["EA/2010/0001"]
