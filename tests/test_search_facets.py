"""Facet counts over a set of documents."""
from __future__ import annotations

from service.search.facets import FacetTable

RECORDS = [
    {"doc_type": "decision_notice", "authority": "Home Office", "sections": ["FOI 35(1)(a)"], "outcome": "upheld",
     "date": "2019-04-03"},
    {"doc_type": "tribunal_decision", "authority": "HOME OFFICE", "sections": ["FOI 35(1)(a)", "FOI 40(2)"],
     "outcome": "dismissed", "date": "2020-03-12"},
    {"doc_type": "decision_notice", "authority": "Kent Police", "sections": [], "outcome": None, "date": None},
]


def test_counts_each_facet_over_given_documents():
    facets = FacetTable(RECORDS).counts([0, 1, 2])
    assert facets["doc_type"] == [{"value": "decision_notice", "count": 2}, {"value": "tribunal_decision", "count": 1}]
    assert {"value": "FOI 35(1)(a)", "count": 2} in facets["section"]
    assert facets["outcome"] == [{"value": "dismissed", "count": 1}, {"value": "upheld", "count": 1}]


def test_authority_spellings_merge_under_mixed_case():
    facets = FacetTable(RECORDS).counts([0, 1, 2])
    assert facets["authority"][0] == {"value": "Home Office", "count": 2}


def test_years_newest_first_and_only_selected_documents():
    table = FacetTable(RECORDS)
    assert table.counts([0, 1])["year"] == [{"value": "2020", "count": 1}, {"value": "2019", "count": 1}]
    only_second = table.counts([1])
    assert only_second["doc_type"] == [{"value": "tribunal_decision", "count": 1}]
    assert table.counts([])["section"] == []
