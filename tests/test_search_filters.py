"""Each filter of the shared filter model, over hand-made document records."""
from __future__ import annotations

import datetime as dt

from service.search.filters import DocTable, Filters

DOCS = {
    "a": {"doc_type": "decision_notice", "authority": "Home Office", "sections": ["FOI 40(2)", "FOI 35(1)(a)"],
          "outcome": "upheld", "legislation": ["FOIA"], "date": "2019-04-03", "references": ["FS50712345"]},
    "b": {"doc_type": "tribunal_decision", "authority": "HOME OFFICE", "sections": ["EIR 12(5)(e)"],
          "outcome": "dismissed", "legislation": ["EIR"], "date": "2020-03-12", "references": ["EA/2019/0154"],
          "cites": ["FS50712345"]},
    "c": {"doc_type": "foi_response", "authority": "Kent Police", "sections": ["FOI 40"], "outcome": None,
          "legislation": ["FOIA", "DPA"], "date": None, "references": ["FOI/23124"]},
}
TABLE = DocTable(DOCS)


def _ids(**params) -> list[str]:
    mask = TABLE.mask(Filters.from_params(params))
    return [TABLE.ids[p] for p in TABLE.positions(mask)]


def test_no_filter_means_no_mask():
    assert TABLE.mask(Filters.from_params({"q": "x", "doc_type": None, "section": []})) is None
    assert _ids() == ["a", "b", "c"]


def test_doc_type_and_lists_are_ored():
    assert _ids(doc_type="decision_notice") == ["a"]
    assert _ids(doc_type=["decision_notice", "foi_response"]) == ["a", "c"]


def test_authority_ignores_case_and_spacing():
    assert _ids(authority="home  office") == ["a", "b"]
    assert _ids(authority="Home") == []


def test_section_prefix_matches_subsections():
    assert _ids(section="FOI 40") == ["a", "c"]
    assert _ids(section="FOI 40(2)") == ["a"]
    assert _ids(section="section 35") == ["a"]
    assert _ids(section="EIR 12(5)") == ["b"]
    assert _ids(section="FOI 12") == []


def test_outcome_and_legislation():
    assert _ids(outcome="Dismissed") == ["b"]
    assert _ids(legislation="foia") == ["a", "c"]
    assert _ids(legislation="DPA") == ["c"]


def test_dates_are_inclusive_and_exclude_undated():
    assert _ids(date_from="2019-04-03") == ["a", "b"]
    assert _ids(date_to="2019-04-03") == ["a"]
    assert _ids(date_from=dt.date(2020, 1, 1), date_to=dt.date(2020, 12, 31)) == ["b"]


def test_reference_is_normalised():
    assert _ids(reference="ea 2019 154") == ["b"]
    assert _ids(reference="fs 50712345") == ["a"]
    assert _ids(reference="foi/23124") == ["c"]


def test_filters_combine_with_and():
    assert _ids(authority="Home Office", outcome="upheld") == ["a"]
    assert _ids(doc_type="foi_response", legislation="EIR") == []


def test_reference_lookups():
    assert list(TABLE.with_reference("EA/2019/0154")) == [1]
    assert list(TABLE.citing("FS50712345")) == [1]
    assert TABLE.with_reference("EA/1999/0001").size == 0

