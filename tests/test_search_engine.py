"""SearchEngine over the session's sample index: modes, references, filters, facets, sorting, paging."""
from __future__ import annotations

import math
import re

import pytest

from config import load_config
from service.search.engine import SearchEngine
from tests.sample_corpus import SAME_REQUEST

MODES = ("keyword", "semantic", "hybrid")


def _search(engine, **params):
    return engine.search({"mode": "hybrid", "page": 1, "per_page": 20, **params})


def _carrier(reader, reference):
    owners = [d["id"] for d in reader.documents.values() if reference in d["references"]]
    assert owners, f"the sample corpus should hold a document carrying {reference}"
    return owners


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("typed,reference", [
    ("EA/2019/0154", "EA/2019/0154"), ("ea 2006 6", "EA/2006/0006"), ("fs 50712345", "FS50712345"),
    ("ic 240101 k3n7", "IC-240101-K3N7"), ("IC-240101-K3N7", "IC-240101-K3N7"),
])
def test_reference_query_puts_its_document_first(engine, reader, mode, typed, reference):
    result = _search(engine, q=typed, mode=mode)
    assert result["results"][0]["id"] in _carrier(reader, reference)
    assert result["results"][0]["explain"]["reference_match"] == "carries"


def test_documents_citing_a_reference_follow_it(engine, reader):
    citers = {d["id"] for d in reader.documents.values() if "FS50712345" in (d.get("cites") or [])}
    ids = [r["id"] for r in _search(engine, q="FS50712345", mode="keyword")["results"]]
    assert citers and set(ids[1:1 + len(citers)]) == citers


def test_section_token_searches_as_written(engine, reader):
    result = _search(engine, q="31(1)(a)", mode="keyword")
    assert result["total"] > 0 and not result["warnings"]
    for item in result["results"]:
        text = " ".join(p["text"] for p in reader.doc_passages(item["id"]))
        assert "31(1)(a)" in text
        assert any("<mark>31(1)(a)</mark>" in s["text"] for s in item["snippets"])


def test_invalid_syntax_falls_back_with_warning(engine):
    result = _search(engine, q='"immigration detention', mode="keyword")
    assert result["total"] > 0
    assert any("not understood" in w for w in result["warnings"])


def test_boolean_syntax(engine, reader):
    both = {r["id"] for r in _search(engine, q="police", mode="keyword", per_page=100)["results"]}
    without = {r["id"] for r in _search(engine, q="police NOT kent", mode="keyword", per_page=100)["results"]}
    kent = {d["id"] for d in reader.documents.values() if "kent" in (d.get("authority") or "").lower()}
    assert kent and kent <= both and not kent & without and without < both


@pytest.mark.parametrize("mode", MODES)
def test_filters_apply_in_every_mode(engine, reader, mode):
    result = _search(engine, q="information request", mode=mode, doc_type="decision_notice", section="FOI 31")
    expected = {d["id"] for d in reader.documents.values() if d["doc_type"] == "decision_notice"
                and any(s.startswith("FOI 31") for s in d["sections"])}
    assert expected and {r["id"] for r in result["results"]} <= expected
    assert result["total"] == len(result["results"])
    # A facet whose filter is set counts as if its own filter were not: the chosen value's count is the total, and
    # the other types matching the section filter stay listed so that they can be added.
    counts = {f["value"]: f["count"] for f in result["facets"]["doc_type"]}
    assert counts["decision_notice"] == result["total"]
    assert sum(f["count"] for f in result["facets"]["section"]) >= result["total"]


def test_hybrid_is_one_result_per_document_with_evidence(engine):
    result = _search(engine, q="false social media personas register", mode="hybrid")
    ids = [r["id"] for r in result["results"]]
    assert len(ids) == len(set(ids)) == result["total"]
    top = result["results"][0]
    assert top["explain"]["keyword"] and top["explain"]["semantic"]
    assert any("<mark>" in s["text"] for s in top["snippets"])
    scores = [r["score"] for r in result["results"]]
    assert scores == sorted(scores, reverse=True)


def test_weighted_fusion_scores_stay_in_unit_range(engine):
    result = _search(engine, q="immigration detention briefings", fusion="weighted")
    for item in result["results"]:
        assert 0.0 <= item["explain"]["fused"] <= 1.0
        assert item["score"] == pytest.approx(item["explain"]["fused"] * (1 + item["explain"]["prior"]), abs=1e-5)


def test_browse_is_newest_first_and_counts_whole_set(engine, reader):
    result = _search(engine, q="", legislation="FOIA", per_page=2)
    expected = [d for d in reader.documents.values() if "FOIA" in d["legislation"]]
    assert result["total"] == len(expected) and result["pages"] == math.ceil(len(expected) / 2)
    everything = [r for page in range(1, result["pages"] + 1)
                  for r in _search(engine, q="", legislation="FOIA", per_page=2, page=page)["results"]]
    dates = [r["date"] or "" for r in everything]
    assert dates == sorted(dates, key=lambda d: (d != "", d), reverse=True)
    assert len({r["id"] for r in everything}) == len(expected)


def test_sort_options(engine):
    oldest = _search(engine, q="", sort="date_asc")["results"]
    dated = [r["date"] for r in oldest if r["date"]]
    assert dated == sorted(dated)
    cited = _search(engine, q="", sort="cited_by")["results"]
    assert cited[0]["cited_by"] == max(r["cited_by"] for r in cited) > 0
    assert _search(engine, q="", sort="sideways")["warnings"]


def test_snippets_never_carry_raw_markup(engine):
    for query in ("ico.org.uk decision notices", "tracking cookies", "housing register"):
        for item in _search(engine, q=query)["results"]:
            for snip in item["snippets"]:
                assert "<" not in re.sub(r"</?mark>", "", snip["text"])
                assert snip["page_start"] <= snip["page_end"]


def test_documents_and_export(engine, reader):
    listing = engine.documents({"doc_type": "tribunal_decision", "page": 1, "per_page": 1})
    tribunal = [d for d in reader.documents.values() if d["doc_type"] == "tribunal_decision"]
    assert listing["total"] == len(tribunal) and len(listing["documents"]) == 1
    assert listing["facets"]["doc_type"] == [{"value": "tribunal_decision", "count": len(tribunal)}]
    unsorted = [d["id"] for d in engine.documents({"page": 1, "per_page": 100})["documents"]]
    assert unsorted == sorted(reader.documents)
    exported = list(engine.iter_documents({"doc_type": "tribunal_decision"}))
    assert {d["id"] for d in exported} == {d["id"] for d in tribunal}
    searched = list(engine.iter_documents({"q": "immigration", "mode": "keyword"}))
    assert searched and all(d["score"] is not None for d in searched)


def test_missing_model_degrades_to_keyword(reader, index_config):
    def broken():
        raise OSError("model folder missing")

    engine = SearchEngine(reader, broken, load_config(index_config))
    result = engine.search({"q": "immigration detention", "mode": "semantic"})
    assert result["total"] > 0
    assert any("semantic search unavailable" in w for w in result["warnings"])


def test_no_full_match_falls_back_to_any_word(engine):
    result = _search(engine, q="immigration zyxwvut", mode="keyword")
    assert result["total"] > 0
    assert any("every word" in w for w in result["warnings"])


def test_keyword_facets_and_total_cover_every_page(engine):
    first = _search(engine, q="information", mode="keyword", per_page=1)
    assert first["total"] > 1 and len(first["results"]) == 1
    assert sum(f["count"] for f in first["facets"]["doc_type"]) == first["total"]
    last = _search(engine, q="information", mode="keyword", per_page=1, page=first["total"])
    assert len(last["results"]) == 1 and last["results"][0]["id"] != first["results"][0]["id"]


def test_reference_only_hybrid_query_needs_no_embedding(reader, index_config):
    def broken():
        raise AssertionError("a bare reference should not be embedded in hybrid mode")

    engine = SearchEngine(reader, broken, load_config(index_config))
    result = engine.search({"q": "EA/2019/0154", "mode": "hybrid"})
    assert not result["warnings"]
    assert result["results"][0]["id"] in _carrier(reader, "EA/2019/0154")


@pytest.mark.parametrize("mode", MODES)
def test_same_request_ranks_documents_quoting_it_first(engine, reader, mode):
    quoting = {d for d in reader.documents
               if "column headings contained in the" in " ".join(" ".join(p["text"].split()) for p in reader.doc_passages(d))}
    result = _search(engine, q=SAME_REQUEST, mode=mode)
    assert len(quoting) >= 2
    assert {r["id"] for r in result["results"][:len(quoting)]} == quoting
